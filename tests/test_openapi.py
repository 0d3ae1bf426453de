"""The OpenAPI document: committed openapi.yaml must match the code (CI drift check), docs served locally."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "openapi.yaml"
REGENERATE = "make openapi  (of: python manage.py spectacular --file openapi.yaml --validate)"


def generate(tmp_path: Path) -> str:
    out = tmp_path / "openapi.yaml"
    # --lang nl: the document must not depend on the language a previous test left active.
    call_command("spectacular", "--file", str(out), "--validate", "--fail-on-warn", "--lang", "nl")
    return out.read_text(encoding="utf-8")


def test_it_matches_the_committed_openapi_document(tmp_path):
    generated = generate(tmp_path)
    committed = COMMITTED.read_text(encoding="utf-8")
    if generated != committed:
        diff = "".join(list(difflib.unified_diff(committed.splitlines(True), generated.splitlines(True), "openapi.yaml", "gegenereerd"))[:60])
        pytest.fail(f"openapi.yaml loopt niet gelijk met de code. Genereer het opnieuw met:\n    {REGENERATE}\nen commit het.\n\n{diff}")


def test_it_documents_problem_json_errors_and_the_idempotency_key():
    schema = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    create = schema["paths"]["/api/v1/registraties"]["post"]
    assert {"201", "200", "400", "401", "403", "415"} <= set(create["responses"])
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in create["parameters"])
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            errors = {code: r for code, r in operation["responses"].items() if code.startswith(("4", "5"))}
            if "security" in operation:  # open data has no security requirement, so no 401
                assert "401" in errors, f"{method} {path} documenteert 401 niet"
            else:
                assert path.startswith("/api/v1/public/"), f"{method} {path} heeft geen beveiliging maar is niet publiek"
            for code, response in errors.items():
                assert list(response["content"]) == ["application/problem+json"], f"{method} {path} {code}"
    assert "invalid_params" in schema["components"]["schemas"]["Problem"]["properties"]


@pytest.mark.parametrize("path", ["/api/v1/schema/", "/api/v1/openapi.json"])
def test_it_serves_the_schema_without_login(path):
    response = Client().get(path)
    assert response.status_code == 200
    assert b"/api/v1/registraties" in response.content


@pytest.mark.django_db  # closing a response fires request_finished, which checks the DB connection
def test_it_serves_swagger_ui_from_local_static_files():
    client = Client()
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert urls, "geen src/href gevonden in de docs-pagina"
    # The page's own script comes from the page's URL (?script): the Content-Security-Policy allows no inline script.
    assert all(url.startswith("/static/") or url.startswith("/api/v1/docs/?script") for url in urls), urls
    assert "<script>" not in html
    assert not re.search(r"https?://", html), "de docs-pagina verwijst naar een externe URL (CDN)"
    for url in urls:
        asset = client.get(url)
        assert asset.status_code == 200, url
        asset.close()  # WhiteNoise streams the file; close it to avoid a ResourceWarning
