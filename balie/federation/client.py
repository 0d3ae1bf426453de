"""The node side: pull the national code lists from the hub and push this installation's figures (federatie_sync).

Only what ``insight.delivered.figures_for`` produces leaves the installation: published counts per period,
municipality and national code. Every call carries a new Fsc-Transaction-Id (UUIDv7) and is logged here as well as
on the hub. Sending a period again replaces it on the hub, so a sync that was cut off is simply run again.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from balie.core import audit, codelists
from balie.core.audit import Event
from balie.core.models import CodeListVersion
from balie.insight import delivered
from balie.signals import national as signals

from .models import Call

API_PATH = "/api/federatie/v1"


class SyncFailed(Exception):
    """The sync stopped; the message says why in Dutch. What was sent before it stays sent (and is sent again next time)."""


def uuid7() -> str:
    """A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits; FSC Logging requires this version."""
    value = (int(time.time() * 1000) & ((1 << 48) - 1)) << 80
    value |= int.from_bytes(os.urandom(10), "big") & ((1 << 80) - 1)
    value &= ~(0xF << 76)
    value |= 0x7 << 76  # version
    value &= ~(0x3 << 62)
    value |= 0x2 << 62  # variant 10
    return str(uuid.UUID(int=value))


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class Hub:
    url: str
    token: str
    timeout: float = 30.0
    session: requests.Session = field(default_factory=requests.Session)

    @classmethod
    def from_settings(cls) -> Hub:
        url, token = settings.BALIE_HUB_URL, settings.BALIE_HUB_TOKEN
        if not url or not token:
            raise SyncFailed("Dit is geen knooppunt: stel BALIE_HUB_URL en BALIE_HUB_TOKEN in (README, Federatie).")
        parts = urlsplit(url)
        if parts.scheme != "https" and not (parts.scheme == "http" and _loopback(parts.hostname or "")):
            raise SyncFailed("BALIE_HUB_URL moet met https:// beginnen (alleen een adres op deze machine mag http zijn).")
        return cls(url=url.rstrip("/"), token=token)

    def call(self, method: str, path: str, body: Any = None) -> Any:
        transaction_id = uuid7()
        headers = {"Authorization": f"Bearer {self.token}", "Fsc-Transaction-Id": transaction_id, "Accept": "application/json"}
        status = 0
        try:
            response = self.session.request(method, f"{self.url}{API_PATH}{path}", json=body, headers=headers,
                                            timeout=self.timeout, allow_redirects=False)
            status = response.status_code
        except requests.RequestException as exc:
            raise SyncFailed(f"De hub is niet bereikbaar ({type(exc).__name__}). Er is niets verloren; probeer het later opnieuw.") from exc
        finally:
            Call.objects.create(direction=Call.Direction.OUTGOING, peer=self.url[:200], method=method,
                                path=f"{API_PATH}{path}"[:200], status=status, transaction_id=transaction_id)
        try:
            data = response.json()
        except ValueError:
            data = None
        if status >= 400:
            detail = data.get("detail") if isinstance(data, dict) else ""
            raise SyncFailed(f"De hub weigerde {method} {path} ({status}): {detail or 'geen uitleg'}")
        return data


def pull_codelists(hub: Hub) -> list[int]:
    """Install every published national version this node does not have yet (the hub owns them)."""
    pulled = []
    for entry in hub.call("GET", "/codelijsten").get("versies", []):
        number = entry.get("nummer")
        local = CodeListVersion.objects.filter(number=number).first()
        if local is not None:
            if local.is_draft:
                raise SyncFailed(f"Hier staat een concept met versienummer {number}; de landelijke codelijsten komen van de "
                                 "hub. Verwijder dat concept en synchroniseer opnieuw.")
            continue
        data = hub.call("GET", f"/codelijsten/{int(number)}")
        with transaction.atomic():
            codelists.install_version(data)
        pulled.append(int(number))
    if pulled:
        codelists.clear_cache()
    return pulled


def push_figures(hub: Hub, *, today: dt.date, months_back: int) -> list[dict]:
    version = codelists.current_version().number
    sent = []
    for period in delivered.periods_to_send(today, months_back):
        answer = hub.call("PUT", f"/leveringen/{period.key}", {"codelijstversie": version, "cijfers": delivered.figures_for(period)})
        sent.append({"periode": period.key, "rijen": answer.get("rijen"), "gewijzigd": answer.get("gewijzigd")})
    return sent


def push_signals(hub: Hub) -> list[dict]:
    """The summaries of signals confirmed with "ook landelijk melden" (signals.national.summary: nothing else crosses)."""
    sent = []
    for signal in signals.to_send():
        answer = hub.call("PUT", f"/signalen/{signal.uuid}", signals.summary(signal))
        sent.append({"id": str(signal.uuid), "gewijzigd": answer.get("gewijzigd"), "landelijk_signaal": answer.get("landelijk_signaal")})
    return sent


def sync(*, hub: Hub | None = None, today: dt.date | None = None, months_back: int | None = None) -> dict:
    hub = hub or Hub.from_settings()
    me = hub.call("GET", "/knooppunt")
    pulled = pull_codelists(hub)
    sent = push_figures(hub, today=today or timezone.localdate(),
                        months_back=settings.BALIE_FEDERATION_MONTHS if months_back is None else months_back)
    reported = push_signals(hub)
    changed = sum(1 for s in [*sent, *reported] if s["gewijzigd"])
    audit.log(Event.FEDERATION_SYNCED, node=me.get("code", ""), pulled=pulled, periods=len(sent), signals=len(reported), changed=changed)
    return {"hub": hub.url, "knooppunt": me.get("code"), "codelijsten_opgehaald": pulled,
            "codelijstversie": codelists.current_version().number, "verzonden": sent, "signalen": reported, "gewijzigd": changed}


def withdraw(*, period: str | None = None, hub: Hub | None = None) -> dict:
    hub = hub or Hub.from_settings()
    answer = hub.call("DELETE", f"/leveringen/{period}" if period else "/leveringen")
    return {"hub": hub.url, "ingetrokken": answer.get("ingetrokken", 0), "signalen_ingetrokken": answer.get("signalen_ingetrokken", 0)}
