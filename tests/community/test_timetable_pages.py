"""The timetable's pages: the week, today's sessions, the slots, taking the register of a
planned session and cancelling one; who may use which; query counts that do not grow
with the years of history behind the week."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import CancellationCause, PlannedSession, TimetableSlot
from dtc.models import Role
from residents.models import GroupSession

TODAY = timezone.localdate()
MONDAY = TODAY - timedelta(days=TODAY.weekday())


@pytest.fixture
def meeting(cast):
    return services.timetable_slot_add(
        community=cast.a,
        kind="community_meeting",
        weekday=TODAY.weekday(),
        starts_at=time(9, 30),
        duration_minutes=60,
        valid_from=MONDAY - timedelta(days=28),
        facilitators=[cast.clinician_a],
        by=cast.tm_a,
    )


def _week(client, cast, monday=MONDAY):
    url = f"{reverse('community:timetable')}?community={cast.a.pk}&week={monday.isoformat()}"
    return client.get(url).content.decode()


def test_the_week_shows_each_day_and_what_became_of_its_sessions(client, cast, meeting):
    client.force_login(cast.officer_a)
    page = _week(client, cast)
    assert f"Timetable: week of {MONDAY:%-d %B %Y}" in page
    assert 'data-testid="day-' + TODAY.isoformat() + '"' in page
    assert "Not recorded" in page
    assert "Take the register" in page


def test_taking_the_register_of_a_planned_session_opens_it(client, cast, meeting):
    client.force_login(cast.officer_a)
    url = reverse("community:planned_hold", args=[meeting.pk, TODAY.isoformat()])
    response = client.post(url)
    session = GroupSession.objects.get()
    assert response["Location"] == reverse("residents:attendance_record", args=[session.pk])
    client.post(url)  # pressed twice: the same register
    assert GroupSession.objects.count() == 1
    assert "Register not taken" in _week(client, cast)


def test_a_day_the_session_is_not_planned_is_refused_with_a_message(client, cast, meeting):
    client.force_login(cast.officer_a)
    wrong = TODAY - timedelta(days=1)
    response = client.post(
        reverse("community:planned_hold", args=[meeting.pk, wrong.isoformat()]), follow=True
    )
    assert "is not on the timetable on" in response.content.decode()
    assert not GroupSession.objects.exists()


def test_a_session_is_cancelled_after_checking_the_answers(client, cast, meeting):
    client.force_login(cast.officer_a)
    url = reverse("community:planned_cancel", args=[meeting.pk, TODAY.isoformat()])
    answers = {"cause": CancellationCause.STAFF_SHORTAGE, "note": ""}
    page = client.post(url, answers).content.decode()
    assert "The hours count as lost to this cause" in page
    assert not PlannedSession.objects.exists()
    client.post(url, {**answers, "confirm": "1"})
    assert PlannedSession.objects.get().cancelled_cause == CancellationCause.STAFF_SHORTAGE
    assert "Staff shortage" in _week(client, cast)


def test_an_invalid_day_in_the_address_is_not_found(client, cast, meeting):
    client.force_login(cast.officer_a)
    for day in ("2026-13-40", "yesterday", "99999-01-01"):
        url = reverse("community:planned_cancel", args=[meeting.pk, day])
        assert client.get(url).status_code == 404


def test_today_lists_the_sessions_of_the_day(client, cast, meeting):
    client.force_login(cast.clinician_a)
    page = client.get(reverse("community:today")).content.decode()
    assert 'data-testid="today"' in page
    assert "Community meeting" in page


def test_a_session_is_added_and_changed_through_the_forms(client, cast):
    client.force_login(cast.tm_a)
    start = TODAY + timedelta(days=1)
    response = client.post(
        reverse("community:slot_add", args=[cast.a.pk]),
        {
            "kind": "creative_therapy",
            "weekday": "2",
            "starts_at": "14:00",
            "duration_minutes": "90",
            "facilitators": [cast.clinician_a.pk],
            "valid_from_day": start.day,
            "valid_from_month": start.month,
            "valid_from_year": start.year,
        },
    )
    assert response.status_code == 302
    slot = TimetableSlot.objects.get()
    assert (slot.kind, slot.weekday, slot.starts_at) == ("creative_therapy", 2, time(14))
    page = client.post(
        reverse("community:slot_add", args=[cast.a.pk]), {"kind": "", "starts_at": "25:99"}
    ).content.decode()
    assert "Choose the session" in page
    assert "Enter the start time in the 24-hour clock, like 09:30" in page


PAGES = [
    ("community:timetable", None, {Role.HEAD_OF_PSYCHOTHERAPY: 200, Role.THERAPY_MANAGER: 200, Role.CLINICIAN: 200, Role.OFFICER: 200, Role.TRAINEE: 200, Role.AUDITOR: 403}),
    ("community:today", None, {Role.HEAD_OF_PSYCHOTHERAPY: 200, Role.THERAPY_MANAGER: 200, Role.CLINICIAN: 200, Role.OFFICER: 200, Role.TRAINEE: 200, Role.AUDITOR: 403}),
    ("community:slot_list", "community", {Role.HEAD_OF_PSYCHOTHERAPY: 200, Role.THERAPY_MANAGER: 200, Role.CLINICIAN: 200, Role.OFFICER: 200, Role.TRAINEE: 200, Role.AUDITOR: 404}),
    ("community:slot_add", "community", {Role.HEAD_OF_PSYCHOTHERAPY: 200, Role.THERAPY_MANAGER: 200, Role.CLINICIAN: 403, Role.OFFICER: 403, Role.TRAINEE: 403, Role.AUDITOR: 404}),
    ("community:slot_change", "slot", {Role.HEAD_OF_PSYCHOTHERAPY: 200, Role.THERAPY_MANAGER: 200, Role.CLINICIAN: 403, Role.OFFICER: 403, Role.TRAINEE: 403, Role.AUDITOR: 404}),
    ("community:slot_end", "slot", {Role.HEAD_OF_PSYCHOTHERAPY: 200, Role.THERAPY_MANAGER: 200, Role.CLINICIAN: 403, Role.OFFICER: 403, Role.TRAINEE: 403, Role.AUDITOR: 404}),
    ("community:planned_cancel", "planned", {Role.HEAD_OF_PSYCHOTHERAPY: 403, Role.THERAPY_MANAGER: 200, Role.CLINICIAN: 200, Role.OFFICER: 200, Role.TRAINEE: 200, Role.AUDITOR: 404}),
]  # fmt: skip


@pytest.mark.parametrize(("url_name", "target", "expected"), PAGES, ids=lambda v: str(v)[:30])
def test_who_may_open_each_page(client, cast, meeting, url_name, target, expected):
    args = {
        None: [],
        "community": [cast.a.pk],
        "slot": [meeting.pk],
        "planned": [meeting.pk, TODAY.isoformat()],
    }[target]
    for role, status in expected.items():
        client.force_login(cast.by_role(role))
        assert client.get(reverse(url_name, args=args)).status_code == status, role


def test_another_communitys_slot_is_not_found(client, cast, meeting):
    client.force_login(cast.tm_b)
    assert client.get(reverse("community:slot_change", args=[meeting.pk])).status_code == 404


@pytest.mark.parametrize("weeks", [2, 200])
def test_the_weeks_query_count_does_not_grow_with_history(
    client, django_assert_max_num_queries, cast, weeks
):
    slot = services.timetable_slot_add(
        community=cast.a,
        kind="community_meeting",
        weekday=0,
        starts_at=time(9, 30),
        duration_minutes=60,
        valid_from=MONDAY - timedelta(weeks=weeks),
        by=cast.tm_a,
    )
    PlannedSession.objects.bulk_create(
        PlannedSession(
            community=cast.a,
            slot=slot,
            on=MONDAY - timedelta(weeks=n),
            cancelled_cause=CancellationCause.REGIME,
            recorded_by=cast.tm_a,
        )
        for n in range(1, weeks)
    )
    client.force_login(cast.officer_a)
    with django_assert_max_num_queries(14):
        assert "Community meeting" in _week(client, cast, MONDAY - timedelta(weeks=1))
    with django_assert_max_num_queries(14):
        client.get(reverse("community:slot_list", args=[cast.a.pk]))
