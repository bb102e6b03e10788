"""Progress: reviews, incidents, risk, ACCT and therapy decisions."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from dtc import permissions
from dtc.history import save_with_history

from ..models import (
    AcctPeriod,
    DecisionKind,
    Incident,
    Resident,
    RiskAssessment,
    TherapyDecision,
    TherapyReview,
    add_months,
)
from ._rules import not_in_future, require_current

__all__ = [
    "acct_close",
    "acct_open",
    "decision_record",
    "incident_record",
    "review_complete",
    "risk_assess",
]


@transaction.atomic
def review_complete(*, resident: Resident, held_on: date, outcome: str, summary: str, by):
    """Complete the therapy review that is due; the next falls due one interval after
    this one is held (an early review brings the next one forward with it)."""
    permissions.require(by, "write_clinical", resident)
    resident = Resident.objects.select_for_update().select_related("community").get(pk=resident.pk)
    require_current(resident)
    not_in_future(held_on, "held_on", "of the review")
    review = save_with_history(
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
    resident.next_review_on = add_months(held_on, resident.community.review_interval_months)
    save_with_history(resident, by)
    return review


@transaction.atomic
def incident_record(
    *, resident: Resident, occurred_on: date, kind: str, seriousness: str, description: str, by
):
    """Record an incident or rule break (any member of the community's staff team)."""
    permissions.require(by, "record_attendance", resident)
    require_current(resident)
    not_in_future(occurred_on, "occurred_on", "of the incident")
    return save_with_history(
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
    require_current(resident)
    not_in_future(assessed_on, "assessed_on", "of the assessment")
    return save_with_history(
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
    require_current(resident)
    not_in_future(opened_on, "opened_on", "the ACCT was opened")
    if (
        resident.acct_periods.in_effect()
        .select_for_update()
        .filter(closed_on__isnull=True)
        .exists()
    ):
        raise ValidationError("An ACCT is already open for this resident.")
    return save_with_history(
        AcctPeriod(resident=resident, opened_on=opened_on, reason=reason, opened_by=by), by
    )


@transaction.atomic
def acct_close(*, resident: Resident, closed_on: date, by) -> AcctPeriod:
    """Close the resident's open ACCT period."""
    permissions.require(by, "record_attendance", resident)
    period = (
        resident.acct_periods.in_effect().select_for_update().filter(closed_on__isnull=True).first()
    )
    if period is None:
        raise ValidationError("There is no open ACCT to close.")
    not_in_future(closed_on, "closed_on", "the ACCT was closed")
    if closed_on < period.opened_on:
        raise ValidationError({"closed_on": "The ACCT cannot close before it was opened"})
    period.closed_on = closed_on
    period.closed_by = by
    return save_with_history(period, by)


@transaction.atomic
def decision_record(
    *, resident: Resident, kind: str, decided_on: date, rationale: str, weekly_hours=None, by
):
    """Record a decision on continuation, termination or dosage, with its rationale."""
    permissions.require(by, "decide_therapy", resident)
    require_current(resident)
    not_in_future(decided_on, "decided_on", "of the decision")
    if not rationale.strip():
        raise ValidationError({"rationale": "Enter the rationale for the decision"})
    if kind == DecisionKind.DOSAGE and weekly_hours is None:
        raise ValidationError({"weekly_hours": "Enter the new expected hours a week"})
    return save_with_history(
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
