"""The partner's personal status link: signed for one referral, one purpose and the current link version, expiring.

Revoking (services.link_revoke) raises the referral's link version, so every link sent before stops working.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from balie.core import audit
from balie.core.audit import Event

from .models import Referral

LINK_SALT = "balie.referrals.partner-status"
LINK_PURPOSE = "status"


def base_url_of(base_url: str) -> str:
    return (base_url or settings.BALIE_BASE_URL).rstrip("/")


@dataclass(frozen=True)
class PartnerLink:
    """An opened personal link: for which referral, which version and when it was made (which e-mail it came from)."""

    referral: Referral
    version: int
    issued_at: dt.datetime


class LinkRevoked(Exception):
    """A real link for this referral, but the library has revoked it since (a newer version exists)."""

    def __init__(self, referral: Referral):
        self.referral = referral
        super().__init__("Deze link is ingetrokken.")


def link_token(referral: Referral) -> str:
    """Personal, expiring, single-purpose: signed for this referral, this purpose and the current link version."""
    return signing.TimestampSigner(salt=LINK_SALT).sign_object({"r": str(referral.uuid), "p": LINK_PURPOSE, "v": referral.link_version})


def open_link(uuid: str, token: str) -> PartnerLink | None:
    """The link if the token is valid, unexpired and made for exactly this referral; None otherwise.

    Raises LinkRevoked for a genuine link of an earlier version. Links from before versions existed carry none and
    count as version 0, so they work until the first revocation.
    """
    try:
        data = signing.TimestampSigner(salt=LINK_SALT).unsign_object(token, max_age=dt.timedelta(days=settings.BALIE_PARTNER_LINK_DAYS))
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or data.get("p") != LINK_PURPOSE or data.get("r") != str(uuid):
        return None
    referral = Referral.objects.select_related("partner", "service", "organisation", "location").filter(uuid=uuid).first()
    if referral is None:
        return None
    if data.get("v", 0) != referral.link_version:
        raise LinkRevoked(referral)
    issued = dt.datetime.fromtimestamp(signing.b62_decode(token.rsplit(":", 2)[1]), tz=dt.timezone.utc)
    return PartnerLink(referral, referral.link_version, issued)


def link_refused(referral: Referral, *, origin: dict[str, str]) -> None:
    """Someone opened a revoked link: worth a line in the audit log (who still has the old e-mail?)."""
    audit.log(Event.REFERRAL_LINK_REFUSED, obj=referral, partner=referral.partner.name, **origin)


def link_url(referral: Referral, base_url: str = "") -> str:
    return base_url_of(base_url) + reverse("referrals:partner_link", args=[referral.uuid, link_token(referral)])
