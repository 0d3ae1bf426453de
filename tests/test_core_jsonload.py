"""core.jsonload: one bounded JSON read with one typed error, which the API and the social-map import each word.

The function itself (nesting beyond the recursion limit, NaN and both infinities, a number of 5,000 digits, a syntax
error's line and column), and through the real stack that each caller words every kind, and bad UTF-8, in Dutch, and
in English where the caller speaks it.
"""

from __future__ import annotations

import io
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from balie.core.jsonload import JsonError, Kind, loads
from balie.partners.models import Service

DEEP = "[" * (sys.getrecursionlimit() * 4) + "]" * (sys.getrecursionlimit() * 4)
LONG_NUMBER = "1" + "0" * 4999  # Python refuses to turn more than 4,300 digits into an int


def kind_of(text: str) -> JsonError:
    with pytest.raises(JsonError) as caught:
        loads(text)
    return caught.value


def test_nesting_beyond_the_recursion_limit_is_too_deep_not_a_recursion_error():
    assert kind_of(DEEP).kind is Kind.TOO_DEEP
    assert kind_of('{"a": ' * 50_000 + "1" + "}" * 50_000).kind is Kind.TOO_DEEP
    assert loads("[" * 100 + "]" * 100) == loads("[" * 100 + "]" * 100)  # ordinary depth reads


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_the_infinities_are_refused_by_name(constant):
    for text in (constant, f'{{"duur": {constant}}}', f"[1, [2, {constant}]]"):
        error = kind_of(text)
        assert (error.kind, error.constant) == (Kind.CONSTANT, constant)


def test_a_number_of_5000_digits_is_a_bad_value_unless_a_hook_keeps_it_as_text():
    assert kind_of(f'{{"n": {LONG_NUMBER}}}').kind is Kind.VALUE
    assert loads(f'{{"n": {LONG_NUMBER}}}', parse_int=str) == {"n": LONG_NUMBER}
    # A float too large for Python is no number either (it would be infinity), unless the caller keeps it as text.
    for text in ("1e999", f"-{LONG_NUMBER}.5", "[1.0E400]"):
        assert kind_of(text).kind is Kind.VALUE
    assert loads("1e999", parse_float=str) == "1e999"
    assert loads(f"0.{LONG_NUMBER}") == pytest.approx(0.1) and loads("1e-999") == 0.0  # precision and underflow are fine


def test_a_syntax_error_has_its_line_and_column():
    error = kind_of('{\n  "a": 1,\n  "b": ]\n}')
    assert (error.kind, error.line, error.column) == (Kind.SYNTAX, 3, 8)
    assert (kind_of("").line, kind_of("").column) == (1, 1)
    assert kind_of('{"a": 1,}').kind is Kind.SYNTAX


def test_text_only_and_a_hooks_own_error_passes_through():
    with pytest.raises(TypeError):
        loads(b'{"a": 1}')  # type: ignore[arg-type]

    class Stop(Exception):
        pass

    def pairs(items):
        raise Stop

    with pytest.raises(Stop):
        loads('{"a": 1}', object_pairs_hook=pairs)
    assert loads('{"a": 1.50, "b": [true, null]}', parse_float=str) == {"a": "1.50", "b": [True, None]}


# --- the callers word each kind -------------------------------------------------------------------------------------

API_URL = "/api/v1/registraties"
HSDS_URL = "/sociale-kaart/importeren/"
SERVICE = ('{"id": "ac148810-d857-441c-9679-408f346de14b", "name": "Dienst", "status": "active", '
           '"organization": {"id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "name": "Stichting"}, "minimum_age": %s}')
CASES = {  # body -> (API Dutch, API English, HSDS Dutch)
    "deep": (DEEP.encode(), "te diep genest", "nested too deeply", "dieper genest dan 32 niveaus"),
    "nan": (SERVICE.replace("%s", "NaN").encode(), "NaN is geen geldige JSON-waarde", "NaN is not a valid JSON value",
            "NaN en Infinity"),
    "minus_infinity": (SERVICE.replace("%s", "-Infinity").encode(), "-Infinity is geen geldige JSON-waarde",
                       "-Infinity is not a valid JSON value", "NaN en Infinity"),
    "syntax": (b'{\n"a": 1,\n}', "regel 3, kolom 1", "line 3, column 1", "regel 3, positie 1"),
    "bad_utf8": (b'{"notitie": "caf\xe9"}', "geen geldige UTF-8-tekst", "not valid UTF-8", "geen UTF-8-tekst"),
}


@pytest.fixture
def api(users):
    out = io.StringIO()
    call_command("create_api_token", "medewerker", stdout=out, stderr=io.StringIO())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {out.getvalue().strip()}")
    return client


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_api_words_each_kind_in_dutch_also_when_english_is_asked(settings, api, case):
    # The API speaks Dutch only (ADR 0004, core/language.py); the website's imports follow the user's language (below).
    settings.BALIE_PII_NAMES = False
    body, dutch, _, _ = CASES[case]
    for asked in ({}, {"HTTP_ACCEPT_LANGUAGE": "en"}):
        response = api.post(API_URL, body, content_type="application/json", **asked)
        assert response.status_code == 400 and dutch in response.json()["detail"], response.content[:500]


def test_the_api_words_a_number_too_long_and_a_body_too_large(settings, api):
    settings.BALIE_PII_NAMES = False
    response = api.post(API_URL, f'{{"duur_minuten": {LONG_NUMBER}}}', content_type="application/json")
    assert response.status_code == 400 and "getal dat te lang is" in response.json()["detail"]
    response = api.post(API_URL, f'{{"duur_minuten": {LONG_NUMBER}}}', content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "getal dat te lang is" in response.json()["detail"]
    big = '{"notitie": "' + "x" * 1_100_000 + '"}'
    assert "groter dan 1 MB" in api.post(API_URL, big, content_type="application/json").json()["detail"]
    response = api.post(API_URL, big, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413 and "groter dan 1 MB" in response.json()["detail"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_social_map_import_words_each_kind(client_for, case):
    body, _, _, dutch = CASES[case]
    response = client_for("coordinator").post(HSDS_URL, {"bestanden": [SimpleUploadedFile("services.json", body)]})
    text = response.content.decode()
    assert response.status_code == 422 and dutch in text and "Er is niets geïmporteerd." in text, text[:2000]
    assert not Service.objects.filter(name="Dienst").exists()
