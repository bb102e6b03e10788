"""The small groups' pages: the list and a group, who may use which page, and a
restricted resident absent from both for staff not named on them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dtc.models import Role
from residents.models import ResidentAccess, SmallGroup, SmallGroupMembership
from tests.factories import ResidentFactory, small_group_named

TODAY = timezone.localdate()


@pytest.fixture
def oak(cast):
    group = small_group_named(cast.a, "Oak")
    group.facilitators.set([cast.clinician_a])
    return group


@pytest.fixture
def members(cast, oak):
    open_to_all = ResidentFactory(community=cast.a, first_name="Aaron", small_group=oak)
    restricted = ResidentFactory(
        community=cast.a, first_name="Bashir", small_group=oak, is_restricted=True
    )
    ResidentAccess.objects.create(resident=restricted, user=cast.tm_a, granted_by=cast.tm_a)
    return open_to_all, restricted


def test_the_list_counts_the_members_the_user_may_see(client, cast, oak, members):
    client.force_login(cast.tm_a)
    page = client.get(reverse("residents:small_group_list")).content.decode()
    assert 'data-testid="small-groups"' in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in page
    client.force_login(cast.hop)  # not named on Bashir's restriction
    page = client.get(reverse("residents:small_group_list")).content.decode()
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">1</td>' in page


def test_a_restricted_member_shows_only_to_the_staff_named(client, cast, oak, members):
    url = reverse("residents:small_group", args=[oak.pk])
    client.force_login(cast.tm_a)
    assert "Bashir" in client.get(url).content.decode()
    for user in (cast.hop, cast.clinician_a, cast.officer_a):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "Aaron" in page
        assert "Bashir" not in page
    # The page to end a hidden resident's membership answers as if it did not exist.
    membership = SmallGroupMembership.objects.get(resident=members[1])
    client.force_login(cast.hop)
    assert (
        client.get(reverse("residents:small_group_leave", args=[membership.pk])).status_code == 404
    )


def test_the_list_says_when_there_are_no_groups(client, cast):
    client.force_login(cast.tm_a)
    page = client.get(reverse("residents:small_group_list")).content.decode()
    assert "There are no small groups yet." in page


def test_a_group_is_added_through_its_form(client, cast):
    client.force_login(cast.tm_a)
    url = reverse("residents:small_group_create", args=[cast.a.pk])
    response = client.post(url, {"name": "Ash", "facilitators": [cast.clinician_a.pk]})
    group = SmallGroup.objects.get(community=cast.a, name="Ash")
    assert response.status_code == 302
    assert response["Location"] == reverse("residents:small_group", args=[group.pk])
    response = client.post(url, {"name": "", "facilitators": []})
    assert "Enter the name of the small group" in response.content.decode()


def test_a_resident_joins_and_leaves_through_the_group_page(client, cast, oak):
    resident = ResidentFactory(community=cast.a, admitted_on=TODAY - timedelta(days=20))
    client.force_login(cast.tm_a)
    joined = TODAY - timedelta(days=3)
    response = client.post(
        reverse("residents:small_group_join", args=[oak.pk]),
        {
            "resident": resident.pk,
            "joined_on_day": joined.day,
            "joined_on_month": joined.month,
            "joined_on_year": joined.year,
        },
    )
    assert response.status_code == 302
    membership = resident.small_group_memberships.get()
    assert (membership.group, membership.joined_on) == (oak, joined)
    response = client.post(
        reverse("residents:small_group_leave", args=[membership.pk]),
        {"left_on_day": TODAY.day, "left_on_month": TODAY.month, "left_on_year": TODAY.year},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.left_on == TODAY


def test_closing_a_group_asks_for_confirmation_first(client, cast, oak):
    client.force_login(cast.tm_a)
    url = reverse("residents:small_group_close", args=[oak.pk])
    answers = {
        "closed_on_day": TODAY.day,
        "closed_on_month": TODAY.month,
        "closed_on_year": TODAY.year,
    }
    page = client.post(url, answers).content.decode()
    assert "A closed group keeps its sessions and past members" in page
    oak.refresh_from_db()
    assert oak.closed_on is None
    assert client.post(url, {**answers, "confirm": "1"}).status_code == 302
    oak.refresh_from_db()
    assert oak.closed_on == TODAY


# Who may open which page, in their own community (written out, not derived).
PAGES = [
    ("residents:small_group_list", None, {Role.HEAD_OF_PSYCHOTHERAPY: 200, Role.THERAPY_MANAGER: 200, Role.CLINICIAN: 200, Role.OFFICER: 200, Role.TRAINEE: 200, Role.AUDITOR: 403}),
    ("residents:small_group", "group", {Role.HEAD_OF_PSYCHOTHERAPY: 200, Role.THERAPY_MANAGER: 200, Role.CLINICIAN: 200, Role.OFFICER: 200, Role.TRAINEE: 200, Role.AUDITOR: 404}),
    ("residents:small_group_create", "community", {Role.HEAD_OF_PSYCHOTHERAPY: 200, Role.THERAPY_MANAGER: 200, Role.CLINICIAN: 403, Role.OFFICER: 403, Role.TRAINEE: 403, Role.AUDITOR: 404}),
    ("residents:small_group_change", "group", {Role.HEAD_OF_PSYCHOTHERAPY: 200, Role.THERAPY_MANAGER: 200, Role.CLINICIAN: 403, Role.OFFICER: 403, Role.TRAINEE: 403, Role.AUDITOR: 404}),
    ("residents:small_group_close", "group", {Role.HEAD_OF_PSYCHOTHERAPY: 200, Role.THERAPY_MANAGER: 200, Role.CLINICIAN: 403, Role.OFFICER: 403, Role.TRAINEE: 403, Role.AUDITOR: 404}),
    ("residents:small_group_join", "group", {Role.HEAD_OF_PSYCHOTHERAPY: 200, Role.THERAPY_MANAGER: 200, Role.CLINICIAN: 403, Role.OFFICER: 403, Role.TRAINEE: 403, Role.AUDITOR: 404}),
]  # fmt: skip


@pytest.mark.parametrize(("url_name", "target", "expected"), PAGES, ids=lambda v: str(v)[:30])
def test_who_may_open_each_page(client, cast, oak, url_name, target, expected):
    args = {None: [], "group": [oak.pk], "community": [cast.a.pk]}[target]
    for role, status in expected.items():
        client.force_login(cast.by_role(role))
        assert client.get(reverse(url_name, args=args)).status_code == status, role


def test_another_communitys_group_is_not_found(client, cast):
    elm = small_group_named(cast.b, "Elm")
    client.force_login(cast.tm_a)
    assert client.get(reverse("residents:small_group", args=[elm.pk])).status_code == 404


@pytest.mark.parametrize("count", [10, 300])
def test_the_pages_query_count_does_not_grow_with_members(
    client, django_assert_max_num_queries, cast, oak, count
):
    for n in range(count):
        ResidentFactory(community=cast.a, small_group=oak if n % 2 else f"Group {n % 7}")
    client.force_login(cast.tm_a)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("residents:small_group", args=[oak.pk])).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("residents:small_group_list")).status_code == 200
