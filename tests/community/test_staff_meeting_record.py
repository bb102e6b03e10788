"""Recording a staff meeting: the form, check your answers, the service's checks, saving
once, and corrections (entered in error leaves the lists; an amendment takes the
meeting's actions and residents discussed with it)."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from community import selectors, services
from community.models import MeetingKind, StaffMeeting
from dtc import corrections
from tests.community.factories import (
    ResidentDiscussedFactory,
    StaffMeetingActionFactory,
    StaffMeetingFactory,
)

TODAY = date.today()


def answers(cast, **changes):
    held = changes.pop("held_on", TODAY - timedelta(days=1))
    return {
        "kind": MeetingKind.CLINICAL,
        "held_on_day": held.day,
        "held_on_month": held.month,
        "held_on_year": held.year,
        "start_time": "14:30",
        "duration_minutes": "60",
        "staff_present": [cast.tm_a.pk, cast.clinician_a.pk],
        "minutes": "Agreed the cover for the groups over the bank holiday.",
        **changes,
    }


def record_url(cast):
    return reverse("community:staff_meeting_record", args=[cast.a.pk])


def test_a_meeting_is_checked_then_recorded(client, cast):
    client.force_login(cast.clinician_a)
    check = client.post(record_url(cast), answers(cast))
    assert check.status_code == 200
    assert "Check your answers" in check.content.decode()
    assert not StaffMeeting.objects.exists()

    saved = client.post(record_url(cast), answers(cast) | {"confirm": "1"})

    meeting = StaffMeeting.objects.get()
    assert saved.status_code == 302
    assert saved["Location"] == reverse("community:staff_meeting_detail", args=[meeting.pk])
    assert meeting.community == cast.a
    assert meeting.recorded_by == cast.clinician_a
    assert meeting.start_time.strftime("%H:%M") == "14:30"
    assert set(meeting.staff_present.all()) == {cast.tm_a, cast.clinician_a}
    assert {row.history_user for row in meeting.history.all()} == {cast.clinician_a}


def test_a_start_time_is_optional(cast):
    meeting = services.staff_meeting_record(
        community=cast.a,
        kind=MeetingKind.SENSITIVITY,
        held_on=TODAY,
        duration_minutes=30,
        staff_present=[cast.officer_a],
        minutes="Debrief after a difficult small group.",
        by=cast.officer_a,
    )
    assert meeting.start_time is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kind", "", "Choose the kind of meeting"),
        ("held_on_day", "", "Date of the meeting must include a day"),
        ("held_on_month", "13", "Date of the meeting must be a real date, for example 27 3 2007"),
        ("start_time", "half two", "Enter the start time in the 24-hour clock, like 14:30"),
        ("duration_minutes", "", "Enter how long the meeting lasted, in minutes"),
        ("duration_minutes", "5", "A meeting lasts at least 10 minutes"),
        ("staff_present", [], "Choose who was at the meeting"),
        ("minutes", "", "Enter the minutes of the meeting"),
        ("minutes", "x" * 10_001, "Minutes must be 10,000 characters or fewer"),
    ],
)
def test_each_answer_is_checked_with_a_message_naming_it(client, cast, field, value, message):
    client.force_login(cast.tm_a)
    response = client.post(record_url(cast), answers(cast, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    summary = response.context["form"].error_summary()
    assert [text for _anchor, text in summary] == [message]
    assert not StaffMeeting.objects.exists()


def test_a_meeting_in_the_future_is_refused_beside_its_date(client, cast):
    client.force_login(cast.tm_a)
    tomorrow = TODAY + timedelta(days=1)
    response = client.post(record_url(cast), answers(cast, held_on=tomorrow) | {"confirm": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors["held_on"] == [
        "The date of the meeting must be today or in the past"
    ]
    assert not StaffMeeting.objects.exists()


def test_only_the_communitys_staff_are_offered_as_present(client, cast):
    client.force_login(cast.tm_a)
    offered = set(client.get(record_url(cast)).context["form"].fields["staff_present"].queryset)
    assert offered == {cast.tm_a, cast.clinician_a, cast.officer_a, cast.trainee_a}


@pytest.mark.parametrize("outsider", ["clinician_b", "auditor_a", "hop", "nobody"])
def test_staff_present_must_be_on_the_communitys_staff(cast, outsider):
    with pytest.raises(ValidationError) as refused:
        services.staff_meeting_record(
            community=cast.a,
            kind=MeetingKind.STAFF_TEAM,
            held_on=TODAY,
            duration_minutes=60,
            staff_present=[cast.tm_a, getattr(cast, outsider)],
            minutes="Rota.",
            by=cast.tm_a,
        )
    assert refused.value.message_dict == {
        "staff_present": ["Choose people from this community's staff"]
    }
    assert not StaffMeeting.objects.exists()


def test_the_minutes_ask_for_residents_to_be_written_about_in_their_own_section(client, cast):
    client.force_login(cast.tm_a)
    field = client.get(record_url(cast)).context["form"].fields["minutes"]
    assert "Do not write about individual residents here" in field.help_text
    assert "residents discussed" in field.help_text


def test_submitting_the_confirmed_form_again_records_nothing_more(client, cast):
    client.force_login(cast.tm_a)
    form = client.get(record_url(cast)).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', form).group(1)
    confirmed = answers(cast) | {"confirm": "1", "form_token": token}
    first = client.post(record_url(cast), confirmed)
    assert first.status_code == 302

    again = client.post(record_url(cast), confirmed, follow=True)

    assert StaffMeeting.objects.count() == 1
    assert again.redirect_chain == [(first["Location"], 302)]
    assert "This was already saved. Nothing new was recorded." in again.content.decode()


# Corrections ---------------------------------------------------------------------------


@pytest.fixture
def meeting(cast):
    return StaffMeetingFactory(
        community=cast.a, recorded_by=cast.tm_a, staff_present=[cast.tm_a, cast.clinician_a]
    )


def test_a_meeting_entered_in_error_leaves_the_list_and_its_actions_the_queue(
    client, cast, meeting
):
    StaffMeetingActionFactory(meeting=meeting, owner=cast.clinician_a, due_on=TODAY)
    client.force_login(cast.clinician_a)
    url = reverse("community:record_entered_in_error", args=["staff-meeting", meeting.pk])
    reason = {"reason": "Recorded on the wrong community."}
    assert client.post(url, reason).status_code == 200  # check your answers
    assert client.post(url, reason | {"confirm": "1"}).status_code == 302

    meeting.refresh_from_db()
    assert meeting.entered_in_error
    assert list(selectors.staff_meetings_visible_to(cast.clinician_a)) == []
    assert not selectors.staff_meeting_open_actions_of(cast.clinician_a).exists()
    page = client.get(reverse("community:staff_meeting_detail", args=[meeting.pk]))
    assert "Entered in error" in page.content.decode()
    assert not page.context["can_minute"]  # nothing more is added to it


def test_an_amended_meeting_takes_its_actions_and_residents_discussed(cast, meeting):
    action = StaffMeetingActionFactory(meeting=meeting, owner=cast.clinician_a)
    discussion = ResidentDiscussedFactory(meeting=meeting)
    amendment = corrections.record_amend(
        record=meeting,
        changes={"duration_minutes": 90, "staff_present": [cast.tm_a, cast.officer_a]},
        reason="The meeting ran on; the officer was there, not the clinician.",
        by=cast.tm_a,
    )
    action.refresh_from_db()
    discussion.refresh_from_db()
    assert action.meeting == discussion.meeting == amendment
    assert set(amendment.staff_present.all()) == {cast.tm_a, cast.officer_a}
    assert list(selectors.staff_meetings_visible_to(cast.tm_a)) == [amendment]


def test_an_amendment_is_held_to_the_communitys_staff(cast, meeting):
    with pytest.raises(ValidationError) as refused:
        corrections.record_amend(
            record=meeting,
            changes={"staff_present": [cast.clinician_b]},
            reason="Wrong people.",
            by=cast.tm_a,
        )
    assert "staff_present" in refused.value.message_dict


def test_the_correct_page_offers_the_meetings_own_answers(client, cast, meeting):
    client.force_login(cast.tm_a)
    url = reverse("community:record_amend", args=["staff-meeting", meeting.pk])
    form = client.get(url).context["form"]
    assert form["minutes"].value() == meeting.minutes
    assert set(form["staff_present"].value()) == {cast.tm_a.pk, cast.clinician_a.pk}
