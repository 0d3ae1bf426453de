"""The e-mail to a partner about a referral, in the language of the account that receives it (issue 14 item 4).

Dutch by default: most partners have no account, and Dutch is the language of the service. A partner account that
chose English (User.language) gets the e-mail in English. The text itself carries no personal data (e-mail is not
encrypted); services.notify_partner queues it through the outbox.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from balie.core import codelists
from balie.core.models import CodeList
from balie.partners.models import Partner, PartnerUser

from .models import Referral


def _labels(referral: Referral) -> tuple[str, str]:
    """The instantie and onderwerp in words, English where the code list has an English label."""
    from . import slip

    if translation.get_language() == "en":
        return slip.label(CodeList.INSTANTIE, referral.instantie, "en"), slip.label(CodeList.ONDERWERP, referral.onderwerp, "en")
    version = referral.question.codelist_version
    return (codelists.codes(version, CodeList.INSTANTIE).get(referral.instantie, referral.instantie),
            codelists.codes(version, CodeList.ONDERWERP).get(referral.onderwerp, referral.onderwerp))


def recipient_language(partner: Partner, address: str) -> str:
    """The language of the partner account that receives an e-mail: the account with that address, else the
    partner's accounts if they all chose English. Dutch without an account (the service speaks Dutch)."""
    accounts = [link.user for link in PartnerUser.objects.filter(partner=partner, user__is_active=True).select_related("user")]
    own = [user for user in accounts if user.email and user.email.lower() == address.lower()]
    chosen = {user.language for user in own or accounts}
    return "en" if chosen == {"en"} else "nl"


def partner_mail(referral: Referral, link: str, *, reminder: bool) -> tuple[str, str]:
    """Subject and text of the e-mail to the partner, in the active language."""
    instantie, onderwerp = _labels(referral)
    organisation = referral.organisation.naam
    lines = [
        gettext("Beste partner,"),
        "",
        gettext("Herinnering: op %(date)s verwees %(organisation)s een bezoeker naar u en wij hebben nog niet gehoord hoe het is "
                "afgelopen.") % {"date": f"{timezone.localtime(referral.created_at):%d-%m-%Y}", "organisation": organisation}
        if reminder else
        gettext("%(organisation)s (%(location)s) heeft een bezoeker naar u doorverwezen.") % {
            "organisation": organisation, "location": referral.location.naam},
        gettext("De vraag ging over: %(instantie)s – %(onderwerp)s.") % {"instantie": instantie, "onderwerp": onderwerp},
        gettext("Soort verwijzing: %(kind)s.") % {"kind": referral.get_kind_display().lower()},
        gettext("De bezoeker gaf toestemming om contact op te nemen; de contactgegevens staan achter de link.") if referral.consent else
        gettext("Er zijn geen contactgegevens meegegeven."),
        "",
        gettext("Wilt u via deze persoonlijke link laten weten hoe het gaat (ontvangen, in behandeling, geholpen)?"),
        link,
        "",
        gettext("De link is %(days)s dagen geldig en alleen voor deze verwijzing. Stuur hem niet door.") % {
            "days": settings.BALIE_PARTNER_LINK_DAYS},
        "",
        gettext("Met vriendelijke groet,"),
        gettext("Informatiepunt Digitale Overheid, %(organisation)s") % {"organisation": organisation},
    ]
    subject = gettext("Doorverwijzing van %(organisation)s: %(instantie)s") % {"organisation": organisation, "instantie": instantie}
    if reminder:
        subject = gettext("Herinnering: %(subject)s") % {"subject": subject}
    return subject, "\n".join(lines)
