"""The referral workflow. Every state change is one function here: it checks the
permission through the policy, validates, and writes the change with its
Transition (who, when, from, to, why) in one transaction."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from dtc import permissions
from dtc.history import save_with_history
from dtc.models import Community, Notification
from dtc.services import notify_all, person_restriction_carry
from residents.models import Resident
from residents.services import person_restrict_from, person_unrestrict_from, resident_admit

from .models import (
    COMPUTED,
    OPEN,
    TRANSITIONS,
    CriterionKind,
    CriterionOutcome,
    Interview,
    Outcome,
    Override,
    Recommendation,
    Referral,
    Status,
    SuitabilityCriterion,
    Transition,
)
from .selectors import known_person

# A written clinical rationale is required to override failed criteria.
OVERRIDE_RATIONALE_MIN_LENGTH = 50


def _move(referral: Referral, to: str, *, by, note: str = "") -> Referral:
    """Change status along TRANSITIONS and write the Transition; refuse anything else."""
    if to not in TRANSITIONS[referral.status]:
        raise ValidationError(
            f"A referral that is {referral.get_status_display().lower()} cannot move to "
            f"{Status(to).label.lower()}."
        )
    Transition.objects.create(
        referral=referral, from_status=referral.status, to_status=to, by=by, note=note
    )
    referral.status = to
    referral.status_changed_at = timezone.now()
    return save_with_history(referral, by)


def _locked(referral: Referral) -> Referral:
    # Re-read under a row lock so two people acting at once cannot both move it.
    return Referral.objects.select_for_update().get(pk=referral.pk)


# What the referrer must confirm to refer a person the service already knows.
KNOWN_PERSON_CONFIRM = (
    "This person is already known to the service. "
    "Tick the box to make this referral anyway, or cancel."
)


@transaction.atomic
def referral_submit(
    *, community: Community, by, known_person_confirmed: bool = False, **details
) -> Referral:
    """Receive a new referral. A person has at most one open referral to a community; one
    already known in the cluster (a current resident, an open referral) is referred only
    once the referrer has seen the warning and confirmed, and the referral records it."""
    permissions.require(by, "submit_referral", community)
    referral = Referral(
        community=community, submitted_by=by, status_changed_at=timezone.now(), **details
    )
    referral.prison_number = referral.prison_number.upper()
    existing = (
        Referral.objects.open()
        .filter(community=community, prison_number=referral.prison_number)
        .first()
    )
    if existing and not existing.is_visible_to(by):
        # A restricted person's referral is not revealed, even by its link.
        raise ValidationError(
            f"This person cannot be referred to {community.name} at the moment. "
            "Speak to the community's Therapy Manager.",
            code="duplicate",
        )
    if existing:
        raise ValidationError(
            format_html(
                'There is already an open referral for {} to {}: <a class="govuk-link" href="{}">see the existing referral</a>.',
                referral.prison_number,
                community.name,
                reverse("referrals:detail", args=[existing.pk]),
            ),
            code="duplicate",
        )
    if known_person(by, prison_number=referral.prison_number, community=community):
        if not known_person_confirmed:
            raise ValidationError(
                {"known_person_confirmed": KNOWN_PERSON_CONFIRM}, code="known_person"
            )
        referral.known_person_warning_seen = True
    save_with_history(referral, by)
    Transition.objects.create(referral=referral, from_status="", to_status=Status.RECEIVED, by=by)
    person_restriction_carry(prison_number=referral.prison_number, by=by)
    return referral


def referral_restrict(*, referral: Referral, staff, reason: str, by) -> Referral:
    """Restrict the person (a high-profile prisoner, say) from referral on; the
    restriction carries into the resident record at admission."""
    return person_restrict_from(record=referral, staff=staff, reason=reason, by=by)


def referral_unrestrict(*, referral: Referral, reason: str, by) -> Referral:
    return person_unrestrict_from(record=referral, reason=reason, by=by)


@transaction.atomic
def referral_start_screening(*, referral: Referral, by, note: str = "") -> Referral:
    referral = _locked(referral)
    permissions.require(by, "progress_referral", referral)
    return _move(referral, Status.SCREENING, by=by, note=note)


@transaction.atomic
def referral_start_assessment(*, referral: Referral, by, note: str = "") -> Referral:
    referral = _locked(referral)
    permissions.require(by, "progress_referral", referral)
    return _move(referral, Status.ASSESSMENT, by=by, note=note)


@transaction.atomic
def referral_ready_for_decision(*, referral: Referral, by, note: str = "") -> Referral:
    referral = _locked(referral)
    permissions.require(by, "progress_referral", referral)
    return _move(referral, Status.DECISION, by=by, note=note)


@transaction.atomic
def referral_hold(*, referral: Referral, by, note: str) -> Referral:
    """Pause an open referral; it resumes where it stopped."""
    referral = _locked(referral)
    permissions.require(by, "progress_referral", referral)
    if not note.strip():
        raise ValidationError("Enter why the referral is on hold.")
    held_from = referral.status
    if held_from not in OPEN:
        raise ValidationError("Only an open referral can be put on hold.")
    referral.held_from = held_from
    return _move(referral, Status.ON_HOLD, by=by, note=note)


@transaction.atomic
def referral_resume(*, referral: Referral, by, note: str = "") -> Referral:
    referral = _locked(referral)
    permissions.require(by, "progress_referral", referral)
    if referral.status != Status.ON_HOLD:
        raise ValidationError("Only a referral on hold can be resumed.")
    back_to = referral.held_from
    referral.held_from = ""
    return _move(referral, back_to, by=by, note=note)


@transaction.atomic
def referral_withdraw(*, referral: Referral, by, note: str) -> Referral:
    referral = _locked(referral)
    permissions.require(by, "progress_referral", referral)
    if not note.strip():
        raise ValidationError("Enter why the referral is withdrawn.")
    return _move(referral, Status.WITHDRAWN, by=by, note=note)


@transaction.atomic
def referral_record_interview(
    *, referral: Referral, held_on: date, assessor, summary: str, by
) -> Interview:
    """Record an assessment interview held with the referred prisoner."""
    referral = _locked(referral)
    permissions.require(by, "progress_referral", referral)
    if referral.status not in {Status.SCREENING, Status.ASSESSMENT, Status.DECISION}:
        raise ValidationError(
            "Interviews are recorded during screening, assessment or before the decision."
        )
    if held_on > timezone.localdate():
        raise ValidationError("The interview date must be today or in the past.")
    return save_with_history(
        Interview(
            referral=referral, held_on=held_on, assessor=assessor, summary=summary, recorded_by=by
        ),
        by,
    )


def interview_correction_prepare(interview: Interview, related) -> None:
    """An amended interview is held to the rule of a recorded one (dtc.corrections)."""
    if interview.held_on > timezone.localdate():
        raise ValidationError({"held_on": "The interview date must be today or in the past"})


@transaction.atomic
def referral_record_outcome(
    *, referral: Referral, criterion: SuitabilityCriterion, outcome: str, evidence: str, by
) -> CriterionOutcome:
    """Record the assessor's finding on a recorded criterion (computed ones are worked out)."""
    referral = _locked(referral)
    permissions.require(by, "progress_referral", referral)
    if criterion.community_id != referral.community_id or criterion.retired:
        raise ValidationError("This criterion is not one of the community's criteria in use.")
    if criterion.computed:
        raise ValidationError(
            "This criterion is worked out from the referral's dates, not recorded."
        )
    if referral.status not in {Status.SCREENING, Status.ASSESSMENT, Status.DECISION}:
        raise ValidationError(
            "Criteria are assessed during screening, assessment or before the decision."
        )
    return _save_outcome(referral, criterion, outcome, evidence, by)


def _save_outcome(referral, criterion, outcome, evidence, by) -> CriterionOutcome:
    record = CriterionOutcome.objects.filter(referral=referral, criterion=criterion).first()
    record = record or CriterionOutcome(referral=referral, criterion=criterion)
    record.outcome, record.evidence, record.recorded_by = outcome, evidence, by
    return save_with_history(record, by)


def computed_outcome(
    referral: Referral, criterion: SuitabilityCriterion, on: date
) -> tuple[str, str]:
    """(outcome, evidence) of a computed criterion on a date."""
    if criterion.kind == CriterionKind.TIME_TO_SERVE:
        months = referral.months_to_serve(on)
        if months is None:
            return Outcome.UNKNOWN, "No release date recorded to measure the time left to serve."
        met = months >= criterion.threshold
        return (
            Outcome.MET if met else Outcome.NOT_MET,
            f"{months} months left to serve at {on:%-d %B %Y} (needs at least {criterion.threshold}).",
        )
    age = referral.age_on(on)
    return (
        Outcome.MET if age >= criterion.threshold else Outcome.NOT_MET,
        f"Aged {age} at {on:%-d %B %Y} (needs at least {criterion.threshold}).",
    )


def criteria_assessment(referral: Referral, on: date) -> list[dict]:
    """Every criterion in use with its outcome, evidence and recorded outcome (if any).
    A recorded outcome stands (computed ones are fixed at the decision); until then a
    computed criterion is worked out on the date, and an unassessed one is unknown."""
    recorded = {o.criterion_id: o for o in referral.outcomes.select_related("recorded_by")}
    rows = []
    for criterion in referral.community.suitability_criteria.filter(retired=False):
        record = recorded.get(criterion.pk)
        if record:
            outcome, evidence = record.outcome, record.evidence
        elif criterion.kind in COMPUTED:
            outcome, evidence = computed_outcome(referral, criterion, on)
        else:
            outcome, evidence = Outcome.UNKNOWN, "Not assessed."
        rows.append(
            {"criterion": criterion, "outcome": outcome, "evidence": evidence, "record": record}
        )
    return rows


def criteria_failing(referral: Referral, on: date) -> list[tuple[SuitabilityCriterion, str, str]]:
    """Each criterion in use that is not met or not known on the date, with its outcome
    and evidence."""
    return [
        (row["criterion"], row["outcome"], row["evidence"])
        for row in criteria_assessment(referral, on)
        if row["outcome"] != Outcome.MET
    ]


@transaction.atomic
def referral_accept(
    *, referral: Referral, by, priority: int, rationale: str = "", note: str = ""
) -> Referral:
    """Accept onto the waiting list. Failed or unknown criteria need an override: the
    override permission for the community and a written clinical rationale."""
    referral = _locked(referral)
    permissions.require(by, "decide_referral", referral)
    if referral.status != Status.DECISION:
        raise ValidationError("Only a referral awaiting a decision can be accepted.")
    today = timezone.localdate()
    # Computed criteria are fixed as they stand at the decision date.
    for criterion in referral.community.suitability_criteria.filter(
        retired=False, kind__in=COMPUTED
    ):
        _save_outcome(referral, criterion, *computed_outcome(referral, criterion, today), by)
    failing = criteria_failing(referral, today)
    if failing:
        if not permissions.can(by, "override_criteria", referral):
            raise PermissionDenied(
                "Only the Therapy Manager or the Head of Psychotherapy may override criteria."
            )
        if len(rationale.strip()) < OVERRIDE_RATIONALE_MIN_LENGTH:
            raise ValidationError(
                f"Write a clinical rationale of at least {OVERRIDE_RATIONALE_MIN_LENGTH} characters for the override."
            )
        override = save_with_history(
            Override(referral=referral, community=referral.community, by=by, rationale=rationale),
            by,
        )
        override.criteria.set([criterion for criterion, _, _ in failing])
        _notify_override(override)
    referral.priority = priority
    referral.accepted_on = referral.decided_on = today
    return _move(
        referral,
        Status.ACCEPTED,
        by=by,
        note=note or ("Accepted with an override." if failing else ""),
    )


def _notify_override(override: Override) -> None:
    """Tell each Head of Psychotherapy over the community; the notification follows the
    person's restriction (`about`), so a HoP not named on it never sees it."""
    referral = override.referral
    url = reverse("referrals:detail", args=[referral.pk])
    notify_all(
        Notification(
            recipient=head,
            key=f"override:{override.pk}",
            message=f"{override.by} accepted {referral.name} ({referral.prison_number}) to "
            f"{override.community.name} with an override of the criteria. Acknowledge it "
            "or ask for a review.",
            url=url,
            about=referral.prison_number,
        )
        for head in permissions.heads_of_psychotherapy_over(override.community)
    )


@transaction.atomic
def override_acknowledge(*, override: Override, by) -> Override:
    """The Head of Psychotherapy has read the override and lets it stand."""
    override = Override.objects.select_for_update().select_related("referral").get(pk=override.pk)
    permissions.require_may_answer_override(by, override)
    if not override.awaiting_acknowledgement:
        raise ValidationError("This override has already been acknowledged or sent for review.")
    override.acknowledged_at, override.acknowledged_by = timezone.now(), by
    return save_with_history(override, by)


@transaction.atomic
def override_request_review(*, override: Override, by, reason: str) -> Override:
    """The Head of Psychotherapy asks the Therapy Manager who made the override to review
    it, with a reason; the Therapy Manager is notified."""
    override = Override.objects.select_for_update().select_related("referral").get(pk=override.pk)
    permissions.require_may_answer_override(by, override)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the override should be reviewed"})
    if not override.awaiting_acknowledgement:
        raise ValidationError("This override has already been acknowledged or sent for review.")
    override.review_requested_at, override.review_requested_by = timezone.now(), by
    override.review_reason = reason
    save_with_history(override, by)
    referral = override.referral
    notify_all(
        [
            Notification(
                recipient_id=override.by_id,
                key=f"override-review:{override.pk}",
                message=f"{by} asks you to review your override for {referral.name} "
                f"({referral.prison_number}): {reason}"[:300],
                url=reverse("referrals:detail", args=[referral.pk]),
                about=referral.prison_number,
            )
        ]
    )
    return override


@transaction.atomic
def referral_recommend(*, referral: Referral, by, recommendation: str, reasons: str):
    """A clinician's recommendation to the Therapy Manager, at the decision stage."""
    referral = _locked(referral)
    permissions.require(by, "progress_referral", referral)
    if referral.status != Status.DECISION:
        raise ValidationError("A recommendation is made when the referral awaits a decision.")
    if not reasons.strip():
        raise ValidationError({"reasons": "Enter the reasons for the recommendation"})
    return save_with_history(
        Recommendation(referral=referral, by=by, recommendation=recommendation, reasons=reasons),
        by,
    )


@transaction.atomic
def referral_decline(*, referral: Referral, by, reason: str) -> Referral:
    referral = _locked(referral)
    permissions.require(by, "decide_referral", referral)
    if not reason.strip():
        raise ValidationError("Enter why the referral is declined.")
    referral.decided_on = timezone.localdate()
    return _move(referral, Status.DECLINED, by=by, note=reason)


@transaction.atomic
def referral_defer(*, referral: Referral, by, rereview_on: date, note: str) -> Referral:
    """Suitable but not ready now: set a date to look at the referral again."""
    referral = _locked(referral)
    permissions.require(by, "decide_referral", referral)
    if rereview_on <= timezone.localdate():
        raise ValidationError("The re-review date must be in the future.")
    referral.rereview_on = rereview_on
    referral.decided_on = timezone.localdate()
    return _move(referral, Status.DEFERRED, by=by, note=note)


@transaction.atomic
def referral_rereview(*, referral: Referral, by, note: str = "") -> Referral:
    """Bring a deferred referral back for a decision."""
    referral = _locked(referral)
    permissions.require(by, "decide_referral", referral)
    referral.rereview_on = None
    return _move(referral, Status.DECISION, by=by, note=note)


@transaction.atomic
def referral_admit(*, referral: Referral, by, admitted_on: date) -> Resident:
    """Admit from the waiting list: the residents app admits the person (refused when
    every bed is taken) and the referral closes."""
    referral = _locked(referral)
    permissions.require(by, "admit_resident", referral)
    if referral.status != Status.ACCEPTED:
        raise ValidationError("Only a referral on the waiting list can be admitted.")
    resident = resident_admit(
        community=referral.community,
        prison_number=referral.prison_number,
        first_name=referral.first_name,
        last_name=referral.last_name,
        date_of_birth=referral.date_of_birth,
        admitted_on=admitted_on,
        by=by,
    )
    referral.resident = resident
    _move(referral, Status.ADMITTED, by=by, note=f"Admitted on {admitted_on:%-d %B %Y}.")
    return resident


@transaction.atomic
def criterion_add(
    *, community: Community, by, text: str, kind: str, threshold: int | None = None
) -> SuitabilityCriterion:
    permissions.require(by, "manage_criteria", community)
    last = community.suitability_criteria.order_by("-position").first()
    criterion = SuitabilityCriterion(
        community=community,
        text=text,
        kind=kind,
        threshold=threshold,
        position=(last.position + 1) if last else 1,
    )
    if criterion.computed and not threshold:
        raise ValidationError("A computed criterion needs the number it must reach.")
    return save_with_history(criterion, by)


@transaction.atomic
def criterion_move(*, criterion: SuitabilityCriterion, by, up: bool) -> SuitabilityCriterion:
    """Swap a criterion with its neighbour in the community's order."""
    permissions.require(by, "manage_criteria", criterion)
    siblings = list(
        criterion.community.suitability_criteria.filter(retired=False).order_by("position", "pk")
    )
    index = next(i for i, c in enumerate(siblings) if c.pk == criterion.pk)
    other_index = index - 1 if up else index + 1
    if 0 <= other_index < len(siblings):
        siblings[index], siblings[other_index] = siblings[other_index], siblings[index]
        for position, sibling in enumerate(siblings, start=1):
            if sibling.position != position:
                sibling.position = position
                save_with_history(sibling, by)
    return criterion


@transaction.atomic
def criterion_retire(*, criterion: SuitabilityCriterion, by) -> SuitabilityCriterion:
    """Stop using a criterion for new decisions; kept, with every outcome recorded against it."""
    permissions.require(by, "manage_criteria", criterion)
    criterion.retired = True
    return save_with_history(criterion, by)
