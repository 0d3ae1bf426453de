"""The one audit logger: structured events to stdout (logger balie.audit) and to the AuditEvent table."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.db import models

from .models import AuditEvent

logger = logging.getLogger("balie.audit")


def log(
    event: str,
    *,
    user: Any = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_uuid: str = "",
    personal_data: bool = False,
    **extra: Any,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_uuid = object_uuid or str(getattr(obj, "uuid", obj.pk))
    user_obj = user if getattr(user, "is_authenticated", False) else None
    record = AuditEvent.objects.create(
        event=event,
        user=user_obj,
        object_type=object_type,
        object_uuid=object_uuid,
        personal_data=personal_data,
        extra=extra,
    )
    logger.info(
        json.dumps(
            {
                "event": event,
                "user": user_obj.get_username() if user_obj else None,
                "object_type": object_type,
                "object_uuid": object_uuid,
                "personal_data": personal_data,
                **extra,
            },
            default=str,
        )
    )
    return record
