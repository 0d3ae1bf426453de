"""Errors of a file import that is all or nothing: every row is checked first, each error names the line and the
column (and, in a package of several files, the file) with the reason in the importer's language, so a file can be
fixed in one go.

The registration import (desk.exchange) and the HSDS social-map import (partners.hsds) both report this way, and both
read a file's lines with physical_lines below.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, gettext_lazy, ngettext


@dataclass(frozen=True)
class RowError:
    line: int  # 1 is the header; 0 when the error is about the file as a whole
    column: str
    message: str
    file: str = ""  # only for a package of several files

    def __str__(self) -> str:
        where = ((" " + gettext("regel %(line)s") % {"line": self.line}) if self.line else "") + (
            (", " + gettext("kolom %(column)s") % {"column": self.column}) if self.column else "")
        where = (self.file + where) if self.file else where.lstrip(" ,")
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        """Stored with an import job and shown in its error table (keys in Dutch, as the page shows them)."""
        data = {"regel": self.line, "kolom": self.column, "reden": self.message}
        return {"bestand": self.file, **data} if self.file else data


class Rejected(Exception):
    """The file has errors; nothing was saved."""

    what = gettext_lazy("het bestand")

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(ngettext("%(count)s fout in %(what)s; er is niets geïmporteerd.",
                                  "%(count)s fouten in %(what)s; er is niets geïmporteerd.", len(errors)) % {
            "count": len(errors), "what": self.what})


_LONE_CR = re.compile(r"\r(?!\n)")


def normalise_line_ends(text: str) -> str:
    """Every lone CR (old Mac, some exports) as LF; CRLF stays, csv.reader reads it."""
    return _LONE_CR.sub("\n", text) if "\r" in text else text


def physical_lines(text: str) -> Iterator[str]:
    """The lines of a CSV text with their ends, for csv.reader, whichever ends they have: CRLF (Windows), LF, or a lone
    CR (old Mac, some exports). A lone CR becomes LF: csv.reader (and io.StringIO) split on LF only, so a CR-only file
    was one line and was refused as a broken quote. Inside a quoted text a line break stays a line break (CRLF as it
    is). A generator over the text, not io.StringIO, which would copy a large file into a buffer four times its size."""
    text = normalise_line_ends(text)
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        end = size if end < 0 else end + 1
        yield text[start:end]
        start = end
