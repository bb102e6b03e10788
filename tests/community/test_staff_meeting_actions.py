"""Actions agreed at a staff meeting: added with an owner from the community's staff and a
due date, shown on the meeting, and marked done once, after a confirmation."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from community import services
from community.models import StaffMeetingAction
from dtc import corrections
from tests.community.factories import StaffMeetingActionFactory, StaffMeetingFactory

TODAY = date.today()


@pytest.fixture
def meeting(cast):
    return StaffMeetingFactory(community=cast.a, recorded_by=cast.tm_a, staff_present=[cast.tm_a])


def action_answers(owner, due):
    return {
        "description": "Book the room for the families day",
        "owner": owner.pk,
        "due_on_day": due.day,
        "due_on_month": due.month,
        "due_on_year": due.year,
    }


def test_an_action_is_added_from_its_own_page(client, cast, meeting):
    client.force_login(cast.officer_a)
    url = reverse("community:staff_meeting_action_add", args=[meeting.pk])
    assert client.get(url).status_code == 200
    due = TODAY + timedelta(days=10)

    response = client.post(url, action_answers(cast.trainee_a, due))

    assert response.status_code == 302
    action = StaffMeetingAction.objects.get()
    assert (action.meeting, action.owner, action.due_on) == (meeting, cast.trainee_a, due)
    assert action.history.get().history_user == cast.officer_a
    detail = client.get(response["Location"]).content.decode()
    assert "Book the room for the families day" in detail
    assert str(cast.trainee_a) in detail


def test_the_action_form_names_what_is_missing(client, cast, meeting):
    client.force_login(cast.tm_a)
    response = client.post(
        reverse("community:staff_meeting_action_add", args=[meeting.pk]),
        {"description": "", "owner": "", "due_on_day": "", "due_on_month": "", "due_on_year": ""},
    )
    messages = [text for _anchor, text in response.context["form"].error_summary()]
    assert messages == [
        "Enter the action that was agreed",
        "Choose who will do the action",
        "Enter the date the action is due by",
    ]
    assert not StaffMeetingAction.objects.exists()


@pytest.mark.parametrize("outsider", ["clinician_b", "auditor_a", "hop"])
def test_the_owner_must_be_on_the_communitys_staff(cast, meeting, outsider):
    with pytest.raises(ValidationError) as refused:
        services.staff_meeting_action_add(
            meeting=meeting,
            description="Write up the debrief",
            owner=getattr(cast, outsider),
            due_on=TODAY + timedelta(days=7),
            by=cast.tm_a,
        )
    assert refused.value.message_dict == {"owner": ["Choose someone from this community's staff"]}


def test_an_action_cannot_fall_due_before_its_meeting(client, cast, meeting):
    client.force_login(cast.tm_a)
    before = meeting.held_on - timedelta(days=1)
    response = client.post(
        reverse("community:staff_meeting_action_add", args=[meeting.pk]),
        action_answers(cast.tm_a, before),
    )
    assert response.context["form"].errors["due_on"] == [
        "The due date must be on or after the day of the meeting"
    ]


def test_marking_done_asks_first_then_records_who_and_when(client, cast, meeting):
    action = StaffMeetingActionFactory(meeting=meeting, owner=cast.clinician_a)
    client.force_login(cast.clinician_a)
    url = reverse("community:staff_meeting_action_complete", args=[action.pk])

    confirm = client.get(url)
    action.refresh_from_db()
    assert confirm.status_code == 200 and not action.is_done
    assert "Mark this action as done?" in confirm.content.decode()

    response = client.post(url)
    action.refresh_from_db()
    assert response.status_code == 302
    assert action.is_done and action.completed_by == cast.clinician_a
    detail = client.get(response["Location"]).content.decode()
    assert "Done" in detail


def test_an_action_done_is_not_done_again(client, cast, meeting):
    action = StaffMeetingActionFactory(meeting=meeting, owner=cast.tm_a)
    services.staff_meeting_action_complete(action=action, by=cast.tm_a)
    with pytest.raises(ValidationError):
        services.staff_meeting_action_complete(action=action, by=cast.officer_a)
    client.force_login(cast.tm_a)
    response = client.post(
        reverse("community:staff_meeting_action_complete", args=[action.pk]), follow=True
    )
    assert "This action is already marked as done." in response.content.decode()


def test_the_head_of_psychotherapy_reads_the_actions_but_does_not_minute_them(cast, meeting):
    action = StaffMeetingActionFactory(meeting=meeting, owner=cast.tm_a)
    with pytest.raises(PermissionDenied):
        services.staff_meeting_action_complete(action=action, by=cast.hop)
    with pytest.raises(PermissionDenied):
        services.staff_meeting_action_add(
            meeting=meeting,
            description="Audit the minutes",
            owner=cast.tm_a,
            due_on=TODAY,
            by=cast.hop,
        )


def test_nothing_is_added_to_a_meeting_entered_in_error(cast, meeting):
    corrections.record_mark_entered_in_error(record=meeting, reason="Duplicate.", by=cast.tm_a)
    meeting.refresh_from_db()
    with pytest.raises(ValidationError):
        services.staff_meeting_action_add(
            meeting=meeting,
            description="Anything",
            owner=cast.tm_a,
            due_on=TODAY,
            by=cast.tm_a,
        )
