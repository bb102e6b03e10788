"""A criterion rated "Met" while its own evidence figure reads 0%: the rating page
warns, and saves "Met" only once the rater confirms it and says why."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit import services
from audit.models import CriterionRating, Rating, StandardCriterion
from dtc.models import StaffProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def rate_url(cast):
    # Every clinician of A lapsed: "Clinical staff with current registration" reads 0 of 3.
    StaffProfile.objects.update(registration_renewal_date=timezone.localdate() - timedelta(days=1))
    cycle = services.cycle_open(community=cast.a, title="Review 2026", by=cast.tm_a)
    criterion = StandardCriterion.objects.get(measure="registration_current")
    return f"/audit/cycles/{cycle.pk}/criteria/{criterion.pk}/rate/"


def met(**extra):
    return {"rating": Rating.MET, "evidence": "Registrations seen on paper", **extra}


def test_the_page_warns_when_the_figure_reads_zero(client, cast, rate_url):
    client.force_login(cast.tm_a)
    page = client.get(rate_url).content.decode()
    assert "0 of 3 (0%)" in page
    assert 'data-testid="figure-warning"' in page
    assert 'name="met_despite_figure"' in page


def test_met_against_a_zero_figure_is_refused_without_confirmation(client, cast, rate_url):
    client.force_login(cast.tm_a)
    response = client.post(rate_url, met())
    assert response.status_code == 200
    assert "Confirm the criterion is met although its evidence figure reads 0%" in (
        response.content.decode()
    )
    assert not CriterionRating.objects.exists()


def test_met_against_a_zero_figure_saves_once_confirmed(client, cast, rate_url):
    client.force_login(cast.tm_a)
    response = client.post(rate_url, met(met_despite_figure="on"))
    assert response.status_code == 302
    assert CriterionRating.objects.get().rating == Rating.MET


def test_partly_met_against_a_zero_figure_needs_no_confirmation(client, cast, rate_url):
    client.force_login(cast.tm_a)
    assert client.post(rate_url, {**met(), "rating": Rating.PARTLY_MET}).status_code == 302


def test_no_warning_when_the_figure_is_not_zero(client, cast, rate_url):
    StaffProfile.objects.filter(user=cast.tm_a).update(
        registration_renewal_date=timezone.localdate() + timedelta(days=100)
    )
    client.force_login(cast.tm_a)
    assert 'data-testid="figure-warning"' not in client.get(rate_url).content.decode()
    assert client.post(rate_url, met()).status_code == 302
