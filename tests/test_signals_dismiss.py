"""'Geen signaal': a coordinator judges a detected rise harmless, with a reason; the same episode does not fire again."""

from __future__ import annotations

import datetime as dt

import pytest
from signal_data import FLAT, insert, question_rows  # tests/ is on sys.path (conftest.py lives there)
from test_signals import UNTIL, build_history

from balie.core.models import AuditEvent
from balie.network.models import Location
from balie.signals import services
from balie.signals.models import DismissReason, Signal, SignalStatusChange, Status

pytestmark = pytest.mark.django_db

BSN = "111222333"  # passes the 11-proef


@pytest.fixture
def detected(network):
    build_history(network, jump=True)
    services.run(UNTIL)
    return Signal.objects.get(scope_key="organisatie:BIB-RDAM", instantie="UWV", onderwerp="", kind="aantal")


def _weeks(first: dt.date, n: int) -> list[dt.date]:
    return [first + dt.timedelta(weeks=k) for k in range(n)]


def _add(weeks: list[dt.date], *, uwv: int) -> None:
    rdam = Location.objects.get(code="RDAM-CENTRAAL")
    gouda = Location.objects.get(code="GOUDA-CHOCOLADEFABRIEK")
    rows = []
    for week in weeks:
        rows += question_rows(rdam, FLAT, week) + question_rows(gouda, FLAT, week)
        if uwv:
            rows += question_rows(rdam, {"UWV": uwv}, week, note="Upload van documenten bij UWV lukt niet")
    insert(rows)


def test_it_marks_geen_signaal_with_reason_history_audit_and_redacted_text(detected, client_for):
    client = client_for("coordinator")
    page = client.get(f"/signalen/{detected.uuid}/").content.decode()
    assert 'id="geen-signaal"' in page and f"/signalen/{detected.uuid}/geen-signaal/" in page
    note = f"Hoort bij de jaarlijkse herbeoordeling; bezoeker met BSN {BSN} belde 06-12345678."
    response = client.post(f"/signalen/{detected.uuid}/geen-signaal/", {"reason": DismissReason.SEIZOEN, "note": note})
    assert response.status_code == 302
    detected.refresh_from_db()
    assert detected.status == Status.GEEN_SIGNAAL and not detected.is_open
    last = detected.history.order_by("-at", "-id").first()
    assert (last.from_status, last.to_status, last.reason) == (Status.NIEUW, Status.GEEN_SIGNAAL, DismissReason.SEIZOEN)
    assert BSN not in last.note and "12345678" not in last.note and "jaarlijkse herbeoordeling" in last.note
    assert last.by.username == "coordinator"
    event = AuditEvent.objects.filter(event="signal_status_changed", object_uuid=str(detected.uuid)).order_by("-id").first()
    assert event.extra["to_status"] == Status.GEEN_SIGNAAL and event.extra["reason"] == DismissReason.SEIZOEN
    shown = client.get(f"/signalen/{detected.uuid}/").content.decode()
    assert 'id="geen-signaal-reden"' in shown and str(DismissReason.SEIZOEN.label) in shown and BSN not in shown
    assert 'id="geen-signaal"' not in shown  # no second dismissal
    assert "Geen signaal" in client.get("/signalen/").content.decode()


REFUSED = [
    {},
    {"reason": "", "note": "seizoen"},
    {"reason": "onbekend", "note": "seizoen"},
    {"reason": DismissReason.ANDERS},
    {"reason": DismissReason.ANDERS, "note": "   "},
    {"reason": DismissReason.ANDERS, "note": "x" * (services.DISMISS_NOTE_MAX + 1)},
    {"reason": ["seizoen", "anders"], "note": "a" * 10_000},
]


def test_it_refuses_a_dismissal_without_a_valid_reason_and_saves_nothing(detected, client_for):
    client = client_for("coordinator")
    before = SignalStatusChange.objects.count()
    for data in REFUSED:  # one detected signal for all shapes: building its history is the slow part
        response = client.post(f"/signalen/{detected.uuid}/geen-signaal/", data)
        assert response.status_code == 422, data
        assert "error-text" in response.content.decode()
        detected.refresh_from_db()
        assert detected.status == Status.NIEUW and SignalStatusChange.objects.count() == before


def test_it_lets_only_who_manages_the_signal_dismiss_it(detected, client_for):
    data = {"reason": DismissReason.GEWONE_HULP, "note": "Gewone hulp bij een aanvraag."}
    for actor, status in (("gemeente", 404), ("landelijk", 404), ("medewerker", 403), ("medewerker-gouda", 403)):
        assert client_for(actor).post(f"/signalen/{detected.uuid}/geen-signaal/", data).status_code == status, actor
    detected.refresh_from_db()
    assert detected.status == Status.NIEUW


def test_it_cannot_dismiss_a_signal_that_was_already_reported(detected, users, client_for):
    from balie.partners.models import Partner

    recipient = Partner.objects.create(name="UWV", signal_email="signalen@uwv.example", signal_codes="|UWV|", receives_signals=True,
                                       receives_referrals=False)
    services.confirm(detected, by=users["coordinator"], description="Uploaden lukt niet.", impact="Geen uitkering.")
    services.send_report(detected, by=users["coordinator"], recipient=recipient, include_examples=False)
    client = client_for("coordinator")
    assert "kunt u als" in client.get(f"/signalen/{detected.uuid}/geen-signaal/").content.decode()
    response = client.post(f"/signalen/{detected.uuid}/geen-signaal/", {"reason": DismissReason.SEIZOEN, "note": "seizoen"})
    assert response.status_code == 302
    detected.refresh_from_db()
    assert detected.status == Status.GEMELD


def test_a_dismissed_episode_does_not_fire_again_but_a_later_one_does(detected, users):
    services.dismiss(detected, by=users["coordinator"], reason=DismissReason.EENMALIG, note="Actie van het UWV in de wijk.")
    # The rise goes on for two more weeks: found again every night, but it is the same episode.
    _add(_weeks(UNTIL + dt.timedelta(weeks=1), 2), uwv=25)
    for k in (0, 1, 2):
        services.run(UNTIL + dt.timedelta(weeks=k))
    rdam_uwv = Signal.objects.filter(scope_key="organisatie:BIB-RDAM", instantie="UWV", onderwerp="", kind="aantal")
    assert rdam_uwv.count() == 1
    detected.refresh_from_db()
    assert detected.status == Status.GEEN_SIGNAAL and detected.end_week == UNTIL + dt.timedelta(weeks=2)
    assert list(detected.history.values_list("to_status", flat=True)) == [Status.NIEUW, Status.GEEN_SIGNAAL]
    # Six quiet weeks, then a new rise: a new episode and a new signal; the judged one keeps its judgement.
    _add(_weeks(UNTIL + dt.timedelta(weeks=3), 6), uwv=0)
    _add(_weeks(UNTIL + dt.timedelta(weeks=9), 2), uwv=30)
    services.run(UNTIL + dt.timedelta(weeks=10))
    assert rdam_uwv.count() == 2
    newest = rdam_uwv.order_by("-created_at", "-id").first()
    assert newest.pk != detected.pk and newest.status == Status.NIEUW
    detected.refresh_from_db()
    assert detected.status == Status.GEEN_SIGNAAL
