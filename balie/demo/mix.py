"""What one demo visitor asks: the codes and note of a question, drawn from the weights in ``weights.py``.

Every distribution is restricted to the codes that exist (and are active) in the current code list version, so the
rows are always valid. Every draw comes from the one seeded ``rnd`` in a fixed order: the same seed, the same rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from balie.core import codelists
from balie.core.models import CodeList, CodeListVersion
from balie.desk.validation import VRAAGSOORT_BY_LAAG

from . import notes
from .sampling import Dist, restricted
from .sites import Site
from .weights import (
    ACHTERLIGGEND,
    BEHOEFTE,
    COMPLEXITEIT,
    COMPLEXITEIT_WITH_PROBLEMS,
    DIGID_LOGIN_DETAIL,
    DURATION_BY_COMPLEXITEIT,
    INSTANTIE,
    KANAAL_INLOOP,
    KANAAL_SPREEKUUR,
    LEEFTIJD,
    ONDERWERP,
    ONDERWERP_TAX_SEASON,
    OTHER_LOGIN_DETAIL,
    P_ACHTERLIGGEND,
    P_DETAILED,
    P_DURATION,
    P_LOCAL_CODE,
    P_NOTE,
    TAAL,
    TAX_SEASON_BOOST,
    UITKOMST_BY_COMPLEXITEIT,
    VISIT_SIZES,
)

Rnd = Callable[[], float]


class Answer(NamedTuple):
    """The registered fields of one question."""

    vraagsoort: str
    instantie: str
    instantie_local: str
    onderwerp: str
    digid_detail: str
    behoefteprofielen: str
    complexiteit: str
    achterliggend: str
    uitkomst: str
    duration_minutes: int | None
    leeftijdsgroep: str
    taal: str
    note: str


class Visitor(NamedTuple):
    """One age group and language for all questions of a visit."""

    leeftijdsgroep: str
    taal: str


def _multi(order: list[str], chosen: set[str]) -> str:
    """A multi-value field as stored: "|A|B|", in code list order."""
    return "|" + "|".join(c for c in order if c in chosen) + "|"


class Mix:
    """The distributions for one code list version, and the draws that make a visit and its questions."""

    def __init__(self, version: CodeListVersion, local_codes: dict[tuple[int, str], list[str]]):
        lists = {name: codelists.codes(version, name) for name in CodeList.values}
        self.local_codes = local_codes
        self._what(lists, codelists.bestuurslagen(version))
        self._how(lists)
        self._who(lists)

    def _what(self, lists: dict, laag: dict[str, str]) -> None:
        inst_list, ond_list = lists[CodeList.INSTANTIE], lists[CodeList.ONDERWERP]
        base = restricted(INSTANTIE, inst_list)
        self.instantie = {False: Dist(base), True: Dist({k: w * TAX_SEASON_BOOST.get(k, 1.0) for k, w in base.items()})}
        fallback = {"INFORMATIE": 1.0} if "INFORMATIE" in ond_list else {next(iter(ond_list)): 1.0}

        def onderwerp(table: dict[str, dict[str, float]]) -> dict[str, Dist]:
            return {i: Dist(restricted(table.get(i, ONDERWERP[i]), ond_list) or fallback) for i in self.instantie[False].items}

        self.onderwerp = {False: onderwerp({}), True: onderwerp(ONDERWERP_TAX_SEASON)}
        detail_list = lists[CodeList.DIGID_DETAIL]
        self.digid_login = Dist(restricted(DIGID_LOGIN_DETAIL, detail_list))
        self.other_login = Dist(restricted(OTHER_LOGIN_DETAIL, detail_list))
        self.has_detail = {"AANVRAGEN": "AANVRAGEN" in detail_list, "MACHTIGEN": "MACHTIGEN" in detail_list}
        self.vraagsoort = {i: ("OVERIG" if i == "OVERIG" else VRAAGSOORT_BY_LAAG.get(laag.get(i, ""), "OVERIG"))
                           for i in self.instantie[False].items}
        self.library_vraagsoort = "BIBLIOTHEEK" in lists[CodeList.VRAAGSOORT]

    def _how(self, lists: dict) -> None:
        kanaal_list = lists[CodeList.KANAAL]
        self.kanaal_spreekuur = Dist(restricted(KANAAL_SPREEKUUR, kanaal_list))
        self.kanaal_inloop = Dist(restricted(KANAAL_INLOOP, kanaal_list))
        self.kanaal_locatie = "LOCATIE" if "LOCATIE" in kanaal_list else "INLOOP"
        comp_list = lists[CodeList.COMPLEXITEIT]
        # Keyed on "has underlying problems": those questions are more complex.
        self.complexiteit = {False: Dist(restricted(COMPLEXITEIT, comp_list)),
                             True: Dist(restricted(COMPLEXITEIT_WITH_PROBLEMS, comp_list))}
        self.uitkomst = {c: Dist(restricted(w, lists[CodeList.UITKOMST])) for c, w in UITKOMST_BY_COMPLEXITEIT.items()}
        self.duration = {c: Dist(w) for c, w in DURATION_BY_COMPLEXITEIT.items()}
        self.sizes = Dist(VISIT_SIZES)

    def _who(self, lists: dict) -> None:
        self.leeftijd = Dist(restricted(LEEFTIJD, lists[CodeList.LEEFTIJDSGROEP]))
        self.taal = Dist(restricted(TAAL, lists[CodeList.TAAL]))
        self.behoefte_order = list(lists[CodeList.BEHOEFTEPROFIEL])
        self.behoefte = Dist(restricted(BEHOEFTE, self.behoefte_order))
        self.achter_order = list(lists[CodeList.ACHTERLIGGEND])
        self.achter = Dist(restricted(ACHTERLIGGEND, self.achter_order))

    # --- a visit ---------------------------------------------------------------------------
    def kanaal(self, rnd: Rnd, site: Site, weekday: int, secs: int) -> str:
        """Outreach is "op locatie"; in a consultation slot most visitors came for the spreekuur."""
        if site.outreach:
            return self.kanaal_locatie
        slots = site.spreekuur.get(weekday)
        in_slot = bool(slots) and any(a <= secs < b for a, b in slots)
        return (self.kanaal_spreekuur if in_slot else self.kanaal_inloop).pick(rnd())

    def visitor(self, rnd: Rnd) -> Visitor:
        return Visitor(self.leeftijd.pick(rnd()), self.taal.pick(rnd()))

    # --- a question ------------------------------------------------------------------------
    def question(self, rnd: Rnd, *, tax_season: bool, organisation_id: int, visitor: Visitor) -> Answer:
        inst = self.instantie[tax_season].pick(rnd())
        ond = self.onderwerp[tax_season][inst].pick(rnd())
        detail = self._digid_detail(rnd, inst, ond)
        soort = self._vraagsoort(rnd, inst, ond)
        inst_local = self._local(rnd, organisation_id, inst)
        problems = self._problems(rnd)
        comp, age, lang, needs = self._details(rnd, problems, visitor) if rnd() < P_DETAILED else ("", "", "", "")
        outcome = self.uitkomst[comp].pick(rnd())
        minutes = self.duration[comp].pick(rnd()) if rnd() < P_DURATION else None
        note = notes.note(rnd, instantie=inst, onderwerp=ond, detail=detail, outcome=outcome) if rnd() < P_NOTE else ""
        return Answer(soort, inst, inst_local, ond, detail, needs, comp, problems, outcome, minutes, age, lang, note)

    def _digid_detail(self, rnd: Rnd, inst: str, ond: str) -> str:
        if inst == "DIGID":
            if ond == "INLOGGEN":
                return self.digid_login.pick(rnd()) if rnd() < 0.9 else ""
            return ond if self.has_detail.get(ond) and rnd() < 0.8 else ""
        if ond == "INLOGGEN" and rnd() < 0.35:
            return self.other_login.pick(rnd())
        return ""

    def _vraagsoort(self, rnd: Rnd, inst: str, ond: str) -> str:
        # Half of the scanning and printing is library service rather than a question about the government.
        if inst == "GEEN" and ond == "DOCUMENTEN" and self.library_vraagsoort and rnd() < 0.5:
            return "BIBLIOTHEEK"
        return self.vraagsoort[inst]

    def _local(self, rnd: Rnd, organisation_id: int, inst: str) -> str:
        options = self.local_codes.get((organisation_id, inst))
        if options and rnd() < P_LOCAL_CODE:
            return options[int(rnd() * len(options))]
        return ""

    def _problems(self, rnd: Rnd) -> str:
        if rnd() >= P_ACHTERLIGGEND:
            return ""
        chosen = {self.achter.pick(rnd())}
        if rnd() < 0.15:
            chosen.add(self.achter.pick(rnd()))
        return _multi(self.achter_order, chosen)

    def _details(self, rnd: Rnd, problems: str, visitor: Visitor) -> tuple[str, str, str, str]:
        """The optional "meer over deze vraag" fields: complexity, age, language and needs."""
        comp = self.complexiteit[bool(problems)].pick(rnd())
        age = visitor.leeftijdsgroep if rnd() < 0.95 else ""
        lang = visitor.taal if rnd() < 0.9 else ""
        needs = ""
        if rnd() < 0.85:
            chosen = {self.behoefte.pick(rnd())}
            if rnd() < 0.2:
                chosen.add(self.behoefte.pick(rnd()))
            needs = _multi(self.behoefte_order, chosen)
        return comp, age, lang, needs
