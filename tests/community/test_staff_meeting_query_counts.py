"""The staff meeting list and a meeting's page read the same number of queries at 10 and
1,000 rows: meetings on the list, actions and residents discussed on the page."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from community.models import MeetingKind, ResidentDiscussed, StaffMeeting, StaffMeetingAction
from residents.models import Resident

BOUND = 25


def make_residents(cast, count, start):
    return Resident.objects.bulk_create(
        Resident(
            community=cast.a,
            prison_number=f"B{start + n:04d}CD",
            first_name="Test",
            last_name=f"Resident {start + n}",
            date_of_birth=date(1980, 1, 1),
            admitted_on=date.today() - timedelta(days=400),
        )
        for n in range(count)
    )


def make_meetings(cast, count, residents):
    meetings = StaffMeeting.objects.bulk_create(
        StaffMeeting(
            community=cast.a,
            kind=MeetingKind.values[n % len(MeetingKind.values)],
            held_on=date.today() - timedelta(days=n % 300),
            duration_minutes=60,
            minutes="The week on the wing.",
            recorded_by=cast.tm_a,
        )
        for n in range(count)
    )
    through = StaffMeeting.staff_present.through
    through.objects.bulk_create(
        through(staffmeeting_id=m.pk, user_id=u.pk)
        for m in meetings
        for u in (cast.tm_a, cast.clinician_a, cast.officer_a)
    )
    ResidentDiscussed.objects.bulk_create(
        ResidentDiscussed(meeting=m, resident=r, notes="Settling.", recorded_by=cast.tm_a)
        for m in meetings
        for r in residents
    )
    StaffMeetingAction.objects.bulk_create(
        StaffMeetingAction(meeting=m, description="Rota", owner=cast.tm_a, due_on=date.today())
        for m in meetings
    )


def fill_meeting(cast, meeting, count, start):
    residents = make_residents(cast, count, start)
    ResidentDiscussed.objects.bulk_create(
        ResidentDiscussed(meeting=meeting, resident=r, notes="Settling.", recorded_by=cast.tm_a)
        for r in residents
    )
    StaffMeetingAction.objects.bulk_create(
        StaffMeetingAction(
            meeting=meeting, description=f"Action {n}", owner=cast.clinician_a, due_on=date.today()
        )
        for n in range(count)
    )


def test_the_list_is_bounded_at_10_and_1000_meetings(client, cast, django_assert_max_num_queries):
    residents = make_residents(cast, 2, 0)
    url = reverse("community:staff_meeting_list")
    client.force_login(cast.clinician_a)
    client.get(url)
    make_meetings(cast, 10, residents)
    with django_assert_max_num_queries(BOUND) as at_ten:
        assert client.get(url).status_code == 200
    make_meetings(cast, 990, residents)
    with django_assert_max_num_queries(len(at_ten)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("user", ["tm_a", "hop"])
def test_a_meeting_is_bounded_at_10_and_1000_actions_and_residents(
    client, cast, django_assert_max_num_queries, user
):
    (meeting,) = StaffMeeting.objects.bulk_create(
        [
            StaffMeeting(
                community=cast.a,
                kind=MeetingKind.CLINICAL,
                held_on=date.today(),
                duration_minutes=60,
                minutes="Reviews.",
                recorded_by=cast.tm_a,
            )
        ]
    )
    url = reverse("community:staff_meeting_detail", args=[meeting.pk])
    client.force_login(getattr(cast, user))
    client.get(url)
    fill_meeting(cast, meeting, 10, 0)
    with django_assert_max_num_queries(BOUND) as at_ten:
        assert client.get(url).status_code == 200
    fill_meeting(cast, meeting, 990, 10)
    with django_assert_max_num_queries(len(at_ten)):
        assert client.get(url).status_code == 200
