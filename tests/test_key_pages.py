"""Every key page of the benchmark (bench/pages.py) answers within 20 queries, on a
tiny synthetic estate loaded by seed_scale, as each role opens it."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.pages import key_pages, people

BOUND = 20  # issue #7: at most 20 queries per key page


@pytest.fixture
def estate(db):
    call_command("seed_scale", scale=0.002, communities=3, stdout=io.StringIO())
    users = people()
    return users, key_pages(users)


def test_every_key_page_has_its_own_label_and_a_path(estate):
    _users, pages = estate
    labels = [label for label, _role, _path in pages]
    assert len(labels) == len(set(labels))
    assert all(path.startswith("/") for _label, _role, path in pages)


def test_every_key_page_answers_within_the_query_bound(client, estate):
    users, pages = estate
    over = {}
    for label, role, path in pages:
        client.force_login(users[role])
        assert client.get(path).status_code == 200, label
        with CaptureQueriesContext(connection) as queries:
            client.get(path)  # the second reading: caches warm, as under load
        if len(queries) > BOUND:
            over[label] = len(queries)
    assert over == {}
