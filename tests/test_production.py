"""Safe by default in production (review M9, L6): DEBUG off, refusal to start without own keys, a clean
`check --deploy`, security headers with a Content-Security-Policy the templates meet, and Dutch/English error pages
without a stack trace."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import Client, RequestFactory

ROOT = Path(__file__).resolve().parents[1]
DEMO_PII_KEY = "baqWI4nTdKSQkzGRWeSxC8dip8lHrS3r3pYXpBxPZjQ="


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    """The documented production environment (README "Productie"), nothing inherited from the test run."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "BALIE_SECRET_KEY": secrets.token_urlsafe(64),
        "BALIE_PII_KEY": Fernet.generate_key().decode(),
        "BALIE_ALLOWED_HOSTS": "balie.bibliotheek.example",
        "BALIE_CSRF_TRUSTED_ORIGINS": "https://balie.bibliotheek.example",
        "BALIE_PII_WARMUP": "0",
        "BALIE_MAIL_FROM": "Bibliotheek Voorbeeld - IDO <ido@bibliotheek.example>",
    }
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)


def python(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)


# --- M9: DEBUG off by default; no start without own keys -----------------------------------------------------------------

@pytest.mark.parametrize("cache_url", [None, "redis://127.0.0.1:6379/0", "db://balie_cache"])
def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path, cache_url):
    # Nothing but the required variables: HTTPS redirect, HSTS, secure cookies and a shared cache are the defaults.
    result = manage(production_env(tmp_path, BALIE_CACHE_URL=cache_url), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_defaults_are_safe_and_only_the_demo_turns_debug_on(tmp_path):
    show = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'balie.settings'; django.setup(); "
            "from django.conf import settings as s; "
            "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
            "s.CACHES['default']['BACKEND'].rsplit('.', 1)[1], s.SECURE_PROXY_SSL_HEADER[0])")
    production = python(production_env(tmp_path), show)
    assert production.returncode == 0, production.stderr
    assert production.stdout.split() == ["False", "True", "31536000", "True", "True", "DatabaseCache", "HTTP_X_FORWARDED_PROTO"]

    # The demo: BALIE_DEBUG=1 and no keys at all still starts (make run, scripts/run.sh).
    demo_env = production_env(tmp_path, BALIE_DEBUG="1", BALIE_SECRET_KEY=None, BALIE_PII_KEY=None, BALIE_ALLOWED_HOSTS=None)
    demo = python(demo_env, show.replace(", s.SECURE_PROXY_SSL_HEADER[0]", ""))
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.split() == ["True", "False", "0", "False", "False", "LocMemCache"]


def _strong_key() -> str:
    return secrets.token_urlsafe(64)


REFUSED = {
    "nothing set": dict(BALIE_SECRET_KEY=None, BALIE_PII_KEY=None, BALIE_ALLOWED_HOSTS=None),
    "no secret key": dict(BALIE_SECRET_KEY=None),
    "empty secret key": dict(BALIE_SECRET_KEY=""),
    "the demo secret key": dict(BALIE_SECRET_KEY="demo-only-not-for-production-" + "x" * 32),
    "a short secret key": dict(BALIE_SECRET_KEY="geheim-maar-kort"),
    "a key of one repeated character": dict(BALIE_SECRET_KEY="a" * 80),
    "no encryption key": dict(BALIE_PII_KEY=None),
    "an encryption key that is no Fernet key": dict(BALIE_PII_KEY="sleutel123"),
    "the public demo encryption key": dict(BALIE_PII_KEY=DEMO_PII_KEY),
    "the demo key kept for decryption": dict(BALIE_PII_KEY=f"{Fernet.generate_key().decode()},{DEMO_PII_KEY}"),
    "no allowed hosts": dict(BALIE_ALLOWED_HOSTS=None),
    "only commas as allowed hosts": dict(BALIE_ALLOWED_HOSTS=" , ,"),
    "debug explicitly off and nothing set": dict(BALIE_DEBUG="0", BALIE_SECRET_KEY=None, BALIE_PII_KEY=None),
}
NAMED = {"SECRET_KEY": "BALIE_SECRET_KEY", "PII_KEY": "BALIE_PII_KEY", "ALLOWED_HOSTS": "BALIE_ALLOWED_HOSTS"}


@pytest.mark.parametrize("case", list(REFUSED))
def test_production_refuses_to_start_without_its_own_keys_and_hosts(tmp_path, case):
    overrides = REFUSED[case]
    result = manage(production_env(tmp_path, **overrides), "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Balie start niet in productie" in result.stderr and "Balie refuses to start in production" in result.stderr
    for suffix, name in NAMED.items():
        # Each missing or wrong variable is named; the ones that are fine are not.
        problem = any(key.endswith(suffix) for key in overrides if key != "BALIE_DEBUG")
        assert (f"- {name}:" in result.stderr) == problem, (name, result.stderr[-800:])
    # The message never echoes a secret back into a log.
    for value in overrides.values():
        if value and len(value) > 20:
            assert value not in result.stderr


def test_a_strong_new_key_next_to_an_old_one_starts(tmp_path):
    # Key rotation (README): new key first, old one after it.
    env = production_env(tmp_path, BALIE_PII_KEY=f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}")
    assert manage(env, "check").returncode == 0


def test_an_unknown_cache_url_is_refused_with_a_clear_message():
    from balie.config import cache_config

    with pytest.raises(ImproperlyConfigured, match="redis://, db:// of locmem://"):
        cache_config("memcache://127.0.0.1", alias="x")
    assert cache_config("redis://127.0.0.1:6379/1", alias="rl")["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache_config("db://", alias="rl")["LOCATION"] == "balie_cache"


def test_the_cache_checks_name_a_cache_that_cannot_count_or_is_not_shared(settings):
    from balie.core.checks import cache_can_count, cache_is_shared

    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert [m.id for m in cache_can_count()] == ["balie.E001"]
    # The tests' own ratelimit cache is per process: fine for one process, a warning for a deployment.
    assert "balie.W001" in [m.id for m in cache_is_shared()]


# --- L6: security headers -------------------------------------------------------------------------------------------------

def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/inloggen/", "/hulpmiddelen/is-dit-echt/", "/api/v1/public/locaties", "/bestaat-niet/"])
def test_every_answer_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = _csp(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"], "no inline script, no eval, no other origin"
    assert "'unsafe-inline'" not in csp["style-src"] and "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["form-action"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_https_is_enforced_with_hsts_when_switched_on_as_in_production(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    plain = Client().get("/inloggen/")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/inloggen/"
    # Behind the proxy (README: nginx sets X-Forwarded-Proto), the HTTPS request is served with HSTS.
    secure = Client().get("/inloggen/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.django_db
def test_a_page_with_a_style_block_gets_its_nonce_in_the_policy(network):
    from balie.network.models import Location

    code = Location.objects.filter(active=True).values_list("code", flat=True).first()
    response = Client().get(f"/locaties/{code}/poster/")
    nonce = re.search(r'<style nonce="([^"]+)"', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in _csp(response)["style-src"]
    assert Client().get(f"/locaties/{code}/poster/")["Content-Security-Policy"] != response["Content-Security-Policy"], "a new nonce per answer"


def test_a_standalone_report_allows_exactly_its_own_style_blocks_by_hash():
    from csp.middleware import CSPMiddleware

    from balie.core.security import allow_own_style_blocks

    css = "body { font-family: sans-serif; } h1 { color: #154273; }"

    @allow_own_style_blocks
    def report(request):
        return HttpResponse(f"<!DOCTYPE html><html><head><style>{css}</style></head><body><h1>Rapport</h1></body></html>")

    request = RequestFactory().get("/rapport/")
    middleware = CSPMiddleware(report)
    middleware.process_request(request)
    response = middleware.process_response(request, report(request))
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    style_src = _csp(response)["style-src"]
    assert f"'sha256-{digest}'" in style_src and "'unsafe-inline'" not in style_src


TEMPLATES = ROOT / "balie" / "templates"
# Self-contained documents rendered without a request (also made into PDFs): their <style> is allowed by its hash.
HASHED_STYLE_TEMPLATES = {"signals/report.html", "insight/report.html"}


def _event_handler(line: str) -> bool:
    """An on...= attribute in the HTML; template tags are left out first ({% blocktranslate with onderwerp=x %})."""
    return bool(re.search(r"\son[a-z]+\s*=", re.sub(r"{%.*?%}|{{.*?}}", " ", line)))


def test_the_event_handler_check_reads_html_not_template_tags():
    assert _event_handler('<a href="#" onclick="go()">') and _event_handler('<body onload = "x">')
    assert not _event_handler('{% blocktranslate with instantie=x onderwerp=y %}Vraag{% endblocktranslate %}')


def test_no_template_has_inline_script_event_handlers_or_style_attributes():
    """The policy allows no inline script and no style="" attribute; a <style> block needs the nonce."""
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        for number, line in enumerate(path.read_text().splitlines(), 1):
            where = f"{name}:{number}"
            if re.search(r"<script(?![^>]*\ssrc=)[^>]*>", line) and 'type="application/json"' not in line:
                problems.append(f"{where}: inline <script>")
            if _event_handler(line):
                problems.append(f"{where}: on...= handler")
            if re.search(r"\sstyle\s*=", line):
                problems.append(f"{where}: style attribute")
            if re.search(r"javascript:", line, re.IGNORECASE):
                problems.append(f"{where}: javascript: URL")
            if re.search(r"<style(?![^>]*nonce=)", line) and name not in HASHED_STYLE_TEMPLATES:
                problems.append(f"{where}: <style> without the CSP nonce")
    for path in sorted((ROOT / "balie").rglob("*.py")):
        if "migrations" not in path.parts and re.search(r"""\sstyle=["\\{]""", path.read_text()):
            problems.append(f"{path.relative_to(ROOT)}: style attribute in generated HTML")
    assert not problems, "\n".join(problems)


# --- L6: error pages ------------------------------------------------------------------------------------------------------

STACK_TRACE = ("Traceback", "DATABASES", "SECRET_KEY", "settings.py", "Request Method", "Using the URLconf", "Django tried")


def _assert_page(response, status: int, language: str, *texts: str) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}"' in html
    for text in texts:
        assert text in html, (text, html[:2000])
    for leak in STACK_TRACE:
        assert leak not in html, leak
    assert 'class="balie-header"' in html, "in Balie's layout"
    return html


@pytest.mark.django_db
@pytest.mark.urls("tests.urls_errors")
@pytest.mark.parametrize("language, title", [("nl", "Er ging iets mis bij Balie"), ("en", "Something went wrong in Balie")])
def test_a_crash_gives_the_500_page_without_the_note_the_settings_or_a_stack_trace(language, title):
    client = Client(raise_request_exception=False)
    note = "vertrouwelijke notitie mevrouw Jansen"
    response = client.post("/test-fout/kapot/", {"notitie": note}, HTTP_ACCEPT_LANGUAGE=language)
    html = _assert_page(response, 500, language, title)
    assert note not in html and "mevrouw Jansen" not in html


@pytest.mark.django_db
@pytest.mark.urls("tests.urls_errors")
def test_a_crash_under_the_api_is_problem_json():
    response = Client(raise_request_exception=False).get("/api/v1/test-kapot")
    assert response.status_code == 500 and response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 500 and body["title"] == "Er ging iets mis bij Balie" and "Traceback" not in response.content.decode()


def test_the_500_page_needs_no_database_session_or_user():
    # No django_db mark: any database query here fails the test (pytest-django blocks it).
    from balie.core.errors import server_error

    request = RequestFactory().get("/balie/", HTTP_ACCEPT_LANGUAGE="en")
    request.LANGUAGE_CODE = "en"
    html = server_error(request).content.decode()
    assert "Something went wrong in Balie" in html and 'lang="en"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("language, title", [("nl", "Deze pagina bestaat niet"), ("en", "This page does not exist")])
@pytest.mark.parametrize("path", ["/bestaat-niet/", "/balie/vraag/geen-uuid/", "/wachtrij/balie/nummer/123/", "/%E2%98%83/"])
def test_an_unknown_address_gives_the_404_page_without_the_url_list(client, language, title, path):
    _assert_page(client.get(path, HTTP_ACCEPT_LANGUAGE=language), 404, language, title)


@pytest.mark.django_db
def test_the_public_language_choice_also_reaches_the_error_page(client):
    _assert_page(client.get("/bestaat-niet/?lang=en", HTTP_ACCEPT_LANGUAGE="nl"), 404, "en", "This page does not exist")


@pytest.mark.django_db
@pytest.mark.parametrize("language, title, reason", [
    ("nl", "U heeft geen toegang tot deze pagina", "Inzicht is er voor coördinatoren, gemeenten en de landelijke rol."),
    ("en", "You do not have access to this page", "Insight is for coordinators, municipalities and the national role."),
])
def test_the_403_page_shows_the_reason_of_the_refusal_in_the_users_language(client_for, users, language, title, reason):
    # A library staff member opening the coordinators' dashboard: access.py's reason reaches the page. A signed-in
    # user's page speaks the language of their account (core/language.py), whatever the browser asks; the reason too.
    users["medewerker"].language = language
    users["medewerker"].save()
    response = client_for("medewerker").get("/inzicht/", HTTP_ACCEPT_LANGUAGE="en" if language == "nl" else "nl")
    _assert_page(response, 403, language, title, reason)


@pytest.mark.django_db
@pytest.mark.urls("tests.urls_errors")
def test_the_403_page_without_a_reason_gives_a_general_one(client):
    _assert_page(client.get("/test-fout/geweigerd-zonder-reden/"), 403, "nl", "Uw account mag deze pagina niet gebruiken.")
    html = _assert_page(client.get("/test-fout/geweigerd/", HTTP_ACCEPT_LANGUAGE="en"), 403, "en", "You do not have access")
    assert "Alleen een coördinator van Bibliotheek Rotterdam mag deze cursus wijzigen." in html


@pytest.mark.django_db
@pytest.mark.parametrize("language, title", [("nl", "Deze aanvraag kunnen we niet verwerken"), ("en", "We cannot process this request")])
def test_a_bad_request_gives_the_400_page(client, language, title):
    # An unknown Host header (DisallowedHost) and a view that finds the request suspicious.
    _assert_page(client.get("/", HTTP_HOST="aanvaller.example", HTTP_ACCEPT_LANGUAGE=language), 400, language, title)


@pytest.mark.django_db
@pytest.mark.urls("tests.urls_errors")
def test_a_suspicious_request_gives_the_400_page(client):
    _assert_page(client.get("/test-fout/verdacht/", HTTP_ACCEPT_LANGUAGE="en"), 400, "en", "We cannot process this request")


@pytest.mark.django_db
@pytest.mark.parametrize("language, title", [("nl", "Dit formulier is verlopen"), ("en", "This form has expired")])
def test_a_form_without_csrf_token_gives_the_csrf_page(network, language, title):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/inloggen/", {"username": "medewerker", "password": "demo"}, HTTP_ACCEPT_LANGUAGE=language)
    html = _assert_page(response, 403, language, title)
    assert "CSRF cookie not set" not in html, "Django's reason is for the log, not for the visitor"
