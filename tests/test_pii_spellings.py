"""Review M4: BSN, IBAN and phone numbers are found in every spelling people type; ordinary numbers are left alone.

Nothing here is a fitted example. Valid BSNs and IBANs are generated (11-proef, mod 97 via python-stdnum), phone
numbers are drawn from every Dutch range (06-1 up to 06-9, also ranges not in use today, any area code) and from
abroad, each is written in many spellings (dashes, dots, spaces, underscores, slashes, zero-width and non-breaking
characters, prefixes and glued letters) and put in sentences. Every one must come out without a digit of it left.
No database: pure detector tests, names off (the regexes and the salutation rule only).
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator

import pytest
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

from balie.core import pii
from balie.core.pii import numbers

SEED = 20261202
ZWSP, NBSP, NDASH, WJ, SHY = "\u200b", "\u00a0", "\u2013", "\u2060", "\u00ad"
SEPARATORS = [" ", "-", ".", "_", "/", " - ", ZWSP, NBSP, NDASH, WJ, SHY]
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
# Sentences without any digit of their own, so "no digit left" means "nothing of the number left".
SENTENCES = [
    "{x}", "Meneer gaf {x} door voor de aanvraag.", "Terugbellen op {x} na de lunch.", "Nummer: {x}.", "({x})",
    "Klant noemde {x}, daarna DigiD app geactiveerd.", "Eerste regel\n{x}\nlaatste regel", "Ze schreef '{x}' op een briefje",
]


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _groups(s: str, sizes: tuple[int, ...]) -> list[str]:
    out, pos = [], 0
    for size in sizes:
        out.append(s[pos:pos + size])
        pos += size
    return out


# --- generators ------------------------------------------------------------------------------------------
def random_bsn(rng: random.Random) -> str:
    while True:
        head = [rng.randrange(10) for _ in range(8)]
        check = sum(d * w for d, w in zip(head, range(9, 1, -1))) % 11  # 11-proef: sum(9..2) - last == 0 (mod 11)
        if check < 10 and any(head):
            return "".join(map(str, head)) + str(check)


def random_iban(rng: random.Random, cc: str) -> str:
    bban = {
        "NL": lambda: "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4)) + _n(rng, 10),
        "BE": lambda: _n(rng, 12), "DE": lambda: _n(rng, 18), "FR": lambda: _n(rng, 10) + _n(rng, 11) + _n(rng, 2),
        "GB": lambda: "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4)) + _n(rng, 14),
        "ES": lambda: _n(rng, 20), "PL": lambda: _n(rng, 24), "TR": lambda: _n(rng, 5) + "0" + _n(rng, 16),
    }[cc]()
    number = cc + stdnum_iban.calc_check_digits(cc + "00" + bban) + bban
    stdnum_iban.validate(number, check_country=False)  # mod 97 and the country's structure (national checks aside)
    return number


def _n(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(count))


def dutch_numbers(rng: random.Random) -> list[str]:
    """National notation, 10 digits: every 06 range (06-1 ... 06-9, in use or not), fixed lines, 085/084/087."""
    numbers = [f"06{block}{_n(rng, 7)}" for block in range(1, 10) for _ in range(3)]
    for _ in range(12):
        area = rng.choice(["10", "20", "30", "40", "50", "70", "71", "72", "73", "111", "113", "165", "299", "591", "85", "84", "87"])
        numbers.append("0" + area + _n(rng, 9 - len(area)))
    for _ in range(6):  # area codes nobody has today: shape alone decides
        area = str(rng.choice([1, 2, 3, 4, 5, 7])) + _n(rng, 1) + str(rng.choice([1, 2, 3, 4, 5, 6, 7, 9]))
        numbers.append("0" + area + _n(rng, 6))
    return numbers


def dutch_spellings(national: str) -> Iterator[str]:
    nsn = national[1:]
    mobile = national.startswith("06")
    area = national[:2] if mobile else national[:3] if national[1] in "1234567" and national[:3] in (
        "010", "020", "030", "040", "050", "070", "071", "072", "073", "085", "084", "087") else national[:4]
    rest = national[len(area):]
    yield national
    for sep in ("-", " ", ".", "/", " - ", NDASH, NBSP, ZWSP):
        yield area + sep + rest
    yield f"({area}) {rest}"
    yield f"({area}){rest}"
    if mobile:
        yield "06 " + " ".join(_groups(rest, (2, 2, 2, 2)))
        yield "06." + ".".join(_groups(rest, (2, 2, 2, 2)))
        yield "06-" + " ".join(_groups(rest, (4, 4)))
    else:
        yield area + " " + " ".join(_groups(rest, (len(rest) - 4, 2, 2)))
        yield area + "." + ".".join(_groups(rest, (len(rest) - 4, 2, 2)))
    for cc in ("+31 ", "+31", "0031 ", "0031", "+31 (0)", "+31(0)", "0031 (0)", "+31-"):
        yield cc + area[1:] + " " + rest
    yield "+31" + nsn
    yield "0031" + nsn
    yield national.translate(FULLWIDTH)
    yield ZWSP.join(national)


INTERNATIONAL = [  # (country code, a national number's digits, its usual grouping)
    ("32", "470123456", (3, 2, 2, 2)), ("32", "21234567", (1, 3, 2, 2)), ("49", "3012345678", (2, 4, 4)),
    ("49", "15112345678", (3, 8)), ("44", "2079460958", (2, 4, 4)), ("44", "7700900123", (4, 6)),
    ("33", "612345678", (1, 2, 2, 2, 2)), ("90", "5321234567", (3, 3, 2, 2)), ("48", "512345678", (3, 3, 3)),
    ("212", "612345678", (1, 2, 2, 2, 2)), ("1", "2125550123", (3, 3, 4)), ("380", "441234567", (2, 3, 4)),
    ("34", "612345678", (3, 3, 3)), ("39", "3123456789", (3, 7)), ("597", "7123456", (3, 4)),
]


def international_spellings(cc: str, national: str, sizes: tuple[int, ...]) -> Iterator[str]:
    grouped = " ".join(_groups(national, sizes))
    yield f"+{cc}{national}"
    yield f"+{cc} {grouped}"
    yield f"+{cc}-" + "-".join(_groups(national, sizes))
    yield f"00{cc} {grouped}"
    yield f"00{cc}{national}"
    yield f"+{cc} ({national[:sizes[0]]}) {national[sizes[0]:]}"


def bsn_spellings(bsn: str) -> Iterator[str]:
    yield bsn
    for sizes in ((3, 3, 3), (4, 2, 3), (3, 2, 4), (2, 3, 4), (2, 2, 2, 3)):
        for sep in SEPARATORS:
            yield sep.join(_groups(bsn, sizes))
    for prefix in ("bsn", "BSN:", "BSN ", "BSN: ", "bsn-nr ", "bsnnr.", "burgerservicenummer ", "sofinummer ", "_"):
        yield prefix + bsn
    for suffix in ("abc", "x", "-", "_"):
        yield bsn + suffix
    yield "BSN " + "-".join(_groups(bsn, (3, 3, 3))) + "x"
    yield bsn.translate(FULLWIDTH)
    yield ZWSP.join(bsn)
    if bsn.startswith("0"):  # stdnum reads 8 digits with a leading zero: people drop it
        yield bsn[1:]
        yield "BSN " + " ".join(_groups(bsn[1:], (4, 4)))


def iban_spellings(iban: str) -> Iterator[str]:
    blocks = [iban[i:i + 4] for i in range(0, len(iban), 4)]
    yield iban
    yield iban.lower()
    for sep in (" ", "-", ".", "_", "/", ZWSP, NBSP, NDASH, " - "):
        yield sep.join(blocks)
    yield " ".join(blocks).lower()
    for prefix in ("iban", "IBAN:", "IBAN ", "rek.nr. ", "rekeningnummer:"):
        yield prefix + iban
    for suffix in ("x", "abc", ".", "-"):
        yield iban + suffix
    yield ZWSP.join(iban)
    yield iban.translate(FULLWIDTH)
    yield f"{iban[:2]} {iban[2:4]} " + " ".join(blocks[1:])


# --- the corpus ------------------------------------------------------------------------------------------
def _corpus() -> dict[str, list[tuple[str, str]]]:
    """kind -> [(sentence, what must be gone)]; built once with a fixed seed."""
    rng = random.Random(SEED)
    bsns = [random_bsn(rng) for _ in range(40)]
    while sum(b.startswith("0") for b in bsns) < 8:  # enough BSNs with a leading zero for the 8-digit spellings
        if (b := random_bsn(rng)).startswith("0"):
            bsns.append(b)
    ibans = [random_iban(rng, "NL") for _ in range(30)] + [random_iban(rng, cc) for cc in ("BE", "DE", "FR", "GB", "ES", "PL", "TR") for _ in range(3)]
    phones = [s for n in dutch_numbers(rng) for s in dutch_spellings(n)]
    phones += [s for cc, n, sizes in INTERNATIONAL for s in international_spellings(cc, n, sizes)]
    corpus: dict[str, list[tuple[str, str]]] = {"bsn": [], "iban": [], "phone": []}
    for kind, items in (("bsn", [s for b in bsns for s in bsn_spellings(b)]), ("iban", [s for i in ibans for s in iban_spellings(i)]),
                        ("phone", phones)):
        for spelling in items:
            corpus[kind].append((rng.choice(SENTENCES).format(x=spelling), spelling))
    return corpus


CORPUS = _corpus()


def _leaks(sentence: str) -> bool:
    """True when any digit (of any script) is still in the redacted text: the sentences have none of their own."""
    return bool(_digits(pii.scrub(sentence, names=False).redacted))


@pytest.mark.parametrize("spelling", [  # the review's reproduction (section 4), literally
    "111-222-333", "111.222.333", "111 22 2333", "bsn111222333", "BSN:111222333", "111222333abc", "_111222333",
    "111\u200b222\u200b333", "NL91-ABNA-0417-1643-00", "NL91 ABNA 0417 1643 00", "ibanNL91ABNA0417164300", "NL91ABNA0417164300x",
    "nl91abna0417164300", "06-71234567", "06 91 23 45 67", "+31 6 71234567", "0031 6 91234567", "+44 20 7946 0958",
])
def test_it_redacts_the_spellings_from_the_review(spelling: str) -> None:
    note = f"Vraag over toeslag, genoteerd: {spelling} (volgende keer meenemen)"
    result = pii.scrub(note, names=False)
    assert result.findings and not _digits(result.redacted), result.redacted
    if not spelling.startswith(("0", "+")):  # BSN and IBAN: the safety net sees them too
        assert pii.must_never_store(note)


@pytest.mark.parametrize("kind", ["bsn", "iban", "phone"])
def test_it_redacts_every_spelling_of_generated_numbers(kind: str) -> None:
    cases = CORPUS[kind]
    assert len(cases) > 400  # numbers x spellings
    missed = [(sentence, spelling) for sentence, spelling in cases if _leaks(sentence)]
    assert not missed, f"{len(missed)}/{len(cases)} gemist, bijvoorbeeld {missed[:5]}"


@pytest.mark.parametrize("kind", ["bsn", "iban"])
def test_the_safety_net_sees_every_spelling_and_nothing_after_redaction(kind: str) -> None:
    for sentence, _ in CORPUS[kind]:
        assert pii.must_never_store(sentence), sentence
        assert not pii.must_never_store(pii.scrub(sentence, names=False).redacted), sentence


def test_it_redacts_two_numbers_in_one_run() -> None:
    rng = random.Random(SEED + 1)
    for _ in range(100):
        bsn, phone = random_bsn(rng), f"06{rng.randrange(1, 10)}{_n(rng, 7)}"
        iban = random_iban(rng, "NL")
        for text in (f"BSN {bsn} 06 {phone[2:]}", f"{phone}/{phone}", f"{bsn} {iban}", f"tel {phone[:2]}-{phone[2:]} bsn {bsn[:3]}.{bsn[3:6]}.{bsn[6:]}"):
            assert not _leaks(text), text


def test_it_keeps_offsets_in_the_original_text() -> None:
    for kind in ("bsn", "iban", "phone"):
        for sentence, _ in CORPUS[kind][::7]:
            for f in pii.scan(sentence, names=False):
                assert sentence[f.start:f.end] == f.text


# --- ordinary numbers stay -------------------------------------------------------------------------------
def _ordinary() -> list[str]:
    rng = random.Random(SEED + 2)
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]
    out: list[str] = []
    for _ in range(60):
        d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2020, 2030)
        hh, mm = rng.randint(8, 17), rng.choice([0, 15, 30, 45])
        hh2 = hh + rng.randint(1, 3)
        euros, cents = rng.randint(1, 99_999), rng.randint(0, 99)
        amount = f"{euros:,}".replace(",", ".")
        out += [
            f"Afspraak op {d}-{m}-{y} om {hh}:{mm:02d} bij de gemeente.",
            f"Afspraak {d:02d}-{m:02d}-{y} {hh:02d}:{mm:02d} uur, brief meenemen.",
            f"Brief van {y}-{m:02d}-{d:02d} over de aanslag {y - 1}.",
            f"Op {d}/{m}/{y} gebeld, daarna op {d + 1}/{m}/{y} nog een keer.",
            f"Spreekuur van {hh}.{mm:02d}-{hh2}.{mm:02d} uur en {hh2 + 1}.00-{hh2 + 2}.00 uur.",
            f"Open {hh:02d}:{mm:02d} - {hh2:02d}:{mm:02d}, {d} {months[m - 1]} {y} gesloten.",
            f"Betalingsregeling van € {amount},{cents:02d} per maand, {rng.randint(2, 36)} termijnen.",
            f"Toeslag {y}: € {amount},- terugbetalen voor {d}-{m}-{y}.",
            f"Huur is {amount} euro, {rng.randint(5, 95)}% van het inkomen.",
            f"Belastingtelefoon 0800-0543 gebeld, wachttijd {rng.randint(2, 59)} minuten.",
            f"UWV via 088-898 20 70, ook 0900-{_n(rng, 4)} en 0800-{_n(rng, 7)} geprobeerd.",
            f"Gemeente via 14 0{rng.randint(10, 99)} gebeld, zaak {y}-{_n(rng, 4)}.",
            f"sms-code {_n(rng, 6)} kwam niet aan, {rng.randint(2, 5)} keer geprobeerd.",
            f"iOS {rng.randint(14, 18)}.{rng.randint(0, 6)}.{rng.randint(0, 3)} bijgewerkt, Windows {rng.choice([10, 11])}.",
            f"In {y - 2} en {y - 1} ook al {rng.randint(2, 9)} keer langs geweest.",
            f"Week {rng.randint(1, 52)}, {rng.randint(2, 40)} bezoekers, balie {rng.randint(1, 4)}.",
        ]
    return out


ORDINARY = _ordinary()


def test_it_leaves_ordinary_numbers_alone() -> None:
    assert len(ORDINARY) >= 900
    flagged = [(s, [(f.kind, f.text) for f in pii.scan(s, names=False)]) for s in ORDINARY]
    flagged = [(s, f) for s, f in flagged if f]
    # Honest about the one known trade-off: a 9-digit group that passes the 11-proef is a BSN wherever it stands.
    assert not flagged, f"{len(flagged)}/{len(ORDINARY)} onterecht gevonden, bijvoorbeeld {flagged[:5]}"


@pytest.mark.parametrize("note", [
    "Samen de Belastingtelefoon 0800-0543 gebeld.", "Betaalnummer 0900-0543 werkt niet vanuit buitenland.",
    "UWV gebeld op 088-8982070 over WW.", "Gemeente Rotterdam bereikbaar via 14 010.",
    "Afspraak 01-02-2026 10:00 bij het UWV.", "Spreekuur 09.00-12.00 13.00-16.00 uur.",
])
def test_it_keeps_public_numbers_dates_and_invalid_identifiers(note: str) -> None:
    assert pii.scan(note, names=False) == []


@pytest.mark.parametrize("typed", [
    # Faker's nl_NL shapes: a 0 and any 9 digits, with 088 and +3188, and "+3100" (read with and without a trunk 0).
    "088 0128610", "088-4455667", "+31887 043778", "+3188-7043778", "+3100 4089917", "0800 123456", "(0900) 123456",
    "+31(0)88 1234567", "0026 142553", "(002)-4584867", "01632 960722", "(0191) 4960603", "02200 332245",
    "09/ 346 41 95", "08 515 90 45",
])
def test_any_number_of_a_subscriber_shape_is_redacted_unless_it_is_a_published_public_number(typed: str) -> None:
    """Fail safe (DESIGN.md): 088 numbers can be a person's own line; only the published numbers of national public
    organisations stay (UWV 088-8982070 above). A 10-digit 0800/0900 number does not exist, so it is a person's."""
    assert [f.kind for f in pii.scan(f"Bellen naar {typed} graag.", names=False)] == ["phone"], typed


def test_the_fast_11_proef_agrees_with_stdnum() -> None:
    rng = random.Random(SEED + 3)
    samples = [_n(rng, rng.choice([8, 9])) for _ in range(20_000)] + [random_bsn(rng) for _ in range(2_000)] + ["000000000", "00000000"]
    assert all(numbers.bsn_valid(d) == stdnum_bsn.is_valid(d) for d in samples)


@pytest.mark.parametrize("text", ["00 " * 7_000, "1 " * 10_000, "0 " * 10_000, "NL91 " * 4_000, "ab12" * 5_000, "+1 " * 7_000])
def test_it_stays_fast_on_long_hostile_input(text: str) -> None:
    # About 20,000 characters, ten times a note's limit; the chains are read in linear time (no regex backtracking).
    # ~0.1 s of CPU here, minutes with backtracking. The best of five: on a busy shared machine one measurement was 4 s
    # of "CPU" for 0.07 s of work, twice, both with the process's and with this thread's CPU clock (a virtual machine's
    # stolen time is counted to the thread that was running); a stall does not hit five scans in a row, backtracking does.
    times = []
    for _ in range(5):
        started = time.thread_time()
        pii.scan(text, names=False)
        times.append(time.thread_time() - started)
    assert min(times) < 3, times


# --- gaps closed with bench/pii.py (ADR 0002): numbers written without a country prefix, and long digit runs ----------
FOREIGN_REGIONS = ["US", "PL", "DE", "GB", "TR", "FR", "BE", "UA", "RO", "SA", "EG", "MA", "ES", "IT"]


def foreign_national_numbers(rng: random.Random) -> list[str]:
    """Valid mobile and fixed numbers of other countries (phonenumbers), in the notation of their own country."""
    import phonenumbers

    out = []
    for region in FOREIGN_REGIONS:
        for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE):
            example = phonenumbers.example_number_for_type(region, kind)
            nsn = str(example.national_number)
            for _ in range(3):
                for _ in range(100):
                    n = phonenumbers.parse("+" + str(example.country_code) + nsn[:2] + _n(rng, len(nsn) - 2))
                    if phonenumbers.is_valid_number(n):
                        break
                out.append(phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.NATIONAL))
    return out


def regrouped(rng: random.Random, typed: str) -> Iterator[str]:
    digits = _digits(typed)
    yield typed
    yield digits
    for sep in (" ", "-", ".", "/", NDASH, NBSP):
        yield sep.join(_groups(digits, (3, 3, len(digits) - 6)))
    yield f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    yield typed.translate(FULLWIDTH)


def test_foreign_numbers_without_their_country_prefix_are_redacted() -> None:
    """A US "(212) 555-0143" or a Polish "512 345 678" has no 0 and no +: it used to stay in the note."""
    rng = random.Random(SEED + 7)
    leaks = []
    for number in foreign_national_numbers(rng):
        for typed in regrouped(rng, number):
            note = rng.choice(SENTENCES).format(x=typed)
            if _digits(pii.scrub(note, names=False).redacted):
                leaks.append(note)
    assert not leaks, f"{len(leaks)} leaks, e.g. {leaks[:5]}"


def test_any_long_run_of_digits_is_redacted_bsn_typos_and_foreign_ids_too() -> None:
    """9 to 16 digits in groups (a BSN with a typo, a PESEL, a CNP, an SSN, a driving licence, a card number)."""
    rng = random.Random(SEED + 8)
    leaks = []
    for _ in range(400):
        digits = str(rng.randint(1, 9)) + _n(rng, rng.randint(8, 15))
        typed = rng.choice(SEPARATORS).join(_groups(digits, (3, 3, 3, 3, 3, 3))) if rng.random() < 0.5 else digits
        note = rng.choice(SENTENCES).format(x=typed)
        if _digits(pii.scrub(note, names=False).redacted):
            leaks.append(note)
    assert not leaks, f"{len(leaks)} leaks, e.g. {leaks[:5]}"


@pytest.mark.parametrize("note", [
    "Schuld van € 123.456.789 bij de bank.", "Bedrag 1.234.567,89 staat op de aanslag.", "EUR 12.345.678,00 vermogen?",
    "Aangifte 2022/2023/2024 nog doen.", "Belastingtelefoon 0800-0543. 12 vragen gesteld.", "Gebeld met 0900-1234567.",
    "Huur 1360 euro\nbelastingaangifte 2024 en 2023", "UWV 088-8982070. Daarna 14 brieven.",
    "Post komt op het oude adres\nbelastingaangifte 2019 en 2018", "Adres: onbekend. Afspraak op 13 juni 2019 om 11:30",
])
def test_amounts_years_and_public_numbers_stay_readable(note: str) -> None:
    assert pii.scan(note, names=False) == []


@pytest.mark.parametrize(("typed", "kind"), [
    ("piet.jansen at gmail punt com", "email"), ("piet (at) ziggo (dot) nl", "email"), ("piet[at]kpnmail[punt]nl", "email"),
    ("piet @ hotmail . com", "email"), ("postcode 3011ab", "postcode"), ("verhuisd naar 1127 eu, 77a", "postcode"),
    ("Geboortedatum: 1992-05-23", "birthdate"), ("° 04-07-1987", "birthdate"), ("Kenteken 1-QXC-276", "document"),
    ("kenteken 17 HS 2201", "document"), ("ID-kaart L04820162 verlopen", "document"), ("NINO ZZ 95 99 97 T", "document"),
    ("Woont op de Wernerstraße 76-31. Verder", "postcode"), ("Adres: ul. Jadwigi 978, afspraak", "postcode"),
])
def test_spellings_the_bench_found_missing(typed: str, kind: str) -> None:
    found = pii.scan(typed, names=False)
    assert [f.kind for f in found] == [kind], (typed, found)
    assert not _digits(pii.scrub(typed, names=False).redacted)


@pytest.mark.parametrize(("note", "name"), [
    ("buurman Tezcan komt mee", "Tezcan"), ("Namens Rick Levesque gebeld", "Rick Levesque"),
    ("Mevrouw معين kwam voor DigiD", "معين"), ("Fitzgerald belde over de toeslag.", "Fitzgerald"),
    # Found by bench/pii.py (2026-12-05): vowel signs split an Arabic name, a Ukrainian title, a name after a comma.
    ("Mevrouw مُتيّم آل الشيخ kwam voor DigiD", "مُتيّم آل الشيخ"), ("пан Ярема Наливайко belde over de toeslag", "Ярема Наливайко"),
    ("Schuld van 7.827 euro, 5 termijnen, Ciaś belde over de toeslag", "Ciaś"),
])
def test_names_after_a_cue_word_in_any_script(note: str, name: str) -> None:
    from balie.core.pii import words

    assert [note[a:b] for _, a, b in words.cue_names(note)] == [name]
    assert [note[a:b] for _, a, b in words.cue_names("Klant belde. Met DigiD ingelogd. Huur is 300 euro.")] == []


def _report() -> dict[str, tuple[int, int]]:
    """Measured recall and false positives (printed by `python -m tests.test_pii_spellings`)."""
    out = {kind: (sum(not _leaks(s) for s, _ in cases), len(cases)) for kind, cases in CORPUS.items()}
    out["ordinary_flagged"] = (sum(bool(pii.scan(s, names=False)) for s in ORDINARY), len(ORDINARY))
    return out


if __name__ == "__main__":  # pragma: no cover
    import django

    django.setup()
    for name, (hit, total) in _report().items():
        print(f"{name}: {hit}/{total} ({hit / total:.1%})")
    print("unique spellings:", {k: len({sp for _, sp in v}) for k, v in CORPUS.items()})


@pytest.mark.parametrize("cue", ["Klantnummer", "klantnr.", "polisnr:", "Ons kenmerk:", "uw kenmerk", "dossiernummer", "Patiëntnummer",
                                 "relatienummer", "debiteurnr", "CJIB-nummer"])
@pytest.mark.parametrize("number", ["20045567", "4471-22", "ZK/2026/0012", "88 12 771", "A-2219"])
def test_a_persons_own_number_after_its_word_is_redacted_however_short(cue, number):
    note = f"Mevrouw had {cue} {number} bij zich. Samen gebeld."
    redacted = pii.scrub_for_storage(note).redacted
    digits = [ch for ch in number if ch.isdigit()]
    assert not any("".join(digits[i:i + 3]) in redacted for i in range(len(digits) - 2)), redacted
    assert redacted.endswith("bij zich. Samen gebeld.")


@pytest.mark.parametrize("note", ["Klantnummer onbekend, later bellen", "huisnummer 12 klopt niet in BRP", "Kenmerk staat op de brief",
                                  "formuliernummer W-12 ingevuld"])
def test_the_words_alone_or_other_numbers_stay(note):
    assert pii.scrub_for_storage(note).redacted == note


@pytest.mark.parametrize("extension", ["x0723", " ext. 12", " toestel 345", "X99"])
def test_a_phone_extension_goes_with_the_number(extension):
    redacted = pii.scrub_for_storage(f"zoon belt 889.432.8804{extension} vanavond").redacted
    assert redacted == "zoon belt [NUMMER] vanavond", redacted


# --- found by bench/pii.py in Faker's plates, local numbers and e-mail of other countries (session 10) ---------------
@pytest.mark.parametrize("note", [
    "kenteken: 7ZAK75 op naam", "kenteken: A-YJ-9", "auto AAU 2530G verkocht via RDW", "09RART parkeerboete",
    "boete voor de BA91DLK", "boete voor de NK14 NSQ", "TN 632JY parkeerboete", "boete voor de 19 PLR 25", "16-E610 parkeerboete",
    "Kenteken 0373 op naam gezet", "kenteken: ق ح ط ٩٢٧١", "Nummerbord GZ-412-X kwijt", "kenteken 12-ab-34 op naam",
    "kenteken ab12cd verkocht",
])
def test_plates_of_any_country_are_redacted(note: str) -> None:
    redacted = pii.scrub_for_storage(note, names=False).redacted
    assert not _digits(redacted) and not any(ch.isdigit() for ch in redacted), (note, redacted)


@pytest.mark.parametrize("number", ["460 66 55", "669 4 120", "555-1234", "4606655", "46 06 655", "12345678"])
def test_a_local_number_of_seven_or_eight_digits_is_redacted(number: str) -> None:
    note = f"nummer van de zoon {number} (whatsapp)"
    assert pii.scrub_for_storage(note, names=False).redacted == "nummer van de zoon [NUMMER] (whatsapp)"


@pytest.mark.parametrize("note", [
    "AOW 67 jaar", "DUO 300 euro terug", "UWV WW 70% van het loon", "aangifte IB2025 gedaan", "IB 60 formulier",
    "1.250.000 inwoners", "2 500 000 euro subsidie", "afspraak 4 12 2026 om tien uur", "Belastingtelefoon 0800-0543 gebeld",
    "zaak 2024-0788 loopt nog", "auto 300 euro", "Windows 11 en iOS 18.4.2", "Met DigiD app ingelogd, 2 keer",
])
def test_ages_amounts_forms_and_dates_are_no_plate_or_local_number(note: str) -> None:
    assert pii.scan(note, names=False) == [], note


def test_a_postcode_with_house_number_stays_a_postcode_not_a_plate() -> None:
    assert [(f.kind, f.text) for f in pii.scan("Brief komt op 3011AB 12 aan.", names=False)] == [("postcode", "3011AB 12")]


@pytest.mark.parametrize("address", ["eduard64@deisun.укр", "klavdiiasuprunenko(a)pavlyk . укр", "zhang@例子.中国", "ivan@почта.рф"])
def test_e_mail_with_a_top_level_domain_in_any_script_is_redacted(address: str) -> None:
    found = pii.scan(f"Mail naar {address} gestuurd", names=False)
    assert [(f.kind, f.text) for f in found] == [("email", address)]


@pytest.mark.parametrize("note", [
    "Adres: 10, chemin Thomas Delorme. Woont op de tweede etage", "Woont op de aleja Korczaka 123\n31-230 Legnica.\ntoeslag € 320",
    "Aleea Pușcașu Nr. 987 is het oude adres", "Drumul Tudor Nr. 851 is het oude adres", "631 Kelli Road Suite 471 is het oude adres",
    "12 rue de la Paix is het oude adres", "ul. Długa 12, Kraków", "проспект Академіка Векслера, буд. 95 is het oude adres",
])
def test_streets_abroad_are_redacted_whole(note: str) -> None:
    redacted = pii.scrub_for_storage(note, names=False).redacted
    for word in ("Delorme", "Korczaka", "Legnica", "Pușcașu", "Tudor", "Kelli", "Paix", "Długa", "Векслера"):
        assert word not in redacted, (note, redacted)
    assert not any(ch.isdigit() for ch in redacted.split("€")[0]), (note, redacted)


@pytest.mark.parametrize("note", ["via de website 3 keer geprobeerd", "Via Mijn Overheid 2 berichten", "in een impasse, 2 keer gebeld",
                                  "Avenue of 2 keer", "Toeslag via Mijn Toeslagen 3 keer aangevraagd"])
def test_dutch_words_like_via_are_no_street(note: str) -> None:
    assert pii.scan(note, names=False) == [], note


@pytest.mark.parametrize(("note", "kept"), [
    ("Woont op de Kerkstraat 12\n2025 aangifte gedaan, 3 keer gebeld", "\n2025 aangifte gedaan, 3 keer gebeld"),
    ("Adres: Lange Nieuwstraat 4\n1234 AB Utrecht\nDigiD aangevraagd", "\nDigiD aangevraagd"),
    ("Adres: 5 rue Verte\n75008 Paris\nverder geholpen", "\nverder geholpen"),
])
def test_the_next_line_belongs_to_the_address_only_when_it_starts_with_a_postcode_and_its_place(note, kept):
    assert pii.scrub_for_storage(note, names=False).redacted.endswith(kept)
