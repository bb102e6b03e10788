"""The outbox in the embedded mode (no Redis): a dispatched job runs in-process once
the transaction commits and is marked sent. With Redis, and with Redis down, see
tests/resilience/test_redis_down.py."""

import pytest
from django.core.cache import cache

from dtc import jobs, tasks, versions
from dtc.celery import app
from dtc.models import QueuedJob


@pytest.fixture
def embedded():
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


def test_a_dispatched_job_runs_once_committed_and_is_marked_sent(
    cast, embedded, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        jobs.dispatch(tasks.move_versions_on, cast.a.pk)
        assert QueuedJob.objects.get().sent_at is None  # not before the commit
    job = QueuedJob.objects.get()
    assert job.sent_at is not None and job.attempts == 1 and job.last_error == ""
    assert cache.get(versions._key(cast.a.pk)) == 1
    assert not jobs.is_waiting(tasks.move_versions_on, cast.a.pk)
