"""The background render shared by case studies and subject access exports."""

import logging
import os
import time

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from dtc.history import save_with_history

from ..models import Rendered, RenderStatus

__all__ = ["render_once"]


logger = logging.getLogger(__name__)


def render_once(model: type[Rendered], pk: int, make, *, failed: str):
    """Move a background file from queued to ready. `make(obj)` renders and returns
    ({file field: (file name, bytes)}, {field: value}), stored here. Safe to run twice,
    even at once (a task is delivered again when its worker dies): a ready one is left as
    it is, and a render stopped midway is done again from the start, leaving one file per
    field. A failure is logged in full and shown to the user as the short `failed`."""
    with transaction.atomic():
        obj = _locked(model, pk)
        if obj.status == RenderStatus.READY:
            return obj
        if obj.status != RenderStatus.RENDERING:  # not again after a lost worker
            obj.status, obj.error = RenderStatus.RENDERING, ""
            save_with_history(obj, obj.requested_by)
    _pause_for_tests()
    try:
        files, values = make(obj)
    except Exception:
        logger.exception("%s %s failed to render", model.__name__, obj.pk)
        files = None
    with transaction.atomic():
        obj = _locked(model, pk)
        if obj.status == RenderStatus.READY:  # another delivery finished first
            return obj
        if files is None:
            obj.status, obj.error = RenderStatus.FAILED, failed
            save_with_history(obj, obj.requested_by)
            return obj
        for field_name, (file_name, content) in files.items():
            field_file = getattr(obj, field_name)
            name = field_file.field.generate_filename(obj, file_name)
            # Left by a render stopped between writing its file and committing: replaced,
            # so that there is one file.
            field_file.storage.delete(name)
            field_file.save(file_name, ContentFile(content), save=False)
        for field_name, value in values.items():
            setattr(obj, field_name, value)
        obj.status, obj.rendered_at = RenderStatus.READY, timezone.now()
        save_with_history(obj, obj.requested_by)
    return obj


def _locked(model, pk: int):
    # No request in a worker: the changes are saved for the person who asked.
    return model.objects.select_for_update().select_related("requested_by").get(pk=pk)


def _pause_for_tests() -> None:
    # DTC_TEST_RENDER_PAUSE (seconds) holds every render here, so that the resilience
    # tests (tests/resilience/test_worker_lost.py) can kill a worker midway. Unset in use.
    seconds = float(os.environ.get("DTC_TEST_RENDER_PAUSE") or 0)
    if seconds:
        time.sleep(seconds)
