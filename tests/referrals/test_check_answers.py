"""Every decision or recommendation recorded against the user's name on a referral shows
check-your-answers first, each answer with a Change link back to its question."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import Recommendation, Status
from tests.referrals.factories import ReferralFactory, at_decision, default_criteria, status_of

LATER = timezone.localdate() + timedelta(days=90)
DEFER = {
    "rereview_on_day": LATER.day,
    "rereview_on_month": LATER.month,
    "rereview_on_year": LATER.year,
    "note": "Finish the drug treatment programme first.",
}
RECOMMEND = {"recommendation": "accept", "reasons": "Motivated and meets every criterion."}


@pytest.fixture
def deciding(cast):
    default_criteria(cast.a, cast.tm_a)
    return at_decision(ReferralFactory(community=cast.a), cast.clinician_a)


@pytest.mark.parametrize(
    "name, who, answers, labels",
    [
        (
            "referral_defer",
            "tm_a",
            DEFER,
            ["Date to look at the referral again", "What needs to change before then"],
        ),
        ("referral_decline", "tm_a", {"note": "Not motivated."}, ["Reason"]),
        ("referral_accept", "tm_a", {"priority": "2"}, ["Priority on the waiting list"]),
        ("referral_recommend", "clinician_a", RECOMMEND, ["Your recommendation", "Reasons"]),
    ],
)
def test_check_your_answers_has_a_change_link_for_each_answer(
    client, cast, deciding, name, who, answers, labels
):
    client.force_login(getattr(cast, who))
    page = client.post(reverse(f"referrals:{name}", args=[deciding.pk]), answers).content.decode()
    assert 'data-testid="answers"' in page
    for label in labels:
        assert f'Change<span class="govuk-visually-hidden"> {label}</span>' in page, label
    assert status_of(deciding) == Status.DECISION
    assert not Recommendation.objects.exists()


def test_change_goes_back_to_the_form_filled_in(client, cast, deciding):
    client.force_login(cast.tm_a)
    url = reverse("referrals:referral_defer", args=[deciding.pk])
    page = client.post(url, DEFER | {"change": "1"}).content.decode()
    assert "Finish the drug treatment programme first." in page
    assert 'data-testid="answers"' not in page
    assert status_of(deciding) == Status.DECISION


def test_confirming_defers(client, cast, deciding):
    client.force_login(cast.tm_a)
    url = reverse("referrals:referral_defer", args=[deciding.pk])
    assert client.post(url, DEFER | {"confirm": "1"}).status_code == 302
    assert status_of(deciding) == Status.DEFERRED
