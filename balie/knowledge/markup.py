"""The text of a guide: front matter of the shipped files, and a small safe Markdown subset.

Coordinators type guides in a plain textarea, so the format must be learnable in one sentence:
"a line starting with 1. is a step, - a bullet, ## a subheading, **word** is bold". Everything
is escaped first; no HTML, no links, no images can come in through a guide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_STEP = re.compile(r"^\d{1,2}[.)]\s+")
_BULLET = re.compile(r"^[-*]\s+")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
# "2." or "-" alone: a step the writer has not filled in yet (the new-guide form starts with three).
_EMPTY_ITEM = re.compile(r"^(\d{1,2}[.)]|[-*])$")


@dataclass
class GuideFile:
    slug: str
    title: str
    summary: str
    body: str
    instanties: list[str] = field(default_factory=list)
    onderwerpen: list[str] = field(default_factory=list)
    keywords: str = ""


def parse_file(path: Path) -> GuideFile:
    """A shipped guide: '---' front matter (titel, samenvatting, instanties, onderwerpen, trefwoorden), then the body."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise ValueError(f"{path.name}: begint niet met front matter (---)")
    header, _, body = text[4:].partition("\n---\n")
    meta: dict[str, str] = {}
    for line in header.splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            raise ValueError(f"{path.name}: regel zonder dubbele punt in de front matter: {line!r}")
        meta[key.strip()] = value.strip()
    missing = {"titel", "samenvatting", "instanties", "onderwerpen"} - meta.keys()
    if missing:
        raise ValueError(f"{path.name}: front matter mist {', '.join(sorted(missing))}")
    return GuideFile(
        slug=path.stem,
        title=meta["titel"],
        summary=meta["samenvatting"],
        body=body.strip() + "\n",
        instanties=meta["instanties"].split(),
        onderwerpen=meta["onderwerpen"].split(),
        keywords=meta.get("trefwoorden", ""),
    )


def _inline(text: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", escape(text))


def render(body: str) -> SafeString:
    """Headings, numbered steps, bullets and paragraphs as HTML; all text escaped."""
    html: list[str] = []
    open_list: str | None = None
    paragraph: list[str] = []

    def flush_paragraph() -> None:
        if paragraph:
            html.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()

    def close_list() -> None:
        nonlocal open_list
        if open_list:
            html.append(f"</{open_list}>")
            open_list = None

    for raw in body.splitlines():
        line = raw.strip()
        if _EMPTY_ITEM.match(line):
            continue
        kind = "ol" if _STEP.match(line) else "ul" if _BULLET.match(line) else None
        if kind:
            flush_paragraph()
            if open_list != kind:
                close_list()
                html.append(f'<{kind} class="guide-{"steps" if kind == "ol" else "list"}">')
                open_list = kind
            item = (_STEP if kind == "ol" else _BULLET).sub("", line, count=1)
            html.append(f"<li>{_inline(item)}</li>")
        elif line.startswith("#"):
            flush_paragraph()
            close_list()
            html.append(f"<h2>{_inline(line.lstrip('#').strip())}</h2>")
        elif not line:
            flush_paragraph()
            close_list()
        else:
            close_list()
            paragraph.append(line)
    flush_paragraph()
    close_list()
    return mark_safe("\n".join(html))


def step_count(body: str) -> int:
    return sum(1 for line in body.splitlines() if _STEP.match(line.strip()))


def plain(body: str) -> str:
    """The body without markup, for search."""
    lines = [_BULLET.sub("", _STEP.sub("", line.strip(), count=1), count=1).lstrip("#").strip() for line in body.splitlines()]
    return _BOLD.sub(r"\1", " ".join(line for line in lines if line))
