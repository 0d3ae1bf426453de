"""Figures -> the tables every dashboard, export and report shows, with suppression applied for outside viewers.

A table cell is an int (a count), a float (a percentage), a str (a label or "<5") or None (no value). Every count
passes ``core.privacy.published`` (exact for the library itself, protected for everybody else, ADR 0015).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from balie.core import codelists, privacy
from balie.core.dates import weekday_name

from . import charts, figures
from .dims import LISTS
from .figures import Figures, Query, add_months
from .periods import month_name, partial_note

NOT_FILLED = gettext_noop("niet ingevuld")  # translated where it is shown (labels)


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    total: list[Any] | None = None
    note: str = ""
    chart: str = ""
    explanation: str = ""
    classes: list[list[str]] = field(default_factory=list)  # per row, per cell: a CSS class (the heat map's shades)
    after: list[list[Any]] = field(default_factory=list)  # exports only: what the report says with the table (a sentence)

    def html(self, *, report: bool = False) -> str:
        """The table as HTML, built in Python: twenty tables through template includes cost ~100 ms a page."""
        from django.utils.html import escape

        def fmt(v: Any) -> str:
            if v is None:
                return "–"
            if isinstance(v, bool):
                return str(v)
            if isinstance(v, int):
                return f"{v:,}".replace(",", ".")
            if isinstance(v, float):
                return f"{v:.1f}".replace(".", ",")
            return escape(v)

        num = "" if report else ' class="num"'
        head = "".join(f'<th scope="col"{num if i else ""}>{escape(c)}</th>' for i, c in enumerate(self.columns))
        body = []
        for r, row in enumerate(self.rows):
            classes = self.classes[r] if r < len(self.classes) else []
            cells = [f'<th scope="row">{escape(row[0])}</th>']
            for c, v in enumerate(row[1:], start=1):
                extra = f" {classes[c]}" if c < len(classes) and classes[c] else ""
                cells.append(f'<td class="num{extra}">{fmt(v)}</td>' if not report else f"<td>{fmt(v)}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        foot = ""
        if self.total:
            tail = "".join((f'<td class="num"><strong>{fmt(v)}</strong></td>' if not report else f"<td>{fmt(v)}</td>") for v in self.total[1:])
            foot = f'<tfoot><tr><th scope="row">{escape(self.total[0])}</th>{tail}</tr></tfoot>'
        cls = "" if report else ' class="table table--compact"'
        caption = f'<caption id="t-{self.key}">{escape(self.title)}</caption>' if not report else f"<caption>{escape(self.title)}</caption>"
        return f"<table{cls}>{caption}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>{foot}</table>"

    def report_html(self) -> str:
        return self.html(report=True)

    def as_lists(self) -> list[list[Any]]:
        # A section that is only a sentence has no columns: no empty header row (an empty CSV row ends a table).
        return [*([self.columns] if self.columns else []), *self.rows, *([self.total] if self.total else []), *self.after]


@dataclass
class KeyFigure:
    label: str
    value: str
    detail: str = ""


@dataclass
class Dashboard:
    key_figures: list[KeyFigure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


def _version():
    """The current code list version, cached for a minute: a dashboard asks for it twenty times."""
    from django.core.cache import cache

    version = cache.get("insight:codelist-version")
    if version is None:
        version = codelists.current_version()
        cache.set("insight:codelist-version", version, 60)
    return version


def labels(letter: str) -> dict[str, str]:
    try:
        found = dict(codelists.display_codes(_version(), LISTS[letter], include_inactive=True))
    except Exception:  # noqa: BLE001 - no code lists yet: show codes
        found = {}
    found[""] = _(NOT_FILLED)
    return found


def bestuurslaag_of() -> dict[str, str]:
    try:
        return codelists.bestuurslagen(_version())
    except Exception:  # noqa: BLE001
        return {}


def pct(part: int, whole: int) -> float | None:
    """An exact share (the library's own figures)."""
    return round(100 * part / whole, 1) if whole else None


def change(now: int, before: int) -> float | None:
    return round(100 * (now - before) / before, 1) if before else None


def per_10000(count: int | None, inhabitants: int | None) -> float | None:
    """Questions per 10,000 inhabitants from a published count (None when it is hidden or the population unknown)."""
    if count is None or not inhabitants:
        return None
    return round(10_000 * count / inhabitants, 1)


def _cell(shown: int | None) -> int | str:
    """A published count as a table cell: the number, or "<5"."""
    return privacy.SMALL if shown is None else shown


def _n(n: int) -> str:
    return f"{n:,}".replace(",", ".")


class Builder:
    """Every count goes through ``publish`` (core.privacy.published): exact for the library, protected for others."""

    def __init__(self, fig: Figures, query: Query, *, suppressed: bool, period_label: str, previous_label: str):
        self.fig, self.query, self.suppressed = fig, query, suppressed
        self.period_label, self.previous_label = period_label, previous_label

    # --- helpers
    def publish(self, n: int) -> int | None:
        return privacy.published(n, suppressed=self.suppressed)

    def share(self, part: int | None, whole: int | None) -> float | None:
        return privacy.share(part, whole, suppressed=self.suppressed)

    def change(self, now: int | None, before: int | None) -> float | None:
        return figures.change(self.fig, now, before)

    def distribution(self, key: str, title: str, counts: dict[str, int], prev: dict[str, int], names: dict[str, str], *,
                     first_column: str, with_trend: bool = True, share_of: int | None = None, explanation: str = "",
                     keep_order: list[str] | None = None, chart_title: str = "", limit_chart: int = 12) -> Table:
        codes = keep_order if keep_order is not None else sorted(set(counts) | set(prev), key=lambda c: (-counts.get(c, 0), -prev.get(c, 0), c))
        codes = [c for c in codes if counts.get(c, 0) or prev.get(c, 0)]
        now = [self.publish(counts.get(c, 0)) for c in codes]
        before = [self.publish(prev.get(c, 0)) for c in codes]
        # A total is published from its own records (the keys of all its rows), never as the sum of the published rows.
        total_now = self.publish(privacy.total(counts.get(c, 0) for c in codes))
        total_before = self.publish(privacy.total(prev.get(c, 0) for c in codes))
        whole = self.publish(share_of) if share_of is not None else total_now
        rows = []
        for i, code in enumerate(codes):
            row: list[Any] = [names.get(code, code), _cell(now[i]), self.share(now[i], whole)]
            if with_trend:
                row += [_cell(before[i]), self.change(now[i], before[i])]
            rows.append(row)
        columns = [first_column, _("Vragen"), _("Aandeel (%)")] + ([_("Een jaar eerder"), _("Verschil (%)")] if with_trend else [])
        total = None
        if share_of is None:
            total = [_("Totaal"), _cell(total_now), 100.0 if total_now else None]
            if with_trend:
                total += [_cell(total_before), self.change(total_now, total_before)]
        items = [(r[0], r[1] if isinstance(r[1], int) else None) for r in rows[:limit_chart]]
        visible = [r for r in rows[:limit_chart] if isinstance(r[1], int)]
        desc = _("%(title)s in %(period)s. ") % {"title": chart_title or title, "period": self.period_label}
        if visible:
            desc += _("Het meest: %(label)s (%(n)s vragen). ") % {"label": visible[0][0], "n": visible[0][1]}
        desc += _("De tabel hieronder geeft alle cijfers.")
        chart = charts.bars(f"chart-{key}", chart_title or title, desc, items)
        return Table(key, title, columns, rows, total, explanation=explanation, chart=chart)

    # --- the tables
    def build(self, places: list[tuple[Any, ...]]) -> Dashboard:
        fig = self.fig
        board = Dashboard()
        board.key_figures = self.key_figures()
        board.tables.append(self.months_table())
        for place in places:
            board.tables.append(self.place_table(*place))
        uitkomst = labels("U")
        board.tables.append(self.distribution(
            "uitkomst", _("Uitkomst"), fig.dims.get("U", {}), fig.dims_prev.get("U", {}), uitkomst, first_column=_("Uitkomst"),
            keep_order=list(uitkomst), explanation=_("Opgelost betekent: de vraag is aan de balie beantwoord. Doorverwezen: "
            "de bezoeker is naar een andere organisatie gestuurd, vaak met een warme overdracht.")))
        board.tables.append(self.distribution(
            "instanties", _("Instanties"), fig.dims.get("I", {}), fig.dims_prev.get("I", {}), labels("I"), first_column=_("Instantie"),
            explanation=_("Over welke organisatie de vraag ging. Het verschil vergelijkt met dezelfde periode een jaar eerder.")))
        board.tables.append(self.distribution(
            "onderwerpen", _("Onderwerpen"), fig.dims.get("O", {}), fig.dims_prev.get("O", {}), labels("O"), first_column=_("Onderwerp"),
            explanation=_("Waar de vraag over ging, bijvoorbeeld inloggen of een brief begrijpen.")))
        laag = bestuurslaag_of()
        by_laag, by_laag_prev = Counter(), Counter()
        for code, n in fig.dims.get("I", {}).items():
            by_laag[laag.get(code, "OVERIG")] += n
        for code, n in fig.dims_prev.get("I", {}).items():
            by_laag_prev[laag.get(code, "OVERIG")] += n
        board.tables.append(self.distribution(
            "bestuurslaag", _("Bestuurslaag"), dict(by_laag), dict(by_laag_prev), bestuurslaag_labels(), first_column=_("Bestuurslaag"),
            explanation=_("De instanties gegroepeerd naar bestuurslaag: Rijk, gemeente, provincie, waterschap, zorg en privaat.")))
        board.tables.append(self.distribution(
            "vraagsoort", _("Soort vraag"), fig.dims.get("V", {}), fig.dims_prev.get("V", {}), labels("V"), first_column=_("Soort vraag")))
        board.tables.append(self.distribution(
            "behoefteprofielen", _("Behoefteprofielen"), fig.dims.get("B", {}), fig.dims_prev.get("B", {}), labels("B"),
            first_column=_("Behoefteprofiel"), share_of=fig.total,
            explanation=_("Wat voor hulp de bezoeker nodig had. Eén vraag kan meer profielen hebben, dus de aandelen tellen op tot meer dan 100%.")))
        board.tables.append(self.distribution(
            "complexiteit", _("Complexiteit"), fig.dims.get("C", {}), fig.dims_prev.get("C", {}), labels("C"), first_column=_("Complexiteit"),
            keep_order=[*labels("C")], explanation=_("Door de medewerker ingeschat: van eenvoudig (één stap) tot zeer complex (achterliggende problemen).")))
        board.tables.append(self.distribution(
            "achterliggend", _("Achterliggende problemen"), fig.dims.get("A", {}), fig.dims_prev.get("A", {}), labels("A"),
            first_column=_("Probleem"), share_of=fig.total,
            explanation=_("Problemen achter de vraag die de medewerker opmerkte, zoals geldzorgen of taal. Eén vraag kan er meer hebben.")))
        board.tables.append(self.distribution(
            "leeftijd", _("Leeftijdsgroep"), fig.dims.get("L", {}), fig.dims_prev.get("L", {}), labels("L"), first_column=_("Leeftijd"),
            keep_order=[*labels("L")], explanation=_("Een schatting van de medewerker.")))
        board.tables.append(self.distribution(
            "kanaal", _("Kanaal"), fig.dims.get("K", {}), fig.dims_prev.get("K", {}), labels("K"), first_column=_("Kanaal"),
            explanation=_("Hoe de vraag binnenkwam: aan de balie, op het spreekuur, telefonisch, online of op een locatie buiten de bibliotheek.")))
        return board

    def key_figures(self) -> list[KeyFigure]:
        fig = self.fig
        total, prev = self.publish(fig.total), self.publish(fig.prev_total)
        u = fig.dims.get("U", {})
        trend = self.change(total, prev)
        result = [KeyFigure(_("Vragen"), privacy.text(total), f"{self.previous_label}: {privacy.text(prev)}"
                            + (f" ({trend:+.1f}%)".replace(".", ",") if trend is not None else "") + partial_note(fig.prev_partial_from))]

        def share(code: str, label: str, detail: str) -> KeyFigure:
            value = self.share(self.publish(u.get(code, 0)), total)
            if value is None and self.suppressed:
                return KeyFigure(label, _("afgeschermd"), _("te weinig vragen om te tonen"))
            return KeyFigure(label, f"{value or 0:.0f}%", detail)

        result.append(share("OPGELOST", _("Direct opgelost"), _("aan de balie beantwoord")))
        result.append(share("DOORVERWEZEN", _("Doorverwezen"), _("naar een andere organisatie")))
        result.append(share("DEELS", _("Komt terug"), _("deels geholpen, vervolg nodig")))
        result.append(self._hours(total))
        return result

    def _hours(self, total: int | None) -> KeyFigure:
        """Hours of help. Outside the library from published numbers only: the questions with a duration are a
        count like any other (keyed by the records of the total), and the hours follow from it and the average,
        so the exact number of questions with a duration cannot be worked back from hours and average."""
        fig = self.fig
        if not self.suppressed:
            return KeyFigure(_("Uren hulp"), _n(round(fig.minutes / 60)),
                             _("geregistreerd bij %(pct)s%% van de vragen") % {"pct": f"{pct(fig.timed, fig.total) or 0:.0f}"}
                             + (_(", gemiddeld %(n)s minuten") % {"n": f"{fig.minutes / fig.timed:.0f}"} if fig.timed else ""))
        timed = privacy.published(privacy.subset(fig.total, fig.timed, "timed") if fig.total else 0, suppressed=True)
        if total is None or not timed:
            return KeyFigure(_("Uren hulp"), privacy.SMALL if total is None or timed is None else "0",
                             _("te weinig vragen met een duur om te tonen") if timed is None else _("geen duur geregistreerd"))
        average = fig.minutes / fig.timed
        portion = self.share(timed, total)
        return KeyFigure(_("Uren hulp"), _n(round(average * timed / 60)),
                         (_("geregistreerd bij %(pct)s%% van de vragen") % {"pct": f"{portion:.0f}"} if portion is not None
                          else _("geregistreerd bij een deel van de vragen"))
                         + _(", gemiddeld %(n)s minuten") % {"n": f"{average:.0f}"})

    def months_table(self) -> Table:
        fig, q = self.fig, self.query
        months = q.months()
        now_counts = [fig.by_month.get(m, 0) for m in months]
        before_counts = [fig.by_month.get(add_months(m, -12), 0) for m in months]
        now = [self.publish(n) for n in now_counts]
        before = [self.publish(n) for n in before_counts]
        total_now, total_before = self.publish(privacy.total(now_counts)), self.publish(privacy.total(before_counts))
        rows = []
        for i, m in enumerate(months):
            rows.append([f"{month_name(m.month)} {m.year}", _cell(now[i]), _cell(before[i]), self.change(now[i], before[i])])
        total = [_("Totaal"), _cell(total_now), _cell(total_before), self.change(total_now, total_before)]
        short = [f"{month_name(m.month)[:3]}" + (f" {m.year % 100:02d}" if len({x.year for x in months}) > 1 else "") for m in months]
        desc = _("Aantal vragen per maand in %(period)s (donker) tegen dezelfde maand een jaar eerder (licht). "
                 "Totaal %(now)s tegen %(before)s. De tabel hieronder geeft de cijfers per maand.") % {
            "period": self.period_label, "now": rows and total[1], "before": total[2]}
        chart = charts.months("chart-maanden", _("Vragen per maand"), desc, short, now, before)
        return Table("maanden", _("Vragen per maand"), [_("Maand"), _("Vragen"), _("Een jaar eerder"), _("Verschil (%)")], rows, total,
                     chart=chart, explanation=_("Elke maand vergeleken met dezelfde maand een jaar eerder."))

    def place_table(self, key: str, title: str, group_of: dict[int, str], population: dict[str, int] | None = None) -> Table:
        now, before = Counter(), Counter()
        for loc, n in self.fig.by_location.items():
            now[group_of.get(loc, "onbekend")] += n
        for loc, n in self.fig.by_location_prev.items():
            before[group_of.get(loc, "onbekend")] += n
        names = {name: name for name in set(now) | set(before)}
        table = self.distribution(key, title, dict(now), dict(before), names, first_column=title.split(" per ")[-1].capitalize())
        if population is not None:
            # Questions per 10,000 inhabitants from the *published* count (the same number as in the table), so the
            # rate tells nothing the table does not; no rate where the count is hidden or the population unknown.
            table.columns.append(_("Per 10.000 inwoners"))
            for row in table.rows:
                row.append(per_10000(row[1] if isinstance(row[1], int) else None, population.get(row[0])))
            if table.total:
                shown_pop = sum(population.get(r[0], 0) for r in table.rows)
                table.total.append(per_10000(table.total[1] if isinstance(table.total[1], int) else None, shown_pop))
            table.explanation = (table.explanation + " " if table.explanation else "") + (
                _("Vragen per 10.000 inwoners: het aantal vragen gedeeld door het aantal inwoners (CBS, gemeentelijke indeling 2026, "
                "inwoners 2025), uit de afgeschermde aantallen."))
        return table


# Dutch, translated where shown (bestuurslaag_labels): one dict, also for the filters of the dashboard.
BESTUURSLAAG_LABELS = {"RIJK": gettext_noop("Rijk"), "GEMEENTE": gettext_noop("Gemeente"), "PROVINCIE": gettext_noop("Provincie"),
                       "WATERSCHAP": gettext_noop("Waterschap"), "ZORG": gettext_noop("Zorg"), "PRIVAAT": gettext_noop("Privaat"),
                       "GEEN": gettext_noop("Geen organisatie"), "OVERIG": gettext_noop("Overig")}


def bestuurslaag_labels() -> dict[str, str]:
    return {code: _(label) for code, label in BESTUURSLAAG_LABELS.items()}


def outreach_table(fig: Figures, kinds: dict[int, str], kanaal_names: dict[str, str], *, suppressed: bool) -> Table:
    """In the library versus outside it: where the help was given, from the kanaal and the kind of location."""
    groups: Counter = Counter()
    for (loc, kanaal), n in fig.by_location_kanaal.items():
        if kanaal in ("TELEFOON", "ONLINE"):
            groups["afstand"] += n
        elif kanaal == "LOCATIE" or kinds.get(loc) == "outreach":
            groups["buiten"] += n
        else:
            groups["binnen"] += n
    names = {"binnen": _("In de bibliotheek (balie en spreekuur)"), "buiten": _("Buiten de bibliotheek (op locatie)"),
             "afstand": _("Op afstand (telefoon, online)")}
    order = list(names)
    counts = [groups.get(k, 0) for k in order]
    shown = [privacy.published(n, suppressed=suppressed) for n in counts]
    whole = privacy.published(privacy.total(counts), suppressed=suppressed)
    rows = [[names[k], _cell(v), privacy.share(v, whole, suppressed=suppressed)] for k, v in zip(order, shown)]
    items = [(r[0], r[1] if isinstance(r[1], int) else None) for r in rows]
    chart = charts.bars("chart-buiten", _("Waar geholpen"), _("Vragen in de bibliotheek, op locaties buiten de bibliotheek en op afstand. "
                        "De tabel hieronder geeft de cijfers."), items)
    return Table("buiten", _("In de bibliotheek en daarbuiten"), [_("Waar"), _("Vragen"), _("Aandeel (%)")], rows,
                 [_("Totaal"), _cell(whole), 100.0 if whole else None], chart=chart,
                 explanation=_("Op locatie: spreekuren buiten de bibliotheek, zoals op een school of bij de voedselbank."))


def heatmap_table(fig: Figures, locations: set[int] | None, *, suppressed: bool, title: str) -> Table:
    grid: dict[tuple[int, int], int] = defaultdict(int)
    for (loc, wd, h), n in fig.hours.items():
        if locations is None or loc in locations:
            grid[(wd, h)] += n
    hours = sorted({h for _, h in grid}) or list(range(9, 18))
    if suppressed:
        # A fixed grid: a weekday or hour that appears only when somebody came would tell that at least one did.
        hours = list(range(min(8, *hours), max(20, *hours) + 1))
        days = list(range(7))
    else:
        hours = list(range(min(hours), max(hours) + 1))
        days = [d for d in range(7) if any(grid.get((d, h)) for h in hours)] or list(range(5))
    matrix = [[grid.get((d, h), 0) for h in hours] for d in days]

    def publish(n: int) -> int | None:
        return privacy.published(n, suppressed=suppressed)

    shown = [[publish(n) for n in row] for row in matrix]
    peak = max([v for row in shown for v in row if v is not None] + [1])
    rows = []
    for i, d in enumerate(days):
        rows.append([weekday_name(d), *[_cell(v) for v in shown[i]], _cell(publish(privacy.total(matrix[i])))])
    total = [_("Totaal"), *[_cell(publish(privacy.total(matrix[i][j] for i in range(len(days))))) for j in range(len(hours))],
             _cell(publish(privacy.total(n for row in matrix for n in row)))]
    table = Table("uren", title, [_("Weekdag"), *[f"{h}:00" for h in hours], _("Totaal")], rows, total,
                  explanation=_("Hoe donkerder de cel, hoe drukker. Alleen periode en plaats gelden hier; de andere filters niet."))
    # Shade per cell (never colour alone: the number is in the cell); hidden cells stay white.
    table.classes = [["", *[f"heat-{0 if not isinstance(c, int) or not c else min(4, 1 + int(4 * c / (peak + 1)))}" for c in r[1:-1]], ""]
                     for r in rows]
    return table
