"""Today's free-text small groups become records: one SmallGroup per distinct name on a
community (from its residents and its sessions), a membership for each resident with a
group (from admission to the day they left: the text kept no dates), and each small-group session points at its group.

Nothing is lost: the names are kept as they were written (trimmed), and a resident who
has left keeps their membership, closed on their leaving day."""

from django.db import migrations


def forwards(apps, schema_editor):
    Resident = apps.get_model("residents", "Resident")
    GroupSession = apps.get_model("residents", "GroupSession")
    SmallGroup = apps.get_model("residents", "SmallGroup")
    Membership = apps.get_model("residents", "SmallGroupMembership")

    groups = {}

    def group(community_id, name):
        key = (community_id, name)
        if key not in groups:
            groups[key], _ = SmallGroup.objects.get_or_create(community_id=community_id, name=name)
        return groups[key]

    # Each name as written on the sessions (spaces around it trimmed) points them at its group.
    for community_id, written in (
        GroupSession.objects.exclude(small_group="")
        .values_list("community_id", "small_group")
        .distinct()
    ):
        if written.strip():
            GroupSession.objects.filter(community_id=community_id, small_group=written).update(
                small_group_ref=group(community_id, written.strip())
            )
    memberships = []
    for resident in Resident.objects.exclude(small_group="").iterator():
        name = resident.small_group.strip()
        if not name:
            continue
        left_on = resident.left_on or (resident.admitted_on if resident.phase == "left" else None)
        memberships.append(
            Membership(
                group=group(resident.community_id, name),
                resident_id=resident.pk,
                joined_on=resident.admitted_on,
                left_on=max(left_on, resident.admitted_on) if left_on else None,
            )
        )
        if len(memberships) >= 2000:
            Membership.objects.bulk_create(memberships)
            memberships = []
    Membership.objects.bulk_create(memberships)


def backwards(apps, schema_editor):
    Resident = apps.get_model("residents", "Resident")
    GroupSession = apps.get_model("residents", "GroupSession")
    Membership = apps.get_model("residents", "SmallGroupMembership")
    for membership in Membership.objects.filter(left_on__isnull=True).select_related("group"):
        Resident.objects.filter(pk=membership.resident_id).update(
            small_group=membership.group.name
        )
    for session in GroupSession.objects.filter(small_group_ref__isnull=False).select_related(
        "small_group_ref"
    ):
        GroupSession.objects.filter(pk=session.pk).update(
            small_group=session.small_group_ref.name
        )


class Migration(migrations.Migration):
    dependencies = [("residents", "0009_small_groups")]

    operations = [migrations.RunPython(forwards, backwards)]
