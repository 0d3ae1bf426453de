"""An import of a CSV file by a coordinator, run by the task worker; the status page polls this row."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _l

from balie.core.access import OrganisationQuerySet


class ImportStatus(models.TextChoices):
    WAITING = "wachten", _l("Wacht op verwerking")
    CHECKING = "controleren", _l("Bezig met controleren")
    SAVING = "opslaan", _l("Bezig met opslaan")
    DONE = "klaar", _l("Klaar")
    REJECTED = "afgekeurd", _l("Afgekeurd: het bestand bevat fouten")
    CHOOSE = "keuze", _l("Wacht op uw keuze: een deel staat al in Balie")
    FAILED = "mislukt", _l("Mislukt door een storing")


# Reasons a job ends without a row error, stored in Dutch in `errors` (also by older versions) and shown translated.
FAILED_MESSAGE = gettext_noop("Er ging iets mis bij het verwerken. Er is niets opgeslagen. Probeer het later opnieuw.")
INTERRUPTED_MESSAGE = gettext_noop("De import is onderbroken; probeer het opnieuw. Er is niets opgeslagen.")
STOPPED_MESSAGE = gettext_noop("U hebt de import gestopt. Er is niets opgeslagen.")
JOB_MESSAGES = (FAILED_MESSAGE, INTERRUPTED_MESSAGE, STOPPED_MESSAGE)

FINISHED = {ImportStatus.DONE, ImportStatus.REJECTED, ImportStatus.FAILED}
# After this many minutes without progress the status page says the import seems stuck (it is stopped at the timeout).
STALLED_AFTER_MINUTES = 3


class ImportJob(models.Model):
    objects = OrganisationQuerySet.as_manager()

    uuid = models.UUIDField("uuid", default=uuid.uuid4, unique=True, editable=False, help_text="Vast kenmerk van de import.")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="import_jobs", verbose_name="organisatie",
        help_text="De organisatie waarvoor geïmporteerd wordt; regels voor een andere organisatie worden afgekeurd.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="gestart door", help_text="De coördinator die het bestand uploadde.",
    )
    file_name = models.CharField("bestandsnaam", max_length=255, blank=True, help_text="Naam van het geüploade bestand.")
    content = models.TextField(
        "inhoud (versleuteld)", blank=True,
        help_text="Het bestand, versleuteld met BALIE_PII_KEY (notities kunnen persoonsgegevens bevatten), zodat de verwerker het "
                  "kan lezen. Wordt gewist zodra de import klaar, afgekeurd, mislukt of onderbroken is.",
    )
    status = models.CharField(
        "status", max_length=12, choices=ImportStatus.choices, default=ImportStatus.WAITING, help_text="Hoe ver de import is."
    )
    total_rows = models.PositiveIntegerField("aantal regels", default=0, help_text="Aantal registraties in het bestand.")
    processed_rows = models.PositiveIntegerField("gecontroleerd", default=0, help_text="Aantal regels dat al is gecontroleerd.")
    errors = models.JSONField(
        "fouten", default=list, blank=True,
        help_text="Gevonden fouten als lijst van {regel, kolom, reden}; alleen de eerste 1000 worden bewaard.",
    )
    error_count = models.PositiveIntegerField("aantal fouten", default=0, help_text="Alle gevonden fouten, ook boven de 1000.")
    created_count = models.PositiveIntegerField("geïmporteerd", default=0, help_text="Aantal opgeslagen vragen.")
    created_at = models.DateTimeField("gestart op", auto_now_add=True, help_text="Moment van uploaden.")
    updated_at = models.DateTimeField(
        "laatste voortgang", default=timezone.now,
        help_text="Moment van de laatste statuswijziging of voortgang; staat dit lang stil, dan wordt de import afgebroken.",
    )
    attempt = models.PositiveSmallIntegerField(
        "poging", default=1, help_text="Hoeveelste poging dit is; een onderbroken import wordt een paar keer opnieuw gestart.",
    )
    on_duplicates = models.CharField(
        "bij dubbele regels", max_length=10, blank=True, choices=[("overslaan", "Overslaan"), ("vervangen", "Periode vervangen")],
        help_text="Wat de coördinator koos voor regels die al in Balie staan. Leeg: nog niet gekozen (de import stopt en vraagt het).",
    )
    duplicates = models.JSONField(
        "dubbele regels", default=dict, blank=True,
        help_text="Hoeveel regels al in Balie staan, de periode van het bestand, en hoeveel registraties vervangen zouden worden.",
    )
    finished_at = models.DateTimeField("klaar op", null=True, blank=True, help_text="Moment waarop de import klaar of afgekeurd was.")

    class Meta:
        verbose_name = "importopdracht"
        verbose_name_plural = "importopdrachten"
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"Import {self.file_name or self.uuid} ({self.get_status_display()})"

    @property
    def shown_errors(self) -> list[dict]:
        """The stored errors for the page: a job's own reason (JOB_MESSAGES) in the reader's language. Row errors are
        written in the language of the coordinator who started the import (tasks.run_import)."""
        return [{**e, "reden": gettext(e["reden"])} if e.get("reden") in JOB_MESSAGES else e for e in self.errors]

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def stalled_minutes(self) -> int:
        """Minutes without progress while not finished (0 when moving or finished): the page then says so."""
        if self.finished:
            return 0
        minutes = int((timezone.now() - self.updated_at).total_seconds() // 60)
        return minutes if minutes >= STALLED_AFTER_MINUTES else 0

    @property
    def percent(self) -> int:
        if self.status in (ImportStatus.SAVING, ImportStatus.DONE):
            return 100
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
