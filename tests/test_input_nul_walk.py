"""Review L3: a NUL character anywhere in a request to any page of Balie is a 400 before it reaches the database.

Walks every URL pattern (as tests/test_access_matrix.py does, with its world of objects) and puts NUL in the path,
the query string, a urlencoded form, a JSON body and a header. Before RejectNulMiddleware, PostgreSQL answered 500
on a dozen of these (three anonymous) and SQLite let the NUL be stored. Run with DATABASE_URL=postgres://… too.
Its own module: the world lives in one transaction for the whole module (see the world fixture).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The access matrix's world (one object of every kind), built once for the NUL walk and rolled back after it."""
    from access_world import rolled_back_world  # tests/ is on sys.path

    with rolled_back_world(django_db_blocker) as built:
        yield built


def _walk_targets() -> list[Any]:
    from access_table import EXPECTED
    from access_walk import all_patterns, is_admin

    targets = []
    for pattern in all_patterns():
        expected = EXPECTED.get(pattern.key)
        if is_admin(pattern) or expected is None:
            continue
        # Someone who may open the page, so a NUL would reach the view without the middleware.
        actor = next((a for a in ("anonymous", "medewerker", "coordinator", "gemeente", "partner", "landelijk", "beheerder")
                      if expected.get(a) in (200, 405)), "coordinator")
        targets.append(pytest.param(pattern, actor, id=pattern.key))
    return targets


def _nul_in_path(path: str) -> str:
    """Put %00 into the last path segment (a code, a token, a uuid) or, without one, at the end."""
    head, slash, tail = path.rstrip("/").rpartition("/")
    return f"{head}{slash}{tail[:2]}%00{tail[2:]}" + ("/" if path.endswith("/") else "")


def _nul_paths(pattern: Any, world: Any) -> list[str]:
    """The page's path with NUL in its last segment, and once more in each text argument (a code, a token)."""
    from access_table import KWARGS
    from access_walk import _value, path_for
    from django.urls import NoReverseMatch, reverse

    paths = [_nul_in_path(path_for(pattern, world))]
    specs = KWARGS.get(pattern.key, {})
    values = {k: _value(specs[k], k, world.side("own"), world.national) for k in pattern.kwargs}
    for name, value in values.items():
        if isinstance(value, str):
            try:  # reverse() writes the NUL as %00; a uuid or int converter refuses it, and that pattern is done above
                paths.append(reverse(pattern.key, kwargs={**values, name: value[:2] + "\x00" + value[2:]}))
            except NoReverseMatch:
                pass
    return paths


@pytest.mark.parametrize(("pattern", "actor"), _walk_targets())
def test_nul_anywhere_in_a_request_to_any_page_is_a_400(world, db, pattern, actor):
    from access_walk import path_for

    path = path_for(pattern, world)
    client = Client(raise_request_exception=False)
    if actor != "anonymous":
        client.force_login(world.users[actor])
    answers = {
        **{f"path {p}": client.get(p).status_code for p in _nul_paths(pattern, world)},
        "query": client.get(path, {"q": "a\x00b", "locatie": "RDAM\x00", "van": "2024-01-01\x00", "periode": "2024\x00"}).status_code,
        "form": client.post(path, "notitie=a%00b&naam=x", content_type="application/x-www-form-urlencoded").status_code,
        "json": client.post(path, json.dumps({"notitie": "a\x00b"}), content_type="application/json").status_code,
        "header": client.get(path, HTTP_X_BALIE_TEST="a\x00b").status_code,
    }
    assert set(answers.values()) == {400}, f"{path} as {actor}: {answers}"


def test_the_nul_walk_covers_the_review_endpoints_including_the_anonymous_ones():
    keys = {p.values[0].key for p in _walk_targets()}
    assert {"public:location", "survey_public:form", "walkin:display", "desk:register", "insight:dashboard"} <= keys, keys
    assert connection.vendor in ("sqlite", "postgresql")
