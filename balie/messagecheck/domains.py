"""The register of domains we trust: government domains, the curated supplement and what administrators add.

Loaded once per process (the message check must answer in milliseconds). The files ship with Balie, so the
check works on a closed library network; tldextract uses its bundled public suffix list and never fetches.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import tldextract

DATA = Path(__file__).resolve().parent / "data"
REGISTER_FILE = DATA / "nl-overheid-domeinen.csv"
SUPPLEMENT_FILE = DATA / "vertrouwde-domeinen.csv"

# Labels this short are also real, unrelated words and domains (ede, oss, urk): typo matching on them is noise.
MIN_TYPO_LABEL = 5


@dataclass(frozen=True)
class DomainInfo:
    domain: str
    organisation: str
    category: str
    source: str  # "register" (Open State snapshot), "aanvulling" (our supplement) or "beheer" (an administrator)


@dataclass(frozen=True)
class HostParts:
    host: str  # lower case, unicode (punycode decoded)
    subdomain: str
    label: str  # the registrable label: "belastingdienst" in mijn.belastingdienst.nl
    suffix: str

    @property
    def registrable(self) -> str:
        return f"{self.label}.{self.suffix}" if self.suffix else self.label


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    # suffix_list_urls=() and no cache dir: the snapshot bundled with tldextract, never a download.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def normalise_host(host: str) -> str:
    host = host.strip().strip(".").lower()
    if "xn--" in host:
        try:
            host = host.encode("ascii").decode("idna")
        except (UnicodeError, ValueError):
            pass  # an invalid punycode label is suspicious in itself; analyse it as written
    return host


@lru_cache(maxsize=4096)
def split_host(host: str) -> HostParts:
    host = normalise_host(host)
    parts = _extractor()(host)
    return HostParts(host=host, subdomain=parts.subdomain, label=parts.domain, suffix=parts.suffix)


def has_public_suffix(host: str) -> bool:
    parts = split_host(host)
    return bool(parts.suffix and parts.label)


@dataclass(eq=False)  # identity hashing: lookalike indexes are cached per register object
class DomainRegister:
    """Exact domains plus, for lookalike comparison, the registrable domains we consider worth imitating."""

    entries: dict[str, DomainInfo]
    # label -> registrable domains with that label (digid -> [digid.nl]); the lookalike search space.
    targets_by_label: dict[str, list[str]] = field(default_factory=dict)
    # Labels of the supplement and administrator entries: the names scammers put in their own domains.
    brand_labels: frozenset[str] = frozenset()

    @classmethod
    def build(cls, entries: Iterable[DomainInfo]) -> DomainRegister:
        by_domain: dict[str, DomainInfo] = {}
        for entry in entries:
            # Later sources win: our supplement names organisations the way visitors know them.
            by_domain[entry.domain] = entry
        targets: dict[str, list[str]] = {}
        brands: set[str] = set()
        for domain, entry in by_domain.items():
            parts = split_host(domain)
            # Only entries that are themselves a registrable domain are lookalike targets: a listed
            # ez.maps.arcgis.com must not make arcgis.com something to imitate.
            if not parts.suffix or parts.subdomain or len(parts.label) < 2:
                continue
            targets.setdefault(parts.label, []).append(domain)
            if entry.source != "register":
                brands.add(parts.label)
        return cls(entries=by_domain, targets_by_label=targets, brand_labels=frozenset(brands))

    def lookup(self, host: str) -> DomainInfo | None:
        """The entry for host or for the nearest listed parent domain (mijn.belastingdienst.nl -> belastingdienst.nl)."""
        host = normalise_host(host)
        labels = host.split(".")
        for i in range(len(labels) - 1):
            entry = self.entries.get(".".join(labels[i:]))
            if entry is not None:
                return entry
        return None

def _read_register() -> Iterable[DomainInfo]:
    with REGISTER_FILE.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            domain = normalise_host(row["Domain Name"])
            if domain:
                yield DomainInfo(domain, row["Agency"].strip(), "overheid", "register")


def _read_supplement() -> Iterable[DomainInfo]:
    with SUPPLEMENT_FILE.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            yield DomainInfo(normalise_host(row["domain"]), row["organisation"].strip(), row["category"].strip(), "aanvulling")


@lru_cache(maxsize=1)
def base_register() -> DomainRegister:
    """The shipped register (files only, no database): loaded once per process."""
    return DomainRegister.build([*_read_register(), *_read_supplement()])


def register_with(extra: Iterable[DomainInfo]) -> DomainRegister:
    """The shipped register plus administrator entries."""
    key = tuple(sorted(set(extra), key=lambda e: e.domain))
    return _combined(key) if key else base_register()


@lru_cache(maxsize=8)
def _combined(extra: tuple[DomainInfo, ...]) -> DomainRegister:
    # Cached per set of administrator entries: a rebuild costs tens of ms and only follows an admin change.
    return DomainRegister.build([*base_register().entries.values(), *extra])


def trusted_register() -> DomainRegister:
    """The shipped register plus what administrators added (one small query: the table holds tens of rows)."""
    from django.db import DatabaseError

    from .models import TrustedDomain

    try:
        rows = list(TrustedDomain.objects.values_list("domain", "organisation", "category"))
    except DatabaseError:
        # A missing table (not yet migrated) must not break the check: the shipped register is still complete.
        return base_register()
    return register_with(DomainInfo(domain, organisation, category, "beheer") for domain, organisation, category in rows)
