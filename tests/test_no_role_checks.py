"""Who may do what is decided in one place: balie/core/access.py (review 2026-12, section 5A).

This test fails on any direct role decision in balie/ outside that module and balie/accounts/ (where the Role enum
and the user model live): comparing a role, reading user.role, the is_coordinator / is_desk_staff shortcuts, a Role
member, getattr(user, "role"). Views, selectors, templates and the API ask core.access instead.
A failure lists every offending line (file:line: what: the line).
"""

from __future__ import annotations

import re
from pathlib import Path

BALIE = Path(__file__).resolve().parent.parent / "balie"
# Relative to balie/: the access module, the role enum and user model, and the demo builder (which assigns roles to
# demo accounts and weighs them when it invents registrations; it decides nobody's access).
ALLOWED = ("core/access.py", "core/roles.py", "accounts/", "demo/")

ROLE_NAME = r"['\"](medewerker|coordinator|gemeente|landelijk|partner|beheerder)['\"]"
PATTERNS = {
    "compares .role": re.compile(r"\.role\s*(==|!=|\bin\b|\bnot\s+in\b)"),
    "compares role to a literal": re.compile(r"\brole\s*(==|!=)\s*['\"]"),
    "role in a collection": re.compile(r"\brole\s+(not\s+)?in\b"),
    "a collection of role names": re.compile(rf"[(\[{{]\s*({ROLE_NAME}\s*,\s*)+{ROLE_NAME}"),
    "reads user.role": re.compile(r"\buser\.role\b"),
    "getattr of a role attribute": re.compile(r"getattr\(\s*[\w.]+\s*,\s*['\"](role|is_coordinator|is_desk_staff)['\"]"),
    # Capability shorthands on a Scope (scope.is_coordinator) are the access model; on a user they are not.
    "a role shortcut on the user": re.compile(r"\b(user|request\.user|u)\.(is_coordinator|is_desk_staff|is_partner|is_national)\b"),
    "compares a Role member": re.compile(r"(==|!=)\s*Role\.|\bRole\.[A-Z_]+\s*(==|!=)|\bin\s*[({\[]\s*Role\."),
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


def test_it_decides_roles_only_in_core_access():
    found = offending_lines()
    print(f"{len(found)} direct role decision(s) outside balie/core/access.py and balie/accounts/:")
    print("\n".join(found))
    files = sorted({line.split(":", 1)[0] for line in found})
    assert not found, f"{len(found)} direct role decision(s) in {len(files)} file(s); ask balie.core.access instead:\n" + "\n".join(found)


def test_the_patterns_catch_the_ways_a_role_decision_is_written():
    bad = ['if user.role == "landelijk":', 'if request.user.role in (Role.GEMEENTE, Role.LANDELIJK):', 'ok = user.is_coordinator',
           'getattr(user, "role", "") != "partner"', 'SUPPRESSED = {"gemeente", "landelijk", "partner"}', 'if x == Role.PARTNER:',
           '{% if user.role == "gemeente" %}']
    good = ["if scope.is_coordinator:", "scope_of(user).require(Cap.NATIONAL)", 'role = forms.ChoiceField(choices=ROLES)']
    assert all(any(p.search(line) for p in PATTERNS.values()) for line in bad)
    assert not any(p.search(line) for p in PATTERNS.values() for line in good)
