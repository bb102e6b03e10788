"""Community meetings: starting the record of a held community-meeting session (its
chair, vice-chair and minute-taker) and its agenda items with their minutes and
decisions. Who was present is the session's register, taken in residents."""

from django.core.exceptions import ValidationError
from django.db import transaction

from dtc import permissions
from dtc.history import save_with_history
from residents.models import GroupSession, Intervention, Resident
from residents.selectors import community_staff

from ..models import AgendaItem, AgendaKind, CommunityMeeting
from ..models.meetings import CHAIR, VICE_CHAIR
from ..selectors.jobs import holders_on

__all__ = [
    "agenda_item_add",
    "agenda_item_correction_prepare",
    "community_meeting_start",
]

MINUTE = "minute_meeting"


def _is_staff(community, user) -> bool:
    return community_staff(community).filter(pk=user.pk).exists()


def _check_chairing(meeting: CommunityMeeting) -> None:
    """The chair (and a vice-chair, if one is named) is a resident holding that job on
    the day, or a member of staff when no resident holds it."""
    errors = {}
    for job, resident_field, staff_field, what, required in (
        (CHAIR, "chair", "chair_staff", "chair", True),
        (VICE_CHAIR, "vice_chair", "vice_chair_staff", "vice-chair", False),
    ):
        resident = getattr(meeting, resident_field)
        staff = getattr(meeting, staff_field)
        holders = list(holders_on(meeting.community_id, job, meeting.held_on))
        if resident and staff:
            errors[resident_field] = f"Choose a resident or a member of staff as {what}, not both"
        elif resident:
            if resident not in holders:
                errors[resident_field] = (
                    f"{resident.name} did not hold the job of {what} on {meeting.held_on:%-d %B %Y}"
                )
        elif staff:
            if holders:
                # Not named: the holder may be a resident restricted from the user.
                errors[staff_field] = (
                    f"A resident held the job of {what} on {meeting.held_on:%-d %B %Y}: "
                    "choose them, as a member of staff stands in only when no resident holds it"
                )
            elif not _is_staff(meeting.community, staff):
                errors[staff_field] = "Choose someone from this community's staff"
        elif required:
            errors[resident_field] = (
                "Choose the chair: the resident who holds the job, or a member of staff "
                "when no resident does"
            )
    if not _is_staff(meeting.community, meeting.minute_taker):
        errors["minute_taker"] = "Choose the minute-taker from this community's staff"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def community_meeting_start(
    *,
    session: GroupSession,
    minute_taker,
    chair: Resident | None = None,
    chair_staff=None,
    vice_chair: Resident | None = None,
    vice_chair_staff=None,
    by,
) -> CommunityMeeting:
    """Start the minutes of a held community meeting: who chaired it and who minutes it."""
    permissions.require(by, MINUTE, session)
    session = (
        GroupSession.objects.select_for_update().select_related("community").get(pk=session.pk)
    )
    if session.group_type != Intervention.COMMUNITY_MEETING:
        raise ValidationError("Only a community meeting session is minuted as a community meeting.")
    if CommunityMeeting.objects.filter(session=session).exists():
        raise ValidationError("This meeting's minutes are already started.")
    meeting = CommunityMeeting(
        community=session.community,
        session=session,
        held_on=session.held_on,
        chair=chair,
        chair_staff=chair_staff,
        vice_chair=vice_chair,
        vice_chair_staff=vice_chair_staff,
        minute_taker=minute_taker,
        recorded_by=by,
    )
    _check_chairing(meeting)
    return save_with_history(meeting, by)


def _check_item(item: AgendaItem, by) -> None:
    errors = {}
    resident, staff = item.raised_by_resident, item.raised_by_staff
    community = item.meeting.community
    if bool(resident) == bool(staff):
        errors["raised_by_resident"] = "Choose who raised the item: a resident or a member of staff"
    for field, person in (("raised_by_resident", resident), ("about", item.about)):
        if person is None:
            continue
        # A resident restricted from the minute-taker is not theirs to write about (a
        # correction offers only the residents its corrector may see: by is None).
        if by is not None:
            permissions.require(by, MINUTE, person)
        if person.community_id != item.meeting.community_id:
            errors[field] = "Choose a resident of this community"
    if staff and not _is_staff(community, staff):
        errors["raised_by_staff"] = "Choose someone from this community's staff"
    if item.kind not in AgendaKind.values:
        errors["kind"] = "Choose the kind of item"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agenda_item_add(
    *,
    meeting: CommunityMeeting,
    kind: str,
    title: str,
    minutes: str,
    raised_by_resident: Resident | None = None,
    raised_by_staff=None,
    about: Resident | None = None,
    decision: str = "",
    by,
) -> AgendaItem:
    """Add an item to the meeting's agenda, with its minutes and any decision taken."""
    permissions.require(by, MINUTE, meeting)
    item = AgendaItem(
        meeting=meeting,
        kind=kind,
        title=(title or "").strip(),
        raised_by_resident=raised_by_resident,
        raised_by_staff=raised_by_staff,
        about=about,
        minutes=minutes,
        decision=decision,
        recorded_by=by,
    )
    _check_item(item, by)
    return save_with_history(item, by)


def agenda_item_correction_prepare(amendment: AgendaItem, related) -> None:
    """An amended item is held to the rules of a new one (dtc.corrections)."""
    _check_item(amendment, None)
