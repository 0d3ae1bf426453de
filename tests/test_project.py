"""Project-wide guarantees: migrations complete, no outside resources, Dutch help on every field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_it_has_a_migration_for_every_model_change():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_it_loads_nothing_from_outside_the_app():
    pattern = re.compile(r"(src|href)=\"(https?:)?//", re.I)
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "balie" / "templates").rglob("*.html") if pattern.search(p.read_text())]
    css = [str(p.relative_to(ROOT)) for p in (ROOT / "balie" / "static").rglob("*.css") if re.search(r"url\(\s*['\"]?https?:", p.read_text())]
    assert offenders == [] and css == []


def test_it_gives_every_field_of_our_models_a_dutch_label_and_help_text():
    missing = []
    for model in apps.get_models():
        if not model.__module__.startswith("balie."):
            continue
        for field in model._meta.get_fields():
            if not getattr(field, "concrete", False) or field.auto_created:
                continue
            inherited = field.model is not model or field.name in {"password", "last_login", "is_superuser", "username", "first_name",
                                                                   "last_name", "email", "is_staff", "is_active", "date_joined", "groups", "user_permissions"}
            if inherited:
                continue
            if not field.help_text or getattr(field, "_verbose_name", None) is None:
                missing.append(f"{model._meta.label}.{field.name}")
    assert missing == [], f"velden zonder Nederlandse verbose_name/help_text: {missing}"


def test_every_balie_app_runs_its_own_app_config():
    # An apps.py with two AppConfig classes and no `default` made Django load balie.core with a plain AppConfig: its
    # ready() (login audit, checks, mail sweep) silently never ran.
    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("balie."):
            assert type(config).__module__.startswith("balie."), f"{config.name} is loaded with {type(config).__name__}"
    assert type(apps.get_app_config("core")).__name__ == "CoreConfig"
