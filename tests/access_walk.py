"""Walks the URLconf and turns a pattern plus the fixture world into a concrete path (used by test_access_matrix)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from access_table import ADMIN_PREFIX, KWARGS, PUBLIC_OBJECTS, Lit, N  # tests/ is on sys.path (conftest.py lives there)
from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Pattern:
    key: str      # "namespace:name", or the route for an unnamed pattern (only the admin has those)
    route: str    # the full route, for messages
    kwargs: tuple[str, ...]


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[Pattern]:
    found: list[Pattern] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace + (f"{p.namespace}:" if p.namespace else "")
            found += _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            key = f"{namespace}{p.name}" if p.name else route
            found.append(Pattern(key, route, tuple(p.pattern.regex.groupindex)))
    return found


def all_patterns() -> list[Pattern]:
    """Every pattern of the project, through every include, in URLconf order."""
    return _walk(get_resolver().url_patterns)


def is_admin(pattern: Pattern) -> bool:
    return pattern.key.startswith("admin:") or pattern.route.startswith(ADMIN_PREFIX)


# The attribute a kwarg takes from its object, by the kwarg's name ("ticket_uuid" -> .uuid).
ATTRIBUTE = {"uuid": "uuid", "code": "code", "pk": "pk", "slug": "slug", "number": "number", "versie": "number"}


def _value(spec: Any, kwarg: str, side: dict[str, Any], national: dict[str, Any]) -> Any:
    if isinstance(spec, Lit):
        return spec.value
    key, _, attr = spec.key.partition(".") if isinstance(spec, N) else spec.partition(".")
    obj = (national if isinstance(spec, N) else side)[key]
    if isinstance(obj, (str, int)):
        return obj
    return getattr(obj, attr or ATTRIBUTE[kwarg.rsplit("_", 1)[-1]])


def path_for(pattern: Pattern, world: Any, side: str = "own") -> str:
    if is_admin(pattern):
        return admin_path(pattern, world)
    specs = KWARGS.get(pattern.key, {})
    missing = set(pattern.kwargs) - set(specs)
    if missing:
        raise AssertionError(f"{pattern.key} ({pattern.route}): no object for {sorted(missing)} in access_table.KWARGS")
    values = {k: _value(specs[k], k, world.side(side), world.national) for k in pattern.kwargs}
    return reverse(pattern.key, kwargs=values) if values else reverse(pattern.key)


def has_other_side(pattern: Pattern) -> bool:
    """True when a kwarg names an object of one library organisation (not a literal, not a national object)."""
    if pattern.key in PUBLIC_OBJECTS:
        return False
    specs = KWARGS.get(pattern.key, {})
    return any(isinstance(s, str) for s in specs.values())


def admin_path(pattern: Pattern, world: Any) -> str:
    """Admin routes: object routes get the first row of their model (or a pk that does not exist)."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    route = "/" + pattern.route
    if "<path:content_type_id>" in route:  # view_on_site: the organisation of the world
        ct = ContentType.objects.get_for_model(world.own["organisation"])
        return route.replace("<path:content_type_id>", str(ct.pk)).replace("<path:object_id>", str(world.own["organisation"].pk))
    if "<path:object_id>" in route:
        app_label, model_name = route.split("/")[2:4]
        model = apps.get_model(app_label, model_name)
        obj = model._default_manager.order_by("pk").first()
        return route.replace("<path:object_id>", str(obj.pk if obj is not None else 999999))
    if "(?P<url>" in route:  # the admin's catch-all
        return "/" + ADMIN_PREFIX + "bestaat-niet/"
    if "(?P<app_label>" in route:
        return "/" + ADMIN_PREFIX + "network/"
    return route
