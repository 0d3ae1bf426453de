"""System checks for the shared cache (settings: CACHES, BALIE_CACHE_URL).

They replace django-ratelimit's own cache checks (silenced in settings.py), which only know memcached and the
django-redis package by name: Django's built-in RedisCache counts atomically as well, and the database cache is
shared by all workers (it may undercount a little under concurrent requests, which only lets a few more through).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

NOT_A_CACHE = {
    "django.core.cache.backends.dummy.DummyCache": "onthoudt niets / stores nothing",
    "django.core.cache.backends.filebased.FileBasedCache": "telt niet betrouwbaar / cannot count reliably",
}
PER_PROCESS = "django.core.cache.backends.locmem.LocMemCache"


def _aliases() -> list[str]:
    return sorted({"default", getattr(settings, "RATELIMIT_USE_CACHE", "default")})


@checks.register(checks.Tags.caches)
def cache_can_count(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for alias in _aliases():
        backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
        if backend in NOT_A_CACHE:
            errors.append(checks.Error(
                f"Cache '{alias}' ({backend}) {NOT_A_CACHE[backend]}: sessions and rate limits need a real cache.",
                hint="BALIE_CACHE_URL=redis://... of db://balie_cache (README, Productie).", id="balie.E001",
            ))
    return errors


@checks.register(checks.Tags.caches, deploy=True)
def cache_is_shared(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    warnings: list[checks.CheckMessage] = []
    for alias in _aliases():
        if settings.CACHES.get(alias, {}).get("BACKEND") == PER_PROCESS:
            warnings.append(checks.Warning(
                f"Cache '{alias}' is per proces (locmem): gunicorn-workers delen geen sessies en geen tellers van de "
                "snelheidslimieten / not shared between gunicorn workers.",
                hint="BALIE_CACHE_URL=redis://... of db://balie_cache (README, Productie).", id="balie.W001",
            ))
    return warnings


@checks.register(checks.Tags.compatibility, deploy=True)
def mail_has_a_sender(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Partners and staff get e-mail from Balie; from "balie@localhost" it lands in spam or is refused."""
    sender = str(settings.DEFAULT_FROM_EMAIL)
    if sender.rstrip(">").endswith("@localhost"):
        return [checks.Warning(
            f"E-mails van Balie komen van '{sender}' / e-mails come from a local address.",
            hint="Zet BALIE_MAIL_FROM, bijv. \"Bibliotheek X – IDO <ido@bibliotheek-x.nl>\" (README, Productie).", id="balie.W002",
        )]
    return []
