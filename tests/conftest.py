"""The named cast every test shares, so that permission tests read like the matrix.

cluster ─┬─ establishment one ─┬─ community A   (tm_a, clinician_a, officer_a, trainee_a, auditor_a)
         │                     └─ community B   (tm_b, clinician_b)
         └─ establishment two ─── community C   (no one below but the HoP of the cluster)
hop: Head of Psychotherapy over establishment one (A and B, not C)
nobody: signed in, no role anywhere
"""

import copy
import os
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import pytest

from dtc.models import Community, Role, User
from tests import factories


@dataclass
class Cast:
    a: Community
    b: Community
    c: Community
    hop: User
    tm_a: User
    clinician_a: User
    officer_a: User
    trainee_a: User
    auditor_a: User
    tm_b: User
    clinician_b: User
    nobody: User

    def by_role(self, role: str) -> User:
        """The community-A holder of a role (the HoP for `hop`)."""
        return {
            Role.HEAD_OF_PSYCHOTHERAPY: self.hop,
            Role.THERAPY_MANAGER: self.tm_a,
            Role.CLINICIAN: self.clinician_a,
            Role.OFFICER: self.officer_a,
            Role.TRAINEE: self.trainee_a,
            Role.AUDITOR: self.auditor_a,
        }[role]


# The production hasher is slow on purpose; tests create many users.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


def redis_url_of_worker(url: str, worker: int) -> str:
    """REDIS_URL for pytest-xdist's worker `worker`: the Redis database numbered
    `worker` below REDIS_URL's, round from 0 to 15 (CI's /15: gw0 /15, gw1 /14)."""
    if not 0 <= worker < 16:
        raise pytest.UsageError("Redis has 16 databases: run at most 16 test workers")
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(database - worker) % 16}"))


@pytest.fixture(scope="session", autouse=True)
def redis_of_this_worker():
    """With REDIS_URL set, each test worker keeps the cache and the Celery broker in a
    Redis database of its own: emptying the cache empties the whole database (FLUSHDB),
    and one worker must not wipe another's cache or queued tasks mid-test."""
    from django.conf import settings

    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    if not settings.REDIS_URL or worker == 0:
        yield
        return
    from django.test import override_settings

    from dtc.celery import app

    url = redis_url_of_worker(settings.REDIS_URL, worker)
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["LOCATION"] = url
    broker = app.conf.broker_url
    app.conf.broker_url = url
    try:
        with override_settings(REDIS_URL=url, CACHES=caches, CELERY_BROKER_URL=url):
            yield
    finally:
        app.conf.broker_url = broker


@pytest.fixture(scope="session", autouse=True)
def static_files_found_on_request():
    """WhiteNoise otherwise reads the whole of every static folder (the design systems'
    node_modules, some 1,500 files) each time its middleware is made, and every test
    client makes its own: about 0.1 s a test. Found on request instead, as under
    runserver, the files and their headers are the same."""
    from django.test import override_settings

    with override_settings(WHITENOISE_AUTOREFRESH=True):
        yield


@pytest.fixture(scope="session", autouse=True)
def media_of_this_worker(tmp_path_factory):
    """Files a test saves without a folder of its own (the demo's case study) go to a
    temporary folder of the worker's, never into the project's media/."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: rolled-back rows may reuse ids (SQLite),
    and figures cached for one test's community must not answer for another's."""
    from django.core.cache import cache

    cache.clear()


def build_cast() -> Cast:
    cluster = factories.ClusterFactory(name="Test cluster")
    one = factories.EstablishmentFactory(cluster=cluster, name="HMP One", code="ONE")
    two = factories.EstablishmentFactory(cluster=cluster, name="HMP Two", code="TWO")
    a = factories.CommunityFactory(establishment=one, name="A")
    b = factories.CommunityFactory(establishment=one, name="B")
    c = factories.CommunityFactory(establishment=two, name="C")
    return Cast(
        a=a,
        b=b,
        c=c,
        hop=factories.staff("hop", Role.HEAD_OF_PSYCHOTHERAPY, one),
        tm_a=factories.staff("tm_a", Role.THERAPY_MANAGER, a),
        clinician_a=factories.staff("clinician_a", Role.CLINICIAN, a),
        officer_a=factories.staff("officer_a", Role.OFFICER, a),
        trainee_a=factories.staff("trainee_a", Role.TRAINEE, a),
        auditor_a=factories.staff("auditor_a", Role.AUDITOR, a),
        tm_b=factories.staff("tm_b", Role.THERAPY_MANAGER, b),
        clinician_b=factories.staff("clinician_b", Role.CLINICIAN, b),
        nobody=factories.UserFactory(username="nobody"),
    )


def seed_demo_estate() -> bool:
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    return True


class Shared:
    """Rows built once for a run of tests that ask for them, as Django's
    TestCase.setUpTestData does for a class: written in a transaction left open beneath
    the tests, each test's own transaction nesting inside it as a savepoint and rolled
    back, the transaction itself rolled back when the run ends.

    It is rolled back (and built again when a test asks for it) before any other test:
    a transactional test cannot run inside an open transaction, and a test that did not
    ask for these rows must not find them. pytest-django runs the non-transactional
    database tests first, so most tests share a handful of builds. The first test of a
    process builds its own: the test database is made during its setup."""

    blocker = None  # pytest-django's database blocker, once the test database exists

    def __init__(self, build):
        self.build = build
        self.value = None  # what build() returned, while the transaction is open
        self._atomic = None

    def open(self) -> None:
        from django.db import transaction
        from django.test import override_settings

        with self.blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            try:
                self.value = self.build()
            except BaseException as error:
                self._atomic.__exit__(type(error), error, error.__traceback__)
                self._atomic = None
                raise

    def close(self) -> None:
        if self._atomic is None:
            return
        from django.db import transaction

        with self.blocker.unblock():
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)
        self._atomic = self.value = None


# By the fixture that asks for them.
SHARED = {"cast": Shared(build_cast), "demo_estate": Shared(seed_demo_estate)}


def shared_rows_asked_for(item) -> str | None:
    """The shared rows a test asks for, if it runs in a test transaction (as
    pytest-django decides between Django's TestCase and TransactionTestCase)."""
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    transactional = (
        marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    ) or any(
        name in names for name in ("transactional_db", "live_server", "django_db_reset_sequences")
    )
    if transactional:
        return None
    return next((name for name in SHARED if name in names), None)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before the test's fixtures, so that the shared rows' transaction is open beneath
    # the test's own, or closed before a test that must not run inside it.
    asked = shared_rows_asked_for(item)
    for name, shared in SHARED.items():
        if name != asked:
            shared.close()
    if asked and SHARED[asked].value is None and Shared.blocker is not None:
        SHARED[asked].open()


@pytest.fixture
def cast(db) -> Cast:
    shared = SHARED["cast"].value
    if shared is None:
        return build_cast()
    # Each test has copies of its own: one that changes a user or community object (or
    # caches a user's grants on it, see dtc.permissions.community_ids) leaves the next
    # test's copies as they were built. The rows themselves are restored by the rollback.
    return copy.deepcopy(shared)


@pytest.fixture
def demo_estate(db) -> None:
    """The synthetic estate that seed_demo builds (each app's demo.py), from an empty
    database. The tests that ask for it run one after another (see
    pytest_collection_modifyitems), so that it is seeded once for all of them."""
    if SHARED["demo_estate"].value is None:
        seed_demo_estate()


# Browser tests: Playwright drives the system Chromium; the live server runs in a
# thread beside Playwright's event loop, which Django would otherwise refuse.
# Mark them django_db(transaction=True, serialized_rollback=True): the live server
# needs committed data, and the flush after a transactional test would otherwise
# wipe the rows that data migrations load (standards, supervision themes).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = os.environ.get("DTC_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Serialized rollback restores the data that migrations loaded from a copy kept on
    the connection object. Playwright's sync API runs tests in a greenlet, where Django
    opens a connection object of its own without that copy: its restore would be
    skipped, and after another transactional test's flush a browser test would find the
    database empty. Kept on the connection class, every connection object finds it."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents

    Shared.blocker = django_db_blocker
    yield
    for shared in SHARED.values():
        shared.close()
    Shared.blocker = None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"],
    }


def pytest_collection_modifyitems(config, items):
    """The tests that ask for the demo estate run one after another, where the first of
    them would run, so that they share one seeding (pytest-django then orders the
    tests by kind, keeping this order within each kind).

    Transactional tests must roll back by serialization (see above): a plain flush
    re-runs post_migrate and breaks the next serialized restore.

    Browser tests need Chromium. Without it they are skipped, unless
    DTC_REQUIRE_BROWSER is set (as in CI), where a missing browser is a failure."""
    # A transactional test seeds the estate for itself and flushes it afterwards: it
    # stays among the transactional tests, after every test that shares the seeding.
    demo = [
        item
        for item in items
        if "demo_estate" in getattr(item, "fixturenames", ()) and shared_rows_asked_for(item)
    ]
    if demo:
        first = items.index(demo[0])
        others = [item for item in items if item not in demo]
        items[:] = others[:first] + demo + others[first:]
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True)"
            )
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("DTC_REQUIRE_BROWSER"):
        raise pytest.UsageError(
            f"DTC_REQUIRE_BROWSER is set but there is no Chromium at {CHROMIUM}"
        )
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
