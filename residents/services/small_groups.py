"""A community's small groups and who is in them. The groups are kept with the
timetable (keep_timetable); a resident is moved between them by whoever allocates
residents (decide_therapy). Memberships are dated, so a past session's register reads
the group as it was on the day."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dtc import permissions
from dtc.history import save_with_history

from .. import selectors
from ..models import Resident, SmallGroup, SmallGroupMembership
from ._rules import not_in_future, require_current

__all__ = [
    "small_group_close",
    "small_group_create",
    "small_group_join",
    "small_group_leave",
    "small_group_update",
]


def _checked(community, name: str, facilitators, *, group: SmallGroup | None = None):
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter the name of the small group"})
    same_name = SmallGroup.objects.filter(community=community, name__iexact=name)
    if group is not None:
        same_name = same_name.exclude(pk=group.pk)
    if same_name.exists():
        raise ValidationError({"name": f"{community.name} already has a small group called {name}"})
    facilitators = list(facilitators)
    if not {p.pk for p in facilitators} <= set(
        selectors.community_staff(community).values_list("pk", flat=True)
    ):
        raise ValidationError({"facilitators": "Choose facilitators from this community's staff"})
    return name, facilitators


@transaction.atomic
def small_group_create(*, community, name: str, facilitators, by) -> SmallGroup:
    """Add a small group to the community, with its facilitators."""
    permissions.require(by, "keep_timetable", community)
    name, facilitators = _checked(community, name, facilitators)
    group = save_with_history(SmallGroup(community=community, name=name), by)
    group.facilitators.set(facilitators)
    return group


@transaction.atomic
def small_group_update(*, group: SmallGroup, name: str, facilitators, by) -> SmallGroup:
    """Rename the group or change its facilitators (its history keeps what they were)."""
    permissions.require(by, "keep_timetable", group)
    group = SmallGroup.objects.select_for_update().get(pk=group.pk)
    name, facilitators = _checked(group.community, name, facilitators, group=group)
    group.name = name
    save_with_history(group, by)
    group.facilitators.set(facilitators)
    return group


@transaction.atomic
def small_group_close(*, group: SmallGroup, closed_on: date, by) -> SmallGroup:
    """Close a group that no longer meets: refused while residents are in it."""
    permissions.require(by, "keep_timetable", group)
    group = SmallGroup.objects.select_for_update().get(pk=group.pk)
    if not group.is_open:
        raise ValidationError(f"{group} was closed on {group.closed_on:%-d %B %Y}.")
    not_in_future(closed_on, "closed_on", "the group closed")
    members = group.memberships.filter(left_on__isnull=True).count()
    if members:
        people = "resident is" if members == 1 else "residents are"
        raise ValidationError(
            f"{group} cannot be closed while {members} {people} in it: move them to "
            "another group first."
        )
    group.closed_on = closed_on
    return save_with_history(group, by)


def _current(resident: Resident) -> SmallGroupMembership | None:
    return (
        SmallGroupMembership.objects.select_for_update()
        .select_related("group")
        .filter(resident=resident, left_on__isnull=True)
        .first()
    )


@transaction.atomic
def small_group_join(
    *, resident: Resident, group: SmallGroup, joined_on: date | None = None, by
) -> SmallGroupMembership:
    """Put the resident in `group` from `joined_on` (today if not given): their current
    group, if any, ends the day before. A move on the day they joined another group
    corrects that allocation instead (the history keeps it)."""
    permissions.require(by, "decide_therapy", resident)
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    require_current(resident)
    joined_on = joined_on or timezone.localdate()
    if group.community_id != resident.community_id:
        raise ValidationError({"small_group": "Choose one of this community's small groups"})
    if not group.is_open:
        raise ValidationError({"small_group": f"{group} is closed: choose an open group"})
    not_in_future(joined_on, "joined_on", "the resident joined the group")
    if joined_on < resident.admitted_on:
        raise ValidationError(
            {"joined_on": "The date they joined cannot be before they were admitted"}
        )
    current = _current(resident)
    if current is not None:
        if current.group_id == group.pk:
            raise ValidationError({"small_group": f"{resident.name} is already in {group}"})
        if current.joined_on > joined_on:
            raise ValidationError(
                {
                    "joined_on": f"{resident.name} joined {current.group} on "
                    f"{current.joined_on:%-d %B %Y}: the move must be on or after that day"
                }
            )
        if current.joined_on == joined_on:
            current.group = group
            return save_with_history(current, by)
        current.left_on = joined_on - timedelta(days=1)
        save_with_history(current, by)
    membership = SmallGroupMembership(group=group, resident=resident, joined_on=joined_on)
    return save_with_history(membership, by)


@transaction.atomic
def small_group_leave(*, resident: Resident, left_on: date | None = None, by):
    """End the resident's current small group on `left_on` (today if not given), the
    last day they were in it. Returns the membership ended, or None if they had none."""
    permissions.require(by, "decide_therapy", resident)
    return end_membership(resident=resident, left_on=left_on or timezone.localdate(), by=by)


def end_membership(*, resident: Resident, left_on: date, by) -> SmallGroupMembership | None:
    """End the current membership (for the services that already hold the permission:
    leaving the community ends the small group with the stay)."""
    current = _current(resident)
    if current is None:
        return None
    if left_on < current.joined_on:
        raise ValidationError(
            {
                "left_on": f"{resident.name} joined {current.group} on "
                f"{current.joined_on:%-d %B %Y}: the last day cannot be before it"
            }
        )
    current.left_on = left_on
    return save_with_history(current, by)
