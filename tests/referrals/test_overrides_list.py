"""The overrides list: each override's rationale and acknowledgement state, filtered by
community and by the days made (the dates checked), in pages; a restricted person's
override is absent for anyone not named on it."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.models import Override
from tests.referrals.factories import ReferralFactory

URL = reverse("referrals:overrides")


def override(community, by, *, made_days_ago=0, rationale="Engages well; the shortfall is small."):
    made = Override.objects.create(
        referral=ReferralFactory(community=community),
        community=community,
        by=by,
        rationale=rationale,
    )
    at = timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()))
    # `at` is set on creation; a test dates it in the past directly.
    Override.objects.filter(pk=made.pk).update(
        at=at - timedelta(days=made_days_ago) + timedelta(hours=12)
    )
    made.refresh_from_db()
    return made


def rows(response) -> set[int]:
    return {o.pk for o in response.context["page"].object_list}


@pytest.fixture
def hop(client, cast):
    client.force_login(cast.hop)
    return client


def test_the_list_shows_the_rationale_and_the_acknowledgement_state(hop, cast):
    waiting = override(cast.a, cast.tm_a, rationale="Waiting rationale for the list.")
    answered = override(cast.a, cast.tm_a, rationale="Answered rationale for the list.")
    services.override_acknowledge(override=answered, by=cast.hop)
    page = hop.get(URL).content.decode()
    assert "Waiting rationale for the list." in page
    assert "Answered rationale for the list." in page
    row = page[page.index(f'data-testid="override-{waiting.pk}"') :]
    assert "Not acknowledged" in row[: row.index("</tr>")]
    assert reverse("referrals:override_acknowledge", args=[waiting.pk]) in page
    row = page[page.index(f'data-testid="override-{answered.pk}"') :]
    assert "Acknowledged" in row[: row.index("</tr>")]


def test_the_therapy_manager_sees_the_state_but_no_buttons(client, cast):
    made = override(cast.a, cast.tm_a)
    client.force_login(cast.tm_a)
    page = client.get(URL).content.decode()
    assert "Not acknowledged" in page
    assert reverse("referrals:override_acknowledge", args=[made.pk]) not in page


def test_filters_by_community(hop, cast):
    in_a = override(cast.a, cast.tm_a)
    in_b = override(cast.b, cast.tm_b)
    assert rows(hop.get(URL)) == {in_a.pk, in_b.pk}
    assert rows(hop.get(URL, {"community": cast.b.pk})) == {in_b.pk}


def test_filters_by_the_days_made(hop, cast):
    old = override(cast.a, cast.tm_a, made_days_ago=60)
    recent = override(cast.a, cast.tm_a, made_days_ago=10)
    today = override(cast.a, cast.tm_a)
    start = timezone.localdate() - timedelta(days=30)
    end = timezone.localdate() - timedelta(days=1)
    period = {
        "made_from_day": start.day,
        "made_from_month": start.month,
        "made_from_year": start.year,
        "made_to_day": end.day,
        "made_to_month": end.month,
        "made_to_year": end.year,
    }
    assert rows(hop.get(URL, period)) == {recent.pk}
    since = {k: v for k, v in period.items() if k.startswith("made_from")}
    assert rows(hop.get(URL, since)) == {recent.pk, today.pk}
    assert old.pk in rows(hop.get(URL))


def test_a_period_that_ends_before_it_starts_is_refused_beside_the_field(hop, cast):
    override(cast.a, cast.tm_a)
    today = timezone.localdate()
    earlier = today - timedelta(days=5)
    response = hop.get(
        URL,
        {
            "made_from_day": today.day,
            "made_from_month": today.month,
            "made_from_year": today.year,
            "made_to_day": earlier.day,
            "made_to_month": earlier.month,
            "made_to_year": earlier.year,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "The made to date must be the same as or after the made from date" in page


def test_an_unreal_date_is_refused_naming_its_field(hop, cast):
    response = hop.get(
        URL, {"made_from_day": "31", "made_from_month": "2", "made_from_year": "2026"}
    )
    assert "Enter the made from date as a real date" in response.content.decode()


def test_the_list_pages(hop, cast):
    for _ in range(27):
        override(cast.a, cast.tm_a)
    first = hop.get(URL)
    assert len(rows(first)) == 25
    assert 'class="govuk-pagination"' in first.content.decode()
    second = hop.get(URL, {"page": 2})
    assert len(rows(second)) == 2
    assert not rows(first) & rows(second)


def test_paging_keeps_the_filters(hop, cast):
    for _ in range(26):
        override(cast.b, cast.tm_b)
    page = hop.get(URL, {"community": cast.b.pk}).content.decode()
    assert (
        f"community={cast.b.pk}&amp;page=2" in page or f"page=2&amp;community={cast.b.pk}" in page
    )


def test_a_restricted_persons_override_is_absent_for_anyone_not_named(client, cast):
    hidden = override(cast.a, cast.tm_a, rationale="A rationale no one unnamed may read.")
    services.referral_restrict(
        referral=hidden.referral, staff=[cast.clinician_a], reason="High profile", by=cast.tm_a
    )
    shown = override(cast.a, cast.tm_a)
    client.force_login(cast.hop)
    response = client.get(URL)
    assert rows(response) == {shown.pk}
    assert "A rationale no one unnamed may read." not in response.content.decode()
    assert (
        client.post(reverse("referrals:override_acknowledge", args=[hidden.pk])).status_code == 404
    )
    review = reverse("referrals:override_request_review", args=[hidden.pk])
    assert client.get(review).status_code == 404
    client.force_login(cast.tm_a)  # who restricted the person, and so is named
    assert hidden.pk in rows(client.get(URL))


def test_the_list_is_for_those_who_may_override(client, cast):
    client.force_login(cast.clinician_a)
    assert client.get(URL).status_code == 403
