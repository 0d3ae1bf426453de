"""Two-factor authentication: who owes a second factor, the throttle on wrong codes, and the middleware that holds them.

The rule, in this one module (README "Inloggen en tweestapsverificatie"):

- With ``BALIE_REQUIRE_2FA`` on, every account above library staff must confirm each login with a code from an app
  (TOTP) or a one-time recovery code: coordinator, gemeente, landelijk, partner, beheerder, and any account with
  admin rights (``is_staff``/``is_superuser``). Without an app yet, the account is sent to set one up first.
- Library staff (medewerker) are not forced: they work at shared desk PCs, often without a phone at hand, and see only
  their own organisation's anonymous registrations. They may switch it on for themselves; an account that has an app
  is asked for its code, whatever the setting.
- Until the code is given, every request is sent to the code page (the API answers 403 problem+json), except the
  two-factor pages and logout, and the scope has no capabilities (``core.access.withhold``): no menu, no data.
- API tokens (``Authorization: Token``) are a separate credential for systems, made by a coordinator who gave the
  second factor and revoked by making a new one; a request that carries one is left to the API's authentication.
- Five wrong codes in a row lock further tries of that account for 15 minutes (settings ``BALIE_2FA_FAILURE_LIMIT``,
  ``BALIE_2FA_LOCK_MINUTES``). The count is read from the audit log, so it holds across processes and restarts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django_otp.middleware import OTPMiddleware

from balie.core.access import withhold
from balie.core.audit import Event
from balie.core.middleware import API_PREFIX
from balie.core.models import AuditEvent
from balie.core.roles import Role

# The roles that must use a second factor when BALIE_REQUIRE_2FA is on (everyone but library staff).
REQUIRED_ROLES = frozenset({Role.COORDINATOR, Role.GEMEENTE, Role.LANDELIJK, Role.PARTNER, Role.BEHEERDER})
# Session flag: does this signed-in user have a confirmed app? Read once per session for users who are not forced.
APP_FLAG = "balie_2fa_app"


def required_for(user: Any) -> bool:
    """Must this account give a second factor at every login (apart from any app it chose to set up)?"""
    if not settings.BALIE_REQUIRE_2FA:
        return False
    return bool(user.is_superuser or user.is_staff or user.role in REQUIRED_ROLES)


def has_app(user: Any) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def remember_app(request: HttpRequest, present: bool) -> None:
    request.session[APP_FLAG] = present


def is_verified(request: HttpRequest) -> bool:
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def owes_second_factor(request: HttpRequest) -> bool:
    """Is this request's user signed in with a password but still without the code it owes?"""
    user = request.user
    if not user.is_authenticated or is_verified(request):
        return False
    if required_for(user):
        return True
    present = request.session.get(APP_FLAG)
    if present is None:
        present = has_app(user)
        remember_app(request, present)
    return bool(present)


# --- the throttle: consecutive wrong codes, from the audit log ----------------------------------------------------
_COUNTED = (Event.TWO_FACTOR_FAILED, Event.TWO_FACTOR_VERIFIED, Event.TWO_FACTOR_SET_UP, Event.TWO_FACTOR_RECOVERY_USED)


def locked_until(user: Any, now: dt.datetime | None = None) -> dt.datetime | None:
    """When this account may try a code again, or None if it may now.

    Locked once the last BALIE_2FA_FAILURE_LIMIT tries (of the last day, since the last good code) were all wrong and
    the newest is less than BALIE_2FA_LOCK_MINUTES old. A try made while locked is refused unread and does not count,
    so the lock ends on time; the first wrong code after it locks again (the streak is still unbroken).
    """
    now = now or timezone.now()
    limit = settings.BALIE_2FA_FAILURE_LIMIT
    # Tries refused while locked are audited with "blocked" and left out here: however many of them, they neither
    # extend the lock nor push the real wrong codes out of sight.
    recent = (AuditEvent.objects.filter(user=user, event__in=[e.value for e in _COUNTED], timestamp__gte=now - dt.timedelta(days=1))
              .exclude(extra__has_key="blocked").order_by("-timestamp").values_list("event", "timestamp")[:limit])
    streak: list[dt.datetime] = []
    for event, moment in recent:
        if event != Event.TWO_FACTOR_FAILED:
            break
        streak.append(moment)
    if len(streak) < limit:
        return None
    until = streak[0] + dt.timedelta(minutes=settings.BALIE_2FA_LOCK_MINUTES)
    return until if until > now else None


# --- the middleware ------------------------------------------------------------------------------------------------
def _open_paths(*names: str) -> frozenset[str]:
    return frozenset(reverse(name) for name in names)


def _go(request: HttpRequest, name: str) -> HttpResponse:
    url = reverse(name)
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    if request.headers.get("HX-Request"):
        # An htmx call would swap the code page into a fragment: let the browser go there instead.
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return HttpResponseRedirect(url)


def _api_refusal() -> HttpResponse:
    body = {"type": "about:blank", "title": "Geen toegang", "status": 403,
            "detail": "Vul eerst de code van tweestapsverificatie in op de inlogpagina, of gebruik een API-token."}
    return JsonResponse(body, status=403, content_type="application/problem+json")


class TwoFactorMiddleware(OTPMiddleware):
    """django-otp's middleware (``request.user.is_verified()``), plus Balie's rule: whoever owes a second factor, or
    has to choose a new password, sees only the pages for that (and logout)."""

    sync_capable = True
    async_capable = False

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        super().__init__(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self._install_lazy_accessors(request)
        return self._hold(request) or self.get_response(request)

    def _hold(self, request: HttpRequest) -> HttpResponse | None:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None  # no session, nobody signed in: leave the session untouched (no Vary: Cookie on public answers)
        if not request.user.is_authenticated:
            return None
        path = request.path_info
        if path.startswith(API_PREFIX) and "HTTP_AUTHORIZATION" in request.META:
            return None  # a token request: the API authenticates it (see the module docstring)
        if owes_second_factor(request):
            withhold(request.user)
            if path in _open_paths("accounts:verify", "accounts:setup", "logout"):
                return None
            return _api_refusal() if path.startswith(API_PREFIX) else _go(request, "accounts:verify")
        if getattr(request.user, "must_change_password", False):
            withhold(request.user)
            if path in _open_paths("accounts:password_change", "logout") or path.startswith(API_PREFIX):
                return None
            return _go(request, "accounts:password_change")
        return None
