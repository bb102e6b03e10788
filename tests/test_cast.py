"""The named cast (tests/conftest.py) is built once for a run of tests and shared by
them: what one test changes, in the database or on the cast's objects, the next one
never finds. Each run of the first test checks the cast as built before it changes it,
so each run after the first (in one process, one after the other) finds the changes of
the one before undone. Three runs: the very first test of a process builds a cast of its
own (the test database is made in its setup), the next ones share one."""

import pytest
from django.db import connection

from dtc import permissions, services
from dtc.models import Community, RoleAssignment, User
from residents.models import Resident
from tests.factories import ResidentFactory


@pytest.mark.parametrize("run", ["first", "second", "third"])
def test_a_test_finds_the_cast_as_built_whatever_the_test_before_changed(cast, run):
    assert cast.a.name == Community.objects.get(pk=cast.a.pk).name == "A"
    assert cast.tm_a.first_name == User.objects.get(pk=cast.tm_a.pk).first_name != "Changed"
    assert permissions.community_ids(cast.tm_a) == {cast.a.pk}
    assert not Resident.objects.exists()
    assert cast.b.establishment is cast.a.establishment  # one establishment, as built

    # Every kind of change a test makes, for the next run to find undone.
    cast.a.name = "Renamed"
    cast.a.save()
    cast.tm_a.first_name = "Changed"
    cast.tm_a.save()
    services.role_end(assignment=RoleAssignment.objects.get(user=cast.tm_a), by=cast.hop)
    permissions.forget(cast.tm_a)
    assert permissions.community_ids(cast.tm_a) == frozenset()  # now kept on the object
    cast.b.establishment.name = "HMP Elsewhere"
    ResidentFactory(community=cast.a)


def test_a_database_test_that_does_not_ask_for_the_cast_finds_none_of_it(db):
    assert not User.objects.exists()
    assert not Community.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transactional_test_has_a_committed_cast_of_its_own(cast):
    # Outside any transaction, so that a live server or a worker process sees the rows.
    assert not connection.in_atomic_block
    assert User.objects.get(username="tm_a") == cast.tm_a
    assert permissions.community_ids(cast.tm_a) == {cast.a.pk}
