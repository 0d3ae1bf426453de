"""Read access to the national code lists.

Published versions never change, so their codes are cached per process; drafts are read fresh.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db.models import Q

from .memo import ProcessMemo
from .models import Code, CodeList, CodeListVersion

DATA_DIR = Path(__file__).resolve().parent / "data"
MULTI_VALUE_LISTS = {CodeList.BEHOEFTEPROFIEL, CodeList.ACHTERLIGGEND}


# Several codes in one column are stored as "|A|B|": a LIKE '%|A|%' finds every row with code A, and the rollups
# split the same string in SQL. Questions (behoefteprofielen, achterliggend) and partner services share the form.
def join_multi(values: list[str] | tuple[str, ...]) -> str:
    values = [v for v in dict.fromkeys(values) if v]
    return f"|{'|'.join(values)}|" if values else ""


def split_multi(value: str) -> list[str]:
    return [v for v in (value or "").split("|") if v]


def load_shipped(number: int) -> dict:
    with open(DATA_DIR / f"codelists-v{number}.json", encoding="utf-8") as fh:
        return json.load(fh)


def current_version() -> CodeListVersion:
    version = CodeListVersion.objects.filter(published_at__isnull=False).order_by("-number").first()
    if version is None:
        raise CodeListVersion.DoesNotExist("Er is geen gepubliceerde codelijstversie; draai de migraties.")
    return version


@lru_cache(maxsize=64)
def _published_codes(version_id: int, code_list: str) -> tuple[tuple[str, str, str, bool, str], ...]:
    return tuple(
        Code.objects.filter(version_id=version_id, list=code_list).values_list(
            "code", "label", "label_en", "active", "bestuurslaag"
        )
    )


def _rows(version: CodeListVersion, code_list: str) -> tuple[tuple[str, str, str, bool, str], ...]:
    if version.is_draft:
        return tuple(
            Code.objects.filter(version=version, list=code_list).values_list(
                "code", "label", "label_en", "active", "bestuurslaag"
            )
        )
    return _published_codes(version.pk, code_list)


def codes(version: CodeListVersion, code_list: str, *, include_inactive: bool = False) -> dict[str, str]:
    """Map code -> (Dutch) label for one list of one version, in display order."""
    return {code: label for code, label, _en, active, _laag in _rows(version, code_list) if active or include_inactive}


def english() -> bool:
    """True when the page speaks English (a staff user who chose English, or a visitor's ?lang=en)."""
    from django.utils import translation

    return (translation.get_language() or "nl")[:2] == "en"


def display_codes(version: CodeListVersion, code_list: str, *, include_inactive: bool = False) -> dict[str, str]:
    """codes() for people to read: in English where the page is English and the code has an English label."""
    if not english():
        return codes(version, code_list, include_inactive=include_inactive)
    return {code: en or label for code, label, en, active, _laag in _rows(version, code_list) if active or include_inactive}


@lru_cache(maxsize=64)
def _codes_through(version_number: int, code_list: str) -> frozenset[str]:
    ids = CodeListVersion.objects.filter(published_at__isnull=False, number__lte=version_number).values_list("pk", flat=True)
    return frozenset(code for pk in ids for code, *_rest in _published_codes(pk, code_list))


def codes_through(version: CodeListVersion, code_list: str) -> frozenset[str]:
    """Every code of one list, inactive ones too, in the published versions up to and including this one: what data
    made with this version or an older one may hold (a federation delivery's older months, insight/delivered.py).

    Cached per version: a version is published after every lower number (one draft at a time, numbered after the
    newest published one), so the set for a published version never changes; publishing clears it all the same."""
    if version.is_draft:
        raise ValueError("Alleen gepubliceerde versies.")
    return _codes_through(version.number, code_list)


def bestuurslagen(version: CodeListVersion) -> dict[str, str]:
    rows = _published_codes(version.pk, CodeList.INSTANTIE) if not version.is_draft else ()
    return {code: laag for code, _l, _e, _a, laag in rows}


def clear_cache() -> None:
    _published_codes.cache_clear()
    _codes_through.cache_clear()
    _LABELS.forget()


# Labels for display (issue 14: people read labels, never codes). Published codes never change, so one dict per list
# over every published version is cached per process for a few seconds (a table of 50 rows asks 200 times); a code
# that is not in it (a version published since) refreshes it at once (label_of).
LABEL_CACHE_SECONDS = 30.0
_LABELS: ProcessMemo[dict[str, str]] = ProcessMemo(LABEL_CACHE_SECONDS)


def current_labels(code_list: str, *, fresh: bool = False, language: str = "nl") -> dict[str, str]:
    """Code -> label of one list, over all published versions (the newest label wins; inactive codes included).

    Dutch by default; language="en" gives the English label where the code list has one (else the Dutch one)."""

    def read() -> dict[str, str]:
        labels: dict[str, str] = {}
        for code, label, label_en in Code.objects.filter(list=code_list, version__published_at__isnull=False).order_by(
            "version__number", "sort_order"
        ).values_list("code", "label", "label_en"):
            labels[code] = (label_en or label) if language == "en" else label
        return labels

    return _LABELS.get((code_list, language), read, fresh=fresh)


def label_of(code_list: str, code: str) -> str:
    """The label of one code in the page's language (the code itself only if no published version knows it)."""
    if not code:
        return ""
    language = "en" if english() else "nl"
    labels = current_labels(code_list, language=language)
    if code not in labels:
        labels = current_labels(code_list, fresh=True, language=language)
    return labels.get(code, code)


def install_shipped_version(number: int, *, code_model=Code, version_model=CodeListVersion) -> None:
    """Create a published version from the JSON shipped in core/data (used by the data migration)."""
    install_version(load_shipped(number), code_model=code_model, version_model=version_model)


def install_version(data: dict, *, code_model=Code, version_model=CodeListVersion) -> bool:
    """Create a published version from its JSON form (shipped, or pulled from the national hub). True if it was new.

    A published version never changes, so an existing number is left as it is: pulling it twice changes nothing.
    """
    from django.utils import timezone

    if version_model.objects.filter(number=data["version"]).exists():
        return False
    version = version_model.objects.create(
        number=data["version"], description=data["description"], published_at=timezone.now(),
    )
    code_model.objects.bulk_create(
        code_model(
            version=version, list=list_name, code=entry["code"], label=entry["label"], label_en=entry.get("label_en", ""),
            bestuurslaag=entry.get("bestuurslaag", ""), sort_order=position, active=entry.get("active", True),
        )
        for list_name, entries in data["lists"].items()
        for position, entry in enumerate(entries)
    )
    return True


def export_version(version: CodeListVersion) -> dict:
    """A published version in the form install_version reads: what the national hub hands its nodes."""
    lists: dict[str, list[dict]] = {}
    for code in Code.objects.filter(version=version).order_by("list", "sort_order", "code"):
        lists.setdefault(code.list, []).append({
            "code": code.code, "label": code.label, "label_en": code.label_en, "bestuurslaag": code.bestuurslaag,
            "active": code.active,
        })
    return {"version": version.number, "description": version.description, "lists": lists}


def search_filter(text: str) -> Q:
    return Q(code__icontains=text) | Q(label__icontains=text)


@dataclass(frozen=True)
class CodeChange:
    """One difference between a draft and the version in use, shown before publishing (review 2026-12, landelijk)."""

    list_label: str
    code: str
    kind: str  # "nieuw", "gewijzigd", "vervallen", "weer te kiezen"
    before: str
    after: str

    @property
    def kind_label(self) -> str:
        """The kind in the page's language (the kind itself stays the Dutch key)."""
        from django.utils.translation import gettext, gettext_noop

        labels = {"nieuw": gettext_noop("nieuw"), "gewijzigd": gettext_noop("gewijzigd"), "vervallen": gettext_noop("vervallen"),
                  "weer te kiezen": gettext_noop("weer te kiezen")}
        return gettext(labels.get(self.kind, self.kind))


def _describe(code: Code) -> str:
    parts = [code.label]
    if code.label_en:
        parts.append(f"EN: {code.label_en}")
    if code.bestuurslaag:
        parts.append(f"bestuurslaag {code.bestuurslaag}")
    return " · ".join(parts)


def version_changes(base: CodeListVersion, draft: CodeListVersion) -> list[CodeChange]:
    """What publishing `draft` changes for every library compared with `base`, per list in list order."""
    old = {(c.list, c.code): c for c in base.codes.all()}
    new = {(c.list, c.code): c for c in draft.codes.all()}
    labels = dict(CodeList.choices)
    order = {value: position for position, value in enumerate(CodeList.values)}
    changes = []
    for key in sorted(set(old) | set(new), key=lambda k: (order.get(k[0], 99), k[1])):
        before, after = old.get(key), new.get(key)
        list_label = str(labels.get(key[0], key[0]))
        if before is None and after is not None:
            changes.append(CodeChange(list_label, key[1], "nieuw", "", _describe(after)))
        elif after is None and before is not None:
            changes.append(CodeChange(list_label, key[1], "vervallen", _describe(before), ""))
        elif before is not None and after is not None:
            if before.active and not after.active:
                changes.append(CodeChange(list_label, key[1], "vervallen", _describe(before), _describe(after)))
            elif after.active and not before.active:
                changes.append(CodeChange(list_label, key[1], "weer te kiezen", _describe(before), _describe(after)))
            elif _describe(before) != _describe(after):
                changes.append(CodeChange(list_label, key[1], "gewijzigd", _describe(before), _describe(after)))
    return changes
