"""Accepting, and the override of failed criteria: only with the permission and a
written rationale, and always on the record."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.models import CriterionOutcome, Override, Priority, Status
from tests.referrals.factories import ReferralFactory, at_decision, default_criteria, status_of

RATIONALE = "Parole board asked for evidence of therapeutic work; he can complete the core treatment in time."


@pytest.fixture
def short_sentence(cast):
    """A referral awaiting decision with 12 months left to serve: fails the 18-month criterion."""
    default_criteria(cast.a, cast.tm_a)
    referral = ReferralFactory(
        community=cast.a,
        sentence_expiry_date=timezone.localdate() + timedelta(days=365),
        tariff_or_parole_date=None,
    )
    return at_decision(referral, cast.clinician_a)


@pytest.fixture
def suitable(cast):
    default_criteria(cast.a, cast.tm_a)
    return at_decision(ReferralFactory(community=cast.a), cast.clinician_a)


def test_a_suitable_referral_is_accepted_without_an_override(cast, suitable):
    referral = services.referral_accept(referral=suitable, by=cast.tm_a, priority=Priority.HIGH)
    assert (referral.status, referral.priority, referral.accepted_on) == (
        Status.ACCEPTED,
        Priority.HIGH,
        timezone.localdate(),
    )
    assert not Override.objects.exists()


def test_computed_criteria_are_fixed_at_the_decision_date(cast, suitable):
    services.referral_accept(referral=suitable, by=cast.tm_a, priority=Priority.HIGH)
    outcome = CriterionOutcome.objects.get(referral=suitable, criterion__kind="time_to_serve")
    assert outcome.outcome == "met"
    assert "months left to serve" in outcome.evidence


def test_a_plain_accept_of_a_failing_referral_is_refused(cast, short_sentence):
    with pytest.raises(ValidationError, match="at least 50 characters"):
        services.referral_accept(referral=short_sentence, by=cast.tm_a, priority=Priority.HIGH)
    assert status_of(short_sentence) == Status.DECISION
    assert not Override.objects.exists()
    assert not CriterionOutcome.objects.filter(criterion__kind="time_to_serve").exists()


def test_a_short_rationale_is_refused(cast, short_sentence):
    with pytest.raises(ValidationError):
        services.referral_accept(
            referral=short_sentence,
            by=cast.tm_a,
            priority=Priority.HIGH,
            rationale="He asked nicely.",
        )
    assert status_of(short_sentence) == Status.DECISION


def test_the_therapy_manager_overrides_with_a_rationale(cast, short_sentence):
    services.referral_accept(
        referral=short_sentence, by=cast.tm_a, priority=Priority.HIGH, rationale=RATIONALE
    )
    override = Override.objects.get()
    assert (override.by, override.rationale, override.community) == (cast.tm_a, RATIONALE, cast.a)
    assert [c.kind for c in override.criteria.all()] == ["time_to_serve"]
    assert status_of(short_sentence) == Status.ACCEPTED


def test_the_head_of_psychotherapy_may_override(cast, short_sentence):
    services.referral_accept(
        referral=short_sentence, by=cast.hop, priority=Priority.HIGH, rationale=RATIONALE
    )
    assert Override.objects.get().by == cast.hop


def test_an_unassessed_criterion_counts_as_failing(cast):
    default_criteria(cast.a, cast.tm_a)
    referral = ReferralFactory(community=cast.a)
    services.referral_start_screening(referral=referral, by=cast.clinician_a)
    services.referral_start_assessment(referral=referral, by=cast.clinician_a)
    services.referral_ready_for_decision(referral=referral, by=cast.clinician_a)
    services.referral_accept(
        referral=referral, by=cast.tm_a, priority=Priority.ROUTINE, rationale=RATIONALE
    )
    assert Override.objects.get().criteria.count() == 5


@pytest.mark.parametrize("who", ["clinician_a", "officer_a", "trainee_a", "auditor_a", "tm_b"])
def test_nobody_else_can_accept_or_override(cast, short_sentence, who):
    with pytest.raises(PermissionDenied):
        services.referral_accept(
            referral=short_sentence,
            by=getattr(cast, who),
            priority=Priority.HIGH,
            rationale=RATIONALE,
        )
    assert status_of(short_sentence) == Status.DECISION
    assert not Override.objects.exists()


def test_a_clinician_attempting_the_override_by_http_gets_403(client, cast, short_sentence):
    client.force_login(cast.clinician_a)
    url = reverse("referrals:referral_accept", args=[short_sentence.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"priority": "1", "rationale": RATIONALE, "confirm": "1"})
    assert response.status_code == 403
    assert status_of(short_sentence) == Status.DECISION


def test_accepting_goes_through_check_your_answers(client, cast, short_sentence):
    client.force_login(cast.tm_a)
    url = reverse("referrals:referral_accept", args=[short_sentence.pk])
    check = client.post(url, {"priority": "2", "rationale": RATIONALE})
    page = check.content.decode()
    assert "Check before you accept" in page
    assert "At least 18 months left to serve" in page
    assert status_of(short_sentence) == Status.DECISION
    done = client.post(url, {"priority": "2", "rationale": RATIONALE, "confirm": "1"})
    assert done.status_code == 302
    assert status_of(short_sentence) == Status.ACCEPTED


def test_a_change_link_on_the_check_page_shows_the_answers_again(client, cast, short_sentence):
    client.force_login(cast.tm_a)
    url = reverse("referrals:referral_accept", args=[short_sentence.pk])
    check = client.post(url, {"priority": "2", "rationale": RATIONALE}).content.decode()
    assert 'formaction="#id_rationale"' in check

    again = client.post(url, {"priority": "2", "rationale": RATIONALE, "change": "1"})
    page = again.content.decode()
    assert "Accept with an override" in page and "Check before you accept" not in page
    assert RATIONALE in page
    assert status_of(short_sentence) == Status.DECISION


def test_the_accept_form_asks_for_the_rationale_next_to_the_field(client, cast, short_sentence):
    client.force_login(cast.tm_a)
    response = client.post(
        reverse("referrals:referral_accept", args=[short_sentence.pk]),
        {"priority": "2", "rationale": "Too short"},
    )
    page = response.content.decode()
    assert "Write a clinical rationale of at least 50 characters (you have written 9)" in page
    assert 'href="#id_rationale"' in page


def test_overrides_are_listed_for_the_head_of_psychotherapy(client, cast, short_sentence):
    services.referral_accept(
        referral=short_sentence, by=cast.tm_a, priority=Priority.HIGH, rationale=RATIONALE
    )
    client.force_login(cast.hop)
    page = client.get(reverse("referrals:overrides")).content.decode()
    assert short_sentence.name in page
    assert "At least 18 months left to serve" in page
