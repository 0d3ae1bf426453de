from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """{{ codes.instantie|get_item:q.instantie }}: dictionary lookup with a variable key."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag
def choice_group(name: str, options: Any, selected: Any, kind: str = "radio", role: str = "", show_code: bool = False) -> str:
    """A row of one-click choice chips (radio or checkbox).

    Rendered in Python rather than with template loops: the desk form has ~60 of these and
    the desk page must render in well under 30 ms.
    """
    from django.utils.html import conditional_escape, format_html_join
    from django.utils.safestring import mark_safe

    items = options.items() if hasattr(options, "items") else [(o, o) for o in options]
    chosen = {str(v) for v in selected} if isinstance(selected, (list, tuple, set)) else {str(selected or "")}
    role_attr = f' data-role="{conditional_escape(role)}"' if role else ""
    rows = []
    for code, label in items:
        text = f"{code} {str(label).lower()}" if show_code else str(label)
        rows.append((kind, name, code, mark_safe(role_attr), mark_safe(" checked" if str(code) in chosen else ""), text))
    return format_html_join(
        "", '<label class="choice"><input type="{}" name="{}" value="{}"{}{}><span>{}</span></label>', rows
    )


@register.simple_tag
def options(pairs: Any, selected: Any = None, suffix: str = "") -> str:
    """<option> elements from (value, label) pairs or a dict; rendered in Python for the same reason as choice_group."""
    from django.utils.html import format_html_join

    items = pairs.items() if hasattr(pairs, "items") else pairs
    chosen = str(selected) if selected is not None else None
    return format_html_join(
        "", '<option value="{}"{}>{}{}</option>',
        ((value, " selected" if chosen is not None and str(value) == chosen else "", label, suffix) for value, label in items),
    )


@register.simple_tag
def label_options(pairs: Any, suffix: str = "") -> str:
    """<option>s for a <datalist> whose values are labels: the field shows what people read (issue 14); the server
    reads a label back to its code (desk.validation.CodeContext.resolve)."""
    from django.utils.html import format_html_join

    items = pairs.items() if hasattr(pairs, "items") else pairs
    return format_html_join("", '<option value="{}">{}</option>', ((label, suffix.strip()) for _code, label in items))


@register.simple_tag
def location_options(locations: Any, current: Any) -> str:
    """<option>s for the location switcher shared by the desk, tally and queue pages."""
    return options([(loc.code, loc.naam) for loc in locations], getattr(current, "code", None))


@register.filter
def code_label(code: Any, code_list: str) -> str:
    """{{ q.instantie|code_label:"instantie" }} -> "Dienst Toeslagen": people read labels, never codes (issue 14)."""
    from balie.core import codelists

    return codelists.label_of(code_list, str(code or ""))


@register.filter
def code_labels(value: Any, code_list: str) -> str:
    """"|A|B|" or a list of codes -> "Label A, label B"."""
    from balie.core import codelists

    codes = codelists.split_multi(value) if isinstance(value, str) else list(value or [])
    return ", ".join(codelists.label_of(code_list, c) for c in codes)
