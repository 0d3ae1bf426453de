"""The IDO network: municipalities, library organisations, their locations and weekly hours."""

from __future__ import annotations

import uuid

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy

from balie.core.access import OrganisationQuerySet, Scope
from balie.core.dates import WEEKDAY_CHOICES
from balie.core.models import CodeList

postcode_validator = RegexValidator(
    r"^[1-9][0-9]{3} ?[A-Z]{2}$", gettext_lazy("Vul een postcode in zoals 1234 AB.")
)
code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9_-]{1,39}$", gettext_lazy("Gebruik 2 tot 40 hoofdletters, cijfers, - of _ (bijvoorbeeld RDAM-CENTRAAL).")
)


class LocationQuerySet(models.QuerySet["Location"]):
    def for_scope(self, scope: Scope) -> LocationQuerySet:
        """Staff: their organisation's locations; a municipality: the locations in its gemeenten; national: all."""
        if scope.is_desk_staff:
            return self.filter(organisation_id=scope.organisation_id)
        if scope.is_national:
            return self.all()
        if scope.reads_gemeenten:
            return self.filter(gemeente_id__in=scope.gemeente_ids)
        return self.none()


class Gemeente(models.Model):
    cbs_code = models.CharField(
        gettext_lazy("CBS-code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^GM[0-9]{4}$", gettext_lazy("Een CBS-code ziet eruit als GM0599."))],
        help_text=gettext_lazy("Gemeentecode van het CBS, bijvoorbeeld GM0599 voor Rotterdam."),
    )
    naam = models.CharField(gettext_lazy("naam"), max_length=100, help_text=gettext_lazy("Naam van de gemeente."))
    provincie = models.CharField(gettext_lazy("provincie"), max_length=40, blank=True, help_text=gettext_lazy("Provincie waar de gemeente in ligt."))
    inwoners = models.PositiveIntegerField(
        gettext_lazy("inwoners"), null=True, blank=True,
        help_text=gettext_lazy("Aantal inwoners volgens het CBS (zie network/data/README.md); leeg bij een opgeheven gemeente."),
    )
    lat = models.FloatField(gettext_lazy("breedtegraad"), null=True, blank=True, help_text=gettext_lazy("Middelpunt van de gemeente (WGS84)."))
    lon = models.FloatField(gettext_lazy("lengtegraad"), null=True, blank=True, help_text=gettext_lazy("Middelpunt van de gemeente (WGS84)."))
    active = models.BooleanField(
        gettext_lazy("actief"), default=True, help_text=gettext_lazy("Uit na een gemeentelijke herindeling; oude cijfers blijven bewaard.")
    )

    class Meta:
        verbose_name = "gemeente"
        verbose_name_plural = "gemeenten"
        ordering = ["naam"]

    def __str__(self) -> str:
        return f"{self.naam} ({self.cbs_code})"


class Organisation(models.Model):
    """A library organisation (one legal body, usually several branches)."""

    uuid = models.UUIDField(gettext_lazy("uuid"), default=uuid.uuid4, unique=True, editable=False, help_text=gettext_lazy("Vast kenmerk."))
    code = models.CharField(
        gettext_lazy("code"), max_length=40, unique=True, validators=[code_validator], help_text="Korte vaste code, bijvoorbeeld BIB-RDAM."
    )
    naam = models.CharField(gettext_lazy("naam"), max_length=150, help_text=gettext_lazy("Naam van de bibliotheekorganisatie."))
    active = models.BooleanField(gettext_lazy("actief"), default=True, help_text=gettext_lazy("Inactieve organisaties kunnen niet meer registreren."))

    class Meta:
        verbose_name = "bibliotheekorganisatie"
        verbose_name_plural = "bibliotheekorganisaties"
        ordering = ["naam"]

    def __str__(self) -> str:
        return self.naam


class LocationKind(models.TextChoices):
    BIBLIOTHEEK = "BIBLIOTHEEK", gettext_lazy("Bibliotheekvestiging")
    OUTREACH = "OUTREACH", gettext_lazy("Locatie buiten de bibliotheek (school, voedselbank, buurthuis)")


class Location(models.Model):
    objects = LocationQuerySet.as_manager()

    uuid = models.UUIDField(gettext_lazy("uuid"), default=uuid.uuid4, unique=True, editable=False, help_text=gettext_lazy("Vast kenmerk."))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="locations",
        verbose_name=gettext_lazy("organisatie"),
        help_text=gettext_lazy("De bibliotheekorganisatie die deze locatie beheert."),
    )
    code = models.CharField(
        gettext_lazy("code"), max_length=40, unique=True, validators=[code_validator], help_text="Korte vaste code, bijvoorbeeld RDAM-CENTRAAL."
    )
    naam = models.CharField(gettext_lazy("naam"), max_length=150, help_text=gettext_lazy("Naam zoals bezoekers die kennen."))
    kind = models.CharField(
        gettext_lazy("soort"), max_length=12, choices=LocationKind.choices, default=LocationKind.BIBLIOTHEEK,
        help_text=gettext_lazy("Een vestiging van de bibliotheek of een locatie waar het IDO op bezoek gaat."),
    )
    address = models.CharField(gettext_lazy("adres"), max_length=150, blank=True, help_text=gettext_lazy("Straat en huisnummer."))
    postcode = models.CharField(
        gettext_lazy("postcode"), max_length=7, blank=True, validators=[postcode_validator], help_text="Postcode, bijvoorbeeld 3011 AB."
    )
    plaats = models.CharField(gettext_lazy("plaats"), max_length=100, blank=True, help_text=gettext_lazy("Woonplaats van het adres."))
    gemeente = models.ForeignKey(
        Gemeente,
        on_delete=models.PROTECT,
        related_name="locations",
        verbose_name=gettext_lazy("gemeente"),
        help_text=gettext_lazy("De gemeente waarin de locatie ligt (CBS-code)."),
    )
    lat = models.FloatField(gettext_lazy("breedtegraad"), null=True, blank=True, help_text=gettext_lazy("Ligging (WGS84) voor de zoekfunctie."))
    lon = models.FloatField(gettext_lazy("lengtegraad"), null=True, blank=True, help_text=gettext_lazy("Ligging (WGS84) voor de zoekfunctie."))
    active = models.BooleanField(gettext_lazy("actief"), default=True, help_text=gettext_lazy("Inactieve locaties verschijnen niet meer aan de balie."))
    # Visitor information for the public pages. Accessibility is nullable: "unknown" must not read as "no".
    phone = models.CharField(
        gettext_lazy("telefoonnummer"), max_length=20, blank=True, default="",
        help_text=gettext_lazy("Openbaar telefoonnummer van de locatie, bijvoorbeeld 010 123 45 67. Geen persoonlijke nummers."),
    )
    public_description = models.TextField(
        gettext_lazy("toelichting voor bezoekers"), blank=True, default="",
        help_text=gettext_lazy("Korte uitleg in eenvoudige taal, bijvoorbeeld waar de IDO-balie in het gebouw is."),
    )
    wheelchair_accessible = models.BooleanField(
        gettext_lazy("rolstoeltoegankelijk"), null=True, blank=True, default=None,
        help_text=gettext_lazy("Ja, nee of onbekend. Bij onbekend tonen de publieke pagina's niets."),
    )
    hearing_loop = models.BooleanField(
        gettext_lazy("ringleiding"), null=True, blank=True, default=None,
        help_text=gettext_lazy("Is er een ringleiding voor mensen met een hoortoestel? Ja, nee of onbekend."),
    )
    transit_note = models.CharField(
        gettext_lazy("openbaar vervoer"), max_length=200, blank=True, default="",
        help_text=gettext_lazy("Hoe komt u er met het openbaar vervoer, bijvoorbeeld: Tram 21, halte Blaak, 2 minuten lopen."),
    )

    class Meta:
        verbose_name = "locatie"
        verbose_name_plural = "locaties"
        ordering = ["organisation__naam", "naam"]

    def __str__(self) -> str:
        return self.naam

    @property
    def is_outreach(self) -> bool:
        return self.kind == LocationKind.OUTREACH


class HoursKind(models.TextChoices):
    INLOOP = "INLOOP", gettext_lazy("Inloop aan de balie")
    SPREEKUUR = "SPREEKUUR", "IDO-spreekuur"


class WeeklyHours(models.Model):
    """A recurring weekly slot. The desk uses it to default the kanaal (spreekuur vs inloop)."""

    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="weekly_hours", verbose_name=gettext_lazy("locatie"),
        help_text=gettext_lazy("De locatie waar dit tijdvak geldt."),
    )
    weekday = models.PositiveSmallIntegerField(
        gettext_lazy("weekdag"), choices=WEEKDAY_CHOICES,
        help_text=gettext_lazy("Dag van de week."),
    )
    start = models.TimeField(gettext_lazy("begintijd"), help_text=gettext_lazy("Begin van het tijdvak."))
    end = models.TimeField(gettext_lazy("eindtijd"), help_text=gettext_lazy("Einde van het tijdvak."))
    kind = models.CharField(
        gettext_lazy("soort"), max_length=12, choices=HoursKind.choices, default=HoursKind.SPREEKUUR,
        help_text=gettext_lazy("Inloop aan de balie of een IDO-spreekuur."),
    )
    staff = models.PositiveSmallIntegerField(
        gettext_lazy("bezetting"), default=1, help_text=gettext_lazy("Aantal medewerkers dat in dit tijdvak helpt."),
    )

    class Meta:
        verbose_name = "vast tijdvak"
        verbose_name_plural = "vaste tijdvakken"
        ordering = ["location", "weekday", "start"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M} ({self.get_kind_display()})"


class LocalCode(models.Model):
    """A library's own entry that maps to exactly one national code, so local detail never breaks national figures."""

    objects = OrganisationQuerySet.as_manager()

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="local_codes", verbose_name=gettext_lazy("organisatie"),
        help_text=gettext_lazy("De organisatie die deze lokale code gebruikt."),
    )
    list = models.CharField(
        gettext_lazy("lijst"), max_length=20,
        choices=[(CodeList.INSTANTIE.value, CodeList.INSTANTIE.label), (CodeList.ONDERWERP.value, CodeList.ONDERWERP.label)],
        help_text=gettext_lazy("Lokale uitbreidingen kunnen op de lijsten instantie en onderwerp."),
    )
    code = models.CharField(gettext_lazy("code"), max_length=40, validators=[code_validator], help_text="Eigen code, bijvoorbeeld WONEN_WOONSTAD.")
    label = models.CharField(gettext_lazy("omschrijving"), max_length=120, help_text=gettext_lazy("Naam zoals medewerkers die zien."))
    national_code = models.CharField(
        gettext_lazy("landelijke code"), max_length=40, help_text=gettext_lazy("De landelijke code waar deze lokale code onder valt, bijvoorbeeld WONEN.")
    )
    active = models.BooleanField(gettext_lazy("actief"), default=True, help_text=gettext_lazy("Niet meer te kiezen als dit uit staat."))

    class Meta:
        verbose_name = "lokale code"
        verbose_name_plural = "lokale codes"
        ordering = ["list", "label"]
        constraints = [models.UniqueConstraint(fields=["organisation", "list", "code"], name="localcode_unique")]

    def __str__(self) -> str:
        return f"{self.label} → {self.national_code}"


class Session(models.Model):
    """A one-off session, for example an outreach consultation hour at a school. Takes place even on a public holiday."""

    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="sessions", verbose_name=gettext_lazy("locatie"),
        help_text=gettext_lazy("De locatie waar de bijeenkomst is, ook een locatie buiten de bibliotheek."),
    )
    date = models.DateField(gettext_lazy("datum"), help_text=gettext_lazy("Dag van de bijeenkomst."))
    start = models.TimeField(gettext_lazy("begintijd"), help_text=gettext_lazy("Begin van de bijeenkomst."))
    end = models.TimeField(gettext_lazy("eindtijd"), help_text=gettext_lazy("Einde van de bijeenkomst."))
    kind = models.CharField(
        gettext_lazy("soort"), max_length=12, choices=HoursKind.choices, default=HoursKind.SPREEKUUR,
        help_text=gettext_lazy("Inloop of IDO-spreekuur."),
    )
    title = models.CharField(
        gettext_lazy("titel"), max_length=150, blank=True, default="",
        help_text=gettext_lazy("Wat bezoekers zien, bijvoorbeeld: Ouderspreekuur op basisschool De Regenboog."),
    )
    staff = models.PositiveSmallIntegerField(gettext_lazy("bezetting"), default=1, help_text=gettext_lazy("Aantal medewerkers dat helpt."))

    class Meta:
        verbose_name = "losse bijeenkomst"
        verbose_name_plural = "losse bijeenkomsten"
        ordering = ["date", "start"]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.start:%H:%M}–{self.end:%H:%M} {self.title or self.get_kind_display()}"


class Closure(models.Model):
    """A closure of one location, or of every location of an organisation when location is empty."""

    objects = OrganisationQuerySet.as_manager()

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="closures", verbose_name=gettext_lazy("organisatie"),
        help_text=gettext_lazy("De organisatie waarvan de locatie(s) dicht zijn."),
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="closures", verbose_name=gettext_lazy("locatie"),
        help_text=gettext_lazy("Leeg laten als alle locaties van de organisatie dicht zijn."),
    )
    start_date = models.DateField(gettext_lazy("eerste dag"), help_text=gettext_lazy("Eerste dag dat de locatie dicht is."))
    end_date = models.DateField(gettext_lazy("laatste dag"), help_text=gettext_lazy("Laatste dag dat de locatie dicht is (dezelfde dag voor één dag)."))
    reason = models.CharField(
        gettext_lazy("reden"), max_length=150,
        help_text=gettext_lazy("Bezoekers zien deze reden, bijvoorbeeld: Verbouwing. Schrijf in eenvoudige taal."),
    )

    class Meta:
        verbose_name = "sluiting"
        verbose_name_plural = "sluitingen"
        ordering = ["start_date"]

    def __str__(self) -> str:
        from django.utils.translation import gettext

        return gettext("%(start)s t/m %(end)s: %(reason)s") % {
            "start": f"{self.start_date:%d-%m-%Y}", "end": f"{self.end_date:%d-%m-%Y}", "reason": self.reason}
