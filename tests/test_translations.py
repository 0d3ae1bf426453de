"""CI: every Dutch message has an English translation (Python, templates, JavaScript); empty or fuzzy fails."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest

from tests.i18n_check import ROOT, catalogue, catalogue_files, extract, parse_po, untranslated

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_it_has_an_english_text_for_every_marked_dutch_message(tmp_path, domain):
    marked = extract(ROOT, tmp_path, domain)
    if domain == "django":
        assert len(marked) > 200  # the extraction itself worked
    problems = untranslated(marked, catalogue(domain))
    assert problems == [], f"{len(problems)} berichten zonder Engelse vertaling in {domain}.po:\n" + "\n".join(problems[:60])


@pytest.mark.parametrize("po", catalogue_files("django") + catalogue_files("djangojs"), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_compiled_catalogue_matches_the_po_file(po):
    entries = parse_po(po.read_text(encoding="utf-8"))
    with open(po.with_suffix(".mo"), "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = [e.msgid for e in entries.values()
             if not e.fuzzy and e.msgstrs and all(e.msgstrs) and not e.msgctxt and not any("\n" in s for s in e.msgstrs)
             and len(e.msgstrs) == 1 and compiled.gettext(e.msgid) != e.msgstrs[0]]
    assert stale == [], f"{po.name} is ouder dan het .po-bestand (draai compilemessages -l en): {stale[:10]}"


def test_glued_entries_are_read_as_two():
    """A merge can put the next entry's comment right after a msgstr; both entries are still read."""
    glued = parse_po('msgid "Een"\nmsgstr "One"\n# --- tak ---\nmsgid "Twee"\nmsgstr ""\n"Two"\nmsgid "Drie"\nmsgstr "Three"\n')
    assert {k[1]: e.msgstrs for k, e in glued.items()} == {"Een": ("One",), "Twee": ("Two",), "Drie": ("Three",)}


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "project"
    for name, body in files.items():
        path = root / "balie" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    (root / "balie" / "__init__.py").touch()
    return root


@pytest.mark.parametrize("domain, name, body", [
    ("django", "x/views.py", 'from django.utils.translation import gettext as _\nTEXT = _("Nog niet vertaald")\n'),
    ("django", "templates/x.html", '{% load i18n %}<p>{% translate "Nog niet vertaald" %}</p>'),
    ("django", "templates/y.html", '{% load i18n %}{% blocktranslate with n=3 %}Nog niet vertaald{% endblocktranslate %}'),
    ("djangojs", "static/x.js", 'var text = gettext("Nog niet vertaald");\n'),
])
def test_the_check_fails_on_a_message_without_translation(tmp_path, domain, name, body):
    """The check is not vacuous: a marked message in each kind of source is found, and an empty or fuzzy one fails."""
    marked = extract(_tree(tmp_path, {name: body}), tmp_path / "work", domain)
    assert [e.msgid for e in marked.values()] == ["Nog niet vertaald"]
    assert untranslated(marked, {}) == ["ontbreekt: 'Nog niet vertaald'"]
    empty = parse_po('msgid "Nog niet vertaald"\nmsgstr ""\n')
    fuzzy = parse_po('#, fuzzy\nmsgid "Nog niet vertaald"\nmsgstr "Not translated yet"\n')
    good = parse_po('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Nog niet vertaald"\nmsgstr ""\n"Not translated "\n"yet"\n')
    assert untranslated(marked, empty) == ["geen Engelse tekst: 'Nog niet vertaald'"]
    assert untranslated(marked, fuzzy) == ["fuzzy: 'Nog niet vertaald'"]
    assert untranslated(marked, good) == []
