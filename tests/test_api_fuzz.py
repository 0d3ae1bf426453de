"""Schemathesis over the committed openapi.yaml: the API behaves as it documents, for every kind of API user.

Review section 6 ran `st run` by hand and found 0 server errors but 8 failures (L12). This runs the same engine in the
test suite, bounded so it fits in CI: the committed document, the real Django application (in-process WSGI, no network)
on the test database (inside the test's transaction), real API tokens of a coordinator, a medewerker and a partner, a
fixed seed and deterministic generation: every run sends the same generated requests. Only the stateful phase can differ
by a few steps, because it follows the UUIDs the server hands out.

Checks that must hold: no server error, status codes, content types, headers and response bodies as documented,
invalid requests (negative data) rejected, missing required headers and unsupported methods refused, deleted objects
gone and created objects readable. Left out, on purpose:
- positive_data_acceptance: it expects every schema-valid request to succeed, but a body can be schema-valid and
  still name a location, code or registration that does not exist (`"locatie": "0"`). The API answers that with a
  400 naming the field, as it must; no schema can list the codes of every organisation.
- ignored_auth: schemathesis 4.32.5 sends its probe with `max_redirects` to the in-process WSGI client, which rejects
  it (a tool error, not an API finding). test_every_secured_operation_answers_401_problem_json below covers it.
- object_level_authorization needs a second identity per object; the tenancy tests (test_access_matrix, test_api)
  and test_api_strict.test_other_organisations_objects_are_404_like_objects_that_do_not_exist cover it.
"""

from __future__ import annotations

import io
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import yaml
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections
from rest_framework.test import APIClient
from schemathesis.engine import events

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
# The coverage phase (boundary and invalid values for every parameter and field, derived from the schema) costs about
# two thirds of a run and sends the same requests whoever asks, so it runs once, as the coordinator. The medewerker
# (who may change only its own registrations) and the partner (who sees only referrals to its organisation) get the
# example, fuzzing and stateful phases: create, read, change and delete with their own token.
PHASES = {
    "coordinator": ["examples", "coverage", "fuzzing", "stateful"],
    "medewerker": ["examples", "fuzzing", "stateful"],
    "partner": ["examples", "fuzzing", "stateful"],
}
ROLES = tuple(PHASES)
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "use_after_free",
    "ensure_resource_availability",
]
# Per operation in the fuzzing and stateful phases (the coverage phase has its own, fixed set of cases). With these
# numbers the three roles together take about 35 s of CPU.
MAX_EXAMPLES = 8
SEED = 20261203


@dataclass
class Run:
    role: str
    operations: set[str] = field(default_factory=set)
    cases: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cpu: float = 0.0

    def summary(self) -> str:
        codes = ", ".join(f"{code}×{n}" for code, n in sorted(self.statuses.items()))
        return (f"{self.role} ({', '.join(PHASES[self.role])}): {len(self.operations)} operaties, {self.cases} cases, "
                f"{self.seconds:.1f} s ({self.cpu:.1f} s CPU); {codes}")


@pytest.fixture
def world(users, settings):
    """The demo network with a social map, courses, opening hours, some registrations and referrals, and three tokens."""
    settings.BALIE_PII_NAMES = False  # the name model takes seconds to load; BSN/IBAN detection does not need it
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from balie.demo.courses import build_courses
    from balie.demo.partners import build_social_map
    from balie.demo.public import add_demo_schedule
    from balie.demo.referrals import build_referrals
    from balie.demo.registrations import generate
    from balie.desk import services as desk_services
    from balie.network.models import Location
    from balie.referrals import services as referral_services
    from balie.referrals.models import Kind

    partners = build_social_map()
    build_courses()
    add_demo_schedule()
    generate(registrations=80, years=1, seed=1)
    build_referrals()
    # A referral with consent to the partner account's organisation, so its responses carry `contactgegevens`.
    visit, _ = desk_services.visit_register(user=users["medewerker"], location=Location.objects.get(code="RDAM-CENTRAAL"),
                                            questions=[{"instantie": "CJIB", "onderwerp": "BETALEN", "uitkomst": "DOORVERWEZEN"}])
    shm = partners["SchuldHulpMaatje Rotterdam"]
    referral_services.referral_create(user=users["medewerker"], question=visit.questions.get(), partner=shm, service=shm.services.first(),
                                      kind=Kind.PER_EMAIL, consent=True, contact={"naam": "Jantine Voorbeeldig", "telefoon": "06 41234567"},
                                      notify=False)
    tokens = {}
    for username in ROLES:
        out = io.StringIO()
        call_command("create_api_token", username, stdout=out, stderr=io.StringIO())
        tokens[username] = out.getvalue().strip()
    return tokens


class SharedConnectionApp:
    """Django's WSGI application on the test's own database connection.

    Schemathesis calls the application from its worker thread; Django would open a second connection there that does
    not see the test's transaction. Sharing the connection (as Django's LiveServerThread does for SQLite) keeps the
    whole run inside the test's transaction, which is rolled back afterwards, on SQLite and PostgreSQL alike.
    """

    def __init__(self) -> None:
        self.handler = WSGIHandler()
        self.connection = connections[DEFAULT_DB_ALIAS]

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        connections[DEFAULT_DB_ALIAS] = self.connection
        return self.handler(environ, start_response)


@pytest.fixture
def app(world):
    """The application, plus every exception it raised (a 500 is also caught by not_a_server_error; this keeps the traceback)."""
    connection = connections[DEFAULT_DB_ALIAS]
    connection.inc_thread_sharing()
    # Like Django's test client: closing "old" connections at the end of a request would end the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    crashes: list[str] = []

    def record(sender: Any, request: Any = None, **kwargs: Any) -> None:
        crashes.append(f"{getattr(request, 'method', '?')} {getattr(request, 'get_full_path', lambda: '?')()}\n{traceback.format_exc()}")

    got_request_exception.connect(record)
    try:
        yield SharedConnectionApp(), crashes
    finally:
        got_request_exception.disconnect(record)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        connection.dec_thread_sharing()


def run_schemathesis(app: Any, token: str, role: str) -> Run:
    config = schemathesis.Config(seed=SEED)
    schema = schemathesis.openapi.from_path(ROOT / "openapi.yaml", config=config)
    schema.app = app
    schema.config.update(headers={"Authorization": f"Token {token}"}, workers=1)
    schema.config.checks.update(included_check_names=CHECKS)
    schema.config.phases.update(phases=PHASES[role])
    # deterministic: the same cases every run; database="none": no example database that would change the next run.
    schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True, database="none")
    run = Run(role)
    started, cpu = time.monotonic(), time.process_time()
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            if not recorder.label.startswith("Stateful"):
                run.operations.add(recorder.label)
            run.cases += len(recorder.cases)
            for interaction in recorder.interactions.values():
                if interaction.response is not None:
                    run.statuses[interaction.response.status_code] += 1
            for case_id, checks in recorder.checks.items():
                for check in checks:
                    if check.failure_info is None:
                        continue
                    failure = check.failure_info.failure
                    case = recorder.cases.get(case_id)
                    curl = case.value.as_curl_command(headers={"Authorization": "Token ..."}) if case is not None else ""
                    run.failures.append(f"[{failure.code} {check.name}] {failure.operation}: {failure.title}\n{curl}\n{failure.message[:600]}")
                    run.kinds[f"{failure.code} {check.name} {failure.operation}"] += 1
        elif isinstance(event, events.NonFatalError):
            run.errors.append(f"{event.label}: {''.join(traceback.format_exception(event.value))[-1500:]}")
        elif isinstance(event, events.FatalError):
            run.errors.append(f"fatal: {''.join(traceback.format_exception(event.exception))[-1500:]}")
    run.seconds = time.monotonic() - started
    run.cpu = time.process_time() - cpu
    return run


@pytest.mark.parametrize("role", ROLES)
def test_the_api_behaves_as_its_openapi_document_says(app, world, role):
    application, crashes = app
    run = run_schemathesis(application, world[role], role)
    print(f"\nschemathesis {schemathesis.__version__}, seed {SEED}, max_examples {MAX_EXAMPLES}: {run.summary()}")
    assert not crashes, "De API gaf een serverfout:\n" + "\n".join(crashes[:3])
    assert not run.errors, "Schemathesis kon niet alles testen:\n" + "\n".join(run.errors[:3])
    unique = list(dict.fromkeys(run.failures))
    kinds = "\n".join(f"  {n}× {kind}" for kind, n in sorted(run.kinds.items()))
    assert not unique, f"{len(run.kinds)} soort(en) afwijking van openapi.yaml:\n{kinds}\n\n" + "\n\n".join(unique[:10])
    assert run.statuses and not any(code >= 500 for code in run.statuses)
    # The run really reached the API: every operation of the document, and successful answers, not only errors.
    assert len(run.operations) == len(operations_in_document())
    assert sum(n for code, n in run.statuses.items() if 200 <= code < 300) > 0


# --- what the fuzzer leaves out (see the module docstring) ----------------------------------------------------


def operations_in_document() -> list[tuple[str, str, dict[str, Any]]]:
    document = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    return [(method.upper(), path, operation) for path, item in document["paths"].items() for method, operation in item.items()]


def concrete(path: str) -> str:
    return (path.replace("{uuid}", "3fa85f64-5717-4562-b3fc-2c963f66afa6").replace("{versie}", "1").replace("{code}", "RDAM-CENTRAAL")
            .replace("{nummer}", "1").replace("{periode}", "2026-K1").replace("{id}", "3fa85f64-5717-4562-b3fc-2c963f66afa6"))


@pytest.mark.parametrize("credentials", ["", "Token 0000000000000000000000000000000000000000", "Bearer x"])
def test_every_secured_operation_answers_401_problem_json(network, credentials):
    client = APIClient()
    if credentials:
        client.credentials(HTTP_AUTHORIZATION=credentials)
    checked = 0
    for method, path, operation in operations_in_document():
        if not operation.get("security"):
            continue
        response = client.generic(method, concrete(path), "{}", content_type="application/json")
        assert response.status_code == 401, (method, path, response.status_code)
        assert response["Content-Type"] == "application/problem+json"
        body = response.json()
        assert body["title"] == "Niet geauthenticeerd" and body["detail"] and body["status"] == 401
        checked += 1
    assert checked >= 15
