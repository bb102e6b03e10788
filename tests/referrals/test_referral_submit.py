from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.forms import ReferralForm
from referrals.models import Referral, Transition
from tests.referrals.factories import ReferralFactory

TODAY = timezone.localdate()


def form_data(**overrides):
    data = {
        "prison_number": "a1234bc",
        "first_name": "Daniel",
        "last_name": "Marsh",
        "date_of_birth_day": "2",
        "date_of_birth_month": "4",
        "date_of_birth_year": "1988",
        "sentence_type": "determinate",
        "sentence_expiry_date_day": "1",
        "sentence_expiry_date_month": "1",
        "sentence_expiry_date_year": str(TODAY.year + 6),
        "risk_level": "high",
        "source": "omu",
        "reason": "Wants to work on his violence.",
        "referred_on_day": str(TODAY.day),
        "referred_on_month": str(TODAY.month),
        "referred_on_year": str(TODAY.year),
    }
    data.update(overrides)
    return data


def test_the_prison_number_is_upper_cased():
    form = ReferralForm(form_data())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["prison_number"] == "A1234BC"


@pytest.mark.parametrize("number", ["A123BC", "11234BC", "A1234B1", "A12345BC", ""])
def test_a_malformed_prison_number_is_refused(number):
    form = ReferralForm(form_data(prison_number=number))
    assert not form.is_valid()
    assert form.errors["prison_number"] in (
        ["Enter the prison number in the format A1234BC"],
        ["Enter the prison number"],
    )


def test_the_person_must_be_an_adult_on_the_referral_date():
    seventeen = TODAY - timedelta(days=17 * 365)
    form = ReferralForm(
        form_data(
            date_of_birth_day=str(seventeen.day),
            date_of_birth_month=str(seventeen.month),
            date_of_birth_year=str(seventeen.year),
        )
    )
    assert form.errors["date_of_birth"] == ["The person must be 18 or over on the date of referral"]


def test_a_life_sentence_needs_its_tariff_date():
    form = ReferralForm(form_data(sentence_type="life"))
    assert form.errors["tariff_or_parole_date"] == [
        "Enter the tariff expiry date for a life or IPP sentence"
    ]


def test_an_impossible_date_is_refused_clearly():
    form = ReferralForm(
        form_data(date_of_birth_day="31", date_of_birth_month="2", date_of_birth_year="1988")
    )
    assert form.errors["date_of_birth"] == [
        "Date of birth must be a real date, for example 27 3 2007"
    ]


def submit(cast, **details):
    defaults = dict(
        prison_number="A1234BC",
        first_name="Daniel",
        last_name="Marsh",
        date_of_birth=date(1988, 4, 2),
        sentence_type="determinate",
        sentence_expiry_date=TODAY + timedelta(days=2000),
        risk_level="high",
        source="omu",
        reason="Violence.",
        referred_on=TODAY,
    )
    return services.referral_submit(community=cast.a, by=cast.officer_a, **(defaults | details))


def test_an_officer_submits_a_referral_which_is_received(cast):
    referral = submit(cast)
    assert referral.status == "received"
    transition = Transition.objects.get(referral=referral)
    assert (transition.from_status, transition.to_status, transition.by) == (
        "",
        "received",
        cast.officer_a,
    )


def test_a_second_open_referral_of_the_same_person_is_refused_with_a_link(cast):
    first = submit(cast)
    with pytest.raises(ValidationError) as refused:
        submit(cast, prison_number="a1234bc")
    assert reverse("referrals:detail", args=[first.pk]) in refused.value.messages[0]
    assert Referral.objects.count() == 1


def test_the_same_person_may_be_referred_again_once_the_referral_is_closed(cast):
    first = submit(cast)
    services.referral_withdraw(referral=first, by=cast.clinician_a, note="Moved prison.")
    assert submit(cast).status == "received"


def test_the_same_person_may_be_referred_to_another_community(cast):
    # Once the referrer confirms the warning that the person is already known.
    submit(cast)
    second = services.referral_submit(
        known_person_confirmed=True,
        community=cast.b,
        by=cast.tm_b,
        prison_number="A1234BC",
        first_name="Daniel",
        last_name="Marsh",
        date_of_birth=date(1988, 4, 2),
        sentence_type="determinate",
        sentence_expiry_date=TODAY + timedelta(days=2000),
        risk_level="high",
        source="omu",
        reason="Violence.",
        referred_on=TODAY,
    )
    assert second.community == cast.b
    assert second.known_person_warning_seen


def test_a_trainee_cannot_submit(cast):
    with pytest.raises(PermissionDenied):
        services.referral_submit(community=cast.a, by=cast.trainee_a, **{})


def test_the_intake_page_shows_the_duplicate_refusal_in_the_error_summary(client, cast):
    existing = ReferralFactory(community=cast.a, prison_number="A1234BC")
    client.force_login(cast.tm_a)
    response = client.post(reverse("referrals:referral_submit"), form_data())
    page = response.content.decode()
    assert "There is a problem" in page
    assert f'href="{reverse("referrals:detail", args=[existing.pk])}"' in page
    assert Referral.objects.count() == 1


def test_the_intake_page_creates_the_referral(client, cast):
    client.force_login(cast.tm_a)
    response = client.post(reverse("referrals:referral_submit"), form_data())
    referral = Referral.objects.get()
    assert response.url == reverse("referrals:detail", args=[referral.pk])
    assert (referral.prison_number, referral.community, referral.submitted_by) == (
        "A1234BC",
        cast.a,
        cast.tm_a,
    )
