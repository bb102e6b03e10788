"""The version in force on a day, and the constitution page."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from community import selectors
from community.models import Clause, Constitution
from tests.community.constitution_factories import CORE_RULES, amend, with_clause


def test_before_the_first_version_none_is_in_force(cast):
    amend(cast.a, cast.tm_a, in_force_from=date(2025, 1, 1))
    assert selectors.constitution_in_force(cast.a, date(2024, 12, 31)) is None


def test_the_version_in_force_on_each_day_across_an_amendment(cast):
    first = amend(cast.a, cast.tm_a, in_force_from=date(2025, 1, 1))
    second = amend(
        cast.a,
        cast.tm_a,
        clauses=with_clause(CORE_RULES, "4", "Visits"),
        in_force_from=date(2025, 6, 1),
    )
    known = {
        date(2025, 1, 1): first,
        date(2025, 5, 31): first,
        date(2025, 6, 1): second,
        date(2026, 1, 1): second,
    }
    for day, version in known.items():
        assert selectors.constitution_in_force(cast.a, day) == version, day


def test_two_versions_from_one_day_the_later_is_in_force(cast):
    amend(cast.a, cast.tm_a, in_force_from=date(2025, 1, 1))
    second = amend(cast.a, cast.tm_a, in_force_from=date(2025, 1, 1), quorum_percent=60)
    assert selectors.constitution_in_force(cast.a, date(2025, 1, 1)) == second


def test_another_communitys_versions_do_not_count(cast):
    amend(cast.b, cast.tm_b, in_force_from=date(2025, 1, 1))
    assert selectors.constitution_in_force(cast.a, date(2025, 6, 1)) is None


def test_clauses_are_in_the_order_of_their_numbers(cast):
    clauses = CORE_RULES
    for number in ("2.10", "2.9", "10", "9", "2.1"):
        clauses = with_clause(clauses, number, f"Clause {number}")
    version = amend(cast.a, cast.tm_a, clauses=clauses)
    numbers = [clause.number for clause in version.clauses.all()]
    assert numbers == ["1", "2", "2.1", "2.9", "2.10", "3", "9", "10"]


def test_the_page_shows_the_clauses_and_the_rules_in_plain_english(client, cast):
    amend(cast.a, cast.tm_a, quorum_percent=60, majority="two_thirds", staff_vote="none")
    client.force_login(cast.officer_a)
    response = client.get(reverse("community:constitution_in_force", args=[cast.a.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "1. No violence" in page
    assert "Core rule" in page
    assert "at least 60% of the current residents take part" in page
    assert "at least two thirds of those voting" in page
    assert "Staff do not vote" in page
    assert "vote to remove a member" in page
    assert "Amend the constitution" not in page  # an officer does not amend it


def test_the_page_says_so_when_there_is_no_constitution(client, cast):
    client.force_login(cast.tm_a)
    response = client.get(reverse("community:constitution_in_force", args=[cast.a.pk]))
    assert b"has no constitution in force" in response.content
    assert b"Write the constitution" in response.content


def test_a_version_not_yet_in_force_is_announced_on_the_page(client, cast):
    today = timezone.localdate()
    current = amend(cast.a, cast.tm_a, in_force_from=today - timedelta(days=30))
    amend(cast.a, cast.tm_a, in_force_from=today + timedelta(days=7), quorum_percent=70)
    client.force_login(cast.clinician_a)
    response = client.get(reverse("community:constitution_in_force", args=[cast.a.pk]))
    assert response.context["constitution"] == current
    assert b"Version 2 comes into force on" in response.content


def test_an_earlier_version_is_shown_as_replaced_with_a_link_to_the_one_in_force(client, cast):
    first = amend(cast.a, cast.tm_a, in_force_from=date(2025, 1, 1))
    amend(cast.a, cast.tm_a, in_force_from=date(2025, 6, 1), quorum_percent=70)
    client.force_login(cast.clinician_a)
    response = client.get(reverse("community:constitution_version", args=[first.pk]))
    assert b"Replaced" in response.content
    assert b"Read the version in force (version 2)" in response.content


def test_a_version_of_another_community_is_not_found(client, cast):
    other = amend(cast.b, cast.tm_b)
    client.force_login(cast.clinician_a)
    assert client.get(reverse("community:constitution_version", args=[other.pk])).status_code == 404


BOUND = 20


def _grow(constitution, community, by, versions, clauses, start):
    Clause.objects.bulk_create(
        Clause(
            constitution=constitution,
            number=str(start + n),
            sort_key=f"{start + n:04d}",
            title=f"Clause {start + n}",
            text="Keep it.",
        )
        for n in range(clauses)
    )
    Constitution.objects.bulk_create(
        Constitution(
            community=community,
            version=start + n,
            in_force_from=date(2030, 1, 1),
            made_by=by,
            amendment_note="Later.",
            quorum_percent=50,
            majority="simple",
            staff_vote="none",
        )
        for n in range(versions)
    )


def test_query_count_is_bounded_at_10_and_1000_clauses_and_versions(
    client, django_assert_max_num_queries, cast
):
    version = amend(cast.a, cast.tm_a)
    url = reverse("community:constitution_in_force", args=[cast.a.pk])
    client.force_login(cast.tm_a)
    client.get(url)
    _grow(version, cast.a, cast.tm_a, 10, 10, 100)
    with django_assert_max_num_queries(BOUND):
        assert client.get(url).status_code == 200
    _grow(version, cast.a, cast.tm_a, 990, 990, 1000)
    with django_assert_max_num_queries(BOUND):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.count(b"Keep it.") == 1000
