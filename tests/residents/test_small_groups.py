"""Small groups as records: a community's groups with their facilitators, and residents'
dated memberships, which the registers of past sessions read as they were on the day."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from residents import selectors, services
from residents.models import Phase, SmallGroup, SmallGroupMembership
from tests.factories import ResidentFactory, small_group_named
from tests.residents.factories import GroupSessionFactory

TODAY = timezone.localdate()


@pytest.fixture
def oak(cast):
    return services.small_group_create(
        community=cast.a, name=" Oak ", facilitators=[cast.clinician_a], by=cast.tm_a
    )


@pytest.fixture
def resident(cast):
    return ResidentFactory(community=cast.a, admitted_on=TODAY - timedelta(days=100))


def test_a_group_is_made_with_its_name_trimmed_and_its_facilitators(cast, oak):
    assert (oak.name, list(oak.facilitators.all())) == ("Oak", [cast.clinician_a])
    assert oak.history.first().history_user == cast.tm_a


def test_two_groups_of_one_community_cannot_share_a_name(cast, oak):
    with pytest.raises(ValidationError) as refused:
        services.small_group_create(community=cast.a, name="oak", facilitators=[], by=cast.tm_a)
    assert refused.value.message_dict["name"] == [
        f"{cast.a.name} already has a small group called oak"
    ]
    # Another community may have its own Oak.
    services.small_group_create(community=cast.b, name="Oak", facilitators=[], by=cast.tm_b)


def test_facilitators_come_from_the_communitys_staff(cast):
    with pytest.raises(ValidationError) as refused:
        services.small_group_create(
            community=cast.a, name="Ash", facilitators=[cast.clinician_b], by=cast.tm_a
        )
    assert "facilitators" in refused.value.message_dict


@pytest.mark.parametrize("name", ["clinician_a", "officer_a", "trainee_a", "auditor_a", "tm_b"])
def test_only_those_who_keep_the_timetable_make_groups(cast, name):
    with pytest.raises(PermissionDenied):
        services.small_group_create(
            community=cast.a, name="Ash", facilitators=[], by=getattr(cast, name)
        )


def test_a_move_ends_the_old_group_the_day_before_the_new_one(cast, oak, resident):
    ash = small_group_named(cast.a, "Ash")
    services.small_group_join(
        resident=resident, group=oak, joined_on=TODAY - timedelta(days=50), by=cast.tm_a
    )
    services.small_group_join(
        resident=resident, group=ash, joined_on=TODAY - timedelta(days=10), by=cast.tm_a
    )
    old, new = resident.small_group_memberships.order_by("joined_on")
    assert (old.group, old.joined_on, old.left_on) == (
        oak,
        TODAY - timedelta(days=50),
        TODAY - timedelta(days=11),
    )
    assert (new.group, new.left_on) == (ash, None)
    assert selectors.small_group_of(resident) == ash


def test_a_move_on_the_day_of_joining_corrects_that_allocation(cast, oak, resident):
    ash = small_group_named(cast.a, "Ash")
    services.small_group_join(resident=resident, group=oak, by=cast.tm_a)
    services.small_group_join(resident=resident, group=ash, by=cast.tm_a)
    [membership] = resident.small_group_memberships.all()
    assert membership.group == ash
    assert [h.group_id for h in membership.history.order_by("history_id")] == [oak.pk, ash.pk]


@pytest.mark.parametrize(
    ("days_ago", "field", "message"),
    [
        (-1, "joined_on", "The date the resident joined the group must be today or in the past"),
        (101, "joined_on", "The date they joined cannot be before they were admitted"),
    ],
)
def test_the_date_joined_is_checked(cast, oak, resident, days_ago, field, message):
    with pytest.raises(ValidationError) as refused:
        services.small_group_join(
            resident=resident, group=oak, joined_on=TODAY - timedelta(days=days_ago), by=cast.tm_a
        )
    assert refused.value.message_dict[field] == [message]


def test_a_group_of_another_community_or_a_closed_one_is_refused(cast, resident):
    elsewhere = small_group_named(cast.b, "Elm")
    closed = SmallGroup.objects.create(community=cast.a, name="Yew", closed_on=TODAY)
    for group in (elsewhere, closed):
        with pytest.raises(ValidationError) as refused:
            services.small_group_join(resident=resident, group=group, by=cast.tm_a)
        assert "small_group" in refused.value.message_dict


def test_the_database_holds_a_resident_to_one_open_group(cast, oak, resident):
    SmallGroupMembership.objects.create(group=oak, resident=resident, joined_on=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        SmallGroupMembership.objects.create(
            group=small_group_named(cast.a, "Ash"), resident=resident, joined_on=TODAY
        )


def test_leaving_the_community_ends_the_small_group_on_the_leaving_day(cast, oak, resident):
    services.small_group_join(
        resident=resident, group=oak, joined_on=TODAY - timedelta(days=30), by=cast.tm_a
    )
    services.resident_leave(
        resident=resident,
        leaving_type="self_deselected",
        left_on=TODAY - timedelta(days=2),
        reason="",
        by=cast.tm_a,
    )
    membership = resident.small_group_memberships.get()
    assert membership.left_on == TODAY - timedelta(days=2)


def test_a_group_with_members_cannot_be_closed(cast, oak, resident):
    services.small_group_join(resident=resident, group=oak, by=cast.tm_a)
    with pytest.raises(ValidationError) as refused:
        services.small_group_close(group=oak, closed_on=TODAY, by=cast.tm_a)
    assert refused.value.messages == [
        "Oak cannot be closed while 1 resident is in it: move them to another group first."
    ]
    services.small_group_leave(resident=resident, by=cast.tm_a)
    services.small_group_close(group=oak, closed_on=TODAY, by=cast.tm_a)
    oak.refresh_from_db()
    assert oak.closed_on == TODAY


def test_a_past_register_reads_the_group_as_it_was_on_the_day(cast, oak):
    ash = small_group_named(cast.a, "Ash")
    mover = ResidentFactory(community=cast.a, admitted_on=TODAY - timedelta(days=60))
    stayer = ResidentFactory(
        community=cast.a, small_group=oak, admitted_on=TODAY - timedelta(days=60)
    )
    services.small_group_join(
        resident=mover, group=oak, joined_on=TODAY - timedelta(days=60), by=cast.tm_a
    )
    services.small_group_join(
        resident=mover, group=ash, joined_on=TODAY - timedelta(days=5), by=cast.tm_a
    )
    before = GroupSessionFactory(
        community=cast.a, small_group=oak, held_on=TODAY - timedelta(days=6)
    )
    after = GroupSessionFactory(
        community=cast.a, small_group=oak, held_on=TODAY - timedelta(days=5)
    )
    assert set(selectors.register_residents(cast.tm_a, before)) == {mover, stayer}
    assert set(selectors.register_residents(cast.tm_a, after)) == {stayer}
    # The counts of the registers not taken agree with the registers.
    counted = {s.pk: s.unmarked for s in selectors.register_counts(cast.tm_a, [before, after])}
    assert counted == {before.pk: 2, after.pk: 1}


def test_a_small_group_session_needs_one_of_the_communitys_groups(cast):
    session = {
        "community": cast.a,
        "group_type": "small_group",
        "held_on": TODAY,
        "duration_minutes": 90,
        "facilitators": [cast.clinician_a],
        "by": cast.clinician_a,
    }
    with pytest.raises(ValidationError) as refused:
        services.session_record(**session, small_group=None)
    assert refused.value.message_dict["small_group"] == ["Choose which small group met"]
    with pytest.raises(ValidationError):
        services.session_record(**session, small_group=small_group_named(cast.b, "Elm"))


def test_a_whole_community_session_names_no_small_group(cast, oak):
    session = services.session_record(
        community=cast.a,
        group_type="community_meeting",
        small_group=oak,
        held_on=TODAY,
        duration_minutes=60,
        facilitators=[cast.clinician_a],
        by=cast.clinician_a,
    )
    assert session.small_group is None


def test_a_resident_who_has_left_joins_no_group(cast, oak):
    left = ResidentFactory(community=cast.a, phase=Phase.LEFT, left_on=TODAY)
    with pytest.raises(ValidationError):
        services.small_group_join(resident=left, group=oak, by=cast.tm_a)
