"""The background render shared by case studies and subject access exports."""

import logging

from django.db import transaction
from django.utils import timezone

from ..models import Rendered, RenderStatus

__all__ = ["render_once"]


logger = logging.getLogger(__name__)


def render_once(model: type[Rendered], pk: int, make, *, failed: str):
    """Move a background file from queued to ready: `make(obj)` renders and stores its
    files. Safe to run twice (a task may be delivered again): a ready one is left as it
    is. A failure is logged in full and shown to the user as the short `failed`."""
    with transaction.atomic():
        obj = model.objects.select_for_update().select_related("requested_by").get(pk=pk)
        if obj.status == RenderStatus.READY:
            return obj
        # No request in a worker: the changes are made for the person who asked.
        obj._history_user = obj.requested_by
        obj.status, obj.error = RenderStatus.RENDERING, ""
        obj.save()
    try:
        make(obj)
    except Exception:
        logger.exception("%s %s failed to render", model.__name__, obj.pk)
        obj.status, obj.error = RenderStatus.FAILED, failed
        obj.save()
        return obj
    obj.status, obj.rendered_at = RenderStatus.READY, timezone.now()
    obj.save()
    return obj
