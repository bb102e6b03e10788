"""Motions: recording the community's vote, its outcome by the constitution in force,
the Therapy Manager's ratification or setting aside (the clinical veto), and what a
decision that takes effect changes (a job filled, a new version of the constitution).
A vote-out never removes the resident here: the Therapy Manager records the leaving."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dtc import permissions
from dtc.history import save_with_history
from dtc.models import Community
from residents.models import Phase, Resident

from ..models import (
    ABOUT_A_RESIDENT,
    CommunityJob,
    CommunityMeeting,
    Motion,
    MotionKind,
    Outcome,
    Ratification,
    StaffVote,
    motion_outcome,
)
from ..selectors.constitution import constitution_in_force
from .constitution import constitution_amend
from .jobs import job_holding_start

__all__ = [
    "motion_corrected",
    "motion_correction_prepare",
    "motion_ratify",
    "motion_record",
    "motion_set_aside",
    "residents_on_day",
]

RECORD, RATIFY = "record_motion", "ratify_motion"
TALLY = (
    "residents_for",
    "residents_against",
    "residents_abstain",
    "staff_for",
    "staff_against",
    "staff_abstain",
)


def residents_on_day(community_id: int, day: date) -> int:
    """The community's current residents on the day, every one (restricted or not): the
    number the quorum is a share of."""
    return Resident.objects.filter(community_id=community_id).on_community_on(day).count()


def _decide(motion: Motion) -> None:
    """The outcome of the motion's tally by the constitution in force on its day, and
    whether it waits for ratification. Refuses a tally the rules do not allow."""
    if motion.held_on > timezone.localdate():
        raise ValidationError({"held_on": "The date of the vote must be today or in the past"})
    constitution = constitution_in_force(motion.community_id, motion.held_on)
    if constitution is None:
        raise ValidationError(
            {
                "held_on": f"No constitution was in force on the community on "
                f"{motion.held_on:%-d %B %Y}: its rules decide the vote"
            }
        )
    if constitution.staff_vote == StaffVote.NONE and motion.tally.staff_voting:
        raise ValidationError(
            {"staff_for": "Staff do not vote under the constitution in force: enter 0 staff votes"}
        )
    on_day = residents_on_day(motion.community_id, motion.held_on)
    if motion.tally.residents_taking_part > on_day:
        raise ValidationError(
            {
                "residents_for": f"{motion.tally.residents_taking_part} residents voted, but the "
                f"community had {on_day} on {motion.held_on:%-d %B %Y}"
            }
        )
    motion.constitution, motion.residents_on_day = constitution, on_day
    motion.outcome = motion_outcome(
        motion.tally,
        quorum_percent=constitution.quorum_percent,
        majority=constitution.majority,
        staff_vote=constitution.staff_vote,
        residents_on_day=on_day,
    )
    motion.ratification = (
        Ratification.AWAITING
        if motion.outcome == Outcome.CARRIED and constitution.needs_ratification(motion.kind)
        else Ratification.NOT_NEEDED
    )


def _check_subject(motion: Motion) -> None:
    """What the kind of motion needs: the resident concerned, the job, the wording."""
    errors = {}
    resident = motion.resident
    if motion.kind in ABOUT_A_RESIDENT:
        if resident is None:
            errors["resident"] = "Select the resident the motion is about"
        elif resident.community_id != motion.community_id:
            errors["resident"] = "Select a resident of this community"
        elif resident.admitted_on > motion.held_on or (
            resident.left_on and resident.left_on < motion.held_on
        ):
            errors["resident"] = (
                f"{resident.name} was not on the community on {motion.held_on:%-d %B %Y}"
            )
    elif resident is not None:
        errors["resident"] = "This kind of motion is not about one resident"
    if motion.kind == MotionKind.JOB_ELECTION:
        if motion.job is None:
            errors["job"] = "Select the job the election is for"
        elif motion.job.community_id != motion.community_id:
            errors["job"] = "Select a job of this community"
    if motion.kind == MotionKind.CONSTITUTION_AMENDMENT and not motion.amendment:
        errors["amendment"] = "Enter the amendment the community voted on"
    if motion.kind == MotionKind.OTHER and not motion.wording.strip():
        errors["wording"] = "Enter the motion that was put to the vote"
    if motion.meeting is not None and (
        motion.meeting.community_id != motion.community_id
        or motion.meeting.held_on != motion.held_on
    ):
        errors["held_on"] = "A motion of a meeting is voted on the day of the meeting"
    if errors:
        raise ValidationError(errors)


def _take_effect(motion: Motion, by) -> Motion:
    """What a decision that takes effect changes, from the day it does."""
    if not motion.takes_effect:
        return motion
    day = timezone.localdate() if motion.ratification == Ratification.RATIFIED else motion.held_on
    if motion.kind == MotionKind.JOB_ELECTION:
        motion.job_holding = job_holding_start(
            job=motion.job,
            resident=motion.resident,
            from_on=day,
            filled_by="election",
            by=by,
            motion=motion,
        )
        save_with_history(motion, by, update_fields=["job_holding"])
    elif motion.kind == MotionKind.CONSTITUTION_AMENDMENT:
        # The amendment's answers are shown on the field they belong to by the form.
        motion.made_constitution = constitution_amend(
            community=motion.community,
            **motion.amendment,
            in_force_from=day,
            by=by,
            motion=motion,
        )
        save_with_history(motion, by, update_fields=["made_constitution"])
    return motion


@transaction.atomic
def motion_record(
    *,
    community: Community,
    kind: str,
    held_on: date,
    residents_for: int = 0,
    residents_against: int = 0,
    residents_abstain: int = 0,
    staff_for: int = 0,
    staff_against: int = 0,
    staff_abstain: int = 0,
    resident: Resident | None = None,
    job: CommunityJob | None = None,
    wording: str = "",
    amendment: dict | None = None,
    meeting: CommunityMeeting | None = None,
    notes: str = "",
    by,
) -> Motion:
    """Record a motion put to the community and its tally; the outcome follows from the
    constitution in force on the day. A carried motion needing no ratification takes
    effect now (an election fills the job, an amendment makes the next version)."""
    permissions.require(by, RECORD, community)
    if resident is not None:
        # A resident restricted from the recorder is not theirs to record: 404, as for them.
        permissions.require(by, RECORD, resident)
        if resident.phase == Phase.LEFT:
            raise ValidationError({"resident": f"{resident.name} has left: the record is closed"})
    if kind not in MotionKind.values:
        raise ValidationError({"kind": "Select the kind of motion"})
    motion = Motion(
        community=community,
        kind=kind,
        held_on=held_on,
        meeting=meeting,
        resident=resident,
        job=job,
        wording=(wording or "").strip(),
        amendment=amendment,
        residents_for=residents_for,
        residents_against=residents_against,
        residents_abstain=residents_abstain,
        staff_for=staff_for,
        staff_against=staff_against,
        staff_abstain=staff_abstain,
        notes=notes,
        recorded_by=by,
    )
    _check_subject(motion)
    _decide(motion)
    save_with_history(motion, by)
    return _take_effect(motion, by)


def _awaiting(motion: Motion, by) -> Motion:
    permissions.require(by, RATIFY, motion)
    motion = (
        # The motion's row only: its resident and job are the nullable side of outer
        # joins, which PostgreSQL will not lock.
        Motion.objects.select_for_update(of=("self",))
        .select_related("community", "resident", "job")
        .get(pk=motion.pk)
    )
    if not motion.in_effect:
        raise ValidationError("This motion was marked as entered in error or corrected.")
    if motion.ratification != Ratification.AWAITING:
        raise ValidationError(
            f"This motion is not waiting for ratification: {motion.get_ratification_display().lower()}."
        )
    return motion


@transaction.atomic
def motion_ratify(*, motion: Motion, by) -> Motion:
    """The Therapy Manager ratifies a carried motion: it takes effect today."""
    motion = _awaiting(motion, by)
    motion.ratification = Ratification.RATIFIED
    motion.ratified_by, motion.ratified_at = by, timezone.now()
    save_with_history(motion, by)
    return _take_effect(motion, by)


@transaction.atomic
def motion_set_aside(*, motion: Motion, reason: str, by) -> Motion:
    """The Therapy Manager sets a carried motion aside, with a written reason (the
    clinical veto): it does not take effect."""
    motion = _awaiting(motion, by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the decision is set aside"})
    motion.ratification = Ratification.SET_ASIDE
    motion.ratified_by, motion.ratified_at = by, timezone.now()
    motion.set_aside_reason = reason
    return save_with_history(motion, by)


def _refuse_once_decided(motion: Motion) -> None:
    if motion.job_holding_id or motion.made_constitution_id:
        raise ValidationError(
            "This motion has taken effect (a job was filled or the constitution amended): "
            "correct what it changed instead."
        )
    if motion.ratification in (Ratification.RATIFIED, Ratification.SET_ASIDE):
        raise ValidationError(
            "The Therapy Manager has already ratified or set aside this motion: it cannot "
            "be corrected."
        )


def motion_correction_prepare(amendment: Motion, related) -> None:
    """An amended motion is decided again by its corrected tally (dtc.corrections)."""
    _refuse_once_decided(amendment)
    _check_subject(amendment)
    _decide(amendment)


def motion_corrected(original: Motion, amendment: Motion | None, by) -> None:
    """A corrected motion that now takes effect does so; one that took effect is not
    marked entered in error (what it changed stays)."""
    if amendment is None:
        _refuse_once_decided(original)
        return
    _take_effect(amendment, by)
