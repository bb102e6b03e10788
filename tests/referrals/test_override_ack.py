"""An override tells the Head of Psychotherapy, who acknowledges it or asks the Therapy
Manager who made it for a review, with a reason. Only the HoP may; a restricted
person's override stays hidden from a HoP not named on it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from dtc.models import Notification
from dtc.selectors import notifications_for
from referrals import selectors, services
from referrals.models import Override, Priority
from tests.referrals.factories import ReferralFactory, at_decision, default_criteria

RATIONALE = "Parole board asked for evidence of therapeutic work; he can complete the core treatment in time."
REASON = "The time left to serve is too short for the core programme: talk it through with me."


def overridden(cast, **details):
    """A referral of community A accepted by tm_a with an override of the time to serve."""
    if not cast.a.suitability_criteria.exists():
        default_criteria(cast.a, cast.tm_a)
    referral = ReferralFactory(
        community=cast.a,
        sentence_expiry_date=timezone.localdate() + timedelta(days=365),
        tariff_or_parole_date=None,
        **details,
    )
    at_decision(referral, cast.clinician_a)
    services.referral_accept(
        referral=referral, by=cast.tm_a, priority=Priority.HIGH, rationale=RATIONALE
    )
    return Override.objects.get(referral=referral)


@pytest.fixture
def override(cast):
    return overridden(cast)


def test_an_override_notifies_the_head_of_psychotherapy(cast, override):
    notification = Notification.objects.get(recipient=cast.hop)
    assert override.referral.prison_number in notification.message
    assert notification.url == reverse("referrals:detail", args=[override.referral_id])
    assert not Notification.objects.exclude(recipient=cast.hop).exists()


def test_a_restricted_persons_override_notification_is_hidden_from_an_unnamed_hop(cast, override):
    services.referral_restrict(
        referral=override.referral, staff=[cast.clinician_a], reason="High profile", by=cast.tm_a
    )
    assert Notification.objects.filter(recipient=cast.hop).exists()
    assert not notifications_for(cast.hop).exists()


def test_the_hop_acknowledges(cast, override):
    services.override_acknowledge(override=override, by=cast.hop)
    override.refresh_from_db()
    assert override.acknowledged_by == cast.hop and override.acknowledged_at
    assert not selectors.overrides_awaiting_acknowledgement(cast.hop).exists()


def test_an_override_is_acknowledged_once(cast, override):
    services.override_acknowledge(override=override, by=cast.hop)
    with pytest.raises(ValidationError):
        services.override_acknowledge(override=override, by=cast.hop)


@pytest.mark.parametrize("who", ["tm_a", "clinician_a", "tm_b"])
def test_only_the_hop_acknowledges(cast, override, who):
    with pytest.raises((PermissionDenied, Http404)):
        services.override_acknowledge(override=override, by=getattr(cast, who))
    override.refresh_from_db()
    assert override.acknowledged_at is None


def test_a_hop_not_named_on_a_restricted_person_cannot_answer(cast, override):
    services.referral_restrict(
        referral=override.referral, staff=[cast.clinician_a], reason="High profile", by=cast.tm_a
    )
    with pytest.raises(Http404):
        services.override_acknowledge(override=override, by=cast.hop)
    assert not selectors.overrides_awaiting_acknowledgement(cast.hop).exists()


def test_the_hop_asks_for_a_review_and_the_therapy_manager_is_told(cast, override):
    services.override_request_review(override=override, by=cast.hop, reason=REASON)
    override.refresh_from_db()
    assert (override.review_requested_by, override.review_reason) == (cast.hop, REASON)
    assert override.acknowledged_at is None
    told = Notification.objects.get(recipient=cast.tm_a)
    assert REASON in told.message
    assert not selectors.overrides_awaiting_acknowledgement(cast.hop).exists()


def test_a_review_needs_a_reason(cast, override):
    with pytest.raises(ValidationError):
        services.override_request_review(override=override, by=cast.hop, reason=" ")
    override.refresh_from_db()
    assert override.review_requested_at is None


def test_only_the_hop_asks_for_a_review(cast, override):
    with pytest.raises(PermissionDenied):
        services.override_request_review(override=override, by=cast.tm_a, reason=REASON)


def test_awaiting_acknowledgement_lists_the_overrides_not_yet_answered(cast, override):
    answered = overridden(cast)
    services.override_acknowledge(override=answered, by=cast.hop)
    assert list(selectors.overrides_awaiting_acknowledgement(cast.hop)) == [override]
    assert not selectors.overrides_awaiting_acknowledgement(cast.tm_b).exists()


def test_the_acknowledge_button_acknowledges(client, cast, override):
    client.force_login(cast.hop)
    response = client.post(reverse("referrals:override_acknowledge", args=[override.pk]))
    assert response.status_code == 302
    override.refresh_from_db()
    assert override.acknowledged_by == cast.hop


def test_the_therapy_manager_cannot_acknowledge_through_the_page(client, cast, override):
    client.force_login(cast.tm_a)
    response = client.post(reverse("referrals:override_acknowledge", args=[override.pk]))
    assert response.status_code == 403


def test_the_review_page_asks_for_the_reason(client, cast, override):
    client.force_login(cast.hop)
    url = reverse("referrals:override_request_review", args=[override.pk])
    assert RATIONALE in client.get(url).content.decode()
    refused = client.post(url, {"reason": ""})
    assert "Enter why the override should be reviewed" in refused.content.decode()
    assert client.post(url, {"reason": REASON}).status_code == 302
    override.refresh_from_db()
    assert override.review_reason == REASON


def test_the_referral_page_shows_the_acknowledgement(client, cast, override):
    services.override_acknowledge(override=override, by=cast.hop)
    client.force_login(cast.tm_a)
    page = client.get(reverse("referrals:detail", args=[override.referral_id])).content.decode()
    assert f"Acknowledged by {cast.hop}" in page
