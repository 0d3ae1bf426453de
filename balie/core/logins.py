"""Every login, logout and failed login is an audit event (review M6/L8): who, from which address, when."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import audit
from .audit import Event
from .ratelimit import client_ip

# The username someone typed is kept at most this long: a password pasted into the wrong field must not fill the log.
USERNAME_MAX = 150


def _address(request: Any) -> str:
    # The visitor's address as the lockout sees it (behind the proxy too): one reading of the address in all of Balie.
    return client_ip(request) if getattr(request, "META", None) else ""


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.log(Event.LOGIN, user=user, object_type="accounts.user", object_uuid=str(user.pk), address=_address(request))


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.log(Event.LOGOUT, user=user, object_type="accounts.user", object_uuid=str(user.pk), address=_address(request))


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:USERNAME_MAX]
    audit.log(Event.LOGIN_FAILED, username=username, address=_address(request))
