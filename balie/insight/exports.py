"""Dashboard tables as CSV or XLSX: the same (suppressed) cells as on screen, never notes.

Location, partner and local-code names are typed by coordinators and reach gemeente and landelijk users, so every
text cell goes through core.spreadsheet: no cell can become a formula (review M3).
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from balie.core import privacy
from balie.core.spreadsheet import safe_row, xlsx_row

from .tables import Table


def meta_lines(res: Any) -> list[str]:
    lines = [_("Periode: %(period)s") % {"period": res.period.label}, _("Bron: Balie, registraties van de Informatiepunten Digitale Overheid")]
    filters = {k: v for k, v in res.chosen.items() if k != "periode"}
    if filters:
        lines.append(_("Filters: ") + ", ".join(f"{k}={v}" for k, v in filters.items()))
    if res.suppressed:
        lines.append(str(privacy.LEGEND))
    return lines


_COUNT = re.compile(r"\d{1,3}(\.\d{3})*")
_PERCENT = re.compile(r"(\d+)%")


def _figure(label: str, value: str) -> tuple[str, Any]:
    """A key figure as a spreadsheet cell: the page writes 1.521 and 68%, a CSV or Excel file needs the number (1521, and
    68 under a label that says %), or the key figures are text in Excel and disagree with the tables' 1521. "<5" and
    "afgeschermd" stay as they are."""
    if _COUNT.fullmatch(value):
        return label, int(value.replace(".", ""))
    if match := _PERCENT.fullmatch(value):
        return f"{label} (%)", int(match.group(1))
    return label, value


def key_figures_table(board: Any) -> Table:
    return Table("kerncijfers", _("Kerncijfers"), [_("Kerncijfer"), _("Waarde"), _("Toelichting")],
                 [[*_figure(k.label, k.value), k.detail] for k in board.key_figures])


def _value(v: Any) -> Any:
    return "" if v is None else v


def csv_bytes(tables: list[Table], meta: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in meta or []:
        writer.writerow(safe_row([f"# {line}"]))
    for i, table in enumerate(tables):
        if len(tables) > 1:
            if i:
                writer.writerow([])
            writer.writerow(safe_row([table.title]))
        for row in table.as_lists():
            writer.writerow(safe_row([_value(v) for v in row]))
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 correctly


def xlsx_bytes(tables: list[Table], meta: list[str] | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in tables:
        title = table.title[:31].replace("/", "-").replace(":", "")
        while title in used:
            title = title[:28] + f"_{len(used)}"
        used.add(title)
        sheet = book.create_sheet(title)
        for line in meta or []:
            sheet.append(xlsx_row(sheet, [line]))
        if meta:
            sheet.append([])
        header_row = sheet.max_row + 1 if meta else 1
        for row in table.as_lists():
            sheet.append(xlsx_row(sheet, [_value(v) for v in row]))
        for cell in sheet[header_row] if table.columns else ():  # a section that is only a sentence has no header
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def respond(tables: list[Table], fmt: str, name: str, *, meta: list[str] | None = None) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(csv_bytes(tables, meta), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(tables, meta), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        raise Http404(_("Kies csv of xlsx."))
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
