"""Redis down: every page still renders from the database (cache errors are logged and
bypassed), /healthz answers 503 for Redis, and a case-study render that cannot be queued
waits in the outbox, its page says so, and it is sent when Redis returns. The Redis is
the test's own (conftest.redis_server), really stopped and started again on its port."""

import base64
import json
import logging
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import CaseStudy, RenderStatus
from dtc import tasks, versions
from dtc.models import QueuedJob
from tests.factories import PASSWORD, ResidentFactory

from .conftest import broker, service_settings

NOT_QUEUED = "The PDF could not be queued because the background service is unavailable"


@pytest.fixture
def service_redis(settings, redis_server):
    """The cache and the broker on the test's own Redis, configured as the service's."""
    configured = service_settings(REDIS_URL=redis_server.url)
    settings.REDIS_URL = redis_server.url
    for name in ("CACHES", "DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS", "DJANGO_REDIS_LOGGER"):
        setattr(settings, name, configured[name])
    with broker(redis_server.url):
        yield redis_server


@pytest.fixture
def resident(cast):
    return ResidentFactory(community=cast.a)


@pytest.fixture
def pages(cast, resident):
    """(user, path) for a page of each part of the service, as each role opens it."""
    return [
        *[(user, reverse("home")) for user in (cast.tm_a, cast.hop, cast.auditor_a, cast.nobody)],
        (cast.tm_a, reverse("referrals:referral_list")),
        (cast.tm_a, reverse("residents:resident_list")),
        (cast.tm_a, reverse("residents:detail", args=[resident.pk])),
        (cast.tm_a, reverse("supervision:session_list")),
        (cast.hop, reverse("supervision:session_list")),
        (cast.tm_a, reverse("staff")),
        (cast.tm_a, reverse("audit:kpis", args=[cast.a.pk])),
        (cast.hop, reverse("audit:kpi_compare")),
        (cast.auditor_a, reverse("audit:case_studies")),
    ]


def test_pages_fill_the_redis_cache_while_it_is_up(client, pages, service_redis):
    for user, path in pages:
        client.force_login(user)
        assert client.get(path).status_code == 200, path
    assert any(b":dtc:cached:" in key for key in service_redis.client().keys())


def test_every_page_renders_with_redis_down_and_the_errors_are_logged(
    client, pages, service_redis, caplog
):
    service_redis.stop()
    for user, path in pages:
        client.force_login(user)
        started = time.monotonic()
        response = client.get(path)
        assert response.status_code == 200, path
        assert time.monotonic() - started < 5, f"{path} stalled on the dead Redis"
    cache_errors = [r for r in caplog.records if r.name == "dtc.cache"]
    assert cache_errors and all(r.levelno >= logging.WARNING for r in cache_errors)


def test_signing_in_needs_no_redis(client, cast, service_redis):
    service_redis.stop()
    response = client.post(reverse("login"), {"username": "tm_a", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_healthz_answers_503_for_redis_down(client, db, service_redis):
    assert client.get(reverse("healthz")).json()["redis"] == "ok"
    service_redis.stop()
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert response.json()["redis"].startswith("error")


def test_a_render_that_cannot_be_queued_waits_and_is_sent_when_redis_returns(
    client, cast, resident, service_redis, django_capture_on_commit_callbacks
):
    service_redis.stop()
    # The Therapy Manager, who follows the draft's render on its page (an auditor is sent
    # to the list until it is released).
    client.force_login(cast.tm_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("audit:case_study_request", args=[cast.a.pk]), {"resident": resident.pk}
        )
    case_study = CaseStudy.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "audit:case_study", args=[case_study.pk]
    )
    job = QueuedJob.objects.get()
    assert (job.task, job.args) == ("audit.tasks.render_case_study", [case_study.pk])
    assert job.sent_at is None and job.attempts == 1 and job.last_error
    page = client.get(response.url)
    assert NOT_QUEUED in page.content.decode()
    polled = client.get(response.url, headers={"HX-Request": "true"})
    assert NOT_QUEUED in polled.content.decode() and "hx-trigger" in polled.content.decode()
    # While Redis is still down, the beat task leaves the job waiting.
    assert tasks.send_waiting_jobs() == 0
    assert QueuedJob.objects.get().attempts == 2

    service_redis.start()
    assert tasks.send_waiting_jobs() == 1
    job.refresh_from_db()
    assert job.sent_at is not None and job.last_error == ""
    # The broker holds the render, once: a worker will make the PDF.
    messages = service_redis.client().lrange("celery", 0, -1)
    assert len(messages) == 1
    message = json.loads(messages[0])
    assert message["headers"]["task"] == "audit.tasks.render_case_study"
    args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
    assert args == [case_study.pk]
    assert tasks.send_waiting_jobs() == 0  # sent jobs are not sent again
    page = client.get(response.url).content.decode()
    assert NOT_QUEUED not in page and "The PDF is being made" in page
    assert CaseStudy.objects.get().status == RenderStatus.QUEUED


def test_a_job_sent_while_redis_is_up_goes_straight_to_the_broker(
    client, cast, resident, service_redis, django_capture_on_commit_callbacks
):
    client.force_login(cast.auditor_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("audit:case_study_request", args=[cast.a.pk]), {"resident": resident.pk}
        )
    job = QueuedJob.objects.get()
    assert job.sent_at is not None and job.attempts == 1
    assert service_redis.client().llen("celery") == 1
    assert NOT_QUEUED not in client.get(reverse("audit:case_studies")).content.decode()


def test_a_change_made_while_redis_is_down_moves_the_figures_on_once_it_is_back(
    cast, service_redis, django_capture_on_commit_callbacks
):
    def figure(value):
        return versions.cached("resilience-figure", [cast.a.pk], lambda: value)

    assert figure("before the change") == "before the change"
    service_redis.stop(keep_data=True)
    with django_capture_on_commit_callbacks(execute=True):
        versions.changed([cast.a.pk])  # a record of community A changed
    job = QueuedJob.objects.get()
    assert (job.task, job.args, job.sent_at) == ("dtc.tasks.move_versions_on", [cast.a.pk], None)

    service_redis.start()  # with what it held: the figure cached before the change
    assert figure("after the change") == "before the change"
    assert tasks.send_waiting_jobs() == 1
    tasks.move_versions_on(*job.args)  # as the worker that takes the job runs it
    assert figure("after the change") == "after the change"


def test_a_job_its_web_process_did_not_send_is_sent_a_minute_later(db, service_redis):
    being_sent = QueuedJob.objects.create(task="dtc.tasks.move_versions_on")
    left = QueuedJob.objects.create(task="dtc.tasks.move_versions_on")
    QueuedJob.objects.filter(pk=left.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    assert tasks.send_waiting_jobs() == 1
    left.refresh_from_db()
    being_sent.refresh_from_db()
    assert left.sent_at is not None and being_sent.sent_at is None


def test_sent_jobs_are_deleted_after_a_week(db, service_redis):
    now = timezone.now()
    QueuedJob.objects.create(task="dtc.tasks.move_versions_on", sent_at=now - timedelta(days=8))
    recent = QueuedJob.objects.create(
        task="dtc.tasks.move_versions_on", sent_at=now - timedelta(days=6)
    )
    tasks.send_waiting_jobs()
    assert list(QueuedJob.objects.values_list("pk", flat=True)) == [recent.pk]
