"""The nightly sync of a node: hung on the worker's once-a-minute maintenance signal (core/worker.py).

It runs once a day after BALIE_FEDERATION_HOUR (local time) when this installation is a node; a failed sync is logged
by the worker and tried again at the next round, an hour later at the earliest (the outgoing call log says when).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone

from balie.core.worker import maintenance

from .models import Call

logger = logging.getLogger("balie.federation")


def due(now: dt.datetime) -> bool:
    if not (settings.BALIE_HUB_URL and settings.BALIE_HUB_TOKEN):
        return False
    local = timezone.localtime(now)
    if local.hour < settings.BALIE_FEDERATION_HOUR:
        return False
    start = local.replace(hour=settings.BALIE_FEDERATION_HOUR, minute=0, second=0, microsecond=0)
    outgoing = Call.objects.filter(direction=Call.Direction.OUTGOING, path__endswith="/knooppunt")
    if outgoing.filter(at__gte=start, status=200).exists():
        return False  # today's sync is done
    return not outgoing.filter(at__gte=now - dt.timedelta(hours=1)).exists()  # a failed try waits an hour


@receiver(maintenance)
def nightly_sync(sender: Any, now: dt.datetime, **kwargs: Any) -> None:
    if not due(now):
        return
    from .client import SyncFailed, sync

    try:
        result = sync()
    except SyncFailed as exc:
        logger.warning("Federatie: synchronisatie met de hub mislukt: %s", exc)
        return
    logger.info("Federatie: %s perioden geleverd, %s gewijzigd", len(result["verzonden"]), result["gewijzigd"])
