"""Visits and questions: the anonymous registration at the desk.

A question carries national codes only (local codes are kept beside them), so every
figure stays comparable. Multi-valued code fields are stored as "|A|B|" strings: portable
between SQLite and PostgreSQL, filterable with a plain LIKE, and cheap to bulk insert (ADR 0003).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from balie.core.access import OrganisationQuerySet
from balie.core.codelists import split_multi
from balie.core.idempotency import fingerprint_field
from balie.core.models import AppendOnlyModel


class Visit(models.Model):
    objects = OrganisationQuerySet.as_manager()

    uuid = models.UUIDField("uuid", default=uuid.uuid4, unique=True, editable=False, help_text="Vast kenmerk van het bezoek.")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="visits", verbose_name="organisatie",
        help_text="De bibliotheekorganisatie die het bezoek registreerde.",
    )
    location = models.ForeignKey(
        "network.Location", on_delete=models.PROTECT, related_name="visits", verbose_name="locatie",
        help_text="Waar de bezoeker geholpen werd.",
    )
    started_at = models.DateTimeField("begin van het bezoek", help_text="Datum en tijd van het bezoek.")
    kanaal = models.CharField("kanaal", max_length=20, help_text="Hoe de bezoeker de vraag stelde (codelijst kanaal).")
    codelist_version = models.ForeignKey(
        "core.CodeListVersion", on_delete=models.PROTECT, related_name="+", verbose_name="codelijstversie",
        help_text="De versie van de codelijsten waarmee dit bezoek is geregistreerd.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits",
        verbose_name="geregistreerd door", help_text="De medewerker die registreerde; leeg bij een import.",
    )
    created_at = models.DateTimeField("geregistreerd op", auto_now_add=True, help_text="Moment van registreren.")
    afterwards = models.BooleanField(
        "achteraf geregistreerd", default=False, help_text="Aan als het bezoek later is ingevoerd dan het plaatsvond."
    )
    submission_key = models.CharField(
        "inzendsleutel", max_length=80, null=True, blank=True, unique=True,
        help_text="Voorkomt dubbele registraties bij dubbel klikken of een herhaald API-verzoek (Idempotency-Key).",
    )
    request_fingerprint = fingerprint_field()
    source = models.CharField(
        "bron", max_length=10, default="balie",
        choices=[("balie", "Balie"), ("turven", "Turven"), ("api", "API"), ("import", "Import"), ("demo", "Demo")],
        help_text="Hoe de registratie binnenkwam.",
    )

    class Meta:
        verbose_name = "bezoek"
        verbose_name_plural = "bezoeken"
        ordering = ["-started_at"]
        indexes = [
            # The overview's "alleen achteraf geregistreerd" filter: back-dated visits are few, so they are found here
            # instead of by reading every visit. Partial: a visit registered on the spot costs nothing extra.
            models.Index(fields=["id"], condition=models.Q(afterwards=True), name="visit_afterwards"),
        ]

    def __str__(self) -> str:
        return f"Bezoek {self.started_at:%Y-%m-%d %H:%M} {self.location_id}"


class Question(models.Model):
    objects = OrganisationQuerySet.as_manager()

    uuid = models.UUIDField("uuid", default=uuid.uuid4, unique=True, editable=False, help_text="Vast kenmerk van de vraag.")
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="questions", verbose_name="bezoek",
        help_text="Het bezoek waarin deze vraag gesteld werd.",
    )
    # Denormalised from the visit: every report filters on them, so they must be indexable here.
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="questions", verbose_name="organisatie",
        help_text="Gelijk aan de organisatie van het bezoek.",
    )
    location = models.ForeignKey(
        "network.Location", on_delete=models.PROTECT, related_name="questions", verbose_name="locatie",
        help_text="Gelijk aan de locatie van het bezoek.",
    )
    started_at = models.DateTimeField("tijdstip", help_text="Gelijk aan het begin van het bezoek.")
    date = models.DateField("datum", help_text="Lokale datum van het bezoek, voor snelle overzichten.")
    kanaal = models.CharField("kanaal", max_length=20, help_text="Gelijk aan het kanaal van het bezoek.")
    codelist_version = models.ForeignKey(
        "core.CodeListVersion", on_delete=models.PROTECT, related_name="+", verbose_name="codelijstversie",
        help_text="De versie van de codelijsten waarmee deze vraag is geregistreerd.",
    )
    position = models.PositiveSmallIntegerField("volgnummer", default=1, help_text="Volgorde van de vraag binnen het bezoek.")

    vraagsoort = models.CharField("vraagsoort", max_length=20, help_text="Domein van de vraag (codelijst vraagsoort).")
    instantie = models.CharField("instantie", max_length=40, help_text="Landelijke code van de organisatie waar de vraag over ging.")
    instantie_local = models.CharField(
        "lokale instantie", max_length=40, blank=True, help_text="Eigen code van de bibliotheek, valt onder de landelijke instantie."
    )
    onderwerp = models.CharField("onderwerp", max_length=40, help_text="Landelijke code van het onderwerp.")
    onderwerp_local = models.CharField(
        "lokaal onderwerp", max_length=40, blank=True, help_text="Eigen code van de bibliotheek, valt onder het landelijke onderwerp."
    )
    digid_detail = models.CharField(
        "DigiD-detail", max_length=20, blank=True, help_text="Alleen bij vragen over DigiD of inloggen."
    )
    behoefteprofielen = models.CharField(
        "behoefteprofielen", max_length=200, blank=True, help_text="Nul of meer behoefteprofielen, opgeslagen als |A|B|."
    )
    complexiteit = models.CharField("complexiteit", max_length=2, blank=True, help_text="1 eenvoudig tot 4 zeer complex.")
    achterliggend = models.CharField(
        "achterliggende problematiek", max_length=200, blank=True, help_text="Nul of meer opgemerkte achterliggende problemen, als |A|B|."
    )
    uitkomst = models.CharField("uitkomst", max_length=20, help_text="Hoe de vraag afliep (codelijst uitkomst).")
    duration_minutes = models.PositiveSmallIntegerField(
        "duur (minuten)", null=True, blank=True, help_text="Hoe lang de hulp duurde; 60 betekent een uur of langer."
    )
    leeftijdsgroep = models.CharField("leeftijdsgroep", max_length=10, blank=True, help_text="Schatting van de medewerker.")
    taal = models.CharField("taal", max_length=10, blank=True, help_text="Taal van het gesprek.")
    note = models.TextField(
        "notitie", blank=True, max_length=2000,
        help_text="Anonieme toelichting. Persoonsgegevens worden bij opslaan automatisch weggelakt.",
    )
    tally = models.BooleanField(
        "geturfd", default=False, help_text="Aan als de vraag in turfmodus is geteld en nog niet is aangevuld."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions",
        verbose_name="geregistreerd door", help_text="De medewerker die registreerde; leeg bij een import.",
    )
    created_at = models.DateTimeField("geregistreerd op", auto_now_add=True, help_text="Moment van registreren.")
    updated_at = models.DateTimeField("gewijzigd op", auto_now=True, help_text="Laatste correctie.")

    class Meta:
        verbose_name = "vraag"
        verbose_name_plural = "vragen"
        ordering = ["-started_at", "-id"]
        indexes = [
            # Covering index (INCLUDE is ignored on SQLite): the desk's favourite chips and the registrations overview
            # filtered on one location (with any other filter) are an index-only scan.
            models.Index(fields=["location", "date"], include=["instantie", "onderwerp", "id", "started_at", "uitkomst", "kanaal",
                                                               "created_by", "organisation", "visit"], name="question_location_date"),
            # The registrations overview (desk/registrations/paging.py): one organisation's questions newest first, with
            # every column its filters read, so the page's ids and its capped count are an index-only scan (PostgreSQL
            # and SQLite alike: key columns, not INCLUDE, which SQLite ignores). Also serves (organisation, date).
            models.Index(fields=["organisation", "date", "started_at", "id", "location", "created_by", "instantie", "onderwerp",
                                 "uitkomst", "kanaal", "visit"], name="question_overview"),
            models.Index(fields=["created_by", "created_at"], name="question_user_created"),
            models.Index(fields=["date"], name="question_date"),
            # Signal note themes (balie/signals/services.find_themes): the latest notes of one organisation and
            # instantie are a short backward index scan. Partial, so questions without a note cost nothing extra.
            models.Index(fields=["organisation", "instantie", "date", "id"], condition=~models.Q(note=""), name="question_notes"),
        ]

    def __str__(self) -> str:
        return f"{self.instantie}/{self.onderwerp} ({self.uitkomst})"

    @property
    def behoefteprofiel_list(self) -> list[str]:
        return split_multi(self.behoefteprofielen)

    @property
    def achterliggend_list(self) -> list[str]:
        return split_multi(self.achterliggend)


class QuestionCorrection(AppendOnlyModel):
    """One row per correction of a registration, never edited (issue 14 item 2: an audit trail beside the audit log).

    Holds codes and dates only, before and after; a changed note is recorded as changed, never its text (a note may
    have held personal data before it was redacted).
    """

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="corrections", verbose_name="vraag", help_text="De gecorrigeerde vraag.",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="door",
        help_text="Wie corrigeerde; leeg als het account later is verwijderd.",
    )
    at = models.DateTimeField("op", help_text="Moment van de correctie.")
    changes = models.JSONField(
        "wijzigingen", default=dict,
        help_text="Per veld de waarde ervoor en erna, als codes of datum en tijd; bij de notitie alleen dat hij veranderde.",
    )

    class Meta:
        verbose_name = "correctie van een registratie"
        verbose_name_plural = "correcties van registraties"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Correctie {self.at:%Y-%m-%d %H:%M} van {self.question_id}"


class JournalEntry(models.Model):
    """Counts that a desk write has not yet added to the dashboards' cells (ADR 0012; written by journal.py).

    A saved question touches about 75 cells; upserting them all made every save 10 ms slower. A save
    writes one row here inside its own transaction instead, and insight's `rollup.fold` adds these rows to
    the cells (before every dashboard read, and every few minutes from cron), so the figures stay exact.
    The table keeps its first name: insight owned the journal until the desk, its writer, took it over.
    """

    month = models.DateField("maand", help_text="Eerste dag van de maand van de vraag.")
    location_id = models.IntegerField("locatie", help_text="Id van de locatie waar de vraag gesteld werd.")
    codes = models.TextField("codes", help_text="De codes van de vraag in de volgorde van de rollupdimensies, gescheiden door tabs.")
    minutes = models.IntegerField("minuten", null=True, blank=True, help_text="Geregistreerde duur, leeg als die er niet is.")
    tally = models.BooleanField("geturfd", default=False, help_text="Of de vraag nog als turf staat.")
    weekday = models.PositiveSmallIntegerField("weekdag", help_text="0 maandag tot 6 zondag (lokale tijd).")
    hour = models.PositiveSmallIntegerField("uur", help_text="Uur van de dag (lokale tijd), 0 tot 23.")
    n = models.IntegerField("aantal", help_text="+1 voor een nieuwe of gewijzigde vraag, -1 voor wat verdween (of een veelvoud).")
    k = models.BigIntegerField(
        "sleutelsom", default=0,
        help_text="Som van de recordsleutels van deze vragen (met het teken van het aantal); bepaalt de ruis op de cijfers voor buiten de bibliotheek (ADR 0015).",
    )

    class Meta:
        db_table = "insight_pending"
        verbose_name = "wachtende rollupwijziging"
        verbose_name_plural = "wachtende rollupwijzigingen"


from .exchange.models import ImportJob  # noqa: E402, F401  (the CSV exchange's model; imported so Django finds it)
