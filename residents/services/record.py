"""The resident record: admission, allocation, phase, restriction and leaving."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dtc import permissions
from dtc.history import save_with_history
from dtc.models import Community
from dtc.services import person_restrict, person_restriction_carry, person_unrestrict

from .. import selectors
from ..models import (
    PHASE_TRANSITIONS,
    AccessLogEntry,
    LeavingType,
    Phase,
    Resident,
    add_months,
)
from ..signals import resident_left
from ._rules import require_current
from .small_groups import end_membership, small_group_join, small_group_leave

__all__ = [
    "access_log_record",
    "person_restrict_from",
    "person_unrestrict_from",
    "resident_admit",
    "resident_allocate",
    "resident_leave",
    "resident_phase_change",
    "resident_restrict",
    "resident_unrestrict",
]


def access_log_record(*, resident: Resident, page: str, by) -> AccessLogEntry:
    """Log one view of an identifiable resident page."""
    return AccessLogEntry.objects.create(resident=resident, user=by, page=page)


@transaction.atomic
def resident_admit(
    *,
    community: Community,
    prison_number: str,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    admitted_on: date,
    by,
) -> Resident:
    """Admit a person to a bed on the community, in the assessment phase; the first
    therapy review falls due one review interval after admission. Refused when every
    bed is taken. A restriction of the person carries into the new record."""
    permissions.require(by, "admit_resident", community)
    # Lock the community row so two admissions cannot take the last bed together.
    community = Community.objects.select_for_update().get(pk=community.pk)
    if selectors.beds_used(community) >= community.capacity:
        raise ValidationError(
            f"{community.name} has no free bed: all {community.capacity} are taken."
        )
    resident = save_with_history(
        Resident(
            community=community,
            prison_number=prison_number,
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date_of_birth,
            phase=Phase.ASSESSMENT,
            admitted_on=admitted_on,
            next_review_on=add_months(admitted_on, community.review_interval_months),
        ),
        by,
    )
    person_restriction_carry(prison_number=prison_number, by=by)
    resident.refresh_from_db()
    return resident


@transaction.atomic
def resident_allocate(*, resident: Resident, key_worker, small_group, by) -> Resident:
    """Allocate the key worker and small group (Therapy Manager or Head of Psychotherapy):
    a change of group takes effect today (small_group_join, small_group_leave)."""
    permissions.require(by, "decide_therapy", resident)
    require_current(resident)
    if key_worker is not None and not selectors.community_staff(resident.community).filter(
        pk=key_worker.pk
    ):
        raise ValidationError({"key_worker": "Choose a member of this community's staff"})
    current = selectors.small_group_of(resident)
    if small_group != current:
        if small_group is None:
            small_group_leave(resident=resident, by=by)
        else:
            small_group_join(resident=resident, group=small_group, by=by)
    if resident.key_worker_id != getattr(key_worker, "pk", None):
        resident.key_worker = key_worker
        save_with_history(resident, by)
    return resident


@transaction.atomic
def resident_phase_change(*, resident: Resident, phase: str, by) -> Resident:
    """Move the resident to the next phase of therapy (Therapy Manager or Head of Psychotherapy)."""
    permissions.require(by, "decide_therapy", resident)
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if phase not in Phase.values:
        raise ValidationError(f"There is no phase of therapy {phase!r}.")
    if phase not in PHASE_TRANSITIONS[resident.phase]:
        raise ValidationError(
            f"A resident in {resident.get_phase_display().lower()} cannot move to "
            f"{Phase(phase).label.lower()}."
        )
    resident.phase = phase
    return save_with_history(resident, by)


@transaction.atomic
def person_restrict_from(*, record, staff, reason: str, by):
    """Restrict the person a record is about (a resident, a referral) to named staff of
    its community; the Therapy Manager restricting is always named. The restriction
    follows the person: every record of the prison number, in any community."""
    permissions.require(by, "restrict_resident", record)
    named = {person.pk: person for person in staff}
    named[by.pk] = by
    team = set(selectors.access_list_candidates(record.community).values_list("pk", flat=True))
    if not set(named) <= team | {by.pk}:
        raise ValidationError({"staff": "Choose people from this community's staff team"})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the record is restricted"})
    person_restrict(prison_number=record.prison_number, named=named.values(), reason=reason, by=by)
    record.refresh_from_db()
    return record


@transaction.atomic
def person_unrestrict_from(*, record, reason: str, by):
    """Lift the restriction from the person a record is about: the whole team sees
    every record of theirs again."""
    permissions.require(by, "restrict_resident", record)
    record.refresh_from_db()  # restricted through another record of the person, maybe
    if not record.is_restricted:
        raise ValidationError("This record is not restricted.")
    person_unrestrict(prison_number=record.prison_number, reason=reason, by=by)
    record.refresh_from_db()
    return record


def resident_restrict(*, resident: Resident, staff, reason: str, by) -> Resident:
    return person_restrict_from(record=resident, staff=staff, reason=reason, by=by)


def resident_unrestrict(*, resident: Resident, reason: str, by) -> Resident:
    return person_unrestrict_from(record=resident, reason=reason, by=by)


@transaction.atomic
def resident_leave(*, resident: Resident, leaving_type: str, left_on: date, reason: str, by):
    """Record the resident leaving the community, which frees their bed. Completion
    is only possible once the community's minimum stay has been served."""
    permissions.require(by, "decide_therapy", resident)
    resident = Resident.objects.select_for_update().select_related("community").get(pk=resident.pk)
    require_current(resident)
    errors = {}
    if left_on < resident.admitted_on:
        errors["left_on"] = "The leaving date cannot be before the admission date"
    elif left_on > timezone.localdate():
        errors["left_on"] = "The leaving date must be today or in the past"
    elif leaving_type == LeavingType.COMPLETED and left_on < resident.minimum_stay_ends_on():
        errors["leaving_type"] = (
            f"A resident can only complete therapy after the minimum stay of "
            f"{resident.community.minimum_stay_months} months, on or after "
            f"{resident.minimum_stay_ends_on():%-d %B %Y}. Choose another type of leaving."
        )
    if errors:
        raise ValidationError(errors)
    resident.phase = Phase.LEFT
    resident.leaving_type = leaving_type
    resident.left_on = left_on
    resident.leaving_reason = reason
    for period in resident.acct_periods.in_effect().filter(closed_on__isnull=True):
        # An open ACCT passes to the wing the resident goes to; here it ends with the stay.
        period.closed_on = left_on
        period.closed_by = by
        save_with_history(period, by)
    # Their small group ends with the stay too (on the leaving day, or the day they
    # joined it if that was later: a group joined after the recorded leaving date).
    membership = resident.small_group_memberships.filter(left_on__isnull=True).first()
    if membership is not None:
        end_membership(resident=resident, left_on=max(left_on, membership.joined_on), by=by)
    resident = save_with_history(resident, by)
    resident_left.send(sender=Resident, resident=resident, left_on=left_on, by=by)
    return resident
