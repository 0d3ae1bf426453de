"""One page of the overview without counting a year of registrations (bench/registrations.py, issue 14 item 2).

Django's Paginator counts every matching row before it shows one page: at a million registrations that COUNT over a
year of one organisation was most of the page's time. Here the count stops at COUNT_CAP: under it the number and the
"page x of y" are exact, over it the page says "more than 1,000" (true) and offers the next page while there is one.

The page itself is read in two steps: first the ids of the page's rows, in the list's order, from the covering index
``question_overview`` (every filter column is in it, so this is an index-only scan however rare the filter), then
those rows with their location, staff member and visit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from ..models import Question

PER_PAGE = 50
COUNT_CAP = 1000
ORDER = ("-date", "-started_at", "-id")


@dataclass
class Page:
    number: int
    rows: list[Question] = field(default_factory=list)
    count: int = 0  # exact when not capped, else COUNT_CAP
    capped: bool = False  # more than COUNT_CAP rows match
    has_next: bool = False

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def num_pages(self) -> int | None:
        """None when the count is capped: the last page is not known, and not worth a full count to know."""
        return None if self.capped else max(1, -(-self.count // PER_PAGE))

    @property
    def paged(self) -> bool:
        return self.capped or (self.num_pages or 1) > 1


def _number(raw: Any) -> int:
    try:
        return max(1, min(int(str(raw)[:9]), 10**6))
    except (TypeError, ValueError):
        return 1


def page_of(qs: QuerySet[Question], raw_number: Any) -> Page:
    """Page ``raw_number`` (1 for anything unreadable; the last page when past the end of an exact count)."""
    ordered = qs.order_by(*ORDER)
    count = ordered.values("id")[: COUNT_CAP + 1].count()
    page = Page(number=_number(raw_number), count=min(count, COUNT_CAP), capped=count > COUNT_CAP)
    if page.num_pages is not None:
        page.number = min(page.number, page.num_pages)
    start = (page.number - 1) * PER_PAGE
    ids = list(ordered.values_list("id", flat=True)[start:start + PER_PAGE + 1])
    page.has_next = len(ids) > PER_PAGE
    ids = ids[:PER_PAGE]
    if ids:
        found = {q.id: q for q in Question.objects.filter(id__in=ids).select_related("location", "created_by", "visit")}
        page.rows = [found[i] for i in ids if i in found]
    return page
