"""The access matrix: every URL pattern of the project, for every kind of user, against one table.

The patterns come from the URLconf itself (get_resolver(), through every include), so a new view cannot be
forgotten: it fails test_it_has_a_row_for_every_url_pattern until tests/access_table.py says who may open it.
The expected answers, and the list of rows that are known to be wrong today, live in tests/access_table.py;
the objects behind the ids in tests/access_world.py. Requests are plain GETs, plus an empty POST on every page
(never a 5xx; on POST-only pages the exact answer is in the table).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from access_table import (  # tests/ is on sys.path (conftest.py lives there)
    ACTORS,
    ADMIN_OK,
    ADMIN_PREFIX,
    ADMIN_RULES,
    ANON,
    CO,
    COL,
    EXPECTED,
    KNOWN_WRONG,
    KWARGS,
    LIBRARY_STAFF,
    MW,
    OTHER,
    OTHER_POST,
    OUT,
    POST_EXPECTED,
    PUBLIC_OBJECTS,
    other_row,
)
from access_walk import Pattern, all_patterns, has_other_side, is_admin, path_for
from access_world import rolled_back_world
from django.db import transaction
from django.test import Client
from django.urls import reverse

PATTERNS = all_patterns()
NO_5XX = "no-5xx"  # an empty POST on a page with forms: any answer below 500


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the whole module inside one transaction, rolled back at the end; each test rolls back its own."""
    # Signed-cookie sessions: ~3,000 requests need no session row each (the pages do not care where a session lives).
    with rolled_back_world(django_db_blocker) as built:
        yield built


def _row(method: str, pattern: Pattern, side: str, expected: dict[str, Any]) -> Any:
    return pytest.param(method, pattern, side, expected, id=f"{method} {pattern.key} {side}")


def _get_rows() -> list[Any]:
    rows = []
    for pattern in PATTERNS:
        own = EXPECTED.get(pattern.key, ADMIN_RULES if is_admin(pattern) else None)
        if own is None:
            continue  # test_it_has_a_row_for_every_url_pattern names it
        rows.append(_row("GET", pattern, "own", own))
        if not is_admin(pattern) and has_other_side(pattern):
            rows.append(_row("GET", pattern, "other", other_row(own, OTHER.get(pattern.key, {}))))
    return rows


def _post_rows() -> list[Any]:
    rows = []
    for pattern in PATTERNS:
        if is_admin(pattern) or pattern.key not in EXPECTED:
            continue
        own = POST_EXPECTED.get(pattern.key, dict.fromkeys(ACTORS, NO_5XX))
        rows.append(_row("POST", pattern, "own", own))
        if has_other_side(pattern):
            if pattern.key in POST_EXPECTED:
                other = other_row(own, OTHER_POST.get(pattern.key, {}))
            else:
                other = dict.fromkeys(LIBRARY_STAFF, NO_5XX)
            rows.append(_row("POST", pattern, "other", other))
    return rows


@pytest.fixture(scope="module")
def cookies(world, django_db_blocker):
    """One login per actor for the whole module (the session rows live in the module's transaction)."""
    jars = {ANON: None}
    with django_db_blocker.unblock():
        for actor, user in world.users.items():
            client = Client()
            client.force_login(user)
            jars[actor] = client.cookies
    return jars


def _client(cookies: dict[str, Any], actor: str) -> Client:
    client = Client(raise_request_exception=False)  # a crash must show as its 500, for every actor of the row
    if cookies[actor] is not None:
        client.cookies = copy.deepcopy(cookies[actor])  # a view may rotate or flush the session: never share the jar
    return client


def _problem(method: str, path: str, actor: str, expected: Any, response: Any) -> str | None:
    status = response.status_code
    if expected in (ADMIN_OK, NO_5XX):
        return None if status < 500 else f"{actor}: {status}, a server error"
    if status != expected:
        return f"{actor}: expected {expected}, got {status}"
    # A 302 for an anonymous visitor must be the way to the login page, not into the page.
    to_login = response.get("Location", "").startswith(reverse("login"))
    if actor == ANON and status == 302 and method == "GET" and not is_admin_path(path) and not to_login:
        return f"{actor}: redirects to {response['Location']}, not to the login page"
    return None


def is_admin_path(path: str) -> bool:
    return path.startswith("/" + ADMIN_PREFIX)


def _walk_row(cookies: dict[str, Any], world: Any, method: str, pattern: Pattern, side: str, expected: dict[str, Any]) -> None:
    """Request the row for every actor; fail on any unexpected answer, xfail on the known wrong ones only."""
    path = path_for(pattern, world, side)
    wrong, known, fixed = [], [], []
    for actor, status in expected.items():
        client = _client(cookies, actor)
        savepoint = transaction.savepoint()  # a POST of one actor (a delete) must not change the next actor's answer
        try:
            response = client.get(path) if method == "GET" else client.post(path)
        finally:
            transaction.savepoint_rollback(savepoint)
        problem = _problem(method, path, actor, status, response)
        key = (method, pattern.key, side, actor)
        if key in KNOWN_WRONG:
            (known if problem else fixed).append(f"{problem or actor} ({KNOWN_WRONG[key]})")
        elif problem:
            wrong.append(problem)
    report = ([f"unexpected (see tests/access_table.py): {w}" for w in wrong]
              + [f"fixed, remove from KNOWN_WRONG: {f}" for f in fixed])
    assert not report, f"{method} {path} ({pattern.key} [{side}]):\n  " + "\n  ".join(report)
    if known:
        pytest.xfail("known wrong: " + "; ".join(known))


@pytest.mark.parametrize(("method", "pattern", "side", "expected"), _get_rows())
def test_it_answers_every_get_as_the_table_says(cookies, world, db, method, pattern, side, expected):
    _walk_row(cookies, world, method, pattern, side, expected)


@pytest.mark.parametrize(("method", "pattern", "side", "expected"), _post_rows())
def test_it_answers_an_empty_post_without_a_server_error(cookies, world, db, method, pattern, side, expected):
    _walk_row(cookies, world, method, pattern, side, expected)


# --- the table itself ------------------------------------------------------------------------------------------------
def test_it_has_a_row_for_every_url_pattern():
    missing = [f"  {p.key:40} /{p.route}" for p in PATTERNS if not is_admin(p) and p.key not in EXPECTED]
    assert not missing, (
        f"{len(missing)} URL pattern(s) have no row in tests/access_table.py EXPECTED (add one, and KWARGS if the "
        "route takes arguments):\n" + "\n".join(missing)
    )


def test_it_fills_every_url_argument_with_an_object():
    missing = [f"  {p.key:40} {sorted(set(p.kwargs) - set(KWARGS.get(p.key, {})))}"
               for p in PATTERNS if not is_admin(p) and set(p.kwargs) - set(KWARGS.get(p.key, {}))]
    assert not missing, "URL arguments without an object in tests/access_table.py KWARGS:\n" + "\n".join(missing)


def test_it_names_only_patterns_that_exist():
    keys = {p.key for p in PATTERNS}
    tables = {"EXPECTED": EXPECTED, "POST_EXPECTED": POST_EXPECTED, "KWARGS": KWARGS, "OTHER": OTHER,
              "OTHER_POST": OTHER_POST, "PUBLIC_OBJECTS": PUBLIC_OBJECTS, "KNOWN_WRONG": {k[1] for k in KNOWN_WRONG}}
    stale = [f"  {table}: {name}" for table, names in tables.items() for name in names if name not in keys]
    assert not stale, "Rows in tests/access_table.py for URL names that no longer exist (renamed?):\n" + "\n".join(stale)


def test_it_has_a_post_row_for_every_post_only_page():
    post_only = [name for name, row in EXPECTED.items() if any(row[a] == 405 for a in ACTORS if a != ANON)]
    missing = [name for name in post_only if name not in POST_EXPECTED]
    assert not missing, f"GET answers 405 but POST_EXPECTED has no row: {missing}"


def test_it_never_expects_another_organisations_object_to_be_found():
    # The rule of DESIGN.md: for library staff, another organisation's object does not exist (404).
    found = []
    for p in PATTERNS:
        if is_admin(p) or p.key not in EXPECTED or not has_other_side(p):
            continue
        for method, own in (("GET", EXPECTED[p.key]), ("POST", POST_EXPECTED.get(p.key))):
            if own is None:
                continue
            other = other_row(own, {})
            found += [f"{method} {p.key} {who}" for who, status in ((OUT, own[OUT]), (MW, other[MW]), (COL, other[COL]), (CO, other[CO]))
                      if isinstance(status, int) and status < 400]
    assert not found, "another organisation's object is expected to be found: " + ", ".join(found)


def test_it_builds_one_object_of_every_kind_for_both_organisations(world, db):
    for key, obj in world.own.items():
        assert obj is not None and world.other[key] is not None, key
        assert key in ("gemeente", "kiosk_token", "referral_token", "signal_token") or world.other[key] != obj, key
