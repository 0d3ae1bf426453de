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


def test_no_module_is_over_400_lines_and_none_is_named_by_a_feature_prefix():
    """Issue 11's quality bar: a module that grows becomes a package (desk/exchange/, partners/hsds/), never a
    views_feature.py beside views.py. Migrations are generated and exempt."""
    import re
    from pathlib import Path

    balie = Path(__file__).resolve().parent.parent / "balie"
    modules = [p for p in balie.rglob("*.py") if "migrations" not in p.parts]
    too_long = {str(p.relative_to(balie)): n for p in modules if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert too_long == {}, f"modules over 400 lines: {too_long}"
    prefixed = [str(p.relative_to(balie)) for p in modules
                if re.match(r"^(views|models|forms|services|selectors|urls|admin|tasks|tests)_\w+\.py$", p.name)]
    assert prefixed == [], f"feature-prefixed modules (make a package instead): {prefixed}"
