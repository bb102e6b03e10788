from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import Referral, Status
from tests.referrals.factories import ReferralFactory


def names(response):
    return [r.name for r in response.context["page"].object_list]


@pytest.fixture
def listing(client, cast):
    client.force_login(cast.tm_a)
    return lambda **params: client.get(reverse("referrals:referral_list"), params)


def test_the_list_shows_only_the_users_communities(cast, listing):
    ReferralFactory(community=cast.a, last_name="InA")
    ReferralFactory(community=cast.c, last_name="InC")
    assert names(listing()) == ["Daniel InA"]


def test_search_by_name_or_prison_number(cast, listing):
    ReferralFactory(community=cast.a, last_name="Holloway", prison_number="A1111AA")
    ReferralFactory(community=cast.a, last_name="Brand", prison_number="B2222BB")
    assert names(listing(q="hollo")) == ["Daniel Holloway"]
    assert names(listing(q="b2222bb")) == ["Daniel Brand"]


def test_filter_by_status_and_risk(cast, listing):
    ReferralFactory(community=cast.a, last_name="Low", risk_level="low")
    ReferralFactory(community=cast.a, last_name="High", risk_level="high", status=Status.SCREENING)
    assert names(listing(risk="low")) == ["Daniel Low"]
    assert names(listing(status="screening")) == ["Daniel High"]


def test_stuck_referrals_are_those_left_at_a_stage_past_the_communitys_limit(cast, listing):
    cast.a.referral_stage_alert_days = 28
    cast.a.save()
    now = timezone.now()
    ReferralFactory(community=cast.a, last_name="Fresh", status_changed_at=now - timedelta(days=27))
    ReferralFactory(community=cast.a, last_name="Stuck", status_changed_at=now - timedelta(days=29))
    ReferralFactory(
        community=cast.a,
        last_name="Waiting",
        status=Status.ACCEPTED,
        status_changed_at=now - timedelta(days=90),
    )
    ReferralFactory(
        community=cast.a,
        last_name="Closed",
        status=Status.DECLINED,
        status_changed_at=now - timedelta(days=90),
    )
    assert names(listing(stuck="on")) == ["Daniel Stuck"]


def test_each_community_keeps_its_own_stuck_limit(client, cast):
    cast.a.referral_stage_alert_days = 28
    cast.a.save()
    cast.b.referral_stage_alert_days = 10
    cast.b.save()
    fifteen_days_ago = timezone.now() - timedelta(days=15)
    ReferralFactory(community=cast.a, last_name="InA", status_changed_at=fifteen_days_ago)
    ReferralFactory(community=cast.b, last_name="InB", status_changed_at=fifteen_days_ago)
    client.force_login(cast.hop)
    assert names(client.get(reverse("referrals:referral_list"), {"stuck": "on"})) == ["Daniel InB"]


def test_an_empty_search_says_so(cast, listing):
    assert "No referrals match these filters." in listing(q="nobody").content.decode()


def test_the_list_is_paginated(cast, listing):
    ReferralFactory.create_batch(30, community=cast.a)
    response = listing()
    assert len(response.context["page"].object_list) == 25
    assert "Page 1 of 2" in response.content.decode()


@pytest.mark.parametrize("count", [10, 1000])
def test_the_list_query_count_does_not_grow_with_referrals(
    client, cast, count, django_assert_max_num_queries
):
    Referral.objects.bulk_create(
        ReferralFactory.build_batch(count, community=cast.a, submitted_by=cast.tm_a)
    )
    client.force_login(cast.hop)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("referrals:referral_list"))
    assert response.context["page"].paginator.count == count
