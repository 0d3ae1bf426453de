from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django_tasks_db.apps import TasksAppConfig


def _create_cache_tables(using: str = "default", **kwargs: object) -> None:
    """The database cache (BALIE_CACHE_URL=db://..., the production default) needs its table: migrate makes it, so an
    installation or upgrade needs no extra step. Does nothing for Redis or locmem, and nothing if the table exists."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    # This module holds a second AppConfig (below); without `default` Django would load "balie.core" with a plain
    # AppConfig and never run ready(): no login audit, no cache checks, no mail sweep.
    default = True
    name = "balie.core"
    verbose_name = "Kern: codelijsten, audit en privacy"

    def ready(self) -> None:
        # checks: the cache checks; logins: the login audit receivers; outbox: the mail sweep and recovery, hung on the
        # worker (core/worker.py).
        from . import checks, logins, outbox  # noqa: F401

        post_migrate.connect(_create_cache_tables, sender=self, dispatch_uid="balie.core.cache_tables")


class TasksDatabaseConfig(TasksAppConfig):
    """django-tasks-db under a Dutch name in Beheer (review 2026-12: "TASKS DATABASE BACKEND" in the Dutch admin).
    Its model and field names are translated in balie/locale/nl (the package has no Dutch catalogue)."""

    default = False
    verbose_name = "Achtergrondtaken"
