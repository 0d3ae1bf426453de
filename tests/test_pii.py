"""Tests for the PII detector on realistic desk notes. No database needed.

Fast tests use names=False (regexes + built-in salutation rule); the deduce-based tests
come last and share one module-scoped warm-up, because loading deduce takes ~8 s.
"""

from __future__ import annotations

import io
import json
import sys

import pytest
from django.core.management import call_command

from balie.core import pii


def kinds(text: str, *, names: bool = False) -> list[tuple[str, str]]:
    findings = pii.scan(text, names=names)
    for f in findings:  # offsets must always point at the reported text
        assert text[f.start:f.end] == f.text
        assert f.reason
    return [(f.kind, f.text) for f in findings]


# --- BSN ---------------------------------------------------------------------------------
def test_valid_bsn_found_invalid_not() -> None:
    assert kinds("Meneer gaf BSN 111222333 door voor de aanvraag.") == [("bsn", "111222333")]
    # Fails the 11-proef, so not a BSN; but a run of 9 digits points at a person all the same (ADR 0002: fail safe)
    assert kinds("Klantnummer 123456789 bij Ziggo opgezocht.") == [("number", "123456789")]


@pytest.mark.parametrize("bsn", ["111.222.333", "1112 22 333", "111 222 333"])
def test_bsn_with_separators(bsn: str) -> None:
    assert kinds(f"BSN {bsn} genoteerd") == [("bsn", bsn)]


# --- IBAN --------------------------------------------------------------------------------
def test_iban_valid_and_spaced() -> None:
    assert kinds("Toeslag naar NL91ABNA0417164300 laten storten.") == [("iban", "NL91ABNA0417164300")]
    assert kinds("rekening NL91 ABNA 0417 1643 00 bij ING") == [("iban", "NL91 ABNA 0417 1643 00")]


def test_iban_wrong_checksum_not_an_iban_but_still_redacted() -> None:
    # A mistyped account number is still someone's: a code of letters and many digits is redacted (ADR 0002)
    assert kinds("Toeslag naar NL91ABNA0417164301 laten storten.") == [("document", "NL91ABNA0417164301")]


# --- e-mail ------------------------------------------------------------------------------
def test_email() -> None:
    note = "Nieuw wachtwoord gestuurd naar j.de.vries-82@hotmail.com, kwam niet aan."
    assert kinds(note) == [("email", "j.de.vries-82@hotmail.com")]
    assert kinds("Gmail account hersteld, e-mail kwam in spam @ Outlook.") == []


# --- phone -------------------------------------------------------------------------------
@pytest.mark.parametrize("phone", ["06-12345678", "06 12 34 56 78", "020-1234567", "+31 6 12345678", "010 - 123 45 67"])
def test_personal_phone_found(phone: str) -> None:
    assert kinds(f"Terugbellen op {phone} na 14 uur.") == [("phone", phone)]


@pytest.mark.parametrize(
    "note",
    [
        "Samen de Belastingtelefoon 0800-0543 gebeld.",
        "Nummer 0800-1234 staat op de brief.",
        "Betaalnummer 0900-0543 werkt niet vanuit buitenland.",
        "UWV gebeld op 088-8982070 over WW.",
        "Gemeente Rotterdam bereikbaar via 14 010.",
    ],
)
def test_service_numbers_not_flagged(note: str) -> None:
    assert kinds(note) == []


# --- address -----------------------------------------------------------------------------
def test_postcode_with_house_number() -> None:
    assert kinds("Brief komt op 3011 AB 12 aan.") == [("postcode", "3011 AB 12")]
    assert kinds("Adres gewijzigd naar 3011AB.") == [("postcode", "3011AB")]


def test_street_and_postcode() -> None:
    # After "verhuisd naar" the whole clause is the address, the place included
    assert kinds("Verhuisd naar Kerkstraat 12, 3011 AB Rotterdam") == [("postcode", "Kerkstraat 12, 3011 AB Rotterdam")]
    # Without a cue too: the postcode and place after a street on its line are the rest of the address (one finding).
    assert kinds("Kerkstraat 12, 3011 AB Rotterdam") == [("postcode", "Kerkstraat 12, 3011 AB Rotterdam")]


def test_no_address_false_positives() -> None:
    assert kinds("DigiD 2FA ingesteld, in 2024 NL paspoort aangevraagd. Onderweg 2 keer gebeld.") == []


# --- birthdate ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("note", "date"),
    [
        ("Mevrouw is geboren 12-03-1950 volgens paspoort.", "12-03-1950"),
        ("Meneer geb. 1 maart 1950, AOW vraag.", "1 maart 1950"),
        ("geboortedatum 12/03/1950 ingevuld", "12/03/1950"),
    ],
)
def test_birthdate_with_cue(note: str, date: str) -> None:
    assert kinds(note) == [("birthdate", date)]


def test_plain_date_is_not_a_birthdate() -> None:
    assert kinds("Nieuwe afspraak op 12-03-2026 voor de aangifte.") == []


# --- names: built-in salutation rule (no deduce) -----------------------------------------
def test_salutation_names_without_deduce() -> None:
    note = "Gesprek met mevrouw De Vries en dhr. Jansen over Toeslagen."
    assert kinds(note) == [("name", "De Vries"), ("name", "Jansen")]
    assert pii.scrub(note, names=False).redacted == "Gesprek met mevrouw [NAAM] en dhr. [NAAM] over Toeslagen."


def test_salutation_does_not_flag_organisations_or_sentences() -> None:
    assert kinds("Mevrouw kon niet inloggen met DigiD app, sms kwam niet aan.") == []
    assert kinds("Brief van meneer van de Belastingdienst, mevrouw van DUO belde terug.") == []


def test_names_off_skips_deduce() -> None:
    assert kinds("Pieter de Vries kwam langs.", names=False) == []


def test_names_none_reads_setting(settings) -> None:  # pytest-django settings fixture, no db
    settings.BALIE_PII_NAMES = False
    assert pii.scan("Pieter de Vries kwam langs.") == []


# --- redaction and safety net ------------------------------------------------------------
def test_redact_and_must_never_store() -> None:
    note = "BSN 111222333, IBAN NL91ABNA0417164300, mail piet@example.nl, bel 06-12345678."
    assert pii.must_never_store(note)
    result = pii.scrub(note, names=False)
    assert result.redacted == "BSN [BSN], IBAN [IBAN], mail [E-MAIL], bel [TELEFOON]."
    assert [f.kind for f in result.findings] == ["bsn", "iban", "email", "phone"]
    assert not pii.must_never_store(result.redacted)
    assert not pii.must_never_store("Klantnummer 123456789 en NL91ABNA0417164301")


def test_findings_sorted_without_overlap() -> None:
    note = "geboren 12-03-1950, tel 06-12345678, Kerkstraat 12, 3011 AB 5, 111222333"
    findings = pii.scan(note, names=False)
    assert [f.kind for f in findings] == ["birthdate", "phone", "postcode", "postcode", "bsn"]
    assert all(a.end <= b.start for a, b in zip(findings, findings[1:]))


def test_command_json(monkeypatch: pytest.MonkeyPatch) -> None:
    note = "Mevrouw De Vries, BSN 111222333 – geen DigiD."
    monkeypatch.setattr(sys, "stdin", io.StringIO(note))
    buf = io.StringIO()
    call_command("scrub_text", "--json", "--no-names", stdout=buf)
    data = json.loads(buf.getvalue())
    assert data == {
        "findings": [{"kind": "name", "start": 8, "end": 16}, {"kind": "bsn", "start": 22, "end": 31}],
        "redacted": "Mevrouw [NAAM], BSN [BSN] – geen DigiD.",
    }
    assert note[8:16] == "De Vries"


def test_command_human_output(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Bel 06-12345678"))
    buf = io.StringIO()
    call_command("scrub_text", "--no-names", stdout=buf)
    out = buf.getvalue()
    assert "06-12345678" in out and "telefoonnummer" in out and "Bel [TELEFOON]" in out


# --- names via deduce (slow: one shared ~8 s load) ---------------------------------------
@pytest.fixture(scope="module")
def deduce_loaded() -> None:
    pii.warm_up(background=False)
    if not pii.names_ready():
        pytest.fail("deduce kon niet geladen worden")


def test_deduce_finds_full_name(deduce_loaded: None) -> None:
    assert kinds("Pieter de Vries kwam langs voor zijn DigiD.", names=True) == [("name", "Pieter de Vries")]


def test_deduce_salutation_keeps_title(deduce_loaded: None) -> None:
    result = pii.scrub("Mevrouw De Vries wilde hulp met de Berichtenbox.", names=True)
    assert result.redacted == "Mevrouw [NAAM] wilde hulp met de Berichtenbox."


@pytest.mark.parametrize(
    "note",
    [
        "Mevrouw kon niet inloggen met DigiD app, sms kwam niet aan.",
        "Brief van de Belastingdienst over Toeslagen besproken.",
        "Bericht in MijnOverheid Berichtenbox gevonden.",
        "Zorgverzekering bij Zilveren Kruis opgezegd, nu bij Menzis.",
        "Bezoeker kwam uit Rotterdam, eerder in Den Haag geweest.",
        "Rotterdam Utrecht Amsterdam Den Haag",
        "Eneco Vattenfall Essent Zilveren Kruis",
    ],
)
def test_deduce_allowlist(deduce_loaded: None, note: str) -> None:
    assert [k for k, _ in kinds(note, names=True) if k == "name"] == []


def test_scan_default_uses_deduce(deduce_loaded: None, settings) -> None:
    settings.BALIE_PII_NAMES = True
    assert pii.scrub("Henk de Jong belde namens zijn moeder.").redacted == "[NAAM] belde namens zijn moeder."
