"""resident_allocate: the Therapy Manager (or the Head of Psychotherapy) gives a resident
a key worker from the community's staff and a small group."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dtc.models import Role
from residents import services
from residents.models import Phase
from residents.selectors import small_group_of
from tests.factories import ResidentFactory, small_group_named


@pytest.fixture
def resident(cast):
    return ResidentFactory(community=cast.a)


@pytest.fixture
def group_1(cast):
    return small_group_named(cast.a, "Group 1")


def test_the_key_worker_and_small_group_are_saved_with_who_allocated_them(cast, resident):
    group_2 = small_group_named(cast.a, "Group 2")
    services.resident_allocate(
        resident=resident, key_worker=cast.officer_a, small_group=group_2, by=cast.tm_a
    )
    resident.refresh_from_db()
    assert (resident.key_worker, small_group_of(resident)) == (cast.officer_a, group_2)
    assert resident.history.first().history_user == cast.tm_a
    membership = resident.small_group_memberships.get()
    assert (membership.joined_on, membership.history.first().history_user) == (
        timezone.localdate(),
        cast.tm_a,
    )


def test_the_key_worker_can_be_taken_off(cast, resident, group_1):
    services.resident_allocate(
        resident=resident, key_worker=cast.clinician_a, small_group=group_1, by=cast.tm_a
    )
    services.resident_allocate(resident=resident, key_worker=None, small_group=group_1, by=cast.hop)
    resident.refresh_from_db()
    assert resident.key_worker is None
    assert resident.history.first().history_user == cast.hop


@pytest.mark.parametrize("name", ["clinician_b", "auditor_a", "hop", "nobody"])
def test_the_key_worker_must_be_of_this_communitys_staff(cast, resident, name):
    # An auditor holds a role on the community but is never one of its staff team;
    # the Head of Psychotherapy is over the establishment, not on the community's team.
    with pytest.raises(ValidationError) as refused:
        services.resident_allocate(
            resident=resident, key_worker=getattr(cast, name), small_group=None, by=cast.tm_a
        )
    assert "key_worker" in refused.value.message_dict
    resident.refresh_from_db()
    assert resident.key_worker is None


def test_a_member_of_staff_whose_account_is_closed_cannot_be_key_worker(cast, resident):
    cast.officer_a.is_active = False
    cast.officer_a.save()
    with pytest.raises(ValidationError):
        services.resident_allocate(
            resident=resident, key_worker=cast.officer_a, small_group=None, by=cast.tm_a
        )


def test_a_resident_who_has_left_is_not_allocated(cast, group_1):
    resident = ResidentFactory(community=cast.a, phase=Phase.LEFT, left_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.resident_allocate(
            resident=resident, key_worker=cast.officer_a, small_group=group_1, by=cast.tm_a
        )
    resident.refresh_from_db()
    assert resident.key_worker is None


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.THERAPY_MANAGER, True),
        (Role.HEAD_OF_PSYCHOTHERAPY, True),
        (Role.CLINICIAN, False),
        (Role.OFFICER, False),
        (Role.TRAINEE, False),
        (Role.AUDITOR, False),
    ],
)
def test_who_may_allocate(cast, resident, group_1, role, allowed):
    by = cast.by_role(role)
    allocate = dict(resident=resident, key_worker=cast.clinician_a, small_group=group_1, by=by)
    if allowed:
        services.resident_allocate(**allocate)
    else:
        with pytest.raises(PermissionDenied):
            services.resident_allocate(**allocate)
    resident.refresh_from_db()
    assert resident.key_worker == (cast.clinician_a if allowed else None)


def test_the_therapy_manager_of_another_community_may_not_allocate(cast, resident):
    with pytest.raises(PermissionDenied):
        services.resident_allocate(
            resident=resident, key_worker=cast.clinician_a, small_group=None, by=cast.tm_b
        )
