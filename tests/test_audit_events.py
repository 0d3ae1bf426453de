"""The audit event catalogue (balie.core.audit.Event): every audit.log call uses a registered name, each with a Dutch text."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from balie.core import audit
from balie.core.audit import Event

BALIE = Path(__file__).resolve().parent.parent / "balie"
# Other work is moving these files; they still pass the (equal) string values, which log() accepts.
STRINGS_ALLOWED: tuple[str, ...] = ()


def _calls() -> list[tuple[str, ast.Call]]:
    found = []
    for path in sorted(BALIE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "log" \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "audit":
                found.append((str(path.relative_to(BALIE)), node))
    return found


def _names(node: ast.expr) -> list[tuple[str, str]]:
    """(kind, name) for every event an argument can be: a literal, Event.X, or either side of an if-expression."""
    if isinstance(node, ast.IfExp):
        return _names(node.body) + _names(node.orelse)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [("string", node.value)]
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Event":
        return [("member", node.attr)]
    if isinstance(node, (ast.Name, ast.Attribute)):
        # Passed through (walkin's _log_status, the schedule save, workflow's machine.event): typed as Event there.
        return [("variable", ast.unparse(node))]
    return [("unknown", ast.dump(node))]


def test_every_audit_log_call_uses_a_registered_event():
    calls = _calls()
    assert len(calls) > 40
    wrong = []
    for where, call in calls:
        if not call.args:
            wrong.append(f"{where}:{call.lineno} zonder gebeurtenis")
            continue
        for kind, name in _names(call.args[0]):
            if kind == "member" and name not in Event.__members__:
                wrong.append(f"{where}:{call.lineno} Event.{name} bestaat niet")
            elif kind == "string" and (name not in Event._value2member_map_ or not where.startswith(STRINGS_ALLOWED)
                                       and not where.endswith("demo.py")):
                wrong.append(f"{where}:{call.lineno} {name!r}: gebruik Event.{name.upper()}")
            elif kind == "unknown":
                wrong.append(f"{where}:{call.lineno} onbekende vorm")
        if any(k.arg == "personal_data" for k in call.keywords):
            wrong.append(f"{where}:{call.lineno} geeft personal_data mee; dat komt uit de catalogus")
    assert wrong == []


def test_event_arguments_passed_on_are_catalogue_members_too():
    # Calls that forward an event (event=...) must name a member, so a typo fails at import, not at runtime.
    wrong = []
    for path in sorted(BALIE.rglob("*.py")):
        if "migrations" in path.parts or str(path.relative_to(BALIE)).startswith(STRINGS_ALLOWED):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "event" and isinstance(node.value, ast.Constant):
                wrong.append(f"{path.relative_to(BALIE)}: event={node.value.value!r}")
    assert wrong == []


def test_every_event_has_a_dutch_description_and_a_personal_data_tag():
    dutch = {"een", "is", "de", "het", "zijn", "van", "er", "bij"}
    for event in Event:
        assert event.value == event.name.lower()
        assert event.description.endswith(".") and event.description[0].isupper(), event
        assert dutch & set(event.description.lower().replace(",", " ").split()), f"{event}: geen Nederlandse omschrijving"
        assert isinstance(event.personal_data, bool)
    # Every read or erasure of contact data is tagged; ordinary registrations are not.
    tagged = {e for e in Event if e.personal_data}
    assert {e for e in Event if e.value.endswith(("_contact_read", "_contact_deleted"))} <= tagged
    assert Event.VISIT_REGISTERED not in tagged and Event.COURSE_ENROLMENT_CREATED in tagged


@pytest.mark.django_db
def test_log_refuses_an_unknown_event_and_a_personal_data_argument():
    with pytest.raises(ValueError, match="Onbekende auditgebeurtenis"):
        audit.log("visit_registred")
    with pytest.raises(TypeError):
        audit.log(Event.VISIT_REGISTERED, personal_data=True)
