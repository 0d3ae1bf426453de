"""Courses and groups: turning an incidental question into structural contact (ADR 0009)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from balie.core.access import OrganisationQuerySet
from balie.core.idempotency import fingerprint_field


class CourseKind(models.TextChoices):
    DIGISTERKER = "digisterker", "Digisterker"
    KLIK_EN_TIK = "klik_en_tik", "Klik & Tik"
    TAALCAFE = "taalcafe", "Taalcafé"
    VEILIG_ONLINE = "veilig_online", "Veilig online"
    LOKAAL = "lokaal", _("Eigen cursus of groep")


class LanguageLevel(models.TextChoices):
    GEEN = "geen", _("Geen eisen")
    A1 = "A1", _("A1 (beginner)")
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", _("B2 of hoger")


class Course(models.Model):
    objects = OrganisationQuerySet.as_manager()

    uuid = models.UUIDField("uuid", default=uuid.uuid4, unique=True, editable=False, help_text="Vast kenmerk.")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="courses", verbose_name="bibliotheekorganisatie",
        help_text="De bibliotheek die de cursus organiseert of aanbiedt.",
    )
    kind = models.CharField(_("soort"), max_length=15, choices=CourseKind.choices, help_text=_("Landelijk programma of een eigen cursus of groep."))
    title = models.CharField(_("titel"), max_length=150, help_text=_("Bijvoorbeeld Digisterker: werken met de digitale overheid."))
    description = models.TextField(_("omschrijving"), blank=True, help_text=_("Wat deelnemers leren, in gewone woorden."))
    location = models.ForeignKey(
        "network.Location", null=True, blank=True, on_delete=models.SET_NULL, related_name="courses", verbose_name=_("locatie"),
        help_text=_("Waar de cursus is."),
    )
    start_date = models.DateField(_("eerste keer"), help_text=_("Datum van de eerste bijeenkomst."))
    end_date = models.DateField(_("laatste keer"), help_text=_("Datum van de laatste bijeenkomst."))
    schedule = models.CharField(_("wanneer"), max_length=150, blank=True, help_text=_("Bijvoorbeeld 4 dinsdagochtenden, 10.00-12.00 uur."))
    capacity = models.PositiveSmallIntegerField(_("plaatsen"), help_text=_("Hoeveel deelnemers er kunnen meedoen; daarna komt men op de wachtlijst."))
    language_level = models.CharField(_("taalniveau"), max_length=5, choices=LanguageLevel.choices, default=LanguageLevel.GEEN, help_text=_("Benodigd niveau Nederlands."))
    cost = models.CharField(_("kosten"), max_length=100, default="Gratis", help_text=_("Bijvoorbeeld Gratis of € 10 voor het boek."))
    active = models.BooleanField(_("actief"), default=True, help_text=_("Inactieve cursussen verschijnen niet meer bij doorverwijzen."))

    class Meta:
        verbose_name = "cursus"
        verbose_name_plural = "cursussen"
        ordering = ["start_date", "title"]

    def __str__(self) -> str:
        return self.title


class CourseReferral(models.Model):
    """An anonymous pointer to a course: the visitor got the information, nothing about them is kept."""

    objects = OrganisationQuerySet.as_manager()

    uuid = models.UUIDField("uuid", default=uuid.uuid4, unique=True, editable=False, help_text="Vast kenmerk.")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="referrals", verbose_name="cursus", help_text="De cursus.")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="course_referrals", verbose_name="bibliotheekorganisatie",
        help_text="De bibliotheek die doorverwees.",
    )
    question = models.ForeignKey(
        "desk.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="course_referrals", verbose_name="vraag",
        help_text="De vraag waaruit de verwijzing voortkwam.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="door",
        help_text="De medewerker.",
    )
    created_at = models.DateTimeField("op", auto_now_add=True, help_text="Moment van doorverwijzen.")

    class Meta:
        verbose_name = "verwijzing naar een cursus"
        verbose_name_plural = "verwijzingen naar cursussen"
        ordering = ["-created_at"]


class EnrolmentStatus(models.TextChoices):
    INGESCHREVEN = "ingeschreven", _("Ingeschreven")
    WACHTLIJST = "wachtlijst", _("Op de wachtlijst")
    AFGEMELD = "afgemeld", _("Afgemeld")


class Enrolment(models.Model):
    """An enrolment with consent: name and phone, encrypted, deleted after the course's retention ends."""

    objects = OrganisationQuerySet.as_manager()

    uuid = models.UUIDField("uuid", default=uuid.uuid4, unique=True, editable=False, help_text="Vast kenmerk.")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments", verbose_name="cursus", help_text="De cursus.")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="course_enrolments", verbose_name="bibliotheekorganisatie",
        help_text="De bibliotheek die inschreef.",
    )
    question = models.ForeignKey(
        "desk.Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="course_enrolments", verbose_name="vraag",
        help_text="De vraag waaruit de inschrijving voortkwam.",
    )
    status = models.CharField("status", max_length=15, choices=EnrolmentStatus.choices, help_text="Ingeschreven, wachtlijst of afgemeld.")
    attended = models.BooleanField("aanwezig", null=True, blank=True, help_text="Door de organisator ingevuld: was de deelnemer er?")
    consent_text = models.TextField("toestemmingstekst", help_text="De tekst die de bezoeker te zien kreeg.")
    consent_at = models.DateTimeField("toestemming gegeven op", help_text="Moment van toestemming.")
    contact_ciphertext = models.TextField("contactgegevens (versleuteld)", blank=True, help_text="Naam en telefoon, versleuteld met BALIE_PII_KEY.")
    personal_data_deleted_at = models.DateTimeField("persoonsgegevens gewist op", null=True, blank=True, help_text="Wanneer naam en telefoon zijn gewist.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="door",
        help_text="De medewerker die inschreef.",
    )
    created_at = models.DateTimeField("op", auto_now_add=True, help_text="Moment van inschrijven; bepaalt de volgorde op de wachtlijst.")
    submission_key = models.CharField("inzendsleutel", max_length=80, null=True, blank=True, unique=True, help_text="Voorkomt dubbele inschrijvingen.")
    request_fingerprint = fingerprint_field()

    class Meta:
        verbose_name = "inschrijving"
        verbose_name_plural = "inschrijvingen"
        ordering = ["created_at", "id"]
