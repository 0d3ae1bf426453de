"""The demo shows detected signals without anyone running the nightly job (review 2026-12, hands-on by role, item 6)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from balie.demo.signals import MIN_REGISTRATIONS
from balie.desk.models import Question
from balie.signals.models import Kind, Signal, Status

pytestmark = pytest.mark.django_db


def test_load_demo_leaves_detected_signals_for_the_coordinator(client_for):
    call_command("load_demo", registrations=MIN_REGISTRATIONS, years=2, seed=3, quiet=True)
    # The recent problem is part of the registrations asked for, not on top of them.
    assert Question.objects.count() == MIN_REGISTRATIONS
    found = Signal.objects.filter(kind=Kind.AANTAL, instantie="UWV", status=Status.NIEUW)
    assert found.filter(scope_key="organisatie:BIB-RDAM").exists(), list(Signal.objects.values_list("scope_key", "instantie", "onderwerp"))
    page = client_for("coordinator").get("/signalen/").content.decode()
    assert "UWV" in page and "Nog geen signalen" not in page
    # Loading again (make run with --if-empty) does not run a second detection.
    before = Signal.objects.count()
    call_command("load_demo", registrations=MIN_REGISTRATIONS, years=2, seed=3, quiet=True, if_empty=True)
    assert Signal.objects.count() == before
