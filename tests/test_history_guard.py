"""Append-only history: every history model refuses edits and deletes, but still goes when its parent goes.

The guard lives once in balie.core.models.AppendOnlyModel; the status machine once in balie.core.workflow.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from balie.announcements import services as announcement_services
from balie.announcements.models import AnnouncementStatusChange
from balie.core import audit, workflow
from balie.core.audit import Event
from balie.core.models import AppendOnlyModel, AppendOnlyViolation, AuditEvent
from balie.demo.partners import build_social_map
from balie.desk import services as desk_services
from balie.desk.models import QuestionCorrection
from balie.federation.models import Call
from balie.network.models import Location, Organisation
from balie.referrals import services as referral_services
from balie.referrals.models import Kind, ReferralStatusChange
from balie.signals.models import ScopeKind, Signal, SignalResponse, SignalStatusChange, Status
from balie.signals.workflow import record_creation

HISTORY_MODELS = [ReferralStatusChange, SignalStatusChange, SignalResponse, AuditEvent, QuestionCorrection,
                  AnnouncementStatusChange, Call]


def _question(user):
    visit, _ = desk_services.visit_register(user=user, location=Location.objects.get(code="RDAM-CENTRAAL"), questions=[
        {"instantie": "BELASTINGDIENST", "onderwerp": "BETALEN", "uitkomst": "DOORVERWEZEN"}])
    return visit.questions.get()


def _signal() -> Signal:
    monday = dt.date(2026, 11, 2)
    signal = Signal.objects.create(
        scope_kind=ScopeKind.ORGANISATIE, scope_key="organisatie:BIB-RDAM", organisation=Organisation.objects.get(code="BIB-RDAM"),
        instantie="UWV", start_week=monday, end_week=monday, observed=20, expected=5.0, effect=3.0, q_value=0.01,
    )
    record_creation(signal)
    return signal


@pytest.fixture
def rows(users):
    """One row of every history model, with the parent it belongs to."""
    partners = build_social_map()
    partner = partners["SchuldHulpMaatje Rotterdam"]
    question = _question(users["medewerker"])
    referral, _ = referral_services.referral_create(
        user=users["medewerker"], question=question, partner=partner, service=partner.services.first(), kind=Kind.INFORMATIE,
    )
    signal = _signal()
    response = SignalResponse.objects.create(signal=signal, text="Wij kijken ernaar.")
    announcement, _ = announcement_services.announcement_create(
        user=users["partner"], location=Location.objects.get(code="RDAM-CENTRAAL"), expected_on=timezone.localdate(),
        instantie="BELASTINGDIENST", onderwerp="BETALEN", description="Wil een betalingsregeling aanvragen.")
    return {
        ReferralStatusChange: (referral.history.get(), question),
        SignalStatusChange: (signal.history.get(), signal),
        SignalResponse: (response, signal),
        AuditEvent: (AuditEvent.objects.filter(event="visit_registered").first(), None),
        QuestionCorrection: (QuestionCorrection.objects.create(question=question, at=timezone.now(), changes={}), question),
        AnnouncementStatusChange: (announcement.history.first(), announcement),
        Call: (Call.objects.create(direction="in", peer="BIB-NOORD", method="GET", path="/api/federatie/v1/knooppunt", status=200), None),
    }


def test_every_history_model_is_append_only():
    # A new *StatusChange / *History / *Response model must join the guard (and this test's list).
    guarded = {m for m in apps.get_models() if issubclass(m, AppendOnlyModel)}
    assert guarded == set(HISTORY_MODELS)
    named = {m for m in apps.get_models() if m.__module__.startswith("balie.")
             and m.__name__.endswith(("StatusChange", "History", "Change")) or m.__name__ == "SignalResponse"}
    assert named <= guarded


@pytest.mark.parametrize("model", HISTORY_MODELS, ids=lambda m: m.__name__)
def test_it_refuses_to_rewrite_or_remove_a_history_row(rows, model):
    row, _ = rows[model]
    before = model.objects.count()
    with pytest.raises(AppendOnlyViolation):
        row.save()  # an edit of an existing row
    with pytest.raises(AppendOnlyViolation):
        model.objects.filter(pk=row.pk).update(pk=row.pk)
    with pytest.raises(AppendOnlyViolation):
        model.objects.filter(pk=row.pk).delete()
    with pytest.raises(AppendOnlyViolation):
        model.objects.all().delete()
    with pytest.raises(AppendOnlyViolation):
        row.delete()
    assert model.objects.count() == before
    assert isinstance(AppendOnlyViolation("x"), ValueError)  # callers that caught ValueError still do


def test_it_refuses_bulk_writes_through_the_parent(rows):
    row, question = rows[ReferralStatusChange]
    with pytest.raises(AppendOnlyViolation):
        row.referral.history.update(note="herschreven")
    with pytest.raises(AppendOnlyViolation):
        row.referral.history.all().delete()


def test_the_parent_can_still_go_and_takes_its_history_with_it(rows, users):
    # Undoing a registration deletes its referral by cascade; the guard must not block that.
    row, question = rows[ReferralStatusChange]
    desk_services.question_delete(user=users["medewerker"], question=question)
    assert not ReferralStatusChange.objects.filter(pk=row.pk).exists()
    # A signal removed (for example by a test or a data fix) takes its history and responses along.
    status_row, signal = rows[SignalStatusChange]
    response, _ = rows[SignalResponse]
    Signal.objects.filter(pk=signal.pk).delete()
    assert not SignalStatusChange.objects.filter(pk=status_row.pk).exists()
    assert not SignalResponse.objects.filter(pk=response.pk).exists()


def test_removing_a_user_keeps_the_audit_log_and_only_forgets_who(rows):
    event, _ = rows[AuditEvent]
    get_user_model().objects.filter(pk=event.user_id).delete()
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.user is None and event.event == "visit_registered"


def test_one_transition_not_allowed_for_both_workflows():
    from balie.referrals import services as r
    from balie.signals import workflow as s

    assert r.TransitionNotAllowed is s.TransitionNotAllowed is workflow.TransitionNotAllowed


def test_the_shared_transition_appends_history_and_audits(rows, users):
    _, signal = rows[SignalStatusChange]
    change = workflow.transition(signal_services_machine(), signal, Status.BEVESTIGD, by=users["coordinator"], history={"note": "ok"})
    assert (change.from_status, change.to_status, change.by, signal.status) == (Status.NIEUW, Status.BEVESTIGD, users["coordinator"], Status.BEVESTIGD)
    assert Signal.objects.get(pk=signal.pk).status == Status.BEVESTIGD
    assert AuditEvent.objects.filter(event=Event.SIGNAL_STATUS_CHANGED, object_uuid=str(signal.uuid)).count() == 1
    with pytest.raises(workflow.TransitionNotAllowed, match="Van 'Bevestigd' naar 'Nieuw' kan niet"):
        workflow.transition(signal_services_machine(), signal, Status.NIEUW)
    assert signal.history.count() == 2


def signal_services_machine() -> workflow.Machine:
    from balie.signals.workflow import MACHINE

    return MACHINE


def test_audit_log_takes_the_personal_data_tag_from_the_catalogue(users):
    record = audit.log(Event.REFERRAL_CONTACT_READ, user=users["medewerker"], object_type="x", object_uuid="1")
    assert record.personal_data is True
    assert audit.log("question_updated").personal_data is False
