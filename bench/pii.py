"""The PII detector on generated desk notes: recall per kind of personal data, and false redactions of ordinary notes.

```sh
.venv/bin/python bench/pii.py                      # development seeds 1-3
.venv/bin/python bench/pii.py --seeds 10,11,12     # held out: not looked at while changing the detector
.venv/bin/python bench/pii.py --show 5 --no-names  # five misses and false redactions per kind on stderr
```

Prints one JSON line (see bench/README.md): ``recall`` per kind (an item counts as found only when every letter and
digit of it is inside a finding: fail safe, a half-redacted phone number is a leak), the number of items per kind,
and ``false_redaction_rate``: the share of ordinary notes (amounts, dates, times, years, form numbers, counts,
percentages, weeks, house numbers alone, public service numbers) in which anything was redacted. The notes are made
by bench/pii_corpus.py (Faker in twelve locales, phonenumbers, python-stdnum). No database.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balie.settings")
os.environ.setdefault("BALIE_DEBUG", "1")

try:
    import pii_corpus
except ImportError as exc:  # faker is a development dependency
    sys.exit(f"bench/pii.py needs Faker, a development dependency: make setup-dev ({exc})")

import django  # noqa: E402

django.setup()
logging.getLogger("faker").setLevel(logging.WARNING)  # Faker logs every locale it loads at DEBUG

from balie.core import pii  # noqa: E402

# Dutch desk-note sentences per kind; {x} is the item. Some name the kind ("BSN", "tel"), many do not.
SENTENCES = {
    "phone": ["Terugbellen op {x}.", "tel {x}", "Mobiel: {x}", "nummer van de zoon {x} (whatsapp)", "{x} bellen als de brief er is",
              "Bel mevrouw terug ({x}) na 14.00", "Contact via {x}, liever na 12 uur", "tel:{x}", "Telnr.{x}", "zus in het buitenland: {x}"],
    "bsn": ["BSN {x} gecontroleerd", "Klant gaf {x} op voor de aanvraag", "burgerservicenummer: {x}", "{x} staat op de brief",
            "nummer ({x}) ingevuld", "bsn:{x}"],
    "iban": ["Rekening {x} toegevoegd", "Terugbetalen naar {x}.", "IBAN:{x}", "{x} staat verkeerd bij Toeslagen", "rek.nr. {x}"],
    "national_id": ["Identiteitsnummer uit het thuisland: {x}", "nummer {x} van de ambassade", "{x} (uit het buitenlandse paspoort)",
                    "persoonsnummer {x} ingevuld", "Ze noemde {x} als haar nummer"],
    "document": ["Paspoortnummer {x}", "ID-kaart {x} verlopen", "documentnummer: {x}", "rijbewijs {x}", "{x} is het nummer van de verblijfspas",
                 "nr {x} overgenomen van het paspoort"],
    "plate": ["Kenteken {x} op naam gezet", "auto {x} verkocht via RDW", "{x} parkeerboete", "boete voor de {x}", "kenteken: {x}"],
    "email": ["Mail naar {x} gestuurd", "e-mail: {x}", "{x} is het nieuwe adres", "stuur het naar <{x}>", "mailadres {x}, wachtwoord vergeten"],
    "birthdate": ["geboren {x}", "geb. {x}", "Geboortedatum: {x}", "(geb {x})", "geboortedatum {x} klopt niet bij SVB", "° {x}"],
    "postcode": ["woont op {x}", "postcode {x}", "Adres: {x}", "{x} Rotterdam", "verhuisd naar {x}"],
    "address": ["Woont op de {x}.", "Adres: {x}", "verhuisd naar {x}", "post komt op {x} aan", "{x} is het oude adres"],
    "name": ["Mevrouw {x} kwam voor DigiD", "{x} belde over de toeslag", "Zoon {x} helpt met de aanvraag", "Geholpen: {x}",
             "buurman {x} komt mee", "Namens {x} gebeld", "Met {x} de aangifte gedaan", "dhr. {x}"],
    # After ":" or "is" any word is the secret; without them only one with digits or signs (a plain word needs them).
    "password": ["wachtwoord: {x}", "DigiD wachtwoord is {x}", "Wachtwoord = {x}", "inlogcode: {x}", "wachtwoord van de mail is {x}",
                 "pincode: {x}", "Activeringscode: {x} (brief meegenomen)", "password: {x}"],
    "password_shaped": ["DigiD wachtwoord {x}", "pincode {x}", "wachtwoord {x} opgeschreven op een briefje", "herstelcode {x}",
                        "wachtwoord van gmail {x}", "pin {x}"],
}
KINDS = ["phone_nl", "phone_intl", "phone_local", "bsn", "bsn_typo", "iban", "national_id", "document", "plate", "email",
         "email_obfuscated", "birthdate", "postcode", "address", "name", "password"]


def item(m: pii_corpus.Maker, kind: str) -> tuple[str, str, str]:
    """(sentence kind, item, detail)."""
    loc = m.rng.choice(pii_corpus.FOREIGN)
    any_loc = m.rng.choice(list(pii_corpus.LOCALES))
    if kind == "phone_nl":
        return "phone", m.phone("NL", prefixed=m.rng.random() < 0.4), "NL"
    if kind in ("phone_intl", "phone_local"):
        return "phone", m.phone(pii_corpus.LOCALES[loc], prefixed=kind == "phone_intl"), loc
    if kind in ("bsn", "bsn_typo"):
        return "bsn", m.bsn(valid=kind == "bsn"), ""
    if kind == "iban":
        return "iban", m.iban(any_loc), any_loc
    if kind == "national_id":
        return "national_id", m.national_id(loc), loc
    if kind in ("document", "plate", "birthdate", "address", "name"):
        return kind, getattr(m, kind)(any_loc), any_loc
    if kind in ("email", "email_obfuscated"):
        while True:
            value = m.email(any_loc)
            if ("@" in value and "." in value.split("@")[-1]) == (kind == "email"):
                return "email", value, any_loc
    if kind == "password":
        value = m.password(any_loc)
        plain = value.isalpha()  # a plain word is a secret only after ":" or "is"
        return "password" if plain or m.rng.random() < 0.5 else "password_shaped", value, "woord" if plain else ""
    return "postcode", m.postcode(), ""


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def notes(seed: int, per_kind: int, negatives: int) -> list[pii_corpus.Note]:
    m = pii_corpus.Maker(seed)
    out = []
    for kind in KINDS:
        for _ in range(per_kind):
            sentence_kind, value, detail = item(m, kind)
            sentence = m.rng.choice(SENTENCES[sentence_kind])
            before = _cap(m.ordinary()) + m.rng.choice([". ", ", ", "\n", "; "]) if m.rng.random() < 0.5 else ""
            after = m.rng.choice([". ", ", ", "\n", " en "]) + m.ordinary() if m.rng.random() < 0.5 else ""
            head, _, tail = sentence.partition("{x}")
            start = len(before) + len(head)
            out.append(pii_corpus.Note(kind, before + head + value + tail + after, start, start + len(value), detail))
    for _ in range(negatives):
        parts = [m.ordinary() for _ in range(m.rng.randint(1, 3))]
        out.append(pii_corpus.Note("negative", _cap(m.rng.choice([". ", ", ", "\n"]).join(parts)), 0, 0, ""))
    return out


def covered(note: pii_corpus.Note, findings: list[pii.Finding]) -> bool:
    """Every letter and digit of the item lies inside some finding."""
    return all(not ch.isalnum() or any(f.start <= i < f.end for f in findings)
               for i, ch in enumerate(note.text[note.start:note.end], start=note.start))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--per-kind", type=int, default=150)
    parser.add_argument("--negatives", type=int, default=1000)
    parser.add_argument("--no-names", action="store_true", help="without deduce (the regexes and the salutation rule)")
    parser.add_argument("--show", type=int, default=0, help="print this many misses per kind on stderr")
    args = parser.parse_args()
    names = not args.no_names
    if names:
        pii.warm_up(background=False)
    found: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    misses: dict[str, list[str]] = defaultdict(list)
    false, negatives, cpu, count = 0, 0, 0.0, 0
    seeds = [int(s) for s in args.seeds.split(",")]
    for seed in seeds:
        for note in notes(seed, args.per_kind, args.negatives):
            started = time.process_time()
            findings = pii.scan(note.text, names=names)
            cpu += time.process_time() - started
            count += 1
            if note.kind == "negative":
                negatives += 1
                if findings:
                    false += 1
                    misses["negative"].append(f"{note.text!r} -> {[(f.kind, f.text) for f in findings]}")
                continue
            total[note.kind] += 1
            if covered(note, findings):
                found[note.kind] += 1
            else:
                misses[note.kind].append(f"[{note.detail}] {note.text[note.start:note.end]!r} in {note.text!r} -> {[f.text for f in findings]}")
    for kind, lines in misses.items():
        for line in lines[:args.show]:
            print(f"{kind}: {line}", file=sys.stderr)
    print(json.dumps({
        "seeds": seeds, "names": names,
        "recall": {k: round(found[k] / total[k], 3) for k in KINDS},
        "items": {k: total[k] for k in KINDS},
        "negative_notes": negatives,
        "false_redaction_rate": round(false / negatives, 3) if negatives else None,
        "cpu_ms_per_note": round(1000 * cpu / count, 2),
    }))


if __name__ == "__main__":
    main()
