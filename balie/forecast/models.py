"""Stored forecasts: computed in the background (``update_forecasts``), read by the pages and dashboards.

Fitting over millions of registrations is too slow for a page view, and a forecast does not change within a day,
so every run stores per location its weekly history, its forecast, its backtest and its staffing suggestion.
"""

from __future__ import annotations

import uuid

from django.db import models

from balie.core.access import OrganisationQuerySet


class ForecastRun(models.Model):
    objects = OrganisationQuerySet.as_manager()

    uuid = models.UUIDField("uuid", default=uuid.uuid4, unique=True, editable=False, help_text="Vast kenmerk van de berekening.")
    started_at = models.DateTimeField("gestart op", help_text="Moment waarop de berekening begon.")
    finished_at = models.DateTimeField("klaar op", null=True, blank=True, help_text="Moment waarop de berekening klaar was.")
    duration_seconds = models.FloatField("rekentijd (s)", default=0, help_text="Hoe lang de berekening duurde, in seconden.")
    history_until = models.DateField(
        "gegevens tot", help_text="Eerste dag (maandag) van de week die nog niet meetelde: alleen hele weken tellen mee."
    )
    organisation = models.ForeignKey(
        "network.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="organisatie", help_text="Leeg als de berekening alle organisaties omvatte.",
    )
    locations = models.PositiveIntegerField("aantal locaties", default=0, help_text="Voor hoeveel locaties een prognose is berekend.")
    backtest_mae = models.FloatField(
        "terugtoets: gemiddelde afwijking", null=True, blank=True,
        help_text="Gemiddeld verschil in vragen per week tussen de prognose van een jaar geleden en de werkelijkheid, over alle locaties.",
    )
    backtest_mape = models.FloatField(
        "terugtoets: afwijking van het totaal (%)", null=True, blank=True,
        help_text="Gemiddelde procentuele afwijking per week van het totaal van alle locaties samen.",
    )
    backtest_coverage = models.FloatField(
        "terugtoets: binnen de bandbreedte", null=True, blank=True,
        help_text="Aandeel locatie-weken waarin het werkelijke aantal binnen de 80%-bandbreedte viel (0 tot 1).",
    )

    class Meta:
        verbose_name = "prognoseberekening"
        verbose_name_plural = "prognoseberekeningen"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Prognose {self.started_at:%Y-%m-%d %H:%M}"


class LocationForecast(models.Model):
    run = models.ForeignKey(
        ForecastRun, on_delete=models.CASCADE, related_name="location_forecasts", verbose_name="berekening",
        help_text="De berekening waarin deze prognose ontstond.",
    )
    location = models.ForeignKey(
        "network.Location", on_delete=models.CASCADE, related_name="forecasts", verbose_name="locatie",
        help_text="De locatie van deze prognose.",
    )
    method = models.CharField(
        "methode", max_length=20, help_text="trend_seizoen, seizoen, gemiddelde of geen: minder gegevens geeft een eenvoudiger methode.",
    )
    note = models.CharField("toelichting", max_length=300, blank=True, default="", help_text="Waarom een eenvoudiger methode is gebruikt.")
    history_weeks = models.PositiveIntegerField("weken gegevens", default=0, help_text="Aantal hele weken met gegevens vanaf de eerste vraag.")
    backtest_method = models.CharField(
        "methode terugtoets", max_length=20, blank=True, default="", help_text="De methode die een jaar geleden gekozen zou zijn.",
    )
    backtest_mae = models.FloatField(
        "terugtoets: gemiddelde afwijking", null=True, blank=True, help_text="Gemiddeld verschil in vragen per week over het afgelopen jaar.",
    )
    backtest_mape = models.FloatField(
        "terugtoets: gemiddelde afwijking (%)", null=True, blank=True,
        help_text="Gemiddelde procentuele afwijking per week, over de weken met vragen.",
    )
    backtest_coverage = models.FloatField(
        "terugtoets: binnen de bandbreedte", null=True, blank=True, help_text="Aandeel weken binnen de 80%-bandbreedte (0 tot 1).",
    )
    naive_mae = models.FloatField(
        "terugtoets: afwijking 'zelfde week vorig jaar'", null=True, blank=True,
        help_text="Dezelfde maat voor de eenvoudigste voorspelling (evenveel als dezelfde week een jaar eerder), om mee te vergelijken.",
    )
    service_minutes = models.FloatField("hulptijd (min)", null=True, blank=True, help_text="Gemiddelde hulptijd per bezoeker aan de inloop.")
    service_source = models.CharField(
        "bron hulptijd", max_length=20, blank=True, default="", help_text="wachtrij, registraties of standaard.",
    )
    service_samples = models.PositiveIntegerField("metingen hulptijd", default=0, help_text="Aantal metingen achter de hulptijd.")
    season_factor = models.FloatField(
        "seizoensfactor", default=1.0,
        help_text="Verwachte drukte in de komende vier weken gedeeld door die in de gemeten weken; schaalt de aankomsten.",
    )
    window_weeks = models.PositiveSmallIntegerField("gemeten weken", default=0, help_text="Aantal weken waarover de aankomsten per uur zijn gemeten.")

    class Meta:
        verbose_name = "prognose per locatie"
        verbose_name_plural = "prognoses per locatie"
        ordering = ["-run__started_at"]
        indexes = [models.Index(fields=["location", "run"], name="forecast_location_run")]

    def __str__(self) -> str:
        return f"{self.location} ({self.method})"

    @property
    def method_label(self) -> str:
        from django.utils.translation import gettext

        from .model import Method

        return gettext(Method.LABELS[self.method]) if self.method in Method.LABELS else self.method

    @property
    def note_text(self) -> str:
        """The note in the active language (it is stored in Dutch, see model.note_text)."""
        from .model import note_text

        return note_text(self.note)


class WeekKind(models.TextChoices):
    HISTORY = "historie", "Werkelijk"
    BACKTEST = "terugtoets", "Terugtoets"
    FORECAST = "prognose", "Prognose"


class ForecastWeek(models.Model):
    location_forecast = models.ForeignKey(
        LocationForecast, on_delete=models.CASCADE, related_name="weeks", verbose_name="prognose",
        help_text="De prognose van de locatie waar deze week bij hoort.",
    )
    kind = models.CharField("soort", max_length=12, choices=WeekKind.choices, help_text="Werkelijk aantal, terugtoets of prognose.")
    week_start = models.DateField("week", help_text="Maandag van de week.")
    actual = models.PositiveIntegerField("werkelijk", null=True, blank=True, help_text="Het werkelijke aantal vragen (leeg voor de toekomst).")
    expected = models.FloatField("verwacht", null=True, blank=True, help_text="Het verwachte aantal vragen.")
    low = models.FloatField("ondergrens", null=True, blank=True, help_text="Ondergrens van de 80%-bandbreedte.")
    high = models.FloatField("bovengrens", null=True, blank=True, help_text="Bovengrens van de 80%-bandbreedte.")

    class Meta:
        verbose_name = "prognoseweek"
        verbose_name_plural = "prognoseweken"
        ordering = ["location_forecast", "kind", "week_start"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.week_start}"


class StaffingSlot(models.Model):
    location_forecast = models.ForeignKey(
        LocationForecast, on_delete=models.CASCADE, related_name="staffing", verbose_name="prognose",
        help_text="De prognose van de locatie waar dit uur bij hoort.",
    )
    weekday = models.PositiveSmallIntegerField("weekdag", help_text="0 = maandag … 6 = zondag.")
    hour = models.PositiveSmallIntegerField("uur", help_text="Begin van het uur, bijvoorbeeld 10 voor 10:00–11:00.")
    arrivals_per_hour = models.FloatField("bezoekers per uur", help_text="Verwachte inloopbezoekers in dit uur (gemeten, maal de seizoensfactor).")
    staff_needed = models.PositiveSmallIntegerField(
        "benodigde bezetting", help_text="Medewerkers nodig zodat 80% van de bezoekers korter dan 10 minuten wacht (Erlang C).",
    )

    class Meta:
        verbose_name = "bezettingsadvies"
        verbose_name_plural = "bezettingsadviezen"
        ordering = ["location_forecast", "weekday", "hour"]

    def __str__(self) -> str:
        return f"{self.weekday} {self.hour}:00 → {self.staff_needed}"
