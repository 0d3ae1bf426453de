"""Organisations a message or letter can claim to come from, and what they never do.

Names and domains come from the curated supplement (and administrator entries), so adding a trusted domain also
teaches the check its organisation's name. The "never" facts are the organisations' own public warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .domains import DomainRegister

# Extra ways people and scammers write a name; the key is the organisation name before any "(...)".
ALIASES: dict[str, tuple[str, ...]] = {
    "Dienst Toeslagen": ("toeslagen", "zorgtoeslag", "huurtoeslag", "kinderopvangtoeslag", "kindgebonden budget"),
    "MijnOverheid": ("mijn overheid", "berichtenbox"),
    "CJIB": ("centraal justitieel incassobureau",),
    "Sociale Verzekeringsbank": ("sociale verzekeringsbank", "SVB"),
    "Kamer van Koophandel": ("KvK",),
    "OV-chipkaart": ("ov-chipkaart", "ov chipkaart", "ov-chip"),
    "ABN AMRO": ("abn amro", "abn-amro", "abnamro"),
    "Zilveren Kruis": ("zilveren kruis",),
    "Zorg en Zekerheid": ("zorg en zekerheid",),
    "Univé": ("unive",),
}

# Who never sends a link (their own warnings), and where their fakes can be reported when we are sure of the address.
NEVER_LINKS: dict[str, str] = {
    "DigiD": "DigiD stuurt nooit een e-mail, sms of WhatsApp met een link om in te loggen of uw DigiD te verlengen.",
    "Belastingdienst": "De Belastingdienst stuurt nooit een e-mail, sms of WhatsApp met een link om in te loggen of te betalen.",
    "Dienst Toeslagen": "Dienst Toeslagen stuurt nooit een e-mail, sms of WhatsApp met een link om in te loggen of te betalen.",
    "CJIB": "Het CJIB stuurt boetes per post of in de Berichtenbox van MijnOverheid, nooit per e-mail, sms of WhatsApp.",
}
BANK_NEVER_LINKS = "Een bank stuurt nooit een link om in te loggen, uw pas te vervangen of uw gegevens te controleren."
REPORT_ADDRESSES: dict[str, str] = {
    "Belastingdienst": "valse-email@belastingdienst.nl",
    "Dienst Toeslagen": "valse-email@belastingdienst.nl",
}
# Short all-capital names (ING, NS, CZ, DUO) are matched case-sensitively: "ing" and "duo" are also Dutch word parts.
_SHORT_CAPS = re.compile(r"^[A-Z0-9]{2,4}$")
# Words, split at hyphens and dots too, so "OV-chipkaart", "DigiD-app" and "ABN AMRO" all reduce to plain word sequences.
_WORD = re.compile(r"\w+(?:['’]\w+)?")


@dataclass(frozen=True)
class Organisation:
    name: str
    category: str
    domains: tuple[str, ...]

    @property
    def never_links(self) -> str:
        return NEVER_LINKS.get(self.name, BANK_NEVER_LINKS if self.category == "bank" else "")

    @property
    def report_address(self) -> str:
        return REPORT_ADDRESSES.get(self.name, "")


@dataclass(frozen=True)
class _Index:
    organisations: tuple[Organisation, ...]
    # Names as word sequences -> organisation number. A dictionary lookup per word n-gram is one pass over a long
    # e-mail; a regular expression with a hundred alternatives tried at every position was 100x slower.
    caseless: dict[tuple[str, ...], int]
    exact: dict[tuple[str, ...], int]
    longest: int
    starts: frozenset[str]  # first words of all names (lower case): most words of a text start no name at all


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text))


@lru_cache(maxsize=8)
def _index(register: DomainRegister) -> _Index:
    grouped: dict[str, tuple[str, list[str]]] = {}
    for entry in register.entries.values():
        if entry.source == "register":
            continue  # ministries as "agency" of thousands of domains are not names people see in messages
        name = entry.organisation.split(" (")[0].strip()
        grouped.setdefault(name, (entry.category, []))[1].append(entry.domain)
    orgs: list[Organisation] = []
    caseless: dict[tuple[str, ...], int] = {}
    exact: dict[tuple[str, ...], int] = {}
    for number, (name, (category, domains)) in enumerate(grouped.items()):
        orgs.append(Organisation(name, category, tuple(sorted(domains, key=len))))
        for variant in (name, *ALIASES.get(name, ())):
            if _SHORT_CAPS.match(variant):
                exact.setdefault(_words(variant), number)
            else:
                caseless.setdefault(_words(variant.lower()), number)
    longest = max(len(k) for k in [*caseless, *exact])
    starts = frozenset(k[0].lower() for k in [*caseless, *exact])
    return _Index(tuple(orgs), caseless, exact, longest, starts)


def organisations(register: DomainRegister) -> tuple[Organisation, ...]:
    return _index(register).organisations


def mentions(register: DomainRegister, text: str) -> list[tuple[int, Organisation]]:
    """(character offset, organisation) for the first mention of each organisation named in the text, in text order."""
    index = _index(register)
    spans = [(m.start(), m.group(0)) for m in _WORD.finditer(text)]
    words = [w for _, w in spans]
    lowered = [w.lower() for w in words]
    first: dict[int, int] = {}
    for i in range(len(words)):
        if lowered[i] not in index.starts:
            continue
        for n in range(1, index.longest + 1):
            if i + n > len(words):
                break
            number = index.exact.get(tuple(words[i:i + n]))
            if number is None:
                number = index.caseless.get(tuple(lowered[i:i + n]))
            if number is not None and number not in first:
                first[number] = spans[i][0]
    return sorted(((offset, index.organisations[number]) for number, offset in first.items()), key=lambda pair: pair[0])


def claimed(register: DomainRegister, text: str) -> list[Organisation]:
    """Organisations named in the text, in order of first mention."""
    return [org for _, org in mentions(register, text)]
