"""The English catalogue is complete: every message marked for translation has an English text that is not fuzzy.

The marked messages are found the way Django finds them (`makemessages`, so Python, templates and JavaScript alike),
but in a copy of the source tree: makemessages rewrites every catalogue it finds, and the committed .po files are
edited by hand in blocks per branch (docs: never run makemessages over the whole file).
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".js"}


@dataclass(frozen=True)
class Entry:
    msgid: str
    msgctxt: str
    msgstrs: tuple[str, ...]
    fuzzy: bool


def _unquote(lines: list[str]) -> str:
    # A PO string is a C string literal; for the escapes gettext writes (\\n, \\t, \\", \\\\) Python's reading is the same.
    return "".join(ast.literal_eval(line.strip()) for line in lines if line.strip().startswith('"'))


def parse_po(text: str) -> dict[tuple[str, str], Entry]:
    """msgctxt + msgid -> Entry; obsolete (#~) entries and the header are left out. Handles multi-line strings."""
    entries: dict[tuple[str, str], Entry] = {}
    # Entries are separated by blank lines; a merge can glue two together (a comment or msgctxt/msgid line right after
    # the previous msgstr), so a new entry also starts there.
    text = re.sub(r'(\n"[^\n]*"|\nmsgstr(?:\[\d+\])? "[^\n]*")\n(?=#|msgctxt |msgid )', r"\1\n\n", text)
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, list[str]] = {}
        current = ""
        for line in lines:
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")\s*$', line)
            if match:
                current = match.group(1)
                fields[current] = [match.group(2)]
            elif line.startswith('"') and current:
                fields[current].append(line)
        msgid = _unquote(fields.get("msgid", []))
        if not msgid:
            continue  # the header
        strs = tuple(_unquote(v) for k, v in sorted(fields.items()) if k.startswith("msgstr"))
        ctxt = _unquote(fields.get("msgctxt", []))
        entries[(ctxt, msgid)] = Entry(msgid, ctxt, strs, fuzzy)
    return entries


def extract(source: Path, work: Path, domain: str) -> dict[tuple[str, str], Entry]:
    """Run makemessages for `domain` over a copy of `source` (a directory holding the `balie` package)."""
    tree = work / "src"
    out = work / "out"
    shutil.rmtree(work, ignore_errors=True)
    out.mkdir(parents=True)

    def skip(directory: str, names: list[str]) -> list[str]:
        return [n for n in names if n in {"locale", "__pycache__", "vendor"} or
                (Path(directory, n).is_file() and Path(n).suffix not in SOURCE_SUFFIXES)]

    shutil.copytree(source / "balie", tree / "balie", ignore=skip)
    # makemessages only walks files; it needs no apps, so the settings stay minimal (and do not import the copy).
    (work / "i18n_check_settings.py").write_text(f"SECRET_KEY = 'i18n-check'\nUSE_I18N = True\nLOCALE_PATHS = [{str(out)!r}]\n")
    env = {**os.environ, "PYTHONPATH": str(work), "DJANGO_SETTINGS_MODULE": "i18n_check_settings"}
    done = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "-d", domain, "--no-location", "--no-obsolete",
         "-i", "static/nlds/*", "-i", "static/django_htmx/*"],
        cwd=tree, env=env, capture_output=True, text=True,
    )
    if done.returncode:
        raise RuntimeError(f"makemessages failed: {done.stderr[-2000:]}")
    po = out / "en" / "LC_MESSAGES" / f"{domain}.po"
    return parse_po(po.read_text(encoding="utf-8")) if po.exists() else {}


def untranslated(marked: dict[tuple[str, str], Entry], catalogue: dict[tuple[str, str], Entry]) -> list[str]:
    """Messages in the code that the catalogue lacks, leaves empty or marks fuzzy."""
    problems = []
    for key, entry in sorted(marked.items()):
        have = catalogue.get(key)
        if have is None:
            problems.append(f"ontbreekt: {entry.msgid!r}")
        elif have.fuzzy:
            problems.append(f"fuzzy: {entry.msgid!r}")
        elif not have.msgstrs or not all(have.msgstrs):
            problems.append(f"geen Engelse tekst: {entry.msgid!r}")
    return problems


def catalogue_files(domain: str, root: Path = ROOT) -> list[Path]:
    """The project's catalogue and those of the apps (`balie/<app>/locale`), which Django reads after it."""
    main = root / "balie" / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
    apps = sorted((root / "balie").glob(f"*/locale/en/LC_MESSAGES/{domain}.po"))
    return [p for p in [main, *apps] if p.exists()]


def catalogue(domain: str, root: Path = ROOT) -> dict[tuple[str, str], Entry]:
    entries: dict[tuple[str, str], Entry] = {}
    for path in reversed(catalogue_files(domain, root)):  # the project's own catalogue wins, as in Django
        entries.update(parse_po(path.read_text(encoding="utf-8")))
    return entries
