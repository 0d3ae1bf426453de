"""Consent and encrypted contact data, once in balie.core.consent, for referrals and courses alike."""

from __future__ import annotations

import pytest

from balie.core import consent
from balie.core.audit import Event
from balie.core.models import AuditEvent
from balie.courses.models import Course
from balie.courses.services import consent_text as course_text
from balie.referrals.services import consent_text as referral_text


def test_the_consent_texts_are_word_for_word_what_visitors_saw_before(settings):
    settings.BALIE_REFERRAL_RETENTION_DAYS = 90
    # Stored with each referral and enrolment as shown; changing the wording is a decision, not a refactor.
    assert referral_text("SchuldHulpMaatje") == (
        "U geeft de bibliotheek toestemming om uw naam en uw telefoonnummer of e-mailadres door te geven aan SchuldHulpMaatje. "
        "SchuldHulpMaatje gebruikt dit alleen om contact met u op te nemen over uw vraag. "
        "Alleen de bibliotheek en SchuldHulpMaatje kunnen deze gegevens zien. "
        "Wij wissen ze vanzelf 90 dagen nadat de verwijzing is afgerond. "
        "U kunt uw toestemming altijd intrekken bij de bibliotheek; dan wissen wij ze meteen."
    )
    assert course_text(Course(title="Klik & Tik")) == (
        "U geeft de bibliotheek toestemming om uw naam en telefoonnummer te bewaren voor de cursus Klik & Tik. "
        "De organisator gebruikt ze alleen om u te bellen over de cursus (bijvoorbeeld als er een plek vrijkomt of een les niet doorgaat). "
        "Alleen medewerkers van de bibliotheek kunnen ze zien. "
        "Wij wissen ze vanzelf 90 dagen na de laatste les. "
        "U kunt uw toestemming altijd intrekken; dan wissen wij ze meteen."
    )


def test_contact_data_is_only_read_or_erased_under_a_personal_data_event(users):
    from balie.referrals.models import Referral

    referral = Referral(contact_ciphertext=consent.seal({"naam": "Jan"}))
    assert "Jan" not in referral.contact_ciphertext
    with pytest.raises(ValueError, match="persoonsgegevens"):
        consent.contact_read(referral, event=Event.REFERRAL_STATUS_CHANGED, user=users["medewerker"])
    with pytest.raises(ValueError, match="persoonsgegevens"):
        consent.contact_erase(referral, event=Event.VISIT_REGISTERED, reason="test")
    assert not AuditEvent.objects.exists()
