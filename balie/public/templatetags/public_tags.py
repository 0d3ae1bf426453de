"""Small display helpers for the public templates, in the visitor's language."""

from __future__ import annotations

from django import template
from django.utils.dates import WEEKDAYS

from balie.public import cards

register = template.Library()


@register.filter
def kind_label(kind: str) -> str:
    return cards.kind_label(kind)


@register.filter
def weekday_name(weekday: int) -> str:
    # Django's own catalogue: "maandag" in Dutch, "Monday" in English.
    return str(WEEKDAYS[int(weekday)])


@register.filter
def span(slot: object) -> str:
    return cards.span(slot)
