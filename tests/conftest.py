"""Shared fixtures: the demo network and its users (owner, colleague, outsider, lower roles)."""

from __future__ import annotations

import time

import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Cached values (e.g. the desk's favourite chips) must not leak from one test's database into the next, nor
    # rate-limit counts (the "ratelimit" cache) from one test's requests into the next.
    from django.core.cache import caches

    def clear() -> None:
        for cache in caches.all():
            cache.clear()
        # The per-process caches of values read from the database (a model trained on one test's notes, another
        # test's locations or code labels) must not answer in the next test either: with two test processes the
        # order of tests differs from run to run.
        from balie.core import codelists
        from balie.core.memo import ProcessMemo

        ProcessMemo.forget_all()
        codelists.clear_cache()  # its lru caches too

    clear()
    yield
    clear()


@pytest.fixture(autouse=True)
def _dutch_at_the_start():
    # Django's LocaleMiddleware leaves the browser's language active in the thread after a request (our own middleware
    # restores what it changes), so each test starts from the default language.
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    # Real hashing costs ~0.3 s per user; tests do not test password hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.BALIE_PII_WARMUP = False
    # Two-factor authentication is on by default (production); tests sign in with a password unless they turn it on
    # (tests/test_twofactor.py). The setting is read at every request, so a test may switch it either way.
    settings.BALIE_REQUIRE_2FA = False


@pytest.fixture
def network(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from balie.demo.network import build_network
    from balie.network.models import Gemeente
    from balie.network.reference import ensure_reference_data

    # A transactional test (pytest-django runs them last) flushes the tables, including what the data migrations
    # loaded; the next one then starts without municipalities or code lists.
    if not Gemeente.objects.exists():
        ensure_reference_data()
    return build_network()


@pytest.fixture
def users(network):
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.all()}


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_for(users):
    """client_for("medewerker") -> a logged-in Django test client."""
    return lambda username: _client_for(users[username])


@pytest.fixture(autouse=True)
def _worker_keeps_the_test_connection(monkeypatch):
    # Tests run the task worker in-process (`run_worker --once`), inside the test's transaction. Between tasks the worker
    # closes "old" connections; on PostgreSQL that would close the test's own connection (SQLite's in-memory test
    # database ignores close), so here it keeps it.
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@pytest.fixture
def still_clock(monkeypatch) -> dict[str, float]:
    """A clock that stands still unless the test moves it (`later`), for tests that count requests against a rate
    limit. django-ratelimit aligns its windows to the clock (with an offset per key), so on a running clock a window
    can turn between two requests of a test and reset the count by chance: CI once saw a daily window turn inside a
    test. django-ratelimit and the cache both read time.time()."""
    now = {"seconds": time.time()}
    monkeypatch.setattr(time, "time", lambda: now["seconds"])
    return now


@pytest.fixture
def later(still_clock):
    """Move the still clock forward."""

    def advance(seconds: float) -> None:
        still_clock["seconds"] += seconds

    return advance


@pytest.fixture
def clock_from(monkeypatch):
    """clock_from(day or moment): Django's clock (timezone.now, so localtime and localdate too) runs on from that moment,
    a day from its noon (Europe/Amsterdam). For tests that fix a date or period once (at collection, in a fixture) and
    let Balie compare it with its own "today" later: on the real clock a midnight, month end or year end can fall in
    between, and CI runs at any hour. Balie reads the date from timezone (never date.today()) so that this reaches it;
    model defaults that hold timezone.now itself (default=timezone.now) keep the real clock."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.utils import timezone

    real = timezone.now

    def start(moment: dt.date | dt.datetime) -> dt.datetime:
        if not isinstance(moment, dt.datetime):
            moment = dt.datetime.combine(moment, dt.time(12), ZoneInfo(settings.TIME_ZONE))
        began = real()
        monkeypatch.setattr(timezone, "now", lambda: moment + (real() - began))
        return moment

    return start
