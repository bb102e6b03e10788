"""The actions a user owns from staff meetings, on their home page's work queue: due
within the coming days, still open, from meetings that count, bounded and in one query."""

from datetime import timedelta

from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from community.queue import work
from dtc import corrections, permissions
from dtc.home import COMING_DAYS, PER_KIND
from tests.community.factories import StaffMeetingActionFactory, StaffMeetingFactory

TODAY = timezone.localdate()


def queued(client, user) -> list[tuple[str, str]]:
    client.force_login(user)
    found = client.get(reverse("home")).context["queue"]
    return [(i.what, i.about) for i in [*found.due, *found.coming] if i.what.startswith("Staff")]


def test_the_owners_open_actions_due_soon_are_on_their_home(client, cast):
    meeting = StaffMeetingFactory(community=cast.a, recorded_by=cast.tm_a)
    StaffMeetingActionFactory(
        meeting=meeting,
        owner=cast.officer_a,
        description="Overdue",
        due_on=TODAY - timedelta(days=3),
    )
    StaffMeetingActionFactory(
        meeting=meeting,
        owner=cast.officer_a,
        description="Soon",
        due_on=TODAY + timedelta(days=COMING_DAYS),
    )
    StaffMeetingActionFactory(
        meeting=meeting,
        owner=cast.officer_a,
        description="Later",
        due_on=TODAY + timedelta(days=COMING_DAYS + 1),
    )
    StaffMeetingActionFactory(
        meeting=meeting,
        owner=cast.officer_a,
        description="Done",
        due_on=TODAY,
        completed_at=timezone.now(),
        completed_by=cast.officer_a,
    )
    StaffMeetingActionFactory(
        meeting=meeting, owner=cast.clinician_a, description="Someone else's", due_on=TODAY
    )

    assert sorted(queued(client, cast.officer_a)) == [
        ("Staff meeting action", "Overdue"),
        ("Staff meeting action", "Soon"),
    ]


def test_a_queued_action_leads_to_marking_it_done(client, cast):
    action = StaffMeetingActionFactory(
        meeting=StaffMeetingFactory(community=cast.a, recorded_by=cast.tm_a),
        owner=cast.trainee_a,
        due_on=TODAY,
    )
    client.force_login(cast.trainee_a)
    (item,) = [
        i for i in client.get(reverse("home")).context["queue"].due if i.what.startswith("Staff")
    ]
    assert item.url == reverse("community:staff_meeting_action_complete", args=[action.pk])
    assert client.get(item.url).status_code == 200


def test_actions_of_a_meeting_entered_in_error_leave_the_queue(client, cast):
    meeting = StaffMeetingFactory(community=cast.a, recorded_by=cast.tm_a)
    StaffMeetingActionFactory(meeting=meeting, owner=cast.tm_a, due_on=TODAY)
    corrections.record_mark_entered_in_error(record=meeting, reason="Duplicate.", by=cast.tm_a)
    assert queued(client, cast.tm_a) == []


def test_the_queue_reads_a_bounded_number_of_actions_in_one_query(
    rf: RequestFactory, cast, django_assert_num_queries
):
    meeting = StaffMeetingFactory(community=cast.a, recorded_by=cast.tm_a)
    for n in range(PER_KIND + 10):
        StaffMeetingActionFactory(
            meeting=meeting, owner=cast.clinician_a, due_on=TODAY + timedelta(days=n % 5)
        )
    request = rf.get("/")
    request.user = cast.clinician_a
    permissions.community_ids(request.user)  # the grants, read once per request for every app
    # The actions, and the timetable's sessions (none here, so nothing more is read).
    with django_assert_num_queries(2):
        items = work(request, today=TODAY, limit=PER_KIND)
    assert len(items) == PER_KIND


def test_an_auditor_has_no_staff_meeting_actions(rf, cast, django_assert_num_queries):
    request = rf.get("/")
    request.user = cast.auditor_a
    permissions.community_ids(request.user)
    with django_assert_num_queries(0):
        assert work(request, today=TODAY, limit=PER_KIND) == []
