"""Which trusted domain does a domain imitate?

Checks, strongest first: a real domain hidden in the sub-domains (belastingdienst.nl.veilig-inloggen.info), look-alike
characters (Cyrillic е, rn for m, 1 for l), the real name with another extension (digid.com), the name with a hyphen
(belasting-dienst.nl), a typo (letters swapped, doubled, missing or replaced), and finally the real name inside a
longer name (mijnoverheid-bericht.com). Only registrable labels are compared, against ~2,000 target labels, with
rapidfuzz's C implementation of the optimal-string-alignment distance: well under a millisecond per domain.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from confusable_homoglyphs import confusables
from django.utils.translation import gettext_noop as N  # marks only; needs no settings
from rapidfuzz import process
from rapidfuzz.distance import OSA

from .domains import MIN_TYPO_LABEL, DomainRegister, HostParts, split_host

# Tricks that only work because of how letters look in a small font; applied to both sides of a comparison.
_ASCII_TRICKS = (("rn", "m"), ("vv", "w"), ("1", "l"), ("0", "o"), ("3", "e"), ("5", "s"))
_TOKEN_SPLIT = re.compile(r"[-_.0-9]+")
# Brand names that are also everyday words: "bibliotheekrotterdam.nl" or "werkenbijdeoverheid.nl" are not imitations.
# Inside a longer word they say nothing; as a separate part (politie-boete.nl) the everyday-word ones still count.
_GENERIC_NAMES = frozenset({"bibliotheek", "overheid", "werk", "politie", "douane", "rechtspraak", "kadaster", "thuisarts"})
_GENERIC_TOKENS = frozenset({"bibliotheek", "werk", "overheid"})


@dataclass(frozen=True)
class Imitation:
    target: str  # the trusted domain being imitated
    kind: str  # subdomein, tekens, extensie, streepje, typfout, naam
    template: str  # plain-Dutch description of the trick, marked for translation, with %(...)s for `values`
    values: tuple[tuple[str, str], ...] = ()

    @property
    def detail(self) -> str:
        return self.template % dict(self.values) if self.values else self.template

    @property
    def detail_shown(self) -> str:
        """The description in the active language (call while a page is made)."""
        from django.utils.translation import gettext

        return gettext(self.template) % dict(self.values) if self.values else gettext(self.template)

    @property
    def strong(self) -> bool:
        # A real name inside a longer name can be innocent (a fan site, a comparison site); the rest is deception.
        return self.kind != "naam"


@lru_cache(maxsize=4096)
def ascii_for(char: str) -> str:
    """The ASCII letter(s) a character passes for, or the character itself."""
    if char.isascii():
        return char
    decomposed = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if decomposed and decomposed.isascii():
        return decomposed.lower()
    for glyph in confusables.confusables_data.get(char, ()):
        candidate = glyph["c"].lower()
        if candidate.isascii() and candidate.isalnum():
            return candidate
    return char


@lru_cache(maxsize=8192)
def skeleton(label: str) -> str:
    """What a label looks like to a hurried reader: homoglyphs and letter tricks folded to plain letters."""
    text = "".join(ascii_for(c) for c in unicodedata.normalize("NFKC", label.lower()))
    for trick, plain in _ASCII_TRICKS:
        text = text.replace(trick, plain)
    return text


@lru_cache(maxsize=4)
def _index(register: DomainRegister) -> tuple[dict[str, str], list[str]]:
    """Skeleton -> label, and the labels long enough for typo matching."""
    skeletons: dict[str, str] = {}
    for label in register.targets_by_label:
        skeletons.setdefault(skeleton(label), label)
    typo_labels = [label for label in register.targets_by_label if len(label) >= MIN_TYPO_LABEL]
    return skeletons, typo_labels


def _target(register: DomainRegister, label: str, suffix: str = "") -> str:
    """The registrable domain for a target label, preferring the same extension, then .nl."""
    domains = register.targets_by_label[label]
    for wanted in (f"{label}.{suffix}", f"{label}.nl"):
        if wanted in domains:
            return wanted
    return min(domains, key=len)


def _notable(register: DomainRegister, label: str) -> bool:
    # Short government labels (ede, oss) are ordinary words elsewhere; only our curated brands count when short.
    return label in register.targets_by_label and (len(label) >= MIN_TYPO_LABEL or label in register.brand_labels)


def _typo_detail(fake: str, real: str) -> str:
    if len(fake) == len(real) and sorted(fake) == sorted(real):
        return N("twee letters zijn omgewisseld")
    if len(fake) == len(real) + 1:
        if any(fake[i] == fake[i + 1] and fake[:i] + fake[i + 1 :] == real for i in range(len(fake) - 1)):
            return N("er staat een letter dubbel")
        return N("er staat een letter te veel")
    if len(fake) + 1 == len(real):
        return N("er ontbreekt een letter")
    return N("er is een letter vervangen")


def _subdomain_trick(register: DomainRegister, parts: HostParts) -> Imitation | None:
    if not parts.subdomain:
        return None
    labels = parts.subdomain.split(".")
    for i in range(len(labels)):
        for j in range(len(labels), i + 1, -1):
            candidate = ".".join(labels[i:j])
            entry = register.lookup(candidate)
            if entry is not None and split_host(candidate).suffix:
                return Imitation(entry.domain, "subdomein", N("het echte adres %(real)s staat vooraan, maar de website is %(site)s"),
                                  (("real", entry.domain), ("site", parts.registrable)))
    for label in labels:
        if _notable(register, label) or skeleton(label) in register.brand_labels:
            real = _target(register, label if label in register.targets_by_label else skeleton(label))
            return Imitation(real, "subdomein", N("de naam '%(name)s' staat vooraan, maar de website is %(site)s"),
                              (("name", label), ("site", parts.registrable)))
    return None


def _lookalike_label(register: DomainRegister, parts: HostParts) -> Imitation | None:
    label = parts.label
    skeletons, typo_labels = _index(register)
    if label in register.targets_by_label:
        if _notable(register, label):
            real = _target(register, label, parts.suffix)
            return Imitation(real, "extensie", N("de naam is echt, maar de extensie .%(suffix)s hoort niet bij %(real)s"),
                             (("suffix", parts.suffix), ("real", real)))
        return None
    skel = skeleton(label)
    if skel in skeletons:
        real = _target(register, skeletons[skel], parts.suffix)
        if not label.isascii():
            return Imitation(real, "tekens", N("het adres gebruikt letters uit een ander alfabet of tekens die op letters lijken"))
        return Imitation(real, "tekens", N("het adres gebruikt tekens die op andere letters lijken (zoals rn voor m of 1 voor l)"))
    unhyphened = label.replace("-", "")
    if unhyphened != label and _notable(register, unhyphened):
        real = _target(register, unhyphened, parts.suffix)
        return Imitation(real, "streepje", N("er staat een streepje in de naam dat %(real)s niet heeft"), (("real", real),))
    if len(label) >= MIN_TYPO_LABEL:
        limit = 1 if len(skel) < 9 else 2
        matches = process.extract(skel, typo_labels, scorer=OSA.distance, score_cutoff=limit, limit=5)
        if matches:
            # Closest first; on a tie prefer the names people know (our supplement) over obscure register entries.
            best = min(matches, key=lambda m: (m[1], m[0] not in register.brand_labels, m[0]))[0]
            real = _target(register, best, parts.suffix)
            return Imitation(real, "typfout", _typo_detail(skel, best))
    elif len(label) >= 3:
        # Short names only by swapping two letters (uvw.nl for uwv.nl): other one-letter changes are other words.
        for brand in register.brand_labels:
            if len(brand) == len(label) and sorted(brand) == sorted(label) and OSA.distance(brand, label) == 1:
                real = _target(register, brand, parts.suffix)
                return Imitation(real, "typfout", N("twee letters zijn omgewisseld"))
    return None


def _name_inside(register: DomainRegister, parts: HostParts) -> Imitation | None:
    label = parts.label
    for token in _TOKEN_SPLIT.split(label):
        for form in (token, skeleton(token)):
            if form and form != label and form not in _GENERIC_TOKENS and _notable(register, form):
                real = _target(register, form)
                return Imitation(real, "naam", N("de naam van %(real)s is gebruikt in een ander adres"), (("real", real),))
    skel = skeleton(label)
    for brand in register.brand_labels:
        if len(brand) >= MIN_TYPO_LABEL and brand not in _GENERIC_NAMES and brand in skel and brand != skel:
            real = _target(register, brand)
            return Imitation(real, "naam", N("de naam van %(real)s is gebruikt in een ander adres"), (("real", real),))
    return None


def imitation_of(register: DomainRegister, host: str) -> Imitation | None:
    """The trusted domain that host pretends to be, or None. Call only for hosts that are not trusted themselves."""
    parts = split_host(host)
    if not parts.label:
        return None
    return _subdomain_trick(register, parts) or _lookalike_label(register, parts) or _name_inside(register, parts)
