"""Rate limits for what anyone can use without logging in (review M10, L5), on django-ratelimit's counters.

Each limit has a name in settings.BALIE_RATELIMITS (from the environment) with one or more rates ("30/10m,300/d");
a request counts against every rate and is refused (429) while any of them is exceeded. Who is counted together is
fixed in code, next to the view: per client address, per address and survey link, per kiosk location, ...

The counters live in the shared "ratelimit" cache (settings: CACHES), so all gunicorn workers count together. The cache
key is a hash of the limit, the address and the time window; no address is stored in the database.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django_ratelimit.core import get_usage

from .middleware import API_PREFIX

# The token API authenticates in the view (DRF), so its requests look anonymous to a middleware; its one public
# endpoint has a limit of its own (api/throttles.py), and everything else there answers 401 without a token.


def client_ip(request: HttpRequest) -> str:
    """The visitor's address. Behind BALIE_PROXY_COUNT reverse proxies it is the X-Forwarded-For entry our outermost
    proxy appended (entries further left come from the client and can be anything); otherwise REMOTE_ADDR.

    Also the address of the login lockout (settings: AXES_CLIENT_IP_CALLABLE)."""
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"
    proxies = getattr(settings, "BALIE_PROXY_COUNT", 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            candidate = forwarded[max(len(forwarded) - proxies, 0)]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote


def address(request: HttpRequest) -> str:
    """client_ip, with an IPv6 address widened to its /64: one home or phone gets a whole /64 to pick from."""
    ip = client_ip(request)
    try:
        parsed = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)


def rates(name: str) -> list[str]:
    return [rate.strip() for rate in settings.BALIE_RATELIMITS[name].split(",") if rate.strip()]


def hit(request: HttpRequest, name: str, *, scope: str = "", per_address: bool = True) -> int | None:
    """Count this request against limit `name`. Returns None when it may go ahead, else the seconds until it may.

    `scope` narrows the count (a survey link, a location); `per_address=False` counts all addresses together."""
    value = "|".join(part for part in (address(request) if per_address else "", scope) if part) or "-"
    wait: int | None = None
    for rate in rates(name):
        usage = get_usage(request, group=f"balie.{name}", key=lambda _group, _request: value, rate=rate, increment=True)
        if usage is not None and usage["should_limit"]:
            wait = max(wait or 0, int(usage["time_left"]), 1)
    return wait


def too_many_requests(request: HttpRequest, wait: int) -> HttpResponse:
    from .errors import too_many_requests as page

    return page(request, wait)


Scope = Callable[[HttpRequest, dict[str, Any]], str]
Refusal = Callable[[HttpRequest, int], HttpResponseBase]


def limit(
    name: str, *, scope: Scope | None = None, per_address: bool = True, methods: tuple[str, ...] = ("POST",),
    refuse: Refusal | None = None,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """View decorator: count the view's POSTs (or `methods`) against limit `name`; over it, answer 429.

    `scope(request, view_kwargs)` narrows the count, e.g. to the survey link in the URL. `refuse(request, wait)` makes
    the 429 answer when the standard page does not fit (the kiosk shows its own screen)."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method in methods:
                wait = hit(request, name, scope=scope(request, kwargs) if scope else "", per_address=per_address)
                if wait is not None:
                    response = (refuse or too_many_requests)(request, wait)
                    response.status_code = 429
                    response["Retry-After"] = str(wait)
                    return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class AnonymousPostLimitMiddleware:
    """A wide per-address limit on every POST without login outside the API: also covers forms added later (login,
    links from e-mails, the visitor's queue page). The public forms have tighter limits of their own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method == "POST" and not request.path.startswith(API_PREFIX) and not request.user.is_authenticated:
            wait = hit(request, "anonymous_post")
            if wait is not None:
                response = too_many_requests(request, wait)
                response["Retry-After"] = str(wait)
                return response
        return self.get_response(request)
