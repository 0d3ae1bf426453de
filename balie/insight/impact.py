"""What the help led to, for the dashboards: referrals per partner, courses, structural contact and the visitor survey.

The figures come from the referrals, courses and survey apps (small tables, so no rollups needed);
this module only scopes them to the dashboard's locations and period and applies the one suppression
rule (``privacy.protect``) for municipal and national users, including complementary cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from balie.core import privacy
from balie.courses.models import CourseReferral, Enrolment
from balie.courses.selectors import course_figures
from balie.referrals.models import WARM_KINDS, Referral
from balie.referrals.selectors import referral_figures
from balie.survey.selectors import survey_summary


@dataclass
class Scope:
    """What the figures are about; the dashboard's resolved filters have the same three attributes."""

    period: Any
    locations: list[Any]
    suppressed: bool


def _protected(rows: list[list[int]], suppress: bool) -> tuple[list[list[str]], list[str]]:
    """Display strings for a table of counts with its column totals, hidden where the rule says so."""
    if not rows:
        return [], []
    if not suppress:
        return [[privacy.show(n, False) for n in row] for row in rows], [privacy.show(sum(c), False) for c in zip(*rows)]
    hidden, _row_totals, col_totals = privacy.protect(rows)
    cells = [[privacy.show(n, h) for n, h in zip(row, hide)] for row, hide in zip(rows, hidden)]
    totals = [privacy.show(sum(col), h) for col, h in zip(zip(*rows), col_totals)]
    return cells, totals


def referrals(res: Any) -> dict[str, Any]:
    first, last = res.period.first, res.period.last_day
    figures = referral_figures(None, first, last, locations=res.locations)
    counts = [[f["warm"], f["plain"]] for f in figures]
    cells, totals = _protected(counts, res.suppressed)
    rows = []
    for f, shown in zip(figures, cells):
        closed = f["closed"] or 0
        still_open = (f["warm"] or 0) - closed
        # A closed count next to a shown warm count also reveals the open ones: both must be safe to show.
        closed_ok = not res.suppressed or (shown[0] not in (privacy.SMALL, privacy.SECONDARY)
                                           and not privacy.primary(closed) and not privacy.primary(still_open))
        helped = f["shares"].get("geholpen")
        rows.append({
            "partner": f["partner"], "warm": shown[0], "plain": shown[1],
            "closed": privacy.show(closed, False) if closed_ok else (privacy.SMALL if privacy.primary(closed) else privacy.SECONDARY),
            "helped_pct": round(helped * 100) if helped is not None and closed_ok and closed >= (privacy.THRESHOLD if res.suppressed else 1) else None,
            "median_days": f["median_days_to_first_response"] if closed_ok else None,
        })
    return {"rows": rows, "totals": totals}


def courses(res: Any) -> dict[str, Any]:
    first, last = res.period.first, res.period.last_day
    figures = course_figures(None, first, last, locations=res.locations)
    cells, totals = _protected([[f["referrals"], f["enrolments"]] for f in figures], res.suppressed)
    return {"rows": [{"course": f["course"], "start_date": f["start_date"], "referrals": c[0], "enrolments": c[1]}
                     for f, c in zip(figures, cells)], "totals": totals}


def structural(res: Any) -> str:
    """Visits that led to structural contact: a warm referral to a partner, or a course referral or enrolment."""
    first, last = res.period.first, res.period.last_day
    ids = set(Referral.objects.filter(location__in=res.locations, kind__in=WARM_KINDS, question__date__gte=first,
                                      question__date__lte=last).values_list("question__visit_id", flat=True))
    for model in (CourseReferral, Enrolment):
        ids |= set(model.objects.filter(question__location__in=res.locations, question__date__gte=first, question__date__lte=last)
                   .values_list("question__visit_id", flat=True))
    n = len(ids)
    return privacy.show(n, res.suppressed and privacy.primary(n))


def survey(res: Any) -> Any:
    return survey_summary(res.locations, res.period.first, res.period.last_day, suppress=res.suppressed)


def build(res: Any) -> dict[str, Any]:
    return {"referrals": referrals(res), "courses": courses(res), "structural": structural(res), "survey": survey(res)}
