"""The signal report: protected counts (core.privacy), a server-side SVG chart, printable HTML and the PDF (WeasyPrint)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from balie.core import codelists, privacy

from .models import Signal


def count(signal: Signal, n: int, *where: object) -> str:
    """A count of the signal's series (its total, or one week) as anyone outside the library sees it (ADR 0015).

    The questions behind a stored signal are not at hand, so the count is keyed by what it counts: the series and
    the weeks. The same week of the same series always shows the same number, here, in the report and in the
    before/after figures, and a total is published on its own, never as the sum of the published weeks.
    """
    series = (signal.kind, signal.scope_key, signal.instantie, signal.onderwerp, signal.partner, signal.phrase)
    return privacy.text(privacy.published(privacy.described(int(n), "signal", *series, *where), suppressed=True))


def observed(signal: Signal) -> str:
    return count(signal, signal.observed, signal.start_week, signal.end_week)


def expected(value: float) -> str:
    """The model's expectation is not a count of people; outside the library it is whole, with 1-4 as "<5"."""
    return privacy.estimate(value)


def label(list_name: str, code: str) -> str:
    """The label a person reads for a code of a national list; the code itself only when no list knows it."""
    try:
        return codelists.codes(codelists.current_version(), list_name).get(code) or code
    except Exception:  # noqa: BLE001 - no code lists (yet) or a local code: show the code itself
        return code


def title(signal: Signal) -> str:
    name = label("instantie", signal.instantie)
    if signal.phrase:
        return _("%(instantie)s: steeds vaker “%(phrase)s”") % {"instantie": name, "phrase": signal.phrase}
    if signal.onderwerp:
        return _("%(instantie)s, %(onderwerp)s: meer vragen dan verwacht") % {
            "instantie": name, "onderwerp": label("onderwerp", signal.onderwerp).lower()}
    return _("%(instantie)s: meer vragen dan verwacht") % {"instantie": name}


def weekly_rows(signal: Signal, *, suppressed: bool) -> list[dict[str, Any]]:
    rows = []
    for w in signal.evidence.get("weekly", []):
        if "week" not in w:
            continue
        rows.append({
            "week": w["week"],
            "observed": count(signal, w["observed"], "week", w["week"]) if suppressed else str(w["observed"]),
            "expected": expected(w["expected"]) if suppressed else f"{w['expected']:.1f}",
        })
    return rows


def chart_svg(signal: Signal, *, suppressed: bool, chart_id: str = "grafiek") -> str:
    """A line chart of counted vs expected questions per week; the data table beside it is the text alternative."""
    weekly = [w for w in signal.evidence.get("weekly", []) if "week" in w]
    if not weekly:
        return ""
    # Outside the library the chart draws the published weekly numbers; weeks shown as "<5" are drawn at 0.
    obs = [int(shown.replace(".", "")) if (shown := count(signal, w["observed"], "week", w["week"])) != privacy.SMALL else 0
           for w in weekly] if suppressed else [w["observed"] for w in weekly]
    exp = [w["expected"] for w in weekly]
    width, height, pad = 640, 240, 40
    top = max(obs + exp + [1]) * 1.15
    step = (width - 2 * pad) / max(1, len(weekly) - 1)

    def points(values: list[float]) -> str:
        return " ".join(f"{pad + i * step:.1f},{height - pad - v / top * (height - 2 * pad):.1f}" for i, v in enumerate(values))

    labels = "".join(
        f'<text x="{pad + i * step:.1f}" y="{height - pad + 16}" font-size="12" text-anchor="middle">{escape(w["week"][5:])}</text>'
        for i, w in enumerate(weekly) if i % 2 == 0 or i == len(weekly) - 1
    )
    desc = (_("Aantal vragen per week (doorgetrokken lijn) tegen het verwachte aantal (stippellijn) over %(weeks)d weken. "
              "In de laatste weken ligt het aantal %(percent)d%% boven de verwachting. De tabel hieronder geeft dezelfde cijfers.")
            % {"weeks": len(weekly), "percent": signal.effect_percent}
            + (" " + _("Weken met minder dan 5 vragen staan op 0.") if suppressed else ""))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" class="signal-chart">'
        f'<title id="{chart_id}-t">{escape(title(signal))}</title><desc id="{chart_id}-d">{escape(desc)}</desc>'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#4b4b4b"/>'
        f'<line x1="{pad}" y1="{pad / 2}" x2="{pad}" y2="{height - pad}" stroke="#4b4b4b"/>'
        f'<text x="{pad - 6}" y="{pad / 2 + 4}" font-size="12" text-anchor="end">{int(top)}</text>'
        f'<text x="{pad - 6}" y="{height - pad}" font-size="12" text-anchor="end">0</text>'
        f'<polyline fill="none" stroke="#6b6b6b" stroke-width="2" stroke-dasharray="6 4" points="{points(exp)}"/>'
        f'<polyline fill="none" stroke="#154273" stroke-width="3" points="{points(obs)}"/>'
        f"{labels}</svg>"
    )


def context(signal: Signal, *, include_examples: bool) -> dict[str, Any]:
    return {
        "signal": signal, "title": title(signal), "chart": chart_svg(signal, suppressed=True, chart_id="rapport"),
        "rows": weekly_rows(signal, suppressed=True), "observed": observed(signal), "expected": expected(signal.expected),
        "examples": signal.evidence.get("examples", []) if include_examples and signal.scope_kind == "organisatie" else [],
        "instantie": label("instantie", signal.instantie),
        "LANGUAGE_CODE": get_language() or "nl",
    }


def render_html(signal: Signal, *, include_examples: bool) -> str:
    return render_to_string("signals/report.html", context(signal, include_examples=include_examples))


def render_pdf(signal: Signal, *, include_examples: bool) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=render_html(signal, include_examples=include_examples)).write_pdf()


def email_text(signal: Signal, *, link: str) -> str:
    """The e-mail to the receiving organisation, in the active language (services.send_report picks the recipient's)."""
    who = signal.organisation.naam if signal.organisation else (_("Informatiepunten Digitale Overheid") if signal.scope_kind == "landelijk"
                                                                  else _("Informatiepunt Digitale Overheid"))
    facts = {"who": who, "title": title(signal), "start": f"{signal.start_week:%d-%m-%Y}", "end": f"{signal.end_week:%d-%m-%Y}",
             "observed": observed(signal), "expected": expected(signal.expected)}
    return (
        _("Beste lezer,") + "\n\n" + _("%(who)s ziet een terugkerend probleem: %(title)s.") % facts + "\n\n"
        + _("In de weken %(start)s tot en met %(end)s telden we %(observed)s vragen, verwacht waren er ongeveer %(expected)s.") % facts
        + f"\n\n{signal.description}\n\n" + _("Gevolgen voor bezoekers:") + f" {signal.impact}\n\n"
        + _("In de bijlage staat het signaalrapport met cijfers en een grafiek. Wilt u laten weten wat u ermee doet? "
            "Dat kan via deze link (30 dagen geldig):") + f"\n{link}\n\n"
        + _("Met vriendelijke groet,") + "\n" + _("Het Informatiepunt Digitale Overheid") + "\n"
    )
