#!/usr/bin/env python
"""Print the data tables the browser PII check (balie/static/balie/pii.js) needs, as the JSON it embeds.

The offline desk checks notes in the browser with the same rules as balie/core/pii; the rules that depend on data
(IBAN lengths and structures from python-stdnum, phone-number lengths per country code from phonenumbers) are copied
from the Python libraries by this script. tests/test_offline_pii.py fails when pii.js holds other tables than this
prints, so a library update is noticed:

    .venv/bin/python scripts/offline_pii_tables.py > /tmp/tables.json   # then paste over TABLES in pii.js
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def tables() -> dict[str, Any]:
    import phonenumbers
    from stdnum import numdb

    from balie.core.pii import numbers

    iban: dict[str, list[Any]] = {}
    for _, cc, _, props, _ in numdb.get("iban").prefixes:
        if bban := props.get("bban"):
            pattern = re.sub(r"([0-9]+)!([nac])", lambda m: {"n": "[0-9]", "a": "[A-Z]", "c": "[A-Za-z0-9]"}[m.group(2)] + "{" + m.group(1) + "}", bban)
            iban[cc] = [numbers.IBAN_LENGTHS[cc], pattern]
    phone = {str(cc): sorted(numbers._possible_lengths(cc)) for cc in sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)}
    return {"iban": dict(sorted(iban.items())), "phone": phone, "public": sorted(numbers.PUBLIC_NUMBERS)}


if __name__ == "__main__":
    print(json.dumps(tables(), separators=(",", ":")))
