#!/usr/bin/env python
"""Offline desk benchmark (issue 16): how long /balie/offline/ takes to become usable on a cold load, and its size.

    .venv/bin/python bench/offline.py                 # 5 cold loads in Chromium (/usr/bin/chromium), SQLite
    .venv/bin/python bench/offline.py --loads 10

A real browser against a real server (Balie's WSGI app in a thread on 127.0.0.1, production settings, a temporary
SQLite database with the demo network). Each cold load is a new browser context: empty HTTP cache, no service worker,
no IndexedDB; the login is done with the context's request API so not even the login page's stylesheets are cached.
"Usable" is the page's own mark (performance.mark "balie-offline-ready": form built, the visits on the device read),
measured from the start of the navigation. Also measured: the reload without a network (from the service worker's
copy), the bytes of the page and everything it loads (decoded and as transferred), and what the installed copy
takes on the device (navigator.storage.estimate).

Prints ONE JSON line on stdout; progress goes to stderr. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM = os.environ.get("BALIE_CHROMIUM", "/usr/bin/chromium")
# Targets: usable within 1.5 s on a cold load over a local network, and the whole page under 150 KB transferred.
TARGETS = {"cold_usable_ms": 1500, "transfer_bytes": 150 * 1024}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def serve() -> tuple[str, Any]:
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    class Threaded(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    httpd = make_server("127.0.0.1", 0, get_wsgi_application(), server_class=Threaded, handler_class=Quiet)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_port}", httpd


def login(context: Any, base: str, username: str, password: str) -> None:
    html = context.request.get(f"{base}/inloggen/").text()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = context.request.post(f"{base}/inloggen/", form={"csrfmiddlewaretoken": token, "username": username, "password": password},
                                    headers={"Referer": f"{base}/inloggen/"})
    assert response.ok and "/inloggen/" not in response.url, f"login failed: {response.status} {response.url}"


READY_MS = """() => {
  const mark = performance.getEntriesByName("balie-offline-ready")[0];
  return mark ? mark.startTime : null;
}"""
SIZES = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const res = performance.getEntriesByType("resource").filter(r => !r.name.includes("sessie.json"));
  return {
    html_bytes: nav.decodedBodySize,
    decoded_bytes: nav.decodedBodySize + res.reduce((s, r) => s + r.decodedBodySize, 0),
    transfer_bytes: nav.transferSize + res.reduce((s, r) => s + r.transferSize, 0),
    files: 1 + res.length,
  };
}"""


def run(args: argparse.Namespace) -> dict[str, Any]:
    import django

    django.setup()
    import logging
    import warnings

    logging.getLogger("balie.audit").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message="No directory at")
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from playwright.sync_api import sync_playwright

    from balie.demo.network import build_network

    log("[bench] migrate (sqlite) and the demo network")
    call_command("migrate", verbosity=0)
    build_network()
    user = get_user_model().objects.get(username="medewerker")
    password = uuid.uuid4().hex
    user.set_password(password)
    user.save()
    base, httpd = serve()

    cold: list[float] = []
    offline: list[float] = []
    installed: list[float] = []
    sizes: dict[str, Any] = {}
    storage = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
                                    args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        for i in range(args.loads):
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")
            login(context, base, "medewerker", password)
            page = context.new_page()
            page.set_default_timeout(60_000)
            started = time.perf_counter()
            page.goto(f"{base}/balie/offline/")
            page.wait_for_selector("body[data-offline-ready='1']", state="attached")
            cold.append(page.evaluate(READY_MS))
            sizes = page.evaluate(SIZES)
            page.wait_for_selector("body[data-offline-installed='1']", state="attached")
            installed.append((time.perf_counter() - started) * 1000)
            storage = page.evaluate("() => navigator.storage.estimate().then(e => e.usage)")
            context.set_offline(True)
            page.reload()
            page.wait_for_selector("body[data-offline-ready='1']", state="attached")
            offline.append(page.evaluate(READY_MS))
            log(f"[bench] load {i + 1}: usable after {cold[-1]:.0f} ms cold, {offline[-1]:.0f} ms offline")
            context.close()
        browser.close()
    httpd.shutdown()

    result = {
        "loads": args.loads,
        "cold_usable_ms_median": round(statistics.median(cold), 1),
        "cold_usable_ms_max": round(max(cold), 1),
        "installed_ms_median": round(statistics.median(installed), 1),
        "offline_reload_usable_ms_median": round(statistics.median(offline), 1),
        **sizes,
        "device_storage_bytes": storage,
        "viewport": "390x844",
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "targets": TARGETS,
    }
    result["met"] = {
        "cold_usable_ms": result["cold_usable_ms_median"] <= TARGETS["cold_usable_ms"],
        "transfer_bytes": sizes.get("transfer_bytes", 0) <= TARGETS["transfer_bytes"],
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--loads", type=int, default=5, help="cold loads, each in a fresh browser context (default 5)")
    args = parser.parse_args()

    directory = tempfile.mkdtemp(prefix="balie-bench-offline-")
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "balie.settings"
    os.environ["BALIE_DEBUG"] = "False"
    os.environ.setdefault("BALIE_SECRET_KEY", "bench-only-" + uuid.uuid4().hex * 2)
    os.environ.setdefault("BALIE_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    # Plain http on 127.0.0.1 (a secure context for service workers): no HTTPS redirect, no Secure-only cookies.
    os.environ.setdefault("BALIE_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("BALIE_SECURE_COOKIES", "0")
    os.environ.setdefault("BALIE_HSTS_SECONDS", "0")
    os.environ.setdefault("BALIE_PROXY_COUNT", "0")
    os.environ.setdefault("BALIE_CACHE_URL", "locmem://")
    os.environ.setdefault("BALIE_REQUIRE_2FA", "0")
    from cryptography.fernet import Fernet

    os.environ.setdefault("BALIE_PII_KEY", Fernet.generate_key().decode())
    os.environ["BALIE_PII_NAMES"] = "False"
    os.environ["BALIE_PII_WARMUP"] = "False"
    try:
        result = run(args)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception as exc:  # noqa: BLE001 - removing the database below matters more
            log(f"[bench] could not close connections: {exc}")
        shutil.rmtree(directory, ignore_errors=True)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
