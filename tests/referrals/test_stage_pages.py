"""Each stage page says what the stage is and what happens next, and moving a referral
on shows a success banner naming the referral and the stage."""

import pytest
from django.urls import reverse

from referrals.views.workflow import STEPS
from tests.referrals.factories import ReferralFactory


def test_the_screening_page_says_what_screening_is_and_what_comes_next(client, cast):
    referral = ReferralFactory(community=cast.a)
    client.force_login(cast.clinician_a)
    page = client.get(reverse("referrals:step", args=[referral.pk, "screening"])).content.decode()
    assert "Screening checks the referral is complete" in page
    assert "What happens next" in page
    assert "start the assessment" in page
    assert "Note (optional)" in page


def test_starting_screening_shows_a_banner_naming_the_referral(client, cast):
    referral = ReferralFactory(community=cast.a, prison_number="A1234BC")
    client.force_login(cast.clinician_a)
    response = client.post(
        reverse("referrals:step", args=[referral.pk, "screening"]), {"note": ""}, follow=True
    )
    page = response.content.decode()
    assert "govuk-notification-banner--success" in page
    assert "Screening started for A1234BC." in page
    assert "Start screening: done." not in page


@pytest.mark.parametrize("name", sorted(STEPS))
def test_every_stage_says_what_it_is_what_comes_next_and_names_the_referral_when_done(name):
    step = STEPS[name]
    assert step.about and step.next
    assert "{prison_number}" in step.done
