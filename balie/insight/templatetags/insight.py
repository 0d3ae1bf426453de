from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def cell(value: Any) -> str:
    """A table cell: counts with a thousands dot, percentages with a decimal comma, empty as a dash."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


@register.filter
def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) or value in ("<5", None)


@register.filter
def at(items: Any, index: int) -> Any:
    try:
        return items[index]
    except (IndexError, TypeError, KeyError):
        return None


@register.filter
def report_table(data: Any, key: str) -> Any:
    """One table of a report or dashboard by its key (None when it is not there)."""
    return data.board.table(key)


@register.filter
def split(value: str) -> list[str]:
    return value.split()
