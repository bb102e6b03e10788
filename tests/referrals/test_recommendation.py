"""A clinician records a recommendation (accept, defer or decline, with reasons) on a
referral awaiting a decision; the Therapy Manager reads it on the referral and on the
decision pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from referrals import services
from referrals.models import Recommendation
from tests.referrals.factories import ReferralFactory, at_decision, default_criteria

REASONS = "Motivated, understands the TC rules; his risk work fits the core programme."


@pytest.fixture
def deciding(cast):
    default_criteria(cast.a, cast.tm_a)
    return at_decision(ReferralFactory(community=cast.a), cast.clinician_a)


def test_a_clinician_recommends_with_reasons(cast, deciding):
    recommendation = services.referral_recommend(
        referral=deciding, by=cast.clinician_a, recommendation="accept", reasons=REASONS
    )
    assert (recommendation.by, recommendation.recommendation, recommendation.reasons) == (
        cast.clinician_a,
        "accept",
        REASONS,
    )
    assert recommendation.made_at


def test_reasons_are_required(cast, deciding):
    with pytest.raises(ValidationError):
        services.referral_recommend(
            referral=deciding, by=cast.clinician_a, recommendation="decline", reasons="  "
        )
    assert not Recommendation.objects.exists()


def test_a_recommendation_is_made_only_at_the_decision_stage(cast):
    received = ReferralFactory(community=cast.a)
    with pytest.raises(ValidationError, match="awaits a decision"):
        services.referral_recommend(
            referral=received, by=cast.clinician_a, recommendation="defer", reasons=REASONS
        )


@pytest.mark.parametrize("who", ["officer_a", "trainee_a", "clinician_b"])
def test_only_those_who_progress_referrals_here_recommend(cast, deciding, who):
    with pytest.raises((PermissionDenied, Http404)):
        services.referral_recommend(
            referral=deciding, by=getattr(cast, who), recommendation="accept", reasons=REASONS
        )
    assert not Recommendation.objects.exists()


def test_the_recommendation_page_records_it(client, cast, deciding):
    client.force_login(cast.clinician_a)
    url = reverse("referrals:referral_recommend", args=[deciding.pk])
    assert client.get(url).status_code == 200
    answers = {"recommendation": "defer", "reasons": REASONS}
    check = client.post(url, answers)
    assert "Check your recommendation" in check.content.decode()
    assert not Recommendation.objects.exists()
    response = client.post(url, answers | {"confirm": "1"})
    assert response.status_code == 302
    assert Recommendation.objects.get().recommendation == "defer"


def test_the_page_names_the_missing_answers(client, cast, deciding):
    client.force_login(cast.clinician_a)
    response = client.post(
        reverse("referrals:referral_recommend", args=[deciding.pk]), {"reasons": ""}
    )
    page = response.content.decode()
    assert "Choose accept, defer or decline" in page
    assert "Enter the reasons for the recommendation" in page


def test_the_therapy_manager_sees_it_on_the_referral_and_the_decision_pages(client, cast, deciding):
    services.referral_recommend(
        referral=deciding, by=cast.clinician_a, recommendation="decline", reasons=REASONS
    )
    client.force_login(cast.tm_a)
    for name in ("detail", "referral_accept", "referral_defer", "referral_decline"):
        page = client.get(reverse(f"referrals:{name}", args=[deciding.pk])).content.decode()
        shown = page[page.index('data-testid="recommendations"') :]
        assert "Recommends: decline" in shown, name
        assert REASONS.replace("'", "&#x27;") in shown, name
