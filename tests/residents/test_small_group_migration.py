"""The free-text small groups become records (residents 0010): each distinct name a
group of its community, each resident a membership from admission (closed when they have
left), each small-group session pointing at its group; nothing is lost."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("residents", "0009_small_groups")]


def migrate(targets=None):
    """Migrate to `targets`, or (None) forward to every app's latest migration: going back
    to BEFORE also unapplied the other apps' migrations that depend on later ones, and
    the tests after this one need the whole schema back."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_free_text_groups_become_records_and_memberships(cast):
    old = migrate(BEFORE)
    Resident = old.get_model("residents", "Resident")
    GroupSession = old.get_model("residents", "GroupSession")
    User = old.get_model("dtc", "User")

    def resident(number, group, community=cast.a, **fields):
        return Resident.objects.create(
            community_id=community.pk,
            prison_number=number,
            first_name="Test",
            last_name=number,
            date_of_birth=date(1980, 1, 1),
            admitted_on=date(2025, 1, 6),
            small_group=group,
            **fields,
        )

    staying = resident("A1000AA", "Oak")
    spaced = resident("A1001AA", " Oak ")
    left = resident("A1002AA", "Ash", phase="left", left_on=date(2025, 6, 1))
    none = resident("A1003AA", "")
    other = resident("A1004AA", "Oak", community=cast.b)
    recorder = User.objects.get(pk=cast.tm_a.pk)
    session = GroupSession.objects.create(
        community_id=cast.a.pk,
        group_type="small_group",
        small_group="Oak ",
        held_on=date(2025, 3, 3),
        duration_minutes=90,
        recorded_by=recorder,
    )
    meeting = GroupSession.objects.create(
        community_id=cast.a.pk,
        group_type="community_meeting",
        small_group="",
        held_on=date(2025, 3, 3),
        duration_minutes=60,
        recorded_by=recorder,
    )

    new = migrate()
    SmallGroup = new.get_model("residents", "SmallGroup")
    Membership = new.get_model("residents", "SmallGroupMembership")
    Session = new.get_model("residents", "GroupSession")
    oak_a = SmallGroup.objects.get(community_id=cast.a.pk, name="Oak")
    assert set(SmallGroup.objects.values_list("community_id", "name")) == {
        (cast.a.pk, "Oak"),
        (cast.a.pk, "Ash"),
        (cast.b.pk, "Oak"),
    }
    memberships = {
        m.resident_id: (m.group.community_id, m.group.name, m.joined_on, m.left_on)
        for m in Membership.objects.select_related("group")
    }
    assert memberships == {
        staying.pk: (cast.a.pk, "Oak", date(2025, 1, 6), None),
        spaced.pk: (cast.a.pk, "Oak", date(2025, 1, 6), None),
        left.pk: (cast.a.pk, "Ash", date(2025, 1, 6), date(2025, 6, 1)),
        other.pk: (cast.b.pk, "Oak", date(2025, 1, 6), None),
    }
    assert none.pk not in memberships
    assert Session.objects.get(pk=session.pk).small_group_id == oak_a.pk
    assert Session.objects.get(pk=meeting.pk).small_group_id is None
