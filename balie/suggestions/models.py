"""The trained suggestion model per organisation. Notes themselves stay in the desk's questions."""

from __future__ import annotations

from django.db import models


class SuggestionModel(models.Model):
    """The trained suggestion model of one organisation, as numpy arrays (npz, never a pickle)."""

    organisation = models.OneToOneField(
        "network.Organisation", on_delete=models.CASCADE, related_name="suggestion_model", verbose_name="organisatie",
        help_text="Elke organisatie leert alleen van haar eigen notities.",
    )
    blob = models.BinaryField("model", blank=True, default=b"", help_text="Woordenlijst en gewichten (numpy npz); leeg als nog niet getraind.")
    n_samples = models.PositiveIntegerField("aantal notities", default=0, help_text="Met hoeveel notities het model is getraind.")
    features_version = models.PositiveSmallIntegerField(
        "kenmerkversie", default=0, help_text="Versie van de tekstkenmerken; bij een andere versie wordt opnieuw getraind."
    )
    trained_at = models.DateTimeField("getraind op", null=True, blank=True, help_text="Wanneer het model voor het laatst is getraind.")
    train_seconds = models.FloatField("trainingsduur (s)", null=True, blank=True, help_text="Hoe lang de laatste training duurde.")
    requested_at = models.DateTimeField(
        "opnieuw trainen gevraagd op", null=True, blank=True,
        help_text="Wanneer de achtergrondtaak voor het laatst is gevraagd; voorkomt dat die vaker dan nodig start.",
    )

    class Meta:
        verbose_name = "suggestiemodel"
        verbose_name_plural = "suggestiemodellen"
        db_table = "toolkit_suggestionmodel"  # moved from the toolkit app; the table (and its rows) stayed

    def __str__(self) -> str:
        return f"Suggestiemodel {self.organisation_id} ({self.n_samples} notities)"
