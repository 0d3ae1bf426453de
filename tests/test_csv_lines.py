"""One reading of a CSV file's lines for both imports (core/csvcheck.physical_lines): registrations and HSDS packages.

Any line end (CRLF, LF, a lone CR) between records, any line break inside a quoted text, on generated files: the rows
come back as written, a lone CR inside a text as a line break (LF).
"""

from __future__ import annotations

import csv
import io
import random

import pytest

from balie.core.csvcheck import normalise_line_ends, physical_lines


def _field(rng: random.Random) -> str:
    parts = [rng.choice(["DigiD", "aanvraag", "Zorgtoeslag", "€ 12,50", "ja", "", "x;y", 'zei "hallo"', "a,b"]) for _ in range(rng.randint(0, 3))]
    return rng.choice(["\n", "\r\n", "\r", " "]).join(parts)


@pytest.mark.parametrize("seed", range(12))
def test_rows_come_back_as_written_whatever_the_line_ends(seed):
    rng = random.Random(seed)
    rows = [[_field(rng) for _ in range(rng.randint(1, 6))] for _ in range(rng.randint(1, 40))]
    end, delimiter = rng.choice(["\n", "\r\n", "\r"]), rng.choice([",", ";", "\t"])
    buffer = io.StringIO(newline="")
    # The csv module quotes a text with a line break only when the break is part of its own line end: with a CR in the
    # texts (or between the records, as old Mac exports write them) every field is quoted, as a spreadsheet does.
    any_cr = end == "\r" or any("\r" in cell for row in rows for cell in row)
    csv.writer(buffer, lineterminator=end, delimiter=delimiter, quoting=csv.QUOTE_ALL if any_cr else csv.QUOTE_MINIMAL).writerows(rows)
    read = list(csv.reader(physical_lines(buffer.getvalue()), strict=True, delimiter=delimiter))
    assert read == [[normalise_line_ends(cell) for cell in row] for row in rows]


def test_a_lone_cr_is_a_line_end_and_crlf_stays():
    assert list(physical_lines("a\rb\r\nc\nd")) == ["a\n", "b\r\n", "c\n", "d"]
    assert normalise_line_ends('"x\ry"') == '"x\ny"'
