"""The letter explainer's glossary in plain English for a staff member whose page is English.

The term stays Dutch (it is the word in the letter); the explanation follows the page's language, in the take-home
summary and in the staff details. Without Django settings (the bench) the glossary still loads and explains in Dutch.
"""

from __future__ import annotations

import csv
import random
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

from django.utils import translation
from languages import client_in

from balie.letters.glossary import GLOSSARY_FILE, find_terms, terms

ROOT = Path(__file__).resolve().parents[1]
LETTERS = sorted((ROOT / "balie" / "letters" / "data" / "brieven").glob("*.txt"))


def _rows() -> list[dict[str, str]]:
    with GLOSSARY_FILE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


_client = client_in


def _glossary_pairs(html: str) -> list[tuple[str, str]]:
    """(term, explanation) of every glossary list on the page (summary and details), as the reader sees them."""
    pairs = []
    for block in re.findall(r'<dl class="glossary">(.*?)</dl>', html, re.S):
        pairs += [(unescape(t), unescape(d)) for t, d in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block, re.S)]
    return pairs


def test_every_term_has_a_short_english_explanation_that_differs_from_the_dutch():
    rows = _rows()
    assert len(rows) >= 150 and list(rows[0]) == ["term", "uitleg", "uitleg_en"]
    for row in rows:
        english = row["uitleg_en"].strip()
        assert english and english != row["uitleg"], row
        assert len(english) <= 200 and english[0].isupper() and english.endswith((".", ")")), row
    # Every explanation is its own: no English text copied onto two unrelated terms by mistake (two synonyms may share).
    shared = {}
    for row in rows:
        shared.setdefault(row["uitleg_en"], set()).add(row["uitleg"])
    assert all(len(dutch) == 1 for dutch in shared.values()), [e for e, d in shared.items() if len(d) > 1]
    assert all(t.uitleg_en for t in terms().values())


def test_the_explanation_follows_the_active_language():
    rnd = random.Random(31)
    for term in rnd.sample(sorted(terms().values(), key=lambda t: t.term), 40):
        for language, expected in (("en", term.uitleg_en), ("en-gb", term.uitleg_en), ("nl", term.uitleg)):
            with translation.override(language):
                assert term.uitleg_shown == expected, (language, term)


def test_the_glossary_works_without_django_settings_and_then_explains_in_dutch():
    code = ("import os; os.environ.pop('DJANGO_SETTINGS_MODULE', None)\n"
            "from balie.letters.glossary import find_terms\n"
            "t = find_terms('U kunt bezwaar maken tegen deze aanslag.')\n"
            "print('|'.join(x.term + '=' + x.uitleg_shown for x in t))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    expected = "|".join(f"{t.term}={t.uitleg}" for t in find_terms("U kunt bezwaar maken tegen deze aanslag."))
    assert out == expected and "bezwaar maken=" in out


def test_an_english_page_explains_the_letters_terms_in_english_and_a_dutch_page_in_dutch(users):
    rnd = random.Random(77)
    table = {t.term: t for t in terms().values()}
    letters = [p.read_text(encoding="utf-8") for p in rnd.sample(LETTERS, min(5, len(LETTERS)))]
    # A made-up letter of randomly chosen glossary words, so terms beyond the sample letters are seen on the page too.
    words = rnd.sample(sorted(t.term for t in terms().values() if not t.term.isupper()), 8)
    letters.append("Geachte mevrouw, In deze brief leest u meer over " + ", ".join(words) + ". Wij hebben uw aanvraag "
                   "voor huurtoeslag bekeken. U kunt binnen zes weken bezwaar maken. Met vriendelijke groet, Gemeente Utrecht.")
    checked = 0
    for text in letters:
        found = {t.term for t in find_terms(text)}
        assert found
        for language, field, other in (("en", "uitleg_en", "uitleg"), ("nl", "uitleg", "uitleg_en")):
            response = _client(users["medewerker"], language).post("/hulpmiddelen/brief/", {"tekst": text})
            html = response.content.decode()
            assert response.status_code == 200, html[:500]
            pairs = _glossary_pairs(html)
            assert {term for term, _ in pairs} == found  # every term on the page, under its Dutch name
            for term, shown in pairs:
                assert shown == getattr(table[term], field), (language, term, shown)
                assert getattr(table[term], other) not in html, (language, term)
                checked += 1
    assert checked > 50
