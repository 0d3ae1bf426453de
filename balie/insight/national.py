"""National figures on the hub: this installation's published cells plus every node's delivered cells (ADR 0017).

Only published numbers are added here. The hub's own cells pass ``core.privacy.published`` exactly as a node's do
(``delivered.figures_for``: per period, municipality and national code), and a node's cells arrive published. So
every number these views show is a sum of published cells, and subtracting one from another gives at most another
published cell, never a hidden count. A "<5" is never counted in: a sum that has "<5" parts says so ("120 + <5").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balie.core import privacy
from balie.core.access import Scope
from balie.network.models import Gemeente

from . import delivered
from .models import DeliveredFigure, DeliveredPeriod
from .periods import Period
from .tables import KeyFigure, Table, labels

Key = tuple[str, str, str]  # (gemeente, dimension, code)
SHOWN = (
    ("I", "instantie", gettext_lazy("Vragen per instantie, met de knooppunten")),
    ("V", "vraagsoort", gettext_lazy("Vragen per soort vraag, met de knooppunten")),
    ("U", "uitkomst", gettext_lazy("Vragen per uitkomst, met de knooppunten")),
    ("K", "kanaal", gettext_lazy("Vragen per kanaal, met de knooppunten")),
)


@dataclass(frozen=True)
class Sum:
    """A sum of published cells: the numbers that are shown, and how many parts were "<5" (not counted)."""

    known: int = 0
    hidden: int = 0

    @classmethod
    def of(cls, shown: int | None) -> Sum:
        return cls(0, 1) if shown is None else cls(shown, 0)

    def __add__(self, other: Sum) -> Sum:
        return Sum(self.known + other.known, self.hidden + other.hidden)

    @property
    def empty(self) -> bool:
        return not self.known and not self.hidden

    @property
    def text(self) -> str:
        if not self.hidden:
            return privacy.text(self.known)
        if not self.known:
            return privacy.SMALL if self.hidden == 1 else f"{self.hidden}× {privacy.SMALL}"
        return f"{privacy.text(self.known)} + {privacy.SMALL}"


def total(sums: Iterable[Sum]) -> Sum:
    return sum(sums, Sum())


@dataclass
class National:
    period: Period
    local: dict[Key, Sum] = field(default_factory=dict)  # this installation's published cells
    nodes: dict[Key, Sum] = field(default_factory=dict)  # the nodes' published cells, added per cell
    delivered: list[tuple[str, str]] = field(default_factory=list)  # (code, name) of nodes that delivered this period
    missing: list[tuple[str, str]] = field(default_factory=list)  # registered nodes that did not

    def cells(self, dimension: str) -> dict[tuple[str, str], tuple[Sum, Sum]]:
        """(gemeente, code) -> (this installation, the nodes) for one dimension."""
        out: dict[tuple[str, str], tuple[Sum, Sum]] = {}
        for (gemeente, dim, code) in set(self.local) | set(self.nodes):
            if dim == dimension:
                out[(gemeente, code)] = (self.local.get((gemeente, dim, code), Sum()), self.nodes.get((gemeente, dim, code), Sum()))
        return out

    def by(self, dimension: str, *, per: str) -> dict[str, tuple[Sum, Sum]]:
        """The cells of a dimension added up per code (``per="code"``) or per municipality (``per="gemeente"``)."""
        grouped: dict[str, tuple[Sum, Sum]] = defaultdict(lambda: (Sum(), Sum()))
        for (gemeente, code), (here, there) in self.cells(dimension).items():
            key = code if per == "code" else gemeente
            grouped[key] = (grouped[key][0] + here, grouped[key][1] + there)
        return dict(grouped)

    def grand_total(self) -> tuple[Sum, Sum]:
        return self.by(delivered.TOTAL, per="code").get("", (Sum(), Sum()))


def merged(period: Period, gemeenten: set[str] | None = None) -> National:
    """The hub's own published cube for a period plus every node's delivery for it (only ``gemeenten`` when given)."""
    national = National(period)
    for row in delivered.figures_for(period, gemeenten):
        if gemeenten is None or row["gemeente"] in gemeenten:
            national.local[(row["gemeente"], row["dimensie"], row["code"])] = Sum.of(row["aantal"])
    deliveries = DeliveredPeriod.objects.filter(period=period.key)
    figures = DeliveredFigure.objects.filter(delivery__in=deliveries)
    if gemeenten is not None:
        figures = figures.filter(gemeente__in=gemeenten)
    # Added in the database: per cell the published numbers and how many nodes sent "<5" there.
    cells = figures.values_list("gemeente", "dimension", "code").annotate(
        known=models.Sum("n"), hidden=models.Count("id", filter=models.Q(n__isnull=True))).order_by()
    national.nodes = {(g, d, c): Sum(known or 0, hidden) for g, d, c, known, hidden in cells}
    names = delivered.sources()
    came = set(deliveries.values_list("source", flat=True))
    national.delivered = sorted((code, names.get(code, code)) for code in came)
    national.missing = sorted((code, name) for code, name in names.items() if code not in came)
    return national


def _row(name: str, here: Sum, there: Sum) -> list[str]:
    return [name, here.text, there.text, (here + there).text]


def tables_for(national: National, gemeente_names: dict[str, str], *, with_nodes_list: bool) -> list[Table]:
    """The dashboard's tables "met de knooppunten": per municipality, per code of a few lists, and who delivered."""
    columns = [_("Deze installatie"), _("Knooppunten"), _("Samen")]
    explanation = _("Opgeteld zijn de gepubliceerde aantallen van deze installatie en van elk knooppunt, per gemeente. "
                    "Een klein aantal (<5) telt niet mee en blijft afgeschermd; “120 + <5” betekent: 120, plus een of meer "
                    "kleine aantallen die niet zijn opgeteld.")
    result = []
    here, there = national.grand_total()
    per_gemeente = national.by(delivered.TOTAL, per="gemeente")
    rows = [_row(gemeente_names.get(g, g), *parts) for g, parts in
            sorted(per_gemeente.items(), key=lambda item: (-(item[1][0] + item[1][1]).known, gemeente_names.get(item[0], item[0])))]
    result.append(Table("knooppuntgemeenten", _("Vragen per gemeente, met de knooppunten"), [_("Gemeente"), *columns], rows,
                        _row(_("Totaal"), here, there), explanation=explanation))
    for letter, key, title in SHOWN:
        names = labels(letter)
        per_code = national.by(letter, per="code")
        rows = [_row(names.get(c, c), *parts) for c, parts in
                sorted(per_code.items(), key=lambda item: (-(item[1][0] + item[1][1]).known, item[0]))]
        result.append(Table(f"knooppunt{key}", str(title), [_("Code"), *columns], rows))
    if with_nodes_list:
        rows = [[name, code, _("geleverd")] for code, name in national.delivered]
        rows += [[name, code, _("niet geleverd")] for code, name in national.missing]
        result.append(Table("knooppuntlevering", _("Welke knooppunten leverden voor %(periode)s") % {"periode": national.period.label},
                            [_("Knooppunt"), _("Code"), _("Levering")], rows))
    return result


def node_gemeente_codes() -> models.QuerySet:
    """CBS codes of the municipalities the nodes delivered figures for (a subquery; empty off the hub)."""
    return DeliveredFigure.objects.filter(dimension=delivered.TOTAL).values("gemeente")


def node_gemeenten() -> list[Gemeente]:
    """Municipalities that only (or also) a node serves: on the hub a national user can choose them as a place filter
    and sees their delivered figures, although no location of this installation lies there (empty off the hub)."""
    return list(Gemeente.objects.filter(cbs_code__in=node_gemeente_codes()))


def for_dashboard(scope: Scope, period: Period, chosen: dict[str, str], *, code_filters: bool) -> tuple[list[Table], KeyFigure | None]:
    """The tables and key figure "met de knooppunten" for a national or gemeente dashboard (nothing elsewhere).

    Nodes deliver per municipality and per single list, not per organisation, location or combination of codes: with
    such a filter the nodes cannot be counted in, and the dashboard shows this installation only.
    """
    if not (scope.is_national or scope.reads_gemeenten) or code_filters or chosen.get("organisatie") or chosen.get("locatie"):
        return [], None
    if not delivered.in_use():
        return [], None
    gemeenten: set[str] | None = None
    if scope.reads_gemeenten:
        gemeenten = set(Gemeente.objects.filter(pk__in=scope.gemeente_ids).values_list("cbs_code", flat=True))
    if chosen.get("provincie"):
        in_province = set(Gemeente.objects.filter(provincie=chosen["provincie"]).values_list("cbs_code", flat=True))
        gemeenten = in_province if gemeenten is None else gemeenten & in_province
    if chosen.get("gemeente"):
        gemeenten = {chosen["gemeente"]} if gemeenten is None else gemeenten & {chosen["gemeente"]}
    national = merged(period, gemeenten)
    here, there = national.grand_total()
    names = dict(Gemeente.objects.values_list("cbs_code", "naam"))
    detail = _("deze installatie %(hier)s, knooppunten %(daar)s") % {"hier": here.text, "daar": there.text}
    if scope.is_national:
        detail += "; " + _("%(n)s van %(m)s knooppunten leverden") % {
            "n": len(national.delivered), "m": len(national.delivered) + len(national.missing)}
    key = KeyFigure(_("Vragen, met de knooppunten"), (here + there).text, detail)
    return tables_for(national, names, with_nodes_list=scope.is_national), key
