"""The staff meeting permission matrix: role × (own community, another community) × page.

A meeting of community A (own) and one of community C (outside every role's scope, the
HoP's included), each with an action owned by the TM of A. Whoever minutes the
community's meetings (TM, clinician, officer, trainee) records them and their actions;
the Head of Psychotherapy reads them; an auditor reads nothing about the community.
Written out by hand, not derived from the policy."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from community import services
from community.models import MeetingKind
from dtc.models import Role
from tests.community.factories import StaffMeetingActionFactory, StaffMeetingFactory
from tests.factories import UserFactory

HOP, TM, CLIN, OFF, TRN, AUD = (
    Role.HEAD_OF_PSYCHOTHERAPY,
    Role.THERAPY_MANAGER,
    Role.CLINICIAN,
    Role.OFFICER,
    Role.TRAINEE,
    Role.AUDITOR,
)
ROLES = [HOP, TM, CLIN, OFF, TRN, AUD]
OWN, OTHER = "own", "other"
MINUTERS = {TM, CLIN, OFF, TRN}


def each(status_for_minuters, hop, auditor):
    return {HOP: hop, AUD: auditor} | {role: status_for_minuters for role in MINUTERS}


NOT_FOUND = {role: 404 for role in ROLES}

# (URL name, whose record the URL is about, method, {role: status})
VIEWS = [
    ("staff_meeting_list", None, "get", each(200, hop=200, auditor=403)),
    ("staff_meeting_new", None, "get", each(302, hop=403, auditor=403)),
    ("staff_meeting_record", OWN, "get", each(200, hop=403, auditor=404)),
    ("staff_meeting_record", OTHER, "get", NOT_FOUND),
    ("staff_meeting_detail", OWN, "get", each(200, hop=200, auditor=404)),
    ("staff_meeting_detail", OTHER, "get", NOT_FOUND),
    ("staff_meeting_discussion_add", OWN, "get", each(200, hop=403, auditor=404)),
    ("staff_meeting_discussion_add", OTHER, "get", NOT_FOUND),
    ("staff_meeting_action_add", OWN, "get", each(200, hop=403, auditor=404)),
    ("staff_meeting_action_add", OWN, "post", each(302, hop=403, auditor=404)),
    ("staff_meeting_action_add", OTHER, "post", NOT_FOUND),
    ("staff_meeting_action_complete", OWN, "get", each(200, hop=403, auditor=404)),
    ("staff_meeting_action_complete", OWN, "post", each(302, hop=403, auditor=404)),
    ("staff_meeting_action_complete", OTHER, "post", NOT_FOUND),
    ("record_amend", OWN, "get", each(200, hop=403, auditor=404)),
    ("record_amend", OTHER, "get", NOT_FOUND),
    ("record_entered_in_error", OWN, "get", each(200, hop=403, auditor=404)),
    ("record_entered_in_error", OTHER, "get", NOT_FOUND),
]


@pytest.fixture
def meetings(cast):
    someone_in_c = UserFactory(username="recorder_c")
    own = StaffMeetingFactory(community=cast.a, recorded_by=cast.tm_a, staff_present=[cast.tm_a])
    other = StaffMeetingFactory(community=cast.c, recorded_by=someone_in_c)
    return {
        OWN: (own, StaffMeetingActionFactory(meeting=own, owner=cast.tm_a)),
        OTHER: (other, StaffMeetingActionFactory(meeting=other, owner=someone_in_c)),
    }


def args_for(url_name, target, cast, meetings):
    if target is None:
        return []
    meeting, action = meetings[target]
    if url_name == "staff_meeting_record":
        return [meeting.community_id]
    if url_name == "staff_meeting_action_complete":
        return [action.pk]
    if url_name.startswith("record_"):
        return ["staff-meeting", meeting.pk]
    return [meeting.pk]


@pytest.mark.parametrize(
    ("url_name", "target", "method", "expected"), VIEWS, ids=lambda v: str(v)[:30]
)
@pytest.mark.parametrize("role", ROLES)
def test_views(client, cast, meetings, role, url_name, target, method, expected):
    client.force_login(cast.by_role(role))
    url = reverse(f"community:{url_name}", args=args_for(url_name, target, cast, meetings))
    if method == "post":
        due = date.today() + timedelta(days=7)
        response = client.post(
            url,
            {
                "description": "Bring the rota to the next meeting",
                "owner": cast.tm_a.pk,
                "due_on_day": due.day,
                "due_on_month": due.month,
                "due_on_year": due.year,
            },
        )
    else:
        response = client.get(url)
    assert response.status_code == expected[role]


@pytest.mark.parametrize("role", ROLES)
def test_who_may_record_a_meeting_in_their_own_community(cast, role):
    def record():
        return services.staff_meeting_record(
            community=cast.a,
            kind=MeetingKind.ADMINISTRATIVE,
            held_on=date.today(),
            duration_minutes=45,
            staff_present=[cast.tm_a],
            minutes="Leave and the rota.",
            by=cast.by_role(role),
        )

    if role in MINUTERS:
        assert record().pk
    else:
        with pytest.raises(PermissionDenied):
            record()


@pytest.mark.parametrize("user", ["tm_b", "clinician_b", "hop"])
def test_no_one_records_a_meeting_outside_their_scope(cast, user):
    with pytest.raises(PermissionDenied):
        services.staff_meeting_record(
            community=cast.c,
            kind=MeetingKind.ACADEMIC,
            held_on=date.today(),
            duration_minutes=60,
            staff_present=[],
            minutes="A paper on mentalisation.",
            by=getattr(cast, user),
        )


def test_the_staff_of_another_community_do_not_see_the_meeting(client, cast, meetings):
    own, _action = meetings[OWN]
    client.force_login(cast.tm_b)
    assert client.get(reverse("community:staff_meeting_detail", args=[own.pk])).status_code == 404
    page = client.get(reverse("community:staff_meeting_list")).context["page"]
    assert own not in page.object_list


def test_signed_out_users_are_sent_to_sign_in(client, meetings):
    own, _action = meetings[OWN]
    response = client.get(reverse("community:staff_meeting_detail", args=[own.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
