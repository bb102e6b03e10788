"""State changes of the resident record. Each checks the policy on the resident (which
applies the restriction to named staff too), validates, and saves with its history
(who, when, what) in one transaction."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from dtc import permissions
from dtc.models import Notification, Role, RoleAssignment, User
from dtc.services import notify_all, person_restrict, person_unrestrict

from . import selectors
from .models import (
    DOCUMENT_TRANSITIONS,
    PHASE_TRANSITIONS,
    PLAN_TRANSITIONS,
    AccessLogEntry,
    AcctPeriod,
    Attendance,
    ClinicalDocument,
    CommitmentVote,
    DecisionKind,
    DocumentAmendment,
    DocumentStatus,
    GroupSession,
    Incident,
    LeavingType,
    Phase,
    PlanGoal,
    PlanStatus,
    Resident,
    ResidentAccess,
    RiskAssessment,
    TherapyDecision,
    TherapyReview,
    TreatmentPlan,
    add_months,
)

REMINDER_DAYS = 7


def _save(instance, by):
    instance._history_user = by
    instance.full_clean()
    instance.save()
    return instance


def _not_in_future(day: date, field: str, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: f"The date {what} must be today or in the past"})


def _require_current(resident: Resident) -> None:
    if resident.phase == Phase.LEFT:
        raise ValidationError(f"{resident} has left the community: the record is closed.")


def access_log_record(*, resident: Resident, page: str, by) -> AccessLogEntry:
    """Log one view of an identifiable resident page."""
    return AccessLogEntry.objects.create(resident=resident, user=by, page=page)


# Record and caseload ----------------------------------------------------------------


@transaction.atomic
def resident_allocate(*, resident: Resident, key_worker, small_group: str, by) -> Resident:
    """Allocate the key worker and small group (Therapy Manager or Head of Psychotherapy)."""
    permissions.require(by, "decide_therapy", resident)
    _require_current(resident)
    if key_worker is not None and not selectors.community_staff(resident.community).filter(
        pk=key_worker.pk
    ):
        raise ValidationError({"key_worker": "Choose a member of this community's staff"})
    resident.key_worker = key_worker
    resident.small_group = small_group.strip()
    return _save(resident, by)


@transaction.atomic
def resident_phase_change(*, resident: Resident, phase: str, by) -> Resident:
    """Move the resident to the next phase of therapy (Therapy Manager or Head of Psychotherapy)."""
    permissions.require(by, "decide_therapy", resident)
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if phase not in PHASE_TRANSITIONS[resident.phase]:
        raise ValidationError(
            f"A resident in {resident.get_phase_display().lower()} cannot move to "
            f"{Phase(phase).label.lower()}."
        )
    resident.phase = phase
    return _save(resident, by)


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
    _require_current(resident)
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
    for period in resident.acct_periods.filter(closed_on__isnull=True):
        # An open ACCT passes to the wing the resident goes to; here it ends with the stay.
        period.closed_on = left_on
        period.closed_by = by
        _save(period, by)
    return _save(resident, by)


# Treatment plans --------------------------------------------------------------------


@transaction.atomic
def plan_start(
    *, resident: Resident, expected_weekly_hours: Decimal, review_on: date, formulation="", by
):
    """Start a new draft version of the plan, carrying over the goals of the latest one."""
    permissions.require(by, "write_clinical", resident)
    _require_current(resident)
    latest = resident.plans.select_for_update().order_by("-version").first()
    if latest is not None and not latest.is_locked:
        raise ValidationError(
            f"Version {latest.version} is still a draft: change it, or sign it off first."
        )
    plan = _save(
        TreatmentPlan(
            resident=resident,
            version=(latest.version + 1) if latest else 1,
            expected_weekly_hours=expected_weekly_hours,
            review_on=review_on,
            formulation=formulation,
            created_by=by,
        ),
        by,
    )
    if latest is not None:
        for goal in latest.goals.all():
            _save(
                PlanGoal(
                    plan=plan,
                    need_area=goal.need_area,
                    description=goal.description,
                    interventions=list(goal.interventions),
                ),
                by,
            )
    return plan


def _require_draft(plan: TreatmentPlan) -> None:
    if plan.is_locked:
        raise ValidationError(
            "This version is signed off and locked. Start a new version to change the plan."
        )


@transaction.atomic
def plan_change(
    *, plan: TreatmentPlan, expected_weekly_hours: Decimal, review_on: date, formulation: str, by
):
    """Change a draft plan's hours, review date and formulation."""
    permissions.require(by, "write_clinical", plan.resident)
    plan = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
    _require_draft(plan)
    plan.expected_weekly_hours = expected_weekly_hours
    plan.review_on = review_on
    plan.formulation = formulation
    return _save(plan, by)


@transaction.atomic
def goal_add(*, plan: TreatmentPlan, need_area: str, description: str, interventions, by):
    """Add a goal to a draft plan, with the interventions that serve it."""
    permissions.require(by, "write_clinical", plan.resident)
    _require_draft(TreatmentPlan.objects.select_for_update().get(pk=plan.pk))
    if not interventions:
        raise ValidationError({"interventions": "Choose at least one intervention for the goal"})
    return _save(
        PlanGoal(
            plan=plan, need_area=need_area, description=description, interventions=interventions
        ),
        by,
    )


@transaction.atomic
def plan_sign_off(*, plan: TreatmentPlan, by) -> TreatmentPlan:
    """Sign off a draft version (Therapy Manager or Head of Psychotherapy); it is then locked."""
    permissions.require(by, "sign_off", plan.resident)
    plan = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
    if PlanStatus.SIGNED_OFF not in PLAN_TRANSITIONS[plan.status]:
        raise ValidationError("This version is already signed off.")
    if not plan.goals.exists():
        raise ValidationError("Add at least one goal before the plan is signed off.")
    plan.status = PlanStatus.SIGNED_OFF
    plan.signed_off_by = by
    plan.signed_off_at = timezone.now()
    return _save(plan, by)


# Groups and attendance --------------------------------------------------------------


@transaction.atomic
def session_record(
    *,
    community,
    group_type: str,
    small_group: str,
    held_on: date,
    duration_minutes: int,
    facilitators,
    by,
) -> GroupSession:
    """Record a group session held on the community, ready for its register."""
    permissions.require(by, "record_attendance", community)
    facilitators = list(facilitators)
    if not facilitators:
        raise ValidationError({"facilitators": "Choose who facilitated the group"})
    if not {p.pk for p in facilitators} <= set(
        selectors.community_staff(community).values_list("pk", flat=True)
    ):
        raise ValidationError({"facilitators": "Choose people from this community's staff"})
    _not_in_future(held_on, "held_on", "of the group")
    session = _save(
        GroupSession(
            community=community,
            group_type=group_type,
            small_group=small_group.strip(),
            held_on=held_on,
            duration_minutes=duration_minutes,
            recorded_by=by,
        ),
        by,
    )
    session.facilitators.set(facilitators)
    return session


@transaction.atomic
def attendance_record(*, session: GroupSession, marks: dict[int, str], by) -> int:
    """Take the register: `marks` maps resident ids to present, absent or excused.
    Residents not on the session's register are refused. Returns how many changed."""
    permissions.require(by, "record_attendance", session)
    on_register = {r.pk: r for r in selectors.register_residents(by, session)}
    unknown = set(marks) - set(on_register)
    if unknown:
        raise ValidationError("Only residents on this group's register can be marked.")
    existing = {a.resident_id: a for a in session.register.select_for_update()}
    changed = 0
    for resident_id, status in marks.items():
        attendance = existing.get(resident_id)
        if attendance is None:
            attendance = Attendance(session=session, resident_id=resident_id)
        elif attendance.status == status:
            continue
        attendance.status = status
        attendance.recorded_by = by
        _save(attendance, by)
        changed += 1
    return changed


# Progress ---------------------------------------------------------------------------


@transaction.atomic
def review_complete(*, resident: Resident, held_on: date, outcome: str, summary: str, by):
    """Complete the therapy review that is due; the next falls due one interval later."""
    permissions.require(by, "write_clinical", resident)
    resident = Resident.objects.select_for_update().select_related("community").get(pk=resident.pk)
    _require_current(resident)
    _not_in_future(held_on, "held_on", "of the review")
    review = _save(
        TherapyReview(
            resident=resident,
            due_on=resident.next_review_on,
            held_on=held_on,
            outcome=outcome,
            summary=summary,
            recorded_by=by,
        ),
        by,
    )
    resident.next_review_on = add_months(
        resident.next_review_on, resident.community.review_interval_months
    )
    _save(resident, by)
    return review


@transaction.atomic
def vote_record(
    *, resident: Resident, held_on: date, votes_for: int, votes_against: int, notes="", by
):
    """Record a commitment vote of the community; its outcome follows the majority."""
    permissions.require(by, "record_attendance", resident)
    _require_current(resident)
    _not_in_future(held_on, "held_on", "of the vote")
    outcome = "kept" if votes_for > votes_against else "lost"
    return _save(
        CommitmentVote(
            resident=resident,
            held_on=held_on,
            votes_for=votes_for,
            votes_against=votes_against,
            outcome=outcome,
            notes=notes,
            recorded_by=by,
        ),
        by,
    )


@transaction.atomic
def incident_record(
    *, resident: Resident, occurred_on: date, kind: str, seriousness: str, description: str, by
):
    """Record an incident or rule break (any member of the community's staff team)."""
    permissions.require(by, "record_attendance", resident)
    _require_current(resident)
    _not_in_future(occurred_on, "occurred_on", "of the incident")
    return _save(
        Incident(
            resident=resident,
            occurred_on=occurred_on,
            kind=kind,
            seriousness=seriousness,
            description=description,
            recorded_by=by,
        ),
        by,
    )


@transaction.atomic
def risk_assess(*, resident: Resident, assessed_on: date, level: str, narrative: str, by):
    """Record a risk assessment relating progress to the criminogenic factors."""
    permissions.require(by, "write_clinical", resident)
    _require_current(resident)
    _not_in_future(assessed_on, "assessed_on", "of the assessment")
    return _save(
        RiskAssessment(
            resident=resident,
            assessed_on=assessed_on,
            level=level,
            narrative=narrative,
            assessed_by=by,
        ),
        by,
    )


@transaction.atomic
def acct_open(*, resident: Resident, opened_on: date, reason: str, by) -> AcctPeriod:
    """Open an ACCT (self-harm care) period; only one may be open at a time."""
    permissions.require(by, "record_attendance", resident)
    _require_current(resident)
    _not_in_future(opened_on, "opened_on", "the ACCT was opened")
    if resident.acct_periods.select_for_update().filter(closed_on__isnull=True).exists():
        raise ValidationError("An ACCT is already open for this resident.")
    return _save(
        AcctPeriod(resident=resident, opened_on=opened_on, reason=reason, opened_by=by), by
    )


@transaction.atomic
def acct_close(*, resident: Resident, closed_on: date, by) -> AcctPeriod:
    """Close the resident's open ACCT period."""
    permissions.require(by, "record_attendance", resident)
    period = resident.acct_periods.select_for_update().filter(closed_on__isnull=True).first()
    if period is None:
        raise ValidationError("There is no open ACCT to close.")
    _not_in_future(closed_on, "closed_on", "the ACCT was closed")
    if closed_on < period.opened_on:
        raise ValidationError({"closed_on": "The ACCT cannot close before it was opened"})
    period.closed_on = closed_on
    period.closed_by = by
    return _save(period, by)


# Clinical documents -----------------------------------------------------------------


def _is_trainee_here(user, resident: Resident) -> bool:
    return (
        resident.community_id in permissions.community_ids(user, "write_clinical")
        and RoleAssignment.objects.active()
        .filter(user=user, community_id=resident.community_id, role=Role.TRAINEE)
        .exists()
        and not RoleAssignment.objects.active()
        .filter(
            user=user,
            community_id=resident.community_id,
            role__in=[Role.CLINICIAN, Role.THERAPY_MANAGER],
        )
        .exists()
    )


@transaction.atomic
def document_draft(
    *, resident: Resident, kind: str, title: str, body: str, due_on: date | None, by
):
    """Start a clinical document; a trainee's needs a countersignature before sign-off."""
    permissions.require(by, "write_clinical", resident)
    _require_current(resident)
    return _save(
        ClinicalDocument(
            resident=resident,
            kind=kind,
            title=title,
            body=body,
            due_on=due_on,
            author=by,
            needs_countersignature=_is_trainee_here(by, resident),
        ),
        by,
    )


def _document_for_update(document) -> ClinicalDocument:
    return (
        ClinicalDocument.objects.select_for_update().select_related("resident").get(pk=document.pk)
    )


def _move(document: ClinicalDocument, status: str) -> None:
    if status not in DOCUMENT_TRANSITIONS[document.status]:
        raise ValidationError(
            f"A {document.get_status_display().lower()} document cannot be made "
            f"{DocumentStatus(status).label.lower()}."
        )
    document.status = status


@transaction.atomic
def document_change(*, document: ClinicalDocument, title: str, body: str, due_on, by):
    """Change a draft; only its author may."""
    permissions.require(by, "write_clinical", document.resident)
    document = _document_for_update(document)
    if document.author_id != by.pk:
        raise PermissionDenied
    if document.status != DocumentStatus.DRAFT:
        raise ValidationError("Only a draft can be changed.")
    document.title, document.body, document.due_on = title, body, due_on
    return _save(document, by)


@transaction.atomic
def document_submit(*, document: ClinicalDocument, by) -> ClinicalDocument:
    """The author submits their draft for sign-off."""
    permissions.require(by, "write_clinical", document.resident)
    document = _document_for_update(document)
    if document.author_id != by.pk:
        raise PermissionDenied
    _move(document, DocumentStatus.SUBMITTED)
    document.submitted_at = timezone.now()
    return _save(document, by)


def may_countersign(user, document: ClinicalDocument) -> bool:
    """A qualified member of the team (not a trainee, not the author) countersigns."""
    return (
        document.needs_countersignature
        and document.author_id != user.pk
        and permissions.can(user, "write_clinical", document.resident)
        and not _is_trainee_here(user, document.resident)
    )


@transaction.atomic
def document_countersign(*, document: ClinicalDocument, by) -> ClinicalDocument:
    """Countersign a trainee's submitted document."""
    permissions.require(by, "write_clinical", document.resident)
    document = _document_for_update(document)
    if not may_countersign(by, document):
        raise PermissionDenied
    if document.status != DocumentStatus.SUBMITTED or document.countersigned_by_id:
        raise ValidationError(
            "Only a submitted document waiting for a countersignature can be countersigned."
        )
    document.countersigned_by = by
    document.countersigned_at = timezone.now()
    return _save(document, by)


@transaction.atomic
def document_return(*, document: ClinicalDocument, reason: str, by) -> ClinicalDocument:
    """Send a submitted document back to its author as a draft."""
    permissions.require(by, "sign_off", document.resident)
    document = _document_for_update(document)
    if not reason.strip():
        raise ValidationError({"reason": "Enter what the author needs to change"})
    _move(document, DocumentStatus.DRAFT)
    document.countersigned_by = None
    document.countersigned_at = None
    document._change_reason = reason.strip()[:100]
    return _save(document, by)


@transaction.atomic
def document_sign_off(*, document: ClinicalDocument, by) -> ClinicalDocument:
    """Sign off a submitted document (Therapy Manager or Head of Psychotherapy); it is then locked."""
    permissions.require(by, "sign_off", document.resident)
    document = _document_for_update(document)
    if document.needs_countersignature and not document.countersigned_by_id:
        raise ValidationError(
            "This document was written by a trainee and needs a countersignature first."
        )
    _move(document, DocumentStatus.SIGNED_OFF)
    document.signed_off_by = by
    document.signed_off_at = timezone.now()
    return _save(document, by)


@transaction.atomic
def document_amend(*, document: ClinicalDocument, text: str, reason: str, by):
    """Amend a signed-off document: the original stays as signed, the amendment records
    who, when and why."""
    permissions.require(by, "write_clinical", document.resident)
    document = _document_for_update(document)
    if not document.is_locked:
        raise ValidationError("Only a signed-off document is amended; change the draft instead.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the document is being amended"})
    return _save(DocumentAmendment(document=document, text=text, reason=reason, amended_by=by), by)


# Decisions --------------------------------------------------------------------------


@transaction.atomic
def decision_record(
    *, resident: Resident, kind: str, decided_on: date, rationale: str, weekly_hours=None, by
):
    """Record a decision on continuation, termination or dosage, with its rationale."""
    permissions.require(by, "decide_therapy", resident)
    _require_current(resident)
    _not_in_future(decided_on, "decided_on", "of the decision")
    if not rationale.strip():
        raise ValidationError({"rationale": "Enter the rationale for the decision"})
    if kind == DecisionKind.DOSAGE and weekly_hours is None:
        raise ValidationError({"weekly_hours": "Enter the new expected hours a week"})
    return _save(
        TherapyDecision(
            resident=resident,
            kind=kind,
            decided_on=decided_on,
            rationale=rationale,
            weekly_hours=weekly_hours if kind == DecisionKind.DOSAGE else None,
            decided_by=by,
        ),
        by,
    )


# Reminders --------------------------------------------------------------------------


def _therapy_managers(community_ids) -> dict[int, list[User]]:
    """The active Therapy Managers of each community, by community id."""
    managers = defaultdict(list)
    for assignment in (
        RoleAssignment.objects.active()
        .filter(community_id__in=community_ids, role=Role.THERAPY_MANAGER, user__is_active=True)
        .select_related("user")
    ):
        managers[assignment.community_id].append(assignment.user)
    return managers


def _when(due: date, today: date) -> tuple[str, str]:
    """(state for the key, words for the message): one reminder when something falls
    due within the week, one more when it becomes overdue."""
    if due < today:
        return "overdue", f"was due on {due:%-d %B %Y} and is overdue"
    return "due", f"is due on {due:%-d %B %Y}"


def due_reminders(*, today: date) -> int:
    """Notify the responsible staff of therapy reviews (the key worker, or the Therapy
    Managers where there is none) and documents (their author) due within 7 days or
    overdue. Keyed by item, due date and state, so a second run the same day sends nothing.
    A restricted record is not revealed, even by a reminder, to anyone not on its list."""
    horizon = today + timedelta(days=REMINDER_DAYS)
    residents = list(
        Resident.objects.current()
        .filter(next_review_on__lte=horizon)
        .select_related("key_worker")
        .prefetch_related("access_list")
    )
    managers = _therapy_managers({resident.community_id for resident in residents})
    notifications = []
    for resident in residents:
        state, words = _when(resident.next_review_on, today)
        recipients = (
            [resident.key_worker]
            if resident.key_worker and resident.key_worker.is_active
            else managers[resident.community_id]
        )
        named = {entry.user_id for entry in resident.access_list.all()}
        notifications += [
            Notification(
                recipient=recipient,
                key=f"residents-review:{resident.pk}:{resident.next_review_on.isoformat()}:{state}",
                message=f"The therapy review for {resident.prison_number} {words}.",
                url=reverse("residents:detail", args=[resident.pk]),
                about=resident.prison_number,
            )
            for recipient in recipients
            if not resident.is_restricted or recipient.pk in named
        ]
    documents = (
        ClinicalDocument.objects.exclude(status=DocumentStatus.SIGNED_OFF)
        .filter(due_on__lte=horizon, author__is_active=True)
        .exclude(resident__phase=Phase.LEFT)
        .filter(
            Q(resident__is_restricted=False)
            | Exists(
                ResidentAccess.objects.filter(
                    resident_id=OuterRef("resident_id"), user_id=OuterRef("author_id")
                )
            )
        )
        .select_related("author", "resident")
    )
    for document in documents:
        state, words = _when(document.due_on, today)
        notifications.append(
            Notification(
                recipient=document.author,
                key=f"residents-document:{document.pk}:{document.due_on.isoformat()}:{state}",
                message=f"Your {document.get_kind_display().lower()} for {document.resident.prison_number} {words}.",
                url=reverse("residents:document", args=[document.pk]),
                about=document.resident.prison_number,
            )
        )
    return notify_all(notifications)
