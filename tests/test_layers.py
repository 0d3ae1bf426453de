"""Dependencies between apps point one way: a lower app never imports a higher one (review §1.2, issue 11)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BALIE = Path(__file__).resolve().parents[1] / "balie"
# Demo seeding is moving into its own app; until then it may reach anywhere.
DEMO = {"demo.py", "load_demo.py"}

FORBIDDEN = {
    "network": {"public"},
    "desk": {"insight", "walkin", "forecast", "survey", "partners"},
}


def imported_apps(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found |= {name.split(".")[1] for name in names if name.startswith("balie.") and name.count(".") >= 1}
    return found


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_it_keeps_the_lower_app_free_of_imports_from_higher_ones(app):
    offenders = []
    for path in sorted((BALIE / app).rglob("*.py")):
        if "migrations" in path.parts or path.name in DEMO:
            continue
        wrong = imported_apps(path) & FORBIDDEN[app]
        if wrong:
            offenders.append(f"{path.relative_to(BALIE)}: {', '.join(sorted(wrong))}")
    assert offenders == []
