"""Small-cell suppression: the one "< 5" rule for everything that leaves a library (ADR 0010, DESIGN.md privacy).

Who must get suppressed figures is decided in one place as well: ``core.access.Scope.suppressed``.

The rule, per table:
1. Primary: a count of 1 to 4 is shown as "<5" (0 stays 0: nobody is nobody).
2. Complementary: every row or column that has a total (the groups) must, if it hides anything,
   hide at least two cells holding together at least 5 questions. Otherwise the hidden cell
   could be computed as the total minus the shown cells. So the smallest shown non-zero cell of
   the group is hidden as well ("×"), and this repeats across rows and columns until nothing changes.
3. A group that cannot be protected that way (no cell left to hide) hides its total too.
Totals are the true totals; they are shown unless rule 3 hides them.
"""

from __future__ import annotations

from collections.abc import Sequence

THRESHOLD = 5
SMALL = "<5"
SECONDARY = "×"


def primary(n: int) -> bool:
    return 0 < n < THRESHOLD


def protect(values: Sequence[Sequence[int]], *, row_totals: bool = True, column_totals: bool = True) -> tuple[list[list[bool]], list[bool], list[bool]]:
    """Which cells to hide in a matrix (rows x columns), plus which row and column totals to hide.

    A one-dimensional list is a matrix with one column: pass [[v] for v in values] and row_totals=False.
    """
    rows, cols = len(values), len(values[0]) if values else 0
    hidden = [[primary(values[r][c]) for c in range(cols)] for r in range(rows)]
    hide_row_total = [primary(sum(values[r])) for r in range(rows)]
    hide_col_total = [primary(sum(values[r][c] for r in range(rows))) for c in range(cols)]
    groups: list[tuple[list[tuple[int, int]], str, int]] = []
    if row_totals:
        groups += [([(r, c) for c in range(cols)], "row", r) for r in range(rows)]
    if column_totals:
        groups += [([(r, c) for r in range(rows)], "col", c) for c in range(cols)]
    changed = True
    while changed:
        changed = False
        for cells, kind, index in groups:
            total_hidden = hide_row_total[index] if kind == "row" else hide_col_total[index]
            if total_hidden:
                continue  # nothing can be subtracted from a hidden total
            shut = [values[r][c] for r, c in cells if hidden[r][c]]
            if not shut or (len(shut) >= 2 and sum(shut) >= THRESHOLD):
                continue
            candidates = sorted((values[r][c], r, c) for r, c in cells if not hidden[r][c] and values[r][c] > 0)
            if candidates:
                _, r, c = candidates[0]
                hidden[r][c] = True
            elif kind == "row":
                hide_row_total[index] = True
            else:
                hide_col_total[index] = True
            changed = True
    return hidden, hide_row_total, hide_col_total


def protect_list(values: Sequence[int]) -> tuple[list[bool], bool]:
    """One distribution with its total: (hidden per value, total hidden)."""
    hidden, _rows, cols = protect([[v] for v in values], row_totals=False)
    return [h[0] for h in hidden], cols[0] if cols else False


def show(n: int, hidden: bool, *, secondary_mark: bool = True) -> str:
    if not hidden:
        return f"{n:,}".replace(",", ".")
    return SMALL if primary(n) or not secondary_mark else SECONDARY


def cell(n: int | float, suppressed: bool) -> int | None:
    """One count on its own (no table around it): None when it must be hidden ("<5" on screen)."""
    n = int(round(n))
    return None if suppressed and primary(n) else n


def label(n: int | float) -> str:
    """A single count as text for anything that leaves the library: 1-4 could point at one person."""
    n = int(round(n))
    return SMALL if primary(n) else str(n)
