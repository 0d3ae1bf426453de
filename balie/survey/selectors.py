"""Reads for the visitor survey: the summary the coordinator page and the dashboards show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext, gettext_noop

from balie.core import privacy
from balie.core.access import scope_of
from balie.network.models import Location

from .models import ComeBack, Confident, Helped, SurveyResponse

QUESTION_LABELS = {
    "helped": gettext_noop("Heeft u hulp gekregen?"),
    "confident": gettext_noop("Durft u dit de volgende keer meer zelf te doen?"),
    "come_back": gettext_noop("Zou u terugkomen?"),
}
CHOICES = {"helped": Helped, "confident": Confident, "come_back": ComeBack}
def must_suppress(user: Any) -> bool:
    """Small cells are hidden for everyone outside the library organisation: the one answer of core.access."""
    return scope_of(user).suppressed


@dataclass
class AnswerFigure:
    code: str
    label: str
    count: int | None  # None: hidden (fewer than 5); outside the library a published number (core.privacy, ADR 0015)
    share: float | None  # 0..1 of the answers to this question
    hidden_mark: str = ""  # "<5" for a hidden count

    @property
    def display(self) -> str:
        return self.hidden_mark or privacy.SMALL if self.count is None else str(self.count)


@dataclass
class QuestionFigure:
    code: str
    label: str
    total: int | None
    answers: list[AnswerFigure] = field(default_factory=list)


@dataclass
class SurveySummary:
    date_from: dt.date
    date_to: dt.date
    responses: int | None  # None when hidden (fewer than 5 answers in all)
    questions: list[QuestionFigure] = field(default_factory=list)
    suppressed: bool = False

    def as_dict(self) -> dict[str, Any]:
        """Plain data for exports and the API: counts are null where hidden."""
        return {
            "van": self.date_from.isoformat(), "tot": self.date_to.isoformat(), "antwoorden": self.responses,
            "vragen": [
                {"code": q.code, "vraag": q.label, "totaal": q.total,
                 "antwoorden": [{"code": a.code, "label": a.label, "aantal": a.count, "aandeel": a.share} for a in q.answers]}
                for q in self.questions
            ],
        }


def survey_summary(locations: Iterable[Location], date_from: dt.date, date_to: dt.date, *, suppress: bool = False) -> SurveySummary:
    """Counts and shares per answer of the three questions, dates inclusive.

    ``suppress=True`` for gemeente, landelijk and partner users (see ``must_suppress``): every count goes through
    ``privacy.published`` (the answers' record keys decide its noise; under 5 is None) and shares are taken from
    the published numbers (ADR 0015).
    """
    rows = (
        SurveyResponse.objects.filter(location__in=list(locations), date__gte=date_from, date__lte=date_to)
        .values_list("id", "helped", "confident", "come_back").order_by()
    )
    ids: dict[str, dict[str, list[int]]] = {q: {} for q in CHOICES}
    everyone: list[int] = []
    for pk, helped, confident, come_back in rows:
        everyone.append(pk)
        for code, value in (("helped", helped), ("confident", confident), ("come_back", come_back)):
            ids[code].setdefault(value, []).append(pk)

    def publish(pks: list[int]) -> int | None:
        return privacy.published(privacy.records("survey-response", pks), suppressed=suppress)

    total = publish(everyone)
    summary = SurveySummary(date_from, date_to, total, suppressed=suppress)
    for code, choices in CHOICES.items():
        answered = [pk for value in choices.values for pk in ids[code].get(value, [])]
        q_total = publish(answered)
        figure = QuestionFigure(code, gettext(QUESTION_LABELS[code]), q_total if total is not None else None)
        for value, label in choices.choices:
            count = publish(ids[code].get(value, []))
            portion = privacy.share(count, q_total, suppressed=suppress, digits=3) if count is not None else None
            share = portion / 100 if portion is not None and q_total else None
            figure.answers.append(AnswerFigure(value, str(label), count, share, privacy.SMALL if count is None else ""))
        summary.questions.append(figure)
    return summary


def per_location_counts(locations: Iterable[Location], date_from: dt.date, date_to: dt.date) -> dict[int, int]:
    rows = (
        SurveyResponse.objects.filter(location__in=list(locations), date__gte=date_from, date__lte=date_to)
        .values("location_id").annotate(n=Count("id")).values_list("location_id", "n")
    )
    return dict(rows)
