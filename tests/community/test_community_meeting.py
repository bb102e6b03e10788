"""community_meeting_start and agenda_item_add: the minutes of a held community meeting
— chaired by the resident holding the job that day, or by staff when no resident holds
it — with its agenda items; who was present is the session's register. Restriction
follows the person: a restricted resident is absent from the present list, the counts
and the items raised by or about them, for everyone not named on the restriction."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import (
    AgendaItem,
    AgendaKind,
    CommunityMeeting,
    FilledBy,
    JobHolding,
    TimetableSlot,
)
from dtc import corrections
from dtc import services as dtc_services
from residents.models import AttendanceStatus, Intervention
from tests.community.constitution_factories import CommunityJobFactory
from tests.community.factories import AgendaItemFactory, CommunityMeetingFactory
from tests.factories import ResidentFactory
from tests.residents.factories import AttendanceFactory, GroupSessionFactory

TODAY = timezone.localdate()
YESTERDAY = TODAY - timedelta(days=1)


@pytest.fixture
def session(cast):
    return GroupSessionFactory(
        community=cast.a,
        group_type=Intervention.COMMUNITY_MEETING,
        held_on=YESTERDAY,
        recorded_by=cast.officer_a,
    )


def resident(cast, name):
    return ResidentFactory(
        community=cast.a, last_name=name, admitted_on=TODAY - timedelta(days=200)
    )


def holds(cast, person, job_name, from_on=TODAY - timedelta(days=30), to_on=None):
    job = CommunityJobFactory(community=cast.a, name=job_name)
    return JobHolding.objects.create(
        job=job,
        resident=person,
        from_on=from_on,
        to_on=to_on,
        filled_by=FilledBy.ELECTION,
        recorded_by=cast.tm_a,
    )


def start(session, by, **people):
    return services.community_meeting_start(
        session=session, minute_taker=people.pop("minute_taker", by), by=by, **people
    )


def test_the_resident_holding_the_chair_chairs(cast, session):
    chair = resident(cast, "Chair")
    holds(cast, chair, "Chair")
    meeting = start(session, cast.officer_a, chair=chair)
    assert (meeting.chair, meeting.held_on, meeting.community) == (chair, YESTERDAY, cast.a)
    assert meeting.history.get().history_user == cast.officer_a


def test_a_resident_not_holding_the_chair_that_day_is_refused(cast, session):
    former = resident(cast, "Former")
    holds(cast, former, "Chair", to_on=YESTERDAY - timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        start(session, cast.officer_a, chair=former)
    assert "chair" in refused.value.message_dict


def test_staff_chair_only_when_no_resident_holds_the_job(cast, session):
    holds(cast, resident(cast, "Chair"), "Chair")
    with pytest.raises(ValidationError) as refused:
        start(session, cast.officer_a, chair_staff=cast.officer_a)
    assert "chair_staff" in refused.value.message_dict
    assert "A resident held the job of chair" in refused.value.message_dict["chair_staff"][0]


def test_staff_chair_when_the_chair_is_vacant(cast, session):
    meeting = start(session, cast.officer_a, chair_staff=cast.clinician_a)
    assert meeting.chair_staff == cast.clinician_a


def test_the_vice_chair_follows_the_same_rule(cast, session):
    vice = resident(cast, "Vice")
    holds(cast, vice, "Vice-chair")
    meeting = start(session, cast.officer_a, chair_staff=cast.tm_a, vice_chair=vice)
    assert meeting.vice_chair == vice
    session_two = GroupSessionFactory(
        community=cast.a, group_type=Intervention.COMMUNITY_MEETING, held_on=TODAY
    )
    with pytest.raises(ValidationError) as refused:
        start(session_two, cast.officer_a, chair_staff=cast.tm_a, vice_chair_staff=cast.tm_a)
    assert "vice_chair_staff" in refused.value.message_dict


def test_a_meeting_needs_a_chair_and_a_minute_taker_of_the_staff(cast, session):
    with pytest.raises(ValidationError) as refused:
        start(session, cast.officer_a, minute_taker=cast.tm_b)
    assert set(refused.value.message_dict) == {"chair", "minute_taker"}


def test_only_a_community_meeting_session_is_minuted(cast):
    group = GroupSessionFactory(community=cast.a, group_type=Intervention.SMALL_GROUP)
    with pytest.raises(ValidationError):
        start(group, cast.officer_a, chair_staff=cast.officer_a)


def test_a_meetings_minutes_are_started_once(cast, session):
    start(session, cast.officer_a, chair_staff=cast.officer_a)
    with pytest.raises(ValidationError):
        start(session, cast.officer_a, chair_staff=cast.officer_a)
    assert CommunityMeeting.objects.count() == 1


@pytest.mark.parametrize("user", ["hop", "auditor_a", "tm_b"])
def test_who_may_not_start_the_minutes(cast, session, user):
    with pytest.raises((PermissionDenied, Http404)):
        start(session, getattr(cast, user), chair_staff=cast.officer_a, minute_taker=cast.officer_a)
    assert not CommunityMeeting.objects.exists()


# Agenda items ---------------------------------------------------------------------------


@pytest.fixture
def meeting(cast, session):
    return start(session, cast.officer_a, chair_staff=cast.officer_a)


def test_an_agenda_item_is_raised_by_a_resident_or_staff(cast, meeting):
    raiser = resident(cast, "Raiser")
    item = services.agenda_item_add(
        meeting=meeting,
        kind=AgendaKind.REQUEST,
        title="A pool table",
        raised_by_resident=raiser,
        minutes="Asked for a pool table on the landing.",
        decision="Put to the wing's budget meeting.",
        by=cast.officer_a,
    )
    assert (item.raised_by_resident, item.decision) == (raiser, "Put to the wing's budget meeting.")
    with pytest.raises(ValidationError) as refused:
        services.agenda_item_add(
            meeting=meeting, kind="feedback", title="Nobody", minutes="…", by=cast.officer_a
        )
    assert "raised_by_resident" in refused.value.message_dict


def test_the_page_form_names_the_fields_it_refuses(client, cast, meeting):
    client.force_login(cast.officer_a)
    response = client.post(
        reverse("community:agenda_item_add", args=[meeting.pk]),
        {"kind": "", "title": "", "minutes": "x" * 10_001},
    )
    errors = response.context["form"].errors
    assert set(errors) >= {"kind", "title", "minutes", "raised_by_resident"}
    assert not AgendaItem.objects.exists()


def test_an_agenda_item_is_corrected_by_an_amendment_that_keeps_the_original(cast, meeting):
    item = AgendaItemFactory(meeting=meeting, raised_by_staff=cast.officer_a)
    amendment = corrections.record_amend(
        record=item, changes={"title": "The laundry rota"}, reason="Wrong title.", by=cast.tm_a
    )
    item.refresh_from_db()
    assert item.superseded and amendment.corrects == item
    assert list(AgendaItem.objects.in_effect()) == [amendment]


# Who was there, and restriction ---------------------------------------------------------


@pytest.fixture
def restricted(cast, meeting):
    person = resident(cast, "Restricted")
    AttendanceFactory(session=meeting.session, resident=person, recorded_by=cast.officer_a)
    AgendaItemFactory(
        meeting=meeting,
        raised_by_staff=None,
        raised_by_resident=person,
        title="Hidden request",
        minutes="Asked to move cells.",
    )
    AgendaItemFactory(meeting=meeting, about=person, title="About the hidden one")
    dtc_services.person_restrict(
        prison_number=person.prison_number, named=[cast.tm_a], reason="High profile", by=cast.tm_a
    )
    return person


@pytest.fixture
def present(cast, meeting):
    person = resident(cast, "Present")
    AttendanceFactory(session=meeting.session, resident=person, recorded_by=cast.officer_a)
    absent = resident(cast, "Absent")
    AttendanceFactory(
        session=meeting.session,
        resident=absent,
        status=AttendanceStatus.ABSENT,
        recorded_by=cast.officer_a,
    )
    AgendaItemFactory(meeting=meeting, title="Open item")
    return person


def test_who_was_there_is_read_from_the_register(client, cast, meeting, present):
    client.force_login(cast.clinician_a)
    response = client.get(reverse("community:community_meeting_detail", args=[meeting.pk]))
    assert [a.resident.last_name for a in response.context["present"]] == ["Present"]
    assert [a.resident.last_name for a in response.context["absent"]] == ["Absent"]


@pytest.mark.parametrize("unnamed", ["clinician_a", "officer_a", "hop"])
def test_a_restricted_resident_is_hidden_from_staff_not_named(
    client, cast, meeting, present, restricted, unnamed
):
    client.force_login(getattr(cast, unnamed))
    response = client.get(reverse("community:community_meeting_detail", args=[meeting.pk]))
    page = response.content.decode()
    assert "Restricted" not in page and restricted.prison_number not in page
    assert "Hidden request" not in page and "About the hidden one" not in page
    assert [a.resident.last_name for a in response.context["present"]] == ["Present"]
    assert [item.title for item in response.context["items"]] == ["Open item"]
    row = client.get(reverse("community:community_meeting_list")).context["page"][0]
    assert (row.present_count, row.items_count) == (1, 1)


def test_the_staff_named_see_the_restricted_resident(client, cast, meeting, present, restricted):
    client.force_login(cast.tm_a)
    response = client.get(reverse("community:community_meeting_detail", args=[meeting.pk]))
    assert {a.resident.last_name for a in response.context["present"]} == {"Present", "Restricted"}
    assert len(response.context["items"]) == 3
    row = client.get(reverse("community:community_meeting_list")).context["page"][0]
    assert (row.present_count, row.items_count) == (2, 3)


def test_an_item_about_a_restricted_resident_answers_404_to_others(client, cast, restricted):
    item = AgendaItem.objects.get(title="Hidden request")
    client.force_login(cast.clinician_a)
    url = reverse("community:record_amend", args=["agenda-item", item.pk])
    assert client.get(url).status_code == 404


def test_a_restricted_resident_cannot_be_written_about_by_staff_not_named(
    cast, meeting, restricted
):
    with pytest.raises(Http404):
        services.agenda_item_add(
            meeting=meeting,
            kind="feedback",
            title="About them",
            raised_by_staff=cast.officer_a,
            about=restricted,
            minutes="…",
            by=cast.officer_a,
        )


def test_the_held_meeting_row_links_to_start_the_minutes(client, cast):
    slot = TimetableSlot.objects.create(
        community=cast.a,
        kind=Intervention.COMMUNITY_MEETING,
        weekday=TODAY.weekday(),
        starts_at="09:30",
        duration_minutes=60,
        valid_from=TODAY - timedelta(days=30),
        created_by=cast.tm_a,
    )
    session = services.planned_session_hold(slot=slot, on=TODAY, by=cast.officer_a)
    client.force_login(cast.officer_a)
    page = client.get(reverse("community:today")).content.decode()
    assert reverse("community:community_meeting_start", args=[session.pk]) in page
    meeting = CommunityMeetingFactory(
        community=cast.a, session=session, held_on=TODAY, minute_taker=cast.officer_a
    )
    page = client.get(reverse("community:today")).content.decode()
    assert reverse("community:community_meeting_detail", args=[meeting.pk]) in page
