"""Who may do what is decided in one place: balie/core/access.py (review 2026-12, section 5A).

This test fails on any direct role decision in balie/ outside that module and balie/accounts/ (where the Role enum
and the user model live): comparing a role, reading user.role, the is_coordinator / is_desk_staff shortcuts, a Role
member, getattr(user, "role"). Views, selectors, templates and the API ask core.access instead.
Run it with --runxfail to see the list (file:line: what: the line) while it is still expected to fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

BALIE = Path(__file__).resolve().parent.parent / "balie"
ALLOWED = ("core/access.py", "accounts/")  # relative to balie/

ROLE_NAME = r"['\"](medewerker|coordinator|gemeente|landelijk|partner|beheerder)['\"]"
PATTERNS = {
    "compares .role": re.compile(r"\.role\s*(==|!=|\bin\b|\bnot\s+in\b)"),
    "compares role to a literal": re.compile(r"\brole\s*(==|!=)\s*['\"]"),
    "role in a collection": re.compile(r"\brole\s+(not\s+)?in\b"),
    "a collection of role names": re.compile(rf"[(\[{{]\s*({ROLE_NAME}\s*,\s*)+{ROLE_NAME}"),
    "reads user.role": re.compile(r"\buser\.role\b"),
    "getattr of a role attribute": re.compile(r"getattr\(\s*[\w.]+\s*,\s*['\"](role|is_coordinator|is_desk_staff)['\"]"),
    "is_coordinator": re.compile(r"\bis_coordinator\b"),
    "is_desk_staff": re.compile(r"\bis_desk_staff\b"),
    "Role member": re.compile(r"\bRole\.[A-Z][A-Z_]*\b"),
}


def offending_lines() -> list[str]:
    found = []
    for path in sorted([*BALIE.rglob("*.py"), *BALIE.rglob("*.html")]):
        relative = path.relative_to(BALIE).as_posix()
        if "/migrations/" in f"/{relative}" or relative.startswith(ALLOWED):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            hits = [name for name, pattern in PATTERNS.items() if pattern.search(line)]
            if hits:
                found.append(f"balie/{relative}:{number}: {', '.join(hits)}: {line.strip()[:120]}")
    return found


@pytest.mark.xfail(strict=False, reason="until core.access lands")
def test_it_decides_roles_only_in_core_access():
    found = offending_lines()
    print(f"{len(found)} direct role decision(s) outside balie/core/access.py and balie/accounts/:")
    print("\n".join(found))
    files = sorted({line.split(":", 1)[0] for line in found})
    assert not found, f"{len(found)} direct role decision(s) in {len(files)} file(s); ask balie.core.access instead:\n" + "\n".join(found)
