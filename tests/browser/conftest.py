"""Browser fixtures: Debian's Chromium driven by Playwright, with an axe-core check helper.

Playwright's own browser download does not work on library networks (nor here), so we use
/usr/bin/chromium. Without it these tests are skipped, and the skip reason says so.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("BALIE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Playwright's sync API runs an event loop in this thread; the ORM calls in tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(config, items):
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        skip = pytest.mark.skip(reason=f"Chromium ontbreekt ({CHROMIUM}); installeer Debian's pakket 'chromium' (dat doet .ci/run).")
        for item in items:
            if "browser" in str(item.fspath):
                item.add_marker(skip)


# Content-Security-Policy violations (review L6): every page the browser tests open must meet the policy. Chromium
# reports a blocked script, style or image on the console ("Refused to ... because it violates the following Content
# Security Policy directive"); the init script also reports the DOM's securitypolicyviolation events there.
CSP_VIOLATIONS: list[str] = []
CSP_MARKERS = ("Content Security Policy", "Content-Security-Policy", "securitypolicyviolation")
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("securitypolicyviolation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
                " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


def _watch_csp(context) -> None:
    def record(message) -> None:
        text = message.text
        if any(marker in text for marker in CSP_MARKERS):
            url = message.page.url if message.page else "?"
            CSP_VIOLATIONS.append(f"{url}: {text}")

    context.add_init_script(script=CSP_LISTENER)
    context.on("console", record)


def csp_report() -> str:
    return "\n".join(f"- {line}" for line in dict.fromkeys(CSP_VIOLATIONS))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        # Every context, also those a test opens itself (phone sizes, JavaScript off), watches for CSP violations.
        new_context = browser.new_context

        def watched_context(*args, **kwargs):
            context = new_context(*args, **kwargs)
            _watch_csp(context)
            return context

        browser.new_context = watched_context
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _no_csp_violations(request):
    """Fail any browser test during which a page broke the Content-Security-Policy (checked after its pages closed)."""
    CSP_VIOLATIONS.clear()
    yield
    if "browser" in request.fixturenames:
        assert not CSP_VIOLATIONS, f"De Content-Security-Policy blokkeerde iets:\n{csp_report()}"


class _CountingApp:
    """Wraps the live server's WSGI app and counts requests still being answered.

    Closing a browser context does not wait for the server: a poll sent just before the close can still be
    running in a server thread when the test database is flushed, which fails that flush half-way (SQLite:
    FOREIGN KEY constraint failed) and leaves rows behind for the next test.
    """

    def __init__(self, app):
        self.app = app
        self.busy = 0
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            self.busy += 1
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self._done()
            raise
        return _Closing(result, self._done)

    def _done(self) -> None:
        with self.lock:
            self.busy -= 1

    def wait_idle(self, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while self.busy > 0 and time.monotonic() < deadline:
            time.sleep(0.02)


class _Closing:
    """The response body, handing back the count when the server closes it (PEP 3333)."""

    def __init__(self, result, done):
        self.result, self.done, self.closed = result, done, False

    def __iter__(self):
        return iter(self.result)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            if hasattr(self.result, "close"):
                self.result.close()
        finally:
            self.done()


@pytest.fixture(scope="session")
def _counting_app(live_server):
    httpd = live_server.thread.httpd
    counting = _CountingApp(httpd.get_app())
    httpd.set_app(counting)
    return counting


@pytest.fixture(autouse=True)
def _quiet_server_before_flush(request):
    """Close every browser page and wait for the server to finish its requests before the database is flushed."""
    if "live_server" not in request.fixturenames:
        yield
        return
    # Requested here, so this fixture is torn down before transactional_db flushes the tables.
    request.getfixturevalue("transactional_db")
    counting = request.getfixturevalue("_counting_app")
    browser = request.getfixturevalue("browser") if "browser" in request.fixturenames else None
    yield
    if browser is not None:
        for context in list(browser.contexts):
            try:
                context.close()
            except Exception:  # already closed by the test or its page fixture
                pass
    counting.wait_idle()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="nl-NL", timezone_id="Europe/Amsterdam")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def demo(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.BALIE_PII_NAMES = False
    from balie.demo.network import build_network
    from balie.network.reference import ensure_reference_data

    # A transactional test flushes the tables, including what the data migrations loaded.
    ensure_reference_data()
    build_network()


@pytest.fixture
def login(page, live_server, demo):
    def do(username: str) -> None:
        page.goto(f"{live_server.url}/inloggen/")
        page.fill("#id_username", username)
        page.fill("#id_password", "demo")
        with page.expect_navigation():
            page.click("button[type=submit]")

    return do


@pytest.fixture
def assert_accessible():
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def run_axe(page):
        # A click on a link returns before the next page has loaded; axe started on the page being left finds no
        # document ("Cannot read properties of null (reading 'documentElement')", seen in CI). So axe waits for
        # the page to load and, when a navigation still replaced the document under it, runs again on the new one.
        from playwright.sync_api import Error

        for attempt in range(3):
            page.wait_for_load_state("load")
            try:
                return axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
            except Error as error:
                navigating = "documentElement" in str(error) or "context was destroyed" in str(error)
                if not navigating or attempt == 2:
                    raise

    def check(page, name: str) -> None:
        results = run_axe(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        violations = results.response["violations"]
        summary = "\n".join(f"- {v['id']}: {v['help']} ({len(v['nodes'])}×) {v['nodes'][0]['target']}" for v in violations)
        assert not violations, f"axe vond WCAG 2.1 A/AA-problemen op {name}:\n{summary}"
        # Every page axe walks must also meet the Content-Security-Policy (and so far, every page before it).
        assert not CSP_VIOLATIONS, f"De Content-Security-Policy blokkeerde iets op {name} (of eerder):\n{csp_report()}"

    return check
