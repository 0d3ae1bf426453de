"""The five functions of an IDO under the municipal grant regulation, and the figures that show each one.

Regeling specifieke uitkering Informatiepunten Digitale Overheid (Staatscourant 2022, 33992), artikel 1: an IDO is a
"fysiek, laagdrempelig hulppunt waar burgers terecht kunnen voor:
 a. hulp bij het digitale verkeer met publieke en private dienstverleners;
 b. het volgen van en begeleiding naar cursussen digitale vaardigheden;
 c. informatie over de digitale samenleving;
 d. algemene inhoudelijke informatie over publieke en private dienstverleners;
 e. doorverwijzing naar de bevoegde publieke dienstverlener of professionele hulpverlener."

A municipality accounts for the grant along these functions, so the report is built on them. Each function is
counted from the national code lists (which codes count for which function is below, and printed in the report);
every count is published through the one rule (``privacy.published``) like every other figure.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from balie.core import privacy

from . import figures
from .figures import Figures
from .tables import Table, _cell

REGULATION = "Regeling specifieke uitkering Informatiepunten Digitale Overheid (Staatscourant 2022, 33992), artikel 1"


@dataclass(frozen=True)
class Function:
    letter: str
    text: str  # the regulation's words
    counted: str  # what Balie counts for it, in plain Dutch
    codes: tuple[tuple[str, str], ...]  # (dimension letter, code): a question with any of these counts


FUNCTIONS: tuple[Function, ...] = (
    Function("a", gettext_noop("hulp bij het digitale verkeer met publieke en private dienstverleners"),
             gettext_noop("vragen over de digitale overheid en andere digitale diensten (zorg, energie, wonen, vervoer, bank)"),
             (("V", "OVERHEID"), ("V", "DIENSTVERLENING"))),
    Function("b", gettext_noop("het volgen van en begeleiding naar cursussen digitale vaardigheden"),
             gettext_noop("vragen over digitale vaardigheden (apparaat, e-mail, app); verwijzingen naar een cursus staan verderop"),
             (("V", "VAARDIGHEDEN"),)),
    Function("c", gettext_noop("informatie over de digitale samenleving"),
             gettext_noop("vragen over veiligheid en betrouwbaarheid: is dit bericht echt, phishing, fraude"),
             (("O", "VEILIGHEID"),)),
    Function("d", gettext_noop("algemene inhoudelijke informatie over publieke en private dienstverleners"),
             gettext_noop("vragen om informatie, de weg vinden of contact krijgen met een organisatie"),
             (("O", "INFORMATIE"), ("O", "CONTACT"))),
    Function("e", gettext_noop("doorverwijzing naar de bevoegde publieke dienstverlener of professionele hulpverlener"),
             gettext_noop("vragen met de uitkomst doorverwezen"),
             (("U", "DOORVERWEZEN"),)),
)


def _count(dims: dict[str, dict[str, int]], function: Function) -> int:
    """The questions of one function. Its codes are in one single-valued dimension each, so the counts are disjoint."""
    return privacy.total(dims.get(letter, {}).get(code, 0) for letter, code in function.codes)


def counts(fig: Figures, *, suppressed: bool) -> dict[str, tuple[int | None, int | None]]:
    """Function letter -> (published now, published a year earlier)."""
    return {f.letter: (privacy.published(_count(fig.dims, f), suppressed=suppressed),
                       privacy.published(_count(fig.dims_prev, f), suppressed=suppressed)) for f in FUNCTIONS}


def table(fig: Figures, *, suppressed: bool, period_label: str, previous_label: str) -> Table:
    shown = counts(fig, suppressed=suppressed)
    rows = []
    for f in FUNCTIONS:
        now, before = shown[f.letter]
        rows.append([f"{f.letter}. {_(f.text)}", _(f.counted), _cell(now), _cell(before), figures.change(fig, now, before)])
    return Table("functies", _("De vijf functies van het IDO"), [_("Functie (Regeling specifieke uitkering IDO, art. 1)"), _("Wat Balie telt"),
                 _("Vragen %(period)s") % {"period": period_label}, _("Vragen %(period)s") % {"period": previous_label}, _("Verschil (%)")], rows,
                 explanation=_("Eén vraag kan bij meer dan één functie horen, bijvoorbeeld een vraag om informatie die daarna is "
                               "doorverwezen. De functies tellen daarom niet op tot het totaal."))
