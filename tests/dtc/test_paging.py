"""The whole-cluster lists count at most CAP rows: past it they say "more than" and page
through the first CAP, however long the history behind them."""

from django.urls import reverse

from dtc import paging
from dtc.paging import CappedPaginator
from referrals.models import Referral
from tests.referrals.factories import ReferralFactory


def test_under_the_cap_it_counts_and_pages_as_django_does(cast):
    ReferralFactory.create_batch(3, community=cast.a)
    paginator = CappedPaginator(Referral.objects.order_by("pk"), 2)
    assert (paginator.count, paginator.num_pages, paginator.capped) == (3, 2, False)
    assert paginator.count_text == "3"
    assert len(paginator.page(2).object_list) == 1


def test_past_the_cap_it_says_more_than_and_pages_the_first_rows(cast, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 4)
    ReferralFactory.create_batch(7, community=cast.a)
    paginator = CappedPaginator(Referral.objects.order_by("pk"), 3)
    assert paginator.capped and paginator.count == 5
    assert paginator.count_text == "more than 4"
    assert paginator.num_pages == 2  # the first four rows
    assert not paginator.page(2).has_next()
    assert paginator.get_page(9).number == 2


def test_a_long_referral_list_says_how_to_narrow_it(client, cast, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 30)
    ReferralFactory.create_batch(31, community=cast.a)
    client.force_login(cast.tm_a)
    page = client.get(reverse("referrals:referral_list")).content.decode()
    assert "More than 30 referrals" in page
    assert "more than 30 in all. Filter the list to narrow it." in page
    assert paging.CAP == 2_000
