"""Reading Balie's settings from the environment: the helpers settings.py uses.

Kept apart from settings.py so the settings read as a list of values, and so these rules can be tested on their own
(tests/test_production.py). Nothing here imports Django models or apps: settings are read before apps load.
"""

from __future__ import annotations

import os

import dj_database_url


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "ja", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def production_problems(*, demo_secret_key: str, demo_pii_key: str) -> list[str]:
    """What keeps this installation from starting in production, one line per variable (Dutch / English)."""
    from cryptography.fernet import Fernet

    problems = []
    key = os.environ.get("BALIE_SECRET_KEY", "")
    if not key or key == demo_secret_key or len(key) < 50 or len(set(key)) < 5:
        problems.append(
            "BALIE_SECRET_KEY: een eigen, geheime sleutel van minstens 50 tekens / your own secret key, at least 50 characters"
        )
    pii_keys = env_list("BALIE_PII_KEY")
    try:
        for part in pii_keys:
            Fernet(part)
        pii_ok = bool(pii_keys) and demo_pii_key not in pii_keys
    except ValueError:
        pii_ok = False
    if not pii_ok:
        problems.append(
            "BALIE_PII_KEY: een eigen Fernet-sleutel voor de contactgegevens / your own Fernet key for contact data "
            "(python -c \"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\")"
        )
    if not env_list("BALIE_ALLOWED_HOSTS"):
        problems.append("BALIE_ALLOWED_HOSTS: de hostnaam of -namen van Balie / the host name(s), e.g. balie.bibliotheek.nl")
    return problems


def require_production_settings(debug: bool, *, demo_secret_key: str, demo_pii_key: str) -> None:
    """Without DEBUG, refuse to start on the public demo keys or without host names (review M9): fail closed."""
    if debug:
        return
    missing = production_problems(demo_secret_key=demo_secret_key, demo_pii_key=demo_pii_key)
    if not missing:
        return
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "Balie start niet in productie (BALIE_DEBUG staat uit): zet eerst deze instellingen in de omgeving, zie README "
        "'Productie'. Voor de demo: BALIE_DEBUG=1 (make run).\n"
        "Balie refuses to start in production (BALIE_DEBUG is off): set these environment variables first, see README "
        "'Productie'. For the demo: BALIE_DEBUG=1 (make run).\n- " + "\n- ".join(missing)
    )


def cache_config(url: str, *, alias: str, timeout: int | None = None) -> dict[str, object]:
    from django.core.exceptions import ImproperlyConfigured

    scheme, _, rest = url.partition("://")
    config: dict[str, object]
    if scheme in ("redis", "rediss"):
        config = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": alias}
    elif scheme == "db":
        # MAX_ENTRIES: the default 300 would cull sessions and rate-limit counters on a busy day.
        config = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": rest or "balie_cache",
                  "KEY_PREFIX": alias, "OPTIONS": {"MAX_ENTRIES": 200_000}}
    elif scheme == "locmem":
        config = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"{rest}{alias}"}
    else:
        raise ImproperlyConfigured(
            f"BALIE_CACHE_URL {url!r}: gebruik redis://, db:// of locmem:// / use redis://, db:// or locmem://"
        )
    if timeout is not None:
        config["TIMEOUT"] = timeout
    return config


def database_config(url: str) -> dict[str, object]:
    """DATABASE_URL as Django's settings: SQLite (the embedded default, so `make run` needs nothing) or PostgreSQL."""
    config: dict[str, object] = dict(dj_database_url.parse(
        url,
        conn_max_age=int(os.environ.get("BALIE_DB_CONN_MAX_AGE", "60")),
        # A persistent connection that died with a database restart is replaced before use, not failed on (review L4).
        conn_health_checks=True,
    ))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the task worker and the web server use the file at the same time.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        config["CONN_MAX_AGE"] = 0
    return config
