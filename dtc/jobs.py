"""Sending background tasks through an outbox, so that none is lost while the broker is
down. `dispatch` writes the job in the caller's transaction and sends it once that
commits; a job the broker refuses stays waiting, the page that asked for it can say so
(`is_waiting`), and `send_waiting` (a beat task, every minute) sends it again when the
broker returns. A job may so reach the workers twice (sent, then the database down
before it is marked sent): tasks re-read their state and exit if the work is done."""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from .models import QueuedJob

logger = logging.getLogger(__name__)

# A job not yet sent this long after it was written lost its sender (a web process that
# stopped between the commit and the send); younger ones are still being sent.
UNSENT_GRACE = timedelta(minutes=1)
SENT_KEPT = timedelta(days=7)
BATCH = 500


def dispatch(task, *args) -> QueuedJob:
    """Run `task(*args)` in the background once the current transaction commits."""
    job = QueuedJob.objects.create(task=task.name, args=list(args))
    # robust: the caller's change has committed; a failure to send is the outbox's to retry.
    transaction.on_commit(lambda: _send(job), robust=True)
    return job


def is_waiting(task, *args) -> bool:
    """Whether a job for `task(*args)` could not be sent and waits for the broker."""
    return QueuedJob.objects.filter(
        task=task.name, args=list(args), sent_at__isnull=True, attempts__gt=0
    ).exists()


def send_waiting() -> int:
    """Send again the jobs the broker has not taken; stop at the first it still refuses.
    Returns how many were sent. Sent jobs older than a week are deleted."""
    now = timezone.now()
    waiting = QueuedJob.objects.filter(sent_at__isnull=True).filter(
        Q(attempts__gt=0) | Q(created_at__lt=now - UNSENT_GRACE)
    )
    sent = 0
    for job in waiting[:BATCH]:
        if not _send(job):
            break
        sent += 1
    QueuedJob.objects.filter(sent_at__lt=now - SENT_KEPT).delete()
    return sent


def _send(job: QueuedJob) -> bool:
    from .celery import app

    if job.task not in app.tasks:  # a task whose module this process has not imported yet
        app.loader.import_default_modules()
    attempts = F("attempts") + 1
    try:
        # apply_async, not send_task, so that the embedded mode still runs tasks eagerly.
        app.tasks[job.task].apply_async(args=job.args)
    except (OperationalError, OSError) as error:
        logger.warning(
            "Job %s (%s) could not be queued, to be sent again: %s", job.pk, job.task, error
        )
        QueuedJob.objects.filter(pk=job.pk).update(attempts=attempts, last_error=str(error)[:300])
        return False
    QueuedJob.objects.filter(pk=job.pk).update(
        attempts=attempts, sent_at=timezone.now(), last_error=""
    )
    return True
