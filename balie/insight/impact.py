"""What the help led to, for the dashboards: referrals per partner, courses, structural contact and the visitor survey.

The figures come from the referrals, courses and survey apps (small tables, so no rollups needed);
this module only scopes them to the dashboard's locations and period and publishes every count through the one
rule (``privacy.published``, ADR 0015) for municipal and national users: totals from their own records.
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


def _published(rows: list[list[int]], suppress: bool) -> tuple[list[list[str]], list[str]]:
    """Display strings for a table of counts (``privacy.Count``) with its column totals, each total from its own records."""
    if not rows:
        return [], []
    cells = [[privacy.text(privacy.published(n, suppressed=suppress)) for n in row] for row in rows]
    totals = [privacy.text(privacy.published(privacy.total(col), suppressed=suppress)) for col in zip(*rows)]
    return cells, totals


def referrals(res: Any) -> dict[str, Any]:
    first, last = res.period.first, res.period.last_day
    # The counts with their referrals' keys (for the totals, each from its own records) and as published per partner:
    # shares and medians come from published numbers only (referrals.selectors does that with suppress=True).
    keyed = referral_figures(None, first, last, locations=res.locations)
    shown = referral_figures(None, first, last, locations=res.locations, suppress=res.suppressed)
    _cells, totals = _published([[f["warm"], f["plain"]] for f in keyed], res.suppressed)
    rows = []
    for f in shown:
        helped = f["shares"].get("geholpen")
        rows.append({
            "partner": f["partner"], "warm": privacy.text(f["warm"]), "plain": privacy.text(f["plain"]), "closed": privacy.text(f["closed"]),
            "helped_pct": round(helped * 100) if helped is not None else None,
            "median_days": f["median_days_to_first_response"],
        })
    return {"rows": rows, "totals": totals}


def courses(res: Any) -> dict[str, Any]:
    first, last = res.period.first, res.period.last_day
    figures = course_figures(None, first, last, locations=res.locations)
    cells, totals = _published([[f["referrals"], f["enrolments"]] for f in figures], res.suppressed)
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
    return privacy.text(privacy.published(privacy.records("visit", ids), suppressed=res.suppressed))


def survey(res: Any) -> Any:
    return survey_summary(res.locations, res.period.first, res.period.last_day, suppress=res.suppressed)


def build(res: Any) -> dict[str, Any]:
    return {"referrals": referrals(res), "courses": courses(res), "structural": structural(res), "survey": survey(res)}
