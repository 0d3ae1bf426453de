"""Reads for the visitor survey: the summary the coordinator page and the dashboards show."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from balie.core import privacy
from balie.core.access import scope_of
from balie.network.models import Location

from .models import ComeBack, Confident, Helped, SurveyResponse

QUESTION_LABELS = {
    "helped": "Heeft u hulp gekregen?",
    "confident": "Durft u dit de volgende keer meer zelf te doen?",
    "come_back": "Zou u terugkomen?",
}
CHOICES = {"helped": Helped, "confident": Confident, "come_back": ComeBack}
def must_suppress(user: Any) -> bool:
    """Small cells are hidden for everyone outside the library organisation: the one answer of core.access."""
    return scope_of(user).suppressed


@dataclass
class AnswerFigure:
    code: str
    label: str
    count: int | None  # None: hidden (fewer than 5, or needed to keep a hidden one hidden)
    share: float | None  # 0..1 of the answers to this question
    hidden_mark: str = ""  # "<5" for a small count, "×" for one hidden so that a small one cannot be worked out

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
    """Counts and shares per answer of the three questions, dates inclusive, in one grouped query.

    ``suppress=True`` for gemeente, landelijk and partner users (see ``must_suppress``): cells under 5 become None.
    """
    rows = (
        SurveyResponse.objects.filter(location__in=list(locations), date__gte=date_from, date__lte=date_to)
        .values_list("helped", "confident", "come_back").annotate(n=Count("id")).order_by()
    )
    counters: dict[str, Counter[str]] = {q: Counter() for q in CHOICES}
    total = 0
    for helped, confident, come_back, n in rows:
        total += n
        counters["helped"][helped] += n
        counters["confident"][confident] += n
        counters["come_back"][come_back] += n
    hidden_total = suppress and 0 < total < privacy.THRESHOLD  # zero reveals nobody: "no answers yet"
    summary = SurveySummary(date_from, date_to, None if hidden_total else total, suppressed=suppress)
    for code, choices in CHOICES.items():
        raw = {value: counters[code][value] for value in choices.values}
        # The same rule as every other figure a municipality sees (insight.suppression, ADR 0010).
        hidden, _ = privacy.protect_list(list(raw.values())) if suppress else ([False] * len(raw), False)
        shown = {value: None if h else n for (value, n), h in zip(raw.items(), hidden)}
        marks = {value: privacy.show(n, h) if h else "" for (value, n), h in zip(raw.items(), hidden)}
        q_total = sum(raw.values())
        figure = QuestionFigure(code, QUESTION_LABELS[code], None if hidden_total else q_total)
        for value, label in choices.choices:
            count = shown[value]
            share = count / q_total if count is not None and q_total else None
            figure.answers.append(AnswerFigure(value, str(label), count, share, marks[value]))
        summary.questions.append(figure)
    return summary


def per_location_counts(locations: Iterable[Location], date_from: dt.date, date_to: dt.date) -> dict[int, int]:
    rows = (
        SurveyResponse.objects.filter(location__in=list(locations), date__gte=date_from, date__lte=date_to)
        .values("location_id").annotate(n=Count("id")).values_list("location_id", "n")
    )
    return dict(rows)
