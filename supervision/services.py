"""State changes of supervision. Each checks the policy, validates, and saves with
its history (who, when, what) in one transaction."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dtc import permissions
from dtc.history import save_with_history
from dtc.models import Community, Notification, RoleAssignment
from dtc.services import notify_all

from . import selectors
from .models import (
    SUPERVISED_ROLES,
    AgreedAction,
    Observation,
    SessionType,
    SupervisionRequirement,
    SupervisionSession,
    TraineeTarget,
)

ONE_TO_ONE = {SessionType.INDIVIDUAL, SessionType.TRAINEE, SessionType.OBSERVATION}


def _team_ids(community: Community) -> set[int]:
    return set(
        RoleAssignment.objects.active()
        .filter(community=community, role__in=SUPERVISED_ROLES)
        .values_list("user_id", flat=True)
    )


@transaction.atomic
def session_record(
    *,
    community: Community,
    session_type: str,
    supervisor,
    supervisees,
    held_on: date,
    duration_minutes: int,
    themes=(),
    notes: str = "",
    by,
) -> SupervisionSession:
    """Record a supervision session held in `community` (Therapy Manager or Head of
    Psychotherapy)."""
    permissions.require(by, "supervise_team", community)
    supervisees = list(supervisees)
    _check_session(community, session_type, supervisor, supervisees, held_on)
    session = SupervisionSession(
        community=community,
        session_type=session_type,
        supervisor=supervisor,
        held_on=held_on,
        duration_minutes=duration_minutes,
        notes=notes,
        recorded_by=by,
    )
    save_with_history(session, by)
    session.supervisees.set(supervisees)
    session.themes.set(themes)
    return session


def _check_session(community, session_type, supervisor, supervisees, held_on) -> None:
    """Who may be in a session of this type, and when: for a session recorded or corrected."""
    errors = {}
    if not supervisees:
        errors["supervisees"] = "Choose who was supervised"
    elif session_type in ONE_TO_ONE and len(supervisees) != 1:
        errors["supervisees"] = "Choose one person: this kind of supervision is one-to-one"
    elif session_type == SessionType.GROUP and len(supervisees) < 2:
        errors["supervisees"] = "Choose at least two people for group supervision"
    elif supervisor in supervisees:
        errors["supervisees"] = "The supervisor cannot also be a supervisee"
    elif not {p.pk for p in supervisees} <= _team_ids(community):
        errors["supervisees"] = "Choose people from this community's staff team"
    if held_on > timezone.localdate():
        errors["held_on"] = "The date of the session must be today or in the past"
    if errors:
        raise ValidationError(errors)


def session_correction_prepare(session: SupervisionSession, related) -> None:
    """An amended session is held to the rules of a recorded one (dtc.corrections)."""
    _check_session(
        session.community,
        session.session_type,
        session.supervisor,
        related["supervisees"],
        session.held_on,
    )


def session_corrected(original: SupervisionSession, amendment, by) -> None:
    """The actions agreed in a session follow it to its correction."""
    if amendment is None:
        return
    for action in original.actions.select_for_update():
        action.session = amendment
        save_with_history(action, by)
    observation = getattr(original, "observation", None)
    if observation is not None:
        observation.session = amendment
        save_with_history(observation, by)


@transaction.atomic
def observation_record(
    *,
    community: Community,
    supervisor,
    supervisee,
    held_on: date,
    duration_minutes: int,
    activity_observed: str,
    strengths: str,
    areas_to_develop: str,
    rating: str,
    notes: str = "",
    themes=(),
    by,
) -> Observation:
    """Record an observation of practice: a one-to-one session and its structured findings."""
    session = session_record(
        community=community,
        session_type=SessionType.OBSERVATION,
        supervisor=supervisor,
        supervisees=[supervisee],
        held_on=held_on,
        duration_minutes=duration_minutes,
        themes=themes,
        notes=notes,
        by=by,
    )
    observation = Observation(
        session=session,
        activity_observed=activity_observed,
        strengths=strengths,
        areas_to_develop=areas_to_develop,
        rating=rating,
    )
    return save_with_history(observation, by)


@transaction.atomic
def action_add(*, session: SupervisionSession, description: str, owner, due_on: date, by):
    """Add an action agreed in a session, owned by the supervisor or a supervisee."""
    if not permissions.may_manage_agreed_actions(by, session):
        raise PermissionDenied
    if owner.pk != session.supervisor_id and not session.supervisees.filter(pk=owner.pk).exists():
        raise ValidationError({"owner": "Choose the supervisor or someone who was supervised"})
    action = AgreedAction(session=session, description=description, owner=owner, due_on=due_on)
    return save_with_history(action, by)


@transaction.atomic
def action_complete(*, action: AgreedAction, by) -> AgreedAction:
    """Mark an agreed action done (its owner, the supervisor or the line of supervision)."""
    action = AgreedAction.objects.select_for_update().select_related("session").get(pk=action.pk)
    if not permissions.may_complete_agreed_action(by, action):
        raise PermissionDenied
    if action.is_done:
        raise ValidationError("This action is already marked as done.")
    action.is_done = True
    action.done_at = timezone.now()
    action.done_by = by
    return save_with_history(action, by)


@transaction.atomic
def requirement_set(*, person, kind: str, interval_weeks: int, reason: str, by):
    """Give a person their own interval for one kind of supervision."""
    permissions.require_line_of_supervision(by, person, SUPERVISED_ROLES)
    requirement = SupervisionRequirement.objects.filter(user=person, kind=kind).first()
    if requirement is None:
        requirement = SupervisionRequirement(user=person, kind=kind)
    requirement.interval_weeks = interval_weeks
    requirement.reason = reason
    requirement.set_by = by
    return save_with_history(requirement, by)


@transaction.atomic
def trainee_target_set(*, trainee, target_hours: int, designated_supervisor, by) -> TraineeTarget:
    """Set a trainee's supervised-hours target and their designated supervisor."""
    permissions.require_line_of_supervision(by, trainee, SUPERVISED_ROLES)
    target = TraineeTarget.objects.filter(trainee=trainee).first() or TraineeTarget(trainee=trainee)
    target.target_hours = target_hours
    target.designated_supervisor = designated_supervisor
    target.set_by = by
    return save_with_history(target, by)


# An agreed action is reminded of while it is this many days overdue at most: the task
# runs every week, so each lapse is sent on the next run, and a ten-year-old action left
# open is for the supervision record to show, not for a reminder every run to read again.
ACTION_REMINDER_DAYS = 90


def overdue_reminders(*, today: date) -> int:
    """Notify staff whose supervision is overdue, and owners of actions overdue within
    ACTION_REMINDER_DAYS. Keyed by the due date, so a run repeated in the same week sends
    nothing new."""
    people = {
        a.user
        for a in RoleAssignment.objects.active()
        .filter(role__in=SUPERVISED_ROLES)
        .select_related("user")
        if a.user.is_active
    }
    notifications = [
        Notification(
            recipient=compliance.user,
            key=f"supervision-overdue:{kind.kind}:{kind.due_on.isoformat()}",
            message=f"Your {kind.label.lower()} supervision was due by {kind.due_on:%-d %B %Y}. Arrange a session with your supervisor.",
            url=reverse("supervision:record", args=[compliance.user.pk]),
        )
        for compliance in selectors.staff_compliance(people, today=today).values()
        for kind in compliance.overdue
    ]
    overdue_actions = (
        AgreedAction.objects.filter(
            is_done=False,
            due_on__lt=today,
            due_on__gte=today - timedelta(days=ACTION_REMINDER_DAYS),
            owner__is_active=True,
        )
        .exclude(session__entered_in_error_at__isnull=False)
        .select_related("owner")
    )
    notifications += [
        Notification(
            recipient=action.owner,
            key=f"supervision-action-overdue:{action.pk}:{action.due_on.isoformat()}",
            message=f"A supervision action was due by {action.due_on:%-d %B %Y}: {action.description}"[
                :300
            ],
            url=reverse("supervision:detail", args=[action.session_id]),
        )
        for action in overdue_actions
    ]
    return notify_all(notifications)
