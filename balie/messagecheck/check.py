"""Is this message real? A verdict with every reason, in plain Dutch, for staff to show the visitor.

Pure text analysis: never fetches a URL, never resolves DNS, stores nothing. Each rule adds points: 0 is
"betrouwbaar", 1-2 "twijfel", 3 or more "nep". A single strong sign (a look-alike domain, asking for a DigiD code)
is worth 3 on its own; weaker signs (an unknown domain, urgency) only count together.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from confusable_homoglyphs import confusables
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from . import senders
from .domains import DomainRegister, base_register, has_public_suffix, normalise_host, split_host
from .lookalike import ascii_for, imitation_of

# A scam SMS, WhatsApp or e-mail is a few hundred characters; the longest labelled message has 252. A limit keeps the
# anonymous public page cheap (review M10: 20,000 characters took seconds of CPU per request).
MAX_CHARS = 5_000
# The longest possible host name (DNS: 253 characters). Anything longer is no real address, so the register and
# look-alike searches (whose work grows with the number of labels) are not run on it.
MAX_HOST = 253
# A real message has one to a few links; the look-alike search costs up to a millisecond per address, so only the first
# MAX_HOSTS different addresses are judged (a text made of thousands of addresses is answered in time all the same).
MAX_HOSTS = 50
NEP, TWIJFEL, BETROUWBAAR = "nep", "twijfel", "betrouwbaar"
FRAUDEHELPDESK = "Fraudehelpdesk: 088-786 73 72 of fraudehelpdesk.nl"

SHORTENERS = frozenset({
    "bit.ly", "bitly.com", "tinyurl.com", "t.co", "goo.gl", "is.gd", "v.gd", "ow.ly", "cutt.ly", "rebrand.ly", "shorturl.at",
    "tiny.cc", "s.id", "rb.gy", "t.ly", "lnkd.in", "buff.ly", "shorte.st", "adf.ly", "bl.ink", "short.io", "snip.ly", "tiny.one",
    "urlz.fr", "qrco.de", "shorturl.asia", "surl.li", "u.to", "clck.ru", "rotf.lol", "bit.do",
})
# File names look like domains with these extensions; they only count with http:// or www. in front.
_FILE_LIKE_SUFFIXES = frozenset({"zip", "mov", "py", "sh", "pl", "rs", "md", "pdf", "doc", "docx", "jpg", "png", "exe", "apk"})

# Every pattern here must take time linear in the text: the page is public. A pattern that can start inside a run of
# the characters it repeats ([\w.+-]+ on "1111...") tries every start and rescans the run each time (quadratic), so
# each one starts only where such a run starts (the look-behind), which finds the same matches.
_URL = re.compile(r"(?:(?:https?|hxxps?)://|www\.)[^\s<>\"'()\[\]]+", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@((?:[\w-]+\.)+[\w-]{2,})", re.UNICODE)
_BARE = re.compile(r"(?<![\w@./-])((?:[\w-]+\.)+[^\W\d_]{2,}[\w-]*)(?![\w-]|\.\w)", re.UNICODE)


def _rx(pattern: str) -> re.Pattern[str]:
    # Case-sensitive on lower-cased text: Python's re is ~2.5x slower with IGNORECASE on these alternations.
    return re.compile(pattern)


# Content rules work per sentence on lower-cased text with look-alike letters folded to plain ones.
URGENCY = _rx(r"\b(binnen (24|48|72) uur|binnen \d+ (uur|minuten)|vandaag nog|nog vandaag|onmiddellijk|zo snel mogelijk|z\.s\.m|"
              r"uiterlijk (vandaag|morgen|vanavond)|laatste (kans|herinnering|waarschuwing|aanmaning|oproep)|nog (maar )?\d+ (uur|dag|dagen)|"
              r"binnen (een|1|2|3|twee|drie) dag(en)?|spoed|dringend|urgent|voor middernacht|(verloopt|vervalt) (vandaag|morgen|binnen)|is verlopen|"
              r"direct (actie|betalen|reageren|handelen|inloggen))")
THREAT = _rx(r"\b(geblokkeerd|blokkeren|blokkering|afgesloten|opgeschort|stopgezet|ingetrokken|deurwaarder|beslag|beslaglegging|incassobureau|"
             r"gerechtelijke|rechtszaak|arrestatie|aanhoudingsbevel|boete wordt verhoogd|verhoogd met|extra kosten|vervolging|strafbaar)")
PAYMENT = _rx(r"(\bbetaa?l|\bbetaling|\bvoldoen\b|\bvoldoe\b|openstaande? (bedrag|factuur|rekening|kosten)|achterstallig|betaalverzoek|tikkie|overmaken|"
              r"verzendkosten|invoerrechten|€\s?\d|\beur\s?\d|(?<!\d)\d+,\d{2}\b)")
MONEY_OFFER = _rx(r"\b(teruggave|terugbetaling|restitutie|recht op (een )?(vergoeding|teruggave|uitbetaling|compensatie)|te veel betaald|compensatie|"
                  r"vergoeding|gewonnen|winnaar|prijs|cadeau|gratis|tegoed|cashback|geld terug)")
CREDENTIAL = _rx(r"(digid[- ]?code|inlogcode|sms[- ]?code|verificatiecode|activeringscode|activatiecode|beveiligingscode|controlecode|pincode|\bpin\b|"
                 r"wachtwoord|inloggegevens|gebruikersnaam|tan[- ]?code|identificatiecode|bankpas|betaalpas|creditcard|kaartnummer|\bcvc\b|"
                 r"\bcodes?\b|\b(uw|je|oude) (bank)?pas\b|toegangscode|koppelcode|bankgegevens|rekeninggegevens|rekeningnummer|\biban\b|kopie van (uw|je) (id|identiteitsbewijs|paspoort|rijbewijs))")
ASK_SEND = _rx(r"\b(stuur|stuurt|sturen|opsturen|toesturen|geef|geeft|geven|doorgeven|deel|deelt|delen|noem|noemt|reageer met|antwoord met)\b")
ASK_ENTER = _rx(r"\b(vul|vult|invullen|voer|voert|invoeren|bevestig|bevestigen|verifieer|verifiëren|verifieren|log|inloggen|controleer|controleren|upload)\b")
QR_SCAN = _rx(r"\b(scan|scant|scannen)\b.{0,60}\bqr|\bqr[- ]?code\b.{0,60}\b(scan|scant|scannen)\b")
VERIFY_DATA = _rx(r"\b(bevestig|bevestigen|verifieer|verifiëren|verifieren|controleer|controleren|update|actualiseer|actualiseren|herstel|herstellen|"
                  r"vernieuw|vernieuwen|verleng|verlengen|activeer|activeren|valideer|valideren)\b.{0,80}\b(gegevens|account|identiteit|rekening|"
                  r"digid|pas|betaalpas|bankpas|app|toegang|adres)")
NEGATION = _rx(r"\b(nooit|niet|niemand|geen)\b")
FAMILY = _rx(r"\b(hoi|hey|hallo|hi|dag|lieve) (mam|pap|mama|papa|moeder|vader|oma|opa|ma|pa)\b|\bmijn nieuwe? (telefoon)?nummer\b|"
             r"\bmijn telefoon is (kapot|stuk|gevallen|in het water)|\bnieuw nummer\b")
MONEY_ASK = _rx(r"(\bbetaa?l|overmaken|maak .{0,40} over|\bgeld\b|rekening|\bvoorschieten|lenen|€\s?\d|(?<!\d)\d+,\d{2}\b)")
SAFE_ACCOUNT = _rx(r"\b(veilige|tijdelijke|beveiligde|kluis)\s?(bank)?rekening|\bgeld (veilig|in veiligheid)|\bvan de fraudeafdeling\b")
HIDDEN_LINK = _rx(r"\b(klik (hier|op (de|deze) (link|knop))|via (de|deze) (link|knop)|druk op (de|deze) knop|onderstaande (link|knop)|tik op (de|deze) link)\b")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    weight: int = 0

    def as_json(self) -> dict[str, str]:
        return {"code": self.code, "text": self.text}


@dataclass(frozen=True)
class DomainFinding:
    domain: str
    official: bool  # in the government register, our supplement of known services, or added by an administrator
    organisation: str = ""
    imitates: str | None = None
    detail: str = ""
    as_email: bool = False  # only seen as an e-mail address, not as a link
    imitation_kind: str = ""

    def as_json(self) -> dict[str, object]:
        return {"domain": self.domain, "official": self.official, "imitates": self.imitates}


@dataclass
class MessageResult:
    verdict: str
    reasons: list[Reason]
    domains: list[DomainFinding]
    advice: list[str] = field(default_factory=list)
    score: int = 0

    def as_json(self) -> dict[str, object]:
        return {"verdict": self.verdict, "reasons": [r.as_json() for r in self.reasons], "domains": [d.as_json() for d in self.domains]}

    @property
    def warnings(self) -> list[Reason]:
        return [r for r in self.reasons if r.weight > 0]

    @property
    def reassurances(self) -> list[Reason]:
        return [r for r in self.reasons if r.weight == 0]


class MessageInputError(ValueError):
    """Input we cannot check, with a Dutch message for the user."""


class MessageTooLong(MessageInputError):
    """More than MAX_CHARS characters: the page answers 413."""


def _fold(text: str) -> str:
    # Scammers write "Bеlastingdienst" with a Cyrillic е to slip past filters; the rules should see the plain word.
    return "".join(ascii_for(c) if not c.isascii() and c.isalpha() else c for c in unicodedata.normalize("NFKC", text))


def _host_of_url(url: str) -> tuple[str, bool]:
    """The host of a URL, and whether it hides something before an @ (https://belastingdienst.nl@evil.example)."""
    if url.lower().startswith("www."):
        url = "http://" + url
    url = re.sub(r"^hxxp", "http", url, flags=re.IGNORECASE).rstrip(".,;:!?")
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return "", False
    return host, "@" in parts.netloc


def _collect_hosts(text: str) -> tuple[dict[str, bool], bool]:
    """Every host in the text -> whether it appears as a link (False: only in an e-mail address); and an @-trick."""
    hosts: dict[str, bool] = {}
    at_trick = False

    def url(match: re.Match[str]) -> str:
        nonlocal at_trick
        host, tricked = _host_of_url(match.group(0))
        at_trick = at_trick or tricked
        if host:
            hosts[normalise_host(host)] = True
        return " "

    def email(match: re.Match[str]) -> str:
        hosts.setdefault(normalise_host(match.group(1)), False)
        return " "

    # One pass per pattern (replacing each found address in the whole text again was quadratic in their number).
    rest = _EMAIL.sub(email, _URL.sub(url, text))
    for match in _BARE.finditer(rest):
        host = normalise_host(match.group(1))
        if not has_public_suffix(host) or split_host(host).suffix in _FILE_LIKE_SUFFIXES:
            continue
        hosts[host] = True
    return hosts, at_trick


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if s.strip()]


def _asks_for_codes(sentences: list[str], has_link: bool, whole: str) -> bool:
    if not CREDENTIAL.search(whole):
        return False
    for sentence in sentences:
        if not CREDENTIAL.search(sentence) or NEGATION.search(sentence):
            continue
        # Sending a code is never asked for; typing one in only matters when there is somewhere (a link) to type it.
        if ASK_SEND.search(sentence) or (has_link and ASK_ENTER.search(sentence)):
            return True
    return False


def _any(pattern: re.Pattern[str], sentences: list[str], *, skip_negated: bool = True, whole: str = "") -> bool:
    # One search over the whole text first: most rules do not match at all, and long e-mails have hundreds of sentences.
    if whole and not pattern.search(whole):
        return False
    return any(pattern.search(s) and not (skip_negated and NEGATION.search(s)) for s in sentences)


def _domain_findings(register: DomainRegister, hosts: dict[str, bool]) -> list[DomainFinding]:
    findings = []
    for host, as_link in list(hosts.items())[:MAX_HOSTS]:
        if len(host) > MAX_HOST:
            findings.append(DomainFinding(host, False, "", as_email=not as_link))
            continue
        entry = register.lookup(host)
        if entry is not None:
            findings.append(DomainFinding(host, True, entry.organisation, as_email=not as_link))
            continue
        imitation = None if _is_ip(host) else imitation_of(register, host)
        findings.append(DomainFinding(host, False, "", imitation.target if imitation else None, imitation.detail_shown if imitation else "",
                                      as_email=not as_link, imitation_kind=imitation.kind if imitation else ""))
    return findings


def _domain_reasons(register: DomainRegister, findings: list[DomainFinding], at_trick: bool) -> list[Reason]:
    reasons: list[Reason] = []
    for f in findings:
        shown = _("%(domain)s (e-mailadres)") % {"domain": f.domain} if f.as_email else f.domain
        if f.official:
            entry = register.lookup(f.domain)
            text = (_("%(shown)s is een officieel domein van de overheid (%(organisation)s).") if entry and entry.category == "overheid"
                    else _("%(shown)s is een bekend domein (%(organisation)s)."))
            reasons.append(Reason("officieel_domein", text % {"shown": shown, "organisation": f.organisation}))
        elif _is_ip(f.domain):
            reasons.append(Reason("ip_adres", _("De link gaat naar een rij cijfers (%(domain)s) in plaats van een naam. Echte organisaties doen dat niet.") % {"domain": f.domain}, 3))
        elif split_host(f.domain).registrable in SHORTENERS:
            reasons.append(Reason("verkorte_link", _("%(domain)s is een dienst die links korter maakt. Zo ziet u niet waar de link echt heen gaat.") % {"domain": f.domain}, 2))
        elif f.imitates:
            target = register.lookup(f.imitates)
            # A government or bank name inside someone else's domain is a scam in practice; a shop's name less surely so.
            high_value = target is not None and target.category in {"overheid", "bank"}
            weight = 3 if f.imitation_kind != "naam" or high_value else 2
            code = "naam_in_domein" if f.imitation_kind == "naam" else "nagemaakt_domein"
            reasons.append(Reason(code, _("%(shown)s lijkt op %(imitates)s, maar is het niet: %(detail)s.") % {"shown": shown, "imitates": f.imitates, "detail": f.detail}, weight))
        else:
            reasons.append(Reason("onbekend_domein", _("%(shown)s staat niet in het register van overheidsdomeinen en ook niet in onze lijst van bekende diensten. Controleer wie erachter zit.") % {"shown": shown}, 1))
        if not f.domain.isascii() and not _is_ip(f.domain):
            reasons.append(Reason("vreemde_tekens_in_adres", _("In %(domain)s staan letters uit een ander alfabet of speciale tekens.") % {"domain": f.domain}, 1))
    if at_trick:
        reasons.append(Reason("link_met_apenstaartje", _("In de link staat een @. Alles vóór de @ is alleen maar versiering; de link gaat naar wat erna komt."), 3))
    return reasons


def _content_reasons(register: DomainRegister, text: str, folded: str, findings: list[DomainFinding],
                     orgs: list[senders.Organisation]) -> list[Reason]:
    folded = folded.lower()
    sentences = _sentences(folded)
    untrusted_links = [f for f in findings if not f.official and not f.as_email]
    untrusted_any = [f for f in findings if not f.official]
    hidden_link = bool(HIDDEN_LINK.search(folded))
    risky_link = bool(untrusted_links) or (hidden_link and not any(f.official and not f.as_email for f in findings))
    reasons: list[Reason] = []
    if hidden_link and not any(not f.as_email for f in findings):
        reasons.append(Reason("verborgen_link", _("Het bericht vraagt u op een link of knop te drukken, maar u ziet niet waar die heen gaat."), 1))
    if _any(URGENCY, sentences, skip_negated=False, whole=folded):
        reasons.append(Reason("haast", _("Het bericht zet u onder tijdsdruk (bijvoorbeeld 'binnen 24 uur' of 'laatste herinnering'). Oplichters willen dat u snel handelt."), 1))
    if _any(THREAT, sentences, skip_negated=False, whole=folded):
        reasons.append(Reason("dreiging", _("Het bericht dreigt (met blokkeren, afsluiten, een deurwaarder of extra kosten)."), 1))
    if risky_link and _any(PAYMENT, sentences, whole=folded):
        reasons.append(Reason("betalen_via_link", _("U moet via een link betalen. Betaal nooit via een link uit een e-mail, sms of WhatsApp; de overheid vraagt dat nooit."), 2))
    if risky_link and _any(MONEY_OFFER, sentences, whole=folded):
        reasons.append(Reason("geld_beloofd", _("Het bericht belooft geld (een teruggave, vergoeding of prijs) als u op een link klikt."), 2))
    if _asks_for_codes(sentences, risky_link, folded):
        reasons.append(Reason("vraagt_codes", _("Het bericht vraagt om een code, wachtwoord, pincode, bankgegevens of uw bankpas. Een echte organisatie vraagt daar nooit om in een bericht."), 3))
    if _any(SAFE_ACCOUNT, sentences, whole=folded):
        reasons.append(Reason("veilige_rekening", _("Het bericht wil uw geld 'veilig zetten' of noemt een fraudeafdeling. Een bank laat u nooit geld overmaken naar een 'veilige rekening'."), 3))
    if _any(QR_SCAN, sentences, whole=folded):
        reasons.append(Reason("qr_scannen", _("U moet een QR-code scannen. Zo kunnen oplichters inloggen met uw DigiD of bank."), 3))
    if risky_link and _any(VERIFY_DATA, sentences, whole=folded):
        reasons.append(Reason("gegevens_bevestigen", _("U moet via een link uw gegevens of account 'controleren', 'verlengen' of 'bevestigen'. Dat is een bekende truc."), 2))
    if FAMILY.search(folded):
        weight = 3 if MONEY_ASK.search(folded) else 2
        family = (_("Iemand zegt een familielid te zijn met een nieuw nummer en vraagt om geld. Bel het oude, bekende nummer om te controleren.")
                  if weight == 3 else _("Iemand zegt een familielid te zijn met een nieuw nummer. Bel het oude, bekende nummer om te controleren."))
        reasons.append(Reason("nieuw_nummer", family, weight))
    reasons += _sender_reasons(orgs, untrusted_any, sentences, folded, hidden_link, risky_link)
    if any(confusables.is_mixed_script(word) for word in text.split() if not word.isascii() and len(word) > 2):
        reasons.append(Reason("vreemde_letters", _("In de tekst staan letters uit een ander alfabet die op gewone letters lijken. Zo omzeilen oplichters filters."), 2))
    return reasons


def _sender_reasons(orgs: list[senders.Organisation], untrusted_any: list[DomainFinding], sentences: list[str], folded: str,
                    hidden_link: bool, risky_link: bool) -> list[Reason]:
    """The message names an organisation: do its links and its way of asking for money fit that organisation?"""
    found: list[Reason] = []
    for org in orgs:
        foreign = [f for f in untrusted_any if f.domain not in org.domains]
        foreign_links = [f for f in foreign if not f.as_email]
        real = org.domains[0] if org.domains else ""
        pays = _any(PAYMENT, sentences, whole=folded)
        if org.name == "CJIB" and (foreign_links or hidden_link or pays):
            found.append(Reason("stuurt_geen_links", org.never_links + " " + _("Dit bericht komt dus niet van het CJIB."), 3))
        elif org.never_links and (foreign_links or (hidden_link and risky_link)):
            where = foreign_links[0].domain if foreign_links else _("een verborgen link")
            found.append(Reason("stuurt_geen_links", org.never_links + " " + _("Dit bericht noemt %(name)s maar linkt naar %(where)s.")
                                % {"name": org.name, "where": where}, 3))
        elif foreign:
            found.append(Reason("afzender_klopt_niet", _("Het bericht zegt van %(name)s te komen, maar %(domain)s is niet van %(name)s. "
                                  "De echte website is %(real)s.") % {"name": org.name, "domain": foreign[0].domain, "real": real}, 2))
    return found


def _verdict(score: int) -> str:
    return NEP if score >= 3 else TWIJFEL if score >= 1 else BETROUWBAAR


def _advice(verdict: str, orgs: list[senders.Organisation]) -> list[str]:
    own_site = ", ".join(sorted({o.domains[0] for o in orgs if o.domains})[:3])
    go_yourself = _("Ga zelf naar de website van de organisatie (%(site)s): typ het adres zelf in.") % {"site": own_site} if own_site else \
        _("Ga zelf naar de website van de organisatie: typ het adres zelf in of zoek het op, niet via de link.")
    report = next((o.report_address for o in orgs if o.report_address), "")
    if verdict == NEP:
        advice = [_("Klik niet op links en open geen bijlagen. Reageer niet en bel geen nummer uit het bericht."),
                  _("Geef nooit codes, wachtwoorden, uw pincode of bankpas aan iemand."), go_yourself,
                  (_("Stuur een valse e-mail door naar %(address)s.") % {"address": report} if report else
                   _("Stuur een valse e-mail door naar de organisatie: veel organisaties hebben een adres als valse-email@ en hun eigen domein."))
                  + " " + _("Meld het bij de %(helpdesk)s. Verwijder het bericht daarna.") % {"helpdesk": FRAUDEHELPDESK}]
        advice.append(_("Heeft u al geklikt, iets ingevuld of betaald? Bel meteen uw bank en meld het bij de Fraudehelpdesk. Doe aangifte bij de politie (0900-8844)."))
        return advice
    if verdict == TWIJFEL:
        return [_("Klik niet op de link.") + " " + go_yourself,
                _("Of bel de organisatie met het nummer van hun eigen website of van een brief, niet met een nummer uit dit bericht."),
                _("Twijfel? Vraag het bij het Informatiepunt of bel de %(helpdesk)s.") % {"helpdesk": FRAUDEHELPDESK}]
    return [_("We vonden geen kenmerken van nep. Toch: ga liever zelf naar de website dan via een link."),
            _("Twijfelt u toch? Bel de organisatie met het nummer van hun eigen website, of de %(helpdesk)s.") % {"helpdesk": FRAUDEHELPDESK}]


def check_message(text: str, register: DomainRegister | None = None) -> MessageResult:
    """Judge a pasted e-mail, SMS, WhatsApp message or link."""
    if text is None or not text.strip():
        raise MessageInputError(_("Plak eerst een bericht of een link in het tekstvak."))
    if len(text) > MAX_CHARS:
        raise MessageTooLong(_("Dit is te lang voor een bericht: het mag hoogstens %(max)s tekens zijn. Plak alleen het bericht zelf.")
                             % {"max": number_format(MAX_CHARS, force_grouping=True)})
    register = register or base_register()
    hosts, at_trick = _collect_hosts(text)
    findings = _domain_findings(register, hosts)
    folded = _fold(text)
    # Names inside addresses (toeslagen-nl.info) are not a claim to be that organisation; the address rules judge those.
    orgs = senders.claimed(register, _BARE.sub(" ", _URL.sub(" ", _EMAIL.sub(" ", folded))))
    reasons = _domain_reasons(register, findings, at_trick) + _content_reasons(register, text, folded, findings, orgs)
    score = sum(r.weight for r in reasons)
    verdict = _verdict(score)
    if not reasons:
        reasons.append(Reason("geen_kenmerken", _("Er staat geen link in en we vonden geen kenmerken van nep (geen haast, dreiging of vraag om codes of geld).")))
    return MessageResult(verdict, reasons, findings, _advice(verdict, orgs), score)
