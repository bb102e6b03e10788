"""The write benchmark (bench/writes.py) run small: three members of staff on two
communities write through HTTP at once for a few seconds against the live server, and
every write is then found in the database."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from bench import writes
from dtc.models import Role
from residents.models import Attendance, ClinicalDocument, GroupSession, Incident
from tests.factories import PASSWORD, ResidentFactory

SECONDS = 5


@pytest.fixture
def server(live_server):
    """The live server; on SQLite, one request at a time. Its in-memory test database
    is a single connection that every request thread shares, and two transactions on
    one connection would run into each other; PostgreSQL serves them concurrently."""
    if connection.vendor != "sqlite":
        yield live_server
        return
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    lock = threading.Lock()

    def one_at_a_time(environ, start_response):
        with lock:
            response = app(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()

    httpd.set_app(one_at_a_time)
    try:
        yield live_server
    finally:
        httpd.set_app(app)


@pytest.fixture
def estate(cast):
    for n in range(4):
        ResidentFactory(community=cast.a, admitted_on=timezone.localdate() - timedelta(days=30 + n))
    ResidentFactory(community=cast.b)
    return cast


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_three_writers_lose_nothing(server, estate):
    chosen = writes.writers(3)
    assert [(w.user, w.role) for w in chosen] == [
        (estate.officer_a, Role.OFFICER),
        (estate.clinician_b, Role.CLINICIAN),
        (estate.tm_a, Role.THERAPY_MANAGER),
    ]

    load = writes.run(server.url, chosen, seconds=SECONDS, password=PASSWORD)
    tallies = writes.count(load)

    assert load.errors() == {}
    for kind, tally in tallies.items():
        assert tally.writes > 0, kind
        assert tally.present == tally.writes, kind
        assert tally.rows_found == tally.rows_expected, kind
    # Counted independently of the benchmark's own bookkeeping: the rows in the database.
    assert GroupSession.objects.count() == tallies["group"].writes
    assert Attendance.objects.count() == tallies["register"].rows_expected
    # Every register marks everyone on it: four residents on A, one on B.
    registers = {(s.community_id, s.register.count()) for s in GroupSession.objects.all()}
    assert registers == {(estate.a.pk, 4), (estate.b.pk, 1)}
    assert Incident.objects.count() == tallies["incident"].writes
    assert ClinicalDocument.objects.filter(author=estate.officer_a).count() == 0
    assert ClinicalDocument.objects.count() == tallies["document"].writes
    ok, sentence = writes.verdict(load, tallies)
    assert ok, sentence
    writes_saved = sum(t.writes for t in tallies.values())
    assert sentence.startswith(f"0 errors, {writes_saved} writes, {writes_saved} present")
    assert f"**Result: {sentence}.**" in "\n".join(
        writes.table(load, tallies, served_by="the live server")
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_missing_from_the_database_is_reported(server, estate):
    load = writes.run(server.url, writes.writers(2), seconds=1, password=PASSWORD)
    # Every writer takes a register first; one of its marks goes missing.
    session = next(iter(load.clients[0].registers))
    Attendance.objects.filter(session_id=session).first().delete()

    ok, sentence = writes.verdict(load, writes.count(load))

    assert not ok
    assert sentence.startswith("**0 errors")
    assert "-1 rows against the submissions" in sentence


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_refused_sign_in_is_counted_as_an_error(server, estate):
    load = writes.run(server.url, writes.writers(1), seconds=1, password="not-the-password")

    ok, _sentence = writes.verdict(load, writes.count(load))

    assert not ok
    assert load.errors() == {"sign in POST: form shown again with errors": 1}
