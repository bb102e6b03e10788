"""The community meetings list, a meeting's page and the motions list read the same
number of queries at 10 and 1,000 rows: meetings and motions on the lists; marks on the
register, agenda items and motions on the meeting's page."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from community.models import AgendaItem, CommunityMeeting, Motion
from residents.models import Attendance, GroupSession, Intervention, Resident

BOUND = 25
TODAY = date.today()


def make_residents(cast, count, start):
    return Resident.objects.bulk_create(
        Resident(
            community=cast.a,
            prison_number=f"C{start + n:04d}DE",
            first_name="Test",
            last_name=f"Resident {start + n}",
            date_of_birth=date(1980, 1, 1),
            admitted_on=TODAY - timedelta(days=400),
        )
        for n in range(count)
    )


def make_meetings(cast, count, start, residents):
    sessions = GroupSession.objects.bulk_create(
        GroupSession(
            community=cast.a,
            group_type=Intervention.COMMUNITY_MEETING,
            held_on=TODAY - timedelta(days=start + n),
            duration_minutes=60,
            recorded_by=cast.officer_a,
        )
        for n in range(count)
    )
    meetings = CommunityMeeting.objects.bulk_create(
        CommunityMeeting(
            community=cast.a,
            session=session,
            held_on=session.held_on,
            chair=residents[0],
            minute_taker=cast.officer_a,
            recorded_by=cast.officer_a,
        )
        for session in sessions
    )
    Attendance.objects.bulk_create(
        Attendance(session=s, resident=r, status="present", recorded_by=cast.officer_a)
        for s in sessions
        for r in residents
    )
    for meeting in meetings:
        fill_meeting(cast, meeting, 1, residents[:1])
    return meetings


def fill_meeting(cast, meeting, count, residents):
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            kind="feedback",
            title=f"Item {n}",
            raised_by_resident=residents[n % len(residents)],
            about=residents[n % len(residents)],
            minutes="Talked it through.",
            recorded_by=cast.officer_a,
        )
        for n in range(count)
    )
    make_motions(cast, count, residents, meeting=meeting)


def make_motions(cast, count, residents, meeting=None):
    Motion.objects.bulk_create(
        Motion(
            community=cast.a,
            meeting=meeting,
            held_on=meeting.held_on if meeting else TODAY - timedelta(days=n % 300),
            kind="commitment_vote",
            resident=residents[n % len(residents)],
            residents_for=10,
            residents_against=2,
            outcome="carried",
            recorded_by=cast.officer_a,
        )
        for n in range(count)
    )


def test_the_meetings_list_is_bounded_at_10_and_1000(client, cast, django_assert_max_num_queries):
    residents = make_residents(cast, 3, 0)
    url = reverse("community:community_meeting_list")
    client.force_login(cast.clinician_a)
    client.get(url)
    make_meetings(cast, 10, 0, residents)
    with django_assert_max_num_queries(BOUND) as at_ten:
        assert client.get(url).status_code == 200
    make_meetings(cast, 990, 10, residents)
    with django_assert_max_num_queries(len(at_ten)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("user", ["officer_a", "hop"])
def test_a_meeting_is_bounded_at_10_and_1000_marks_items_and_motions(
    client, cast, django_assert_max_num_queries, user
):
    residents = make_residents(cast, 1, 0)
    (meeting,) = make_meetings(cast, 1, 0, residents)
    url = reverse("community:community_meeting_detail", args=[meeting.pk])
    client.force_login(getattr(cast, user))
    client.get(url)
    more = make_residents(cast, 9, 1)
    Attendance.objects.bulk_create(
        Attendance(
            session_id=meeting.session_id, resident=r, status="absent", recorded_by=cast.tm_a
        )
        for r in more
    )
    fill_meeting(cast, meeting, 9, more)
    with django_assert_max_num_queries(BOUND) as at_ten:
        assert client.get(url).status_code == 200
    more = make_residents(cast, 990, 10)
    Attendance.objects.bulk_create(
        Attendance(
            session_id=meeting.session_id, resident=r, status="present", recorded_by=cast.tm_a
        )
        for r in more
    )
    fill_meeting(cast, meeting, 990, more)
    with django_assert_max_num_queries(len(at_ten)):
        assert client.get(url).status_code == 200


def test_the_motions_list_is_bounded_at_10_and_1000(client, cast, django_assert_max_num_queries):
    residents = make_residents(cast, 5, 0)
    url = reverse("community:motion_list")
    client.force_login(cast.tm_a)
    client.get(url)
    make_motions(cast, 10, residents)
    with django_assert_max_num_queries(BOUND) as at_ten:
        assert client.get(url).status_code == 200
    make_motions(cast, 990, residents)
    with django_assert_max_num_queries(len(at_ten)):
        assert client.get(url).status_code == 200
