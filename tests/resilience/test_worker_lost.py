"""A Celery worker killed in the middle of a case-study render: the task is handed back
(late acknowledgement, task_reject_on_worker_lost) and rendered again, and the case study
is made once (one file, one move to rendering, one to ready).

Real workers (`celery -A dtc worker --pool=prefork`) on the test's own Redis read the
test's database, so the data must be committed: these tests are transactional and run on
PostgreSQL only (as CI does); pytest-django's SQLite test database is in memory, where a
second process cannot see it. DTC_TEST_RENDER_PAUSE holds each render for a few seconds
inside case_study_render, after the case study is marked rendering, so that the test can
kill the worker there."""

import os
import signal
from pathlib import Path

import pytest
from django.db import connection

from audit import services
from audit.models import CaseStudy, RenderStatus
from tests.factories import ResidentFactory

from .conftest import PYTHON, broker, start_process, stop_process, wait_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAUSE = 3  # seconds each render is held


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("a worker subprocess cannot read the in-memory SQLite test database")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def workers(redis_server, media, tmp_path):
    """start(visibility_timeout) runs a worker on the test's Redis and database."""
    db = connection.settings_dict
    env = {
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or 'localhost'}"
        f":{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis_server.url,
        "DTC_MEDIA_ROOT": str(media),
        "DTC_TEST_RENDER_PAUSE": str(PAUSE),
    }
    started = []

    def start(visibility_timeout: int = 600):
        log = tmp_path / f"worker-{len(started)}.log"
        process = start_process(
            [
                *(PYTHON, "-m", "celery", "-A", "dtc", "worker", "--pool=prefork"),
                *("--concurrency=1", "--loglevel=INFO", f"--hostname=resilience{len(started)}@%h"),
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            ],
            log=log,
            env={**env, "DTC_TASK_VISIBILITY_TIMEOUT": str(visibility_timeout)},
        )
        started.append(process)
        wait_for(lambda: b" ready." in log.read_bytes(), timeout=60, what="the worker", log=log)
        process.log = log
        return process

    with broker(redis_server.url):
        try:
            yield start
        finally:
            for process in started:
                stop_process(process)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces, so split after its ")".
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def status(case_study) -> str:
    return CaseStudy.objects.values_list("status", flat=True).get(pk=case_study.pk)


def request_and_kill_midway(cast, worker, *, kill_worker_too: bool = False):
    case_study = services.case_study_request(
        resident=ResidentFactory(community=cast.a), by=cast.auditor_a
    )
    wait_for(
        lambda: status(case_study) == RenderStatus.RENDERING,
        timeout=30,
        what="the render to start",
        log=worker.log,
    )
    (child,) = children(worker.pid)
    if kill_worker_too:  # the whole worker lost at once, as when its machine stops
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    os.kill(child, signal.SIGKILL)
    assert status(case_study) == RenderStatus.RENDERING  # stopped midway
    return case_study


def assert_made_once(case_study, media: Path):
    case_study.refresh_from_db()
    assert case_study.status == RenderStatus.READY and case_study.page_count
    assert [path.name for path in (media / "case_studies").iterdir()] == [
        Path(case_study.file.name).name
    ]
    assert case_study.file.read().startswith(b"%PDF")
    moves = list(case_study.history.order_by("history_date").values_list("status", flat=True))
    assert moves == [RenderStatus.QUEUED, RenderStatus.RENDERING, RenderStatus.READY]


def test_a_render_whose_worker_process_is_killed_is_rendered_again_once(cast, workers, media):
    worker = workers()
    case_study = request_and_kill_midway(cast, worker)
    wait_for(
        lambda: status(case_study) == RenderStatus.READY,
        timeout=90,
        what="the render to be done again",
        log=worker.log,
    )
    assert b"WorkerLostError" in worker.log.read_bytes()
    assert_made_once(case_study, media)


def test_a_render_whose_whole_worker_is_lost_is_taken_up_by_the_next_worker(cast, workers, media):
    worker = workers(visibility_timeout=5)
    case_study = request_and_kill_midway(cast, worker, kill_worker_too=True)
    # Redis hands the unacknowledged task out again once its visibility timeout passes.
    workers(visibility_timeout=5)
    wait_for(
        lambda: status(case_study) == RenderStatus.READY,
        timeout=90,
        what="the next worker to render it",
        log=worker.log,
    )
    assert_made_once(case_study, media)
