"""What correcting a progress entry (dtc.corrections) checks and keeps consistent on the
resident record: the amended copy is held to its create service's rules, and the next
review date follows the reviews still in effect."""

from django.core.exceptions import ValidationError

from dtc.history import save_with_history

from ..models import DecisionKind, Resident, add_months
from ._rules import not_in_future

__all__ = ["next_review_recompute"]


def _dated(field: str, what: str):
    def prepare(amendment, related):
        not_in_future(getattr(amendment, field), field, what)

    return prepare


prepare_review = _dated("held_on", "of the review")
prepare_incident = _dated("occurred_on", "of the incident")
prepare_risk = _dated("assessed_on", "of the assessment")
prepare_acct = _dated("opened_on", "the ACCT was opened")


def prepare_decision(amendment, related):
    not_in_future(amendment.decided_on, "decided_on", "of the decision")
    if not amendment.rationale.strip():
        raise ValidationError({"rationale": "Enter the rationale for the decision"})
    if amendment.kind != DecisionKind.DOSAGE:
        amendment.weekly_hours = None
    elif amendment.weekly_hours is None:
        raise ValidationError({"weekly_hours": "Enter the new expected hours a week"})


def next_review_recompute(*, resident: Resident, by) -> Resident:
    """The next therapy review falls due one interval after the latest review in effect
    was held (one interval after admission when none is): what completing the reviews
    still in effect would have set."""
    resident = Resident.objects.select_for_update().select_related("community").get(pk=resident.pk)
    latest = resident.reviews.in_effect().order_by("-held_on", "-pk").first()
    interval = resident.community.review_interval_months
    due = (
        add_months(latest.held_on, interval)
        if latest
        else add_months(resident.admitted_on, interval)
    )
    if due != resident.next_review_on:
        resident.next_review_on = due
        save_with_history(resident, by)
    return resident


def review_corrected(original, amendment, by):
    next_review_recompute(resident=original.resident, by=by)
