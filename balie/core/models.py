"""National code lists (the central agreement), the audit log, and the append-only base for history rows."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyViolation(ValueError):
    """A history row was about to be rewritten or removed; history is only ever added to."""


def _refusal(model: type[models.Model], verb: str) -> str:
    return f"Deze historie wordt alleen aangevuld: {model._meta.verbose_name_plural} {verb} kan niet."


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses bulk update() and delete(): a history row, once written, stays as it was.

    Legitimate removal still works: when the parent (a referral, a signal, a user) is deleted, Django's deletion
    collector reaches these rows through the model's _base_manager, a plain Manager, not through this queryset.
    """

    def update(self, **kwargs: object) -> int:
        raise AppendOnlyViolation(_refusal(self.model, "wijzigen"))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyViolation(_refusal(self.model, "verwijderen"))


class AppendOnlyModel(models.Model):
    """Base for every append-only history: save() only inserts, delete() is refused, and so are bulk writes."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AppendOnlyViolation(_refusal(type(self), "wijzigen"))
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyViolation(_refusal(type(self), "verwijderen"))


class CodeList(models.TextChoices):
    VRAAGSOORT = "vraagsoort", _("Vraagsoort")
    INSTANTIE = "instantie", _("Instantie")
    ONDERWERP = "onderwerp", _("Onderwerp")
    DIGID_DETAIL = "digid_detail", _("DigiD-detail")
    BEHOEFTEPROFIEL = "behoefteprofiel", _("Behoefteprofiel")
    COMPLEXITEIT = "complexiteit", _("Complexiteit")
    ACHTERLIGGEND = "achterliggend", _("Achterliggende problematiek")
    UITKOMST = "uitkomst", _("Uitkomst")
    KANAAL = "kanaal", _("Kanaal")
    LEEFTIJDSGROEP = "leeftijdsgroep", _("Leeftijdsgroep")
    TAAL = "taal", _("Taal")


class Bestuurslaag(models.TextChoices):
    RIJK = "RIJK", _("Rijk")
    GEMEENTE = "GEMEENTE", _("Gemeente")
    PROVINCIE = "PROVINCIE", _("Provincie")
    WATERSCHAP = "WATERSCHAP", _("Waterschap")
    ZORG = "ZORG", _("Zorg")
    PRIVAAT = "PRIVAAT", _("Privaat")
    GEEN = "GEEN", _("Geen")


class CodeListVersion(models.Model):
    """One published (or draft) version of all national code lists together."""

    number = models.PositiveIntegerField(
        "versienummer", unique=True, help_text="Oplopend versienummer van de landelijke codelijsten."
    )
    description = models.CharField(
        "omschrijving", max_length=200, blank=True, help_text="Wat er in deze versie is veranderd."
    )
    published_at = models.DateTimeField(
        "gepubliceerd op",
        null=True,
        blank=True,
        help_text="Leeg zolang de versie een concept is; registraties gebruiken alleen gepubliceerde versies.",
    )
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True, help_text="Moment van aanmaken.")

    class Meta:
        verbose_name = "codelijstversie"
        verbose_name_plural = "codelijstversies"
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"versie {self.number}"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


class Code(models.Model):
    version = models.ForeignKey(
        CodeListVersion,
        on_delete=models.PROTECT,
        related_name="codes",
        verbose_name="versie",
        help_text="De codelijstversie waar deze code bij hoort.",
    )
    list = models.CharField(
        "lijst", max_length=20, choices=CodeList.choices, help_text="De codelijst waar deze code in staat."
    )
    code = models.CharField(
        "code", max_length=40, help_text="Stabiele code in hoofdletters, bijvoorbeeld DIGID of INLOGGEN."
    )
    label = models.CharField("omschrijving", max_length=120, help_text="Naam zoals medewerkers die zien.")
    label_en = models.CharField(
        "omschrijving (Engels)", max_length=120, blank=True, help_text="Engelse naam voor de Engelse interface."
    )
    explanation = models.CharField(
        "toelichting", max_length=255, blank=True, help_text="Korte uitleg wanneer je deze code kiest."
    )
    bestuurslaag = models.CharField(
        "bestuurslaag",
        max_length=12,
        choices=Bestuurslaag.choices,
        blank=True,
        help_text="Alleen bij instanties: het bestuursniveau van de organisatie.",
    )
    sort_order = models.PositiveSmallIntegerField("volgorde", default=0, help_text="Volgorde in keuzelijsten.")
    active = models.BooleanField(
        "actief", default=True, help_text="Inactieve codes blijven geldig voor oude registraties maar zijn niet meer te kiezen."
    )

    class Meta:
        verbose_name = "code"
        verbose_name_plural = "codes"
        ordering = ["list", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "list", "code"], name="code_unique_per_version")]

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"


class AuditEvent(AppendOnlyModel):
    """Append-only record of who did what; written only through balie.core.audit.log()."""

    uuid = models.UUIDField("uuid", default=uuid.uuid4, unique=True, editable=False, help_text="Kenmerk van de gebeurtenis.")
    timestamp = models.DateTimeField("tijdstip", auto_now_add=True, db_index=True, help_text="Moment van de gebeurtenis.")
    event = models.CharField("gebeurtenis", max_length=80, db_index=True, help_text="Naam in snake_case, bijvoorbeeld question_updated.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name="gebruiker",
        help_text="Wie de handeling deed; leeg bij systeemtaken.",
    )
    object_type = models.CharField("objecttype", max_length=60, blank=True, help_text="Soort object, bijvoorbeeld desk.question.")
    object_uuid = models.CharField("object-uuid", max_length=64, blank=True, db_index=True, help_text="Kenmerk van het object.")
    personal_data = models.BooleanField(
        "persoonsgegevens", default=False, help_text="Aan als bij deze handeling persoonsgegevens zijn ingezien of verwerkt."
    )
    extra = models.JSONField("details", default=dict, blank=True, help_text="Aanvullende gegevens, nooit persoonsgegevens.")

    class Meta:
        verbose_name = "auditgebeurtenis"
        verbose_name_plural = "auditlog"
        ordering = ["-timestamp"]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.event}"


class MailStatus(models.TextChoices):
    WAITING = "wachten", "Wacht op verzending"
    SENDING = "versturen", "Wordt verstuurd"
    SENT = "verstuurd", "Verstuurd"
    FAILED = "mislukt", "Niet verstuurd"


class OutgoingMail(models.Model):
    """One e-mail Balie has to send (core/outbox.py). The request only writes this row; a task sends it after the commit,
    with retries, so a mail outage never fails the request and a retried request never sends twice (unique key)."""

    key = models.CharField(
        "sleutel", max_length=160, unique=True,
        help_text="Waarvoor deze e-mail is, bijvoorbeeld verwijzing:12:melding; dezelfde sleutel wordt nooit twee keer verstuurd.",
    )
    to = models.JSONField("aan", default=list, help_text="De e-mailadressen van de ontvanger (een organisatie, geen bezoeker).")
    subject = models.CharField("onderwerp", max_length=255, help_text="Onderwerpregel van de e-mail (zonder persoonsgegevens).")
    sealed = models.TextField(
        "inhoud (versleuteld)", blank=True,
        help_text="Tekst en bijlagen, versleuteld met BALIE_PII_KEY (de tekst bevat een persoonlijke link). Gewist na verzending.",
    )
    status = models.CharField("status", max_length=10, choices=MailStatus.choices, default=MailStatus.WAITING,
                              help_text="Hoe ver de verzending is.")
    attempts = models.PositiveSmallIntegerField("pogingen", default=0, help_text="Hoe vaak Balie heeft geprobeerd de e-mail te versturen.")
    next_attempt_at = models.DateTimeField("volgende poging", default=timezone.now, help_text="Niet eerder dan dit moment wordt het opnieuw geprobeerd.")
    claimed_at = models.DateTimeField("bezig sinds", null=True, blank=True, help_text="Begin van de laatste verzendpoging.")
    last_error = models.CharField("laatste fout", max_length=300, blank=True, help_text="Foutmelding van de mailserver bij de laatste poging.")
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True, help_text="Moment waarop de e-mail klaargezet werd.")
    sent_at = models.DateTimeField("verstuurd op", null=True, blank=True, help_text="Moment waarop de mailserver de e-mail aannam.")
    audit_event = models.CharField("auditgebeurtenis", max_length=80, blank=True,
                                   help_text="Gebeurtenis die in het auditlog komt zodra de e-mail echt verstuurd is.")
    audit_object_type = models.CharField("objecttype", max_length=60, blank=True, help_text="Soort object van die gebeurtenis.")
    audit_object_uuid = models.CharField("object-uuid", max_length=64, blank=True, help_text="Kenmerk van het object van die gebeurtenis.")
    audit_extra = models.JSONField("details", default=dict, blank=True, help_text="Details voor het auditlog, nooit persoonsgegevens.")
    audit_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="gebruiker",
        help_text="Wie de e-mail liet versturen; leeg bij systeemtaken.",
    )

    class Meta:
        verbose_name = "uitgaande e-mail"
        verbose_name_plural = "uitgaande e-mails"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outgoingmail_due")]

    def __str__(self) -> str:
        return f"{self.key} ({self.get_status_display()})"
