"""On a referral awaiting a decision the decision leads: Accept, Defer and Decline come
first as buttons, and recording an interview is a secondary link after them."""

from django.urls import reverse

from tests.referrals.factories import ReferralFactory, at_decision, default_criteria


def actions_of(client, referral) -> str:
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    start = page.index('data-testid="actions"')
    return page[start : page.index("</div>", start)]


def test_the_decision_comes_before_the_interview(client, cast):
    default_criteria(cast.a, cast.tm_a)
    referral = at_decision(ReferralFactory(community=cast.a), cast.clinician_a)
    client.force_login(cast.tm_a)
    actions = actions_of(client, referral)
    interview = actions.index(reverse("referrals:referral_record_interview", args=[referral.pk]))
    for name in ("referral_accept", "referral_defer", "referral_decline"):
        assert actions.index(reverse(f"referrals:{name}", args=[referral.pk])) < interview, name
    link = actions[actions.rindex("<a", 0, interview) : interview]
    assert "govuk-button" not in link and "govuk-link" in link


def test_the_clinician_sees_the_recommendation_before_the_interview(client, cast):
    default_criteria(cast.a, cast.tm_a)
    referral = at_decision(ReferralFactory(community=cast.a), cast.clinician_a)
    client.force_login(cast.clinician_a)
    actions = actions_of(client, referral)
    assert reverse("referrals:referral_accept", args=[referral.pk]) not in actions
    assert actions.index(
        reverse("referrals:referral_recommend", args=[referral.pk])
    ) < actions.index(reverse("referrals:referral_record_interview", args=[referral.pk]))
