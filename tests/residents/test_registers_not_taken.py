"""Registers not taken: the sessions held up to today whose register is not closed, in
the user's communities, newest first, with how many residents are not yet marked."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from residents import services
from residents.selectors import register_counts, registers_not_taken
from tests.factories import ResidentFactory
from tests.residents.factories import GroupSessionFactory

TODAY = date.today()


def test_the_selector_lists_open_registers_up_to_today_newest_first(cast):
    ann = ResidentFactory(community=cast.a, small_group="Group 1")
    ResidentFactory(community=cast.a, small_group="Group 1")
    older = GroupSessionFactory(community=cast.a, held_on=TODAY - timedelta(days=3))
    newer = GroupSessionFactory(
        community=cast.a, small_group="Group 1", held_on=TODAY - timedelta(days=1)
    )
    taken = GroupSessionFactory(community=cast.a, held_on=TODAY - timedelta(days=2))
    taken.register_taken_at = timezone.now()
    taken.save()
    GroupSessionFactory(community=cast.b, held_on=TODAY)  # another community's
    services.attendance_record(session=newer, marks={ann.pk: "present"}, by=cast.officer_a)
    sessions = register_counts(cast.officer_a, registers_not_taken(cast.officer_a, today=TODAY))
    assert sessions == [newer, older]
    assert [s.unmarked for s in sessions] == [1, 2]


def test_a_session_after_today_is_not_yet_due(cast):
    GroupSessionFactory(community=cast.a, held_on=TODAY - timedelta(days=1))
    yesterday = TODAY - timedelta(days=2)
    assert not registers_not_taken(cast.officer_a, today=yesterday).exists()


def test_a_user_with_no_community_sees_none(cast):
    GroupSessionFactory(community=cast.a)
    assert not registers_not_taken(cast.nobody, today=TODAY).exists()


def test_the_page_lists_them_with_links_to_each_register(client, cast):
    session = GroupSessionFactory(community=cast.a, held_on=TODAY - timedelta(days=1))
    GroupSessionFactory(community=cast.b, held_on=TODAY - timedelta(days=1))
    client.force_login(cast.clinician_a)
    response = client.get(reverse("residents:registers_not_taken"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count(reverse("residents:attendance_record", args=[session.pk])) == 1
    assert "Register not taken" in page


def test_the_page_is_paginated(client, cast):
    for days in range(30):
        GroupSessionFactory(community=cast.a, held_on=TODAY - timedelta(days=days + 1))
    client.force_login(cast.clinician_a)
    page = client.get(reverse("residents:registers_not_taken")).content.decode()
    assert "Page 1 of 2, 30 in all" in page


def test_the_page_query_count_does_not_grow_with_its_rows(
    client, cast, django_assert_max_num_queries
):
    for days in range(20):
        GroupSessionFactory(community=cast.a, held_on=TODAY - timedelta(days=days + 1))
    client.force_login(cast.clinician_a)
    client.get(reverse("residents:registers_not_taken"))
    with django_assert_max_num_queries(12):
        client.get(reverse("residents:registers_not_taken"))


def test_the_page_needs_a_role_somewhere(client, cast):
    client.force_login(cast.nobody)
    assert client.get(reverse("residents:registers_not_taken")).status_code == 403
