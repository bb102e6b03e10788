"""Restriction follows the person into staff meetings: what a meeting said about a
restricted resident is read only by the staff named on the restriction. Everyone else,
the Head of Psychotherapy included, sees neither the discussion nor a count that
includes it; the meeting's minutes and its other residents stay theirs to read."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from community import services
from community.models import ResidentDiscussed
from dtc import services as dtc_services
from tests.community.factories import ResidentDiscussedFactory, StaffMeetingFactory
from tests.factories import ResidentFactory

HIDDEN_NOTES = "Threats received from another wing; moving cells is being considered."


@pytest.fixture
def meeting(cast):
    return StaffMeetingFactory(
        community=cast.a,
        recorded_by=cast.tm_a,
        staff_present=[cast.tm_a, cast.clinician_a],
        minutes="Cover for the bank holiday agreed.",
    )


@pytest.fixture
def restricted(cast, meeting):
    """A resident restricted to the TM alone, discussed at the meeting."""
    person = ResidentFactory(
        community=cast.a, last_name="Restricted", admitted_on=date.today() - timedelta(days=200)
    )
    ResidentDiscussedFactory(meeting=meeting, resident=person, notes=HIDDEN_NOTES)
    dtc_services.person_restrict(
        prison_number=person.prison_number, named=[cast.tm_a], reason="High profile", by=cast.tm_a
    )
    return person


@pytest.fixture
def open_resident(cast, meeting):
    person = ResidentFactory(
        community=cast.a, last_name="Unrestricted", admitted_on=date.today() - timedelta(days=200)
    )
    ResidentDiscussedFactory(meeting=meeting, resident=person, notes="Doing well in groups.")
    return person


def detail(client, user, meeting):
    client.force_login(user)
    response = client.get(reverse("community:staff_meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    return response


def listed_count(client, user, meeting) -> int:
    client.force_login(user)
    page = client.get(reverse("community:staff_meeting_list")).context["page"]
    (row,) = [row for row in page.object_list if row.pk == meeting.pk]
    return row.residents_count


@pytest.mark.parametrize("unnamed", ["clinician_a", "officer_a", "hop"])
def test_a_restricted_residents_discussion_is_hidden_from_staff_not_named(
    client, cast, meeting, restricted, open_resident, unnamed
):
    user = getattr(cast, unnamed)
    response = detail(client, user, meeting)
    page = response.content.decode()
    assert list(response.context["discussions"]) == [
        ResidentDiscussed.objects.get(resident=open_resident)
    ]
    assert HIDDEN_NOTES not in page
    assert "Restricted" not in page and restricted.prison_number not in page
    assert "Cover for the bank holiday agreed." in page  # the minutes are the team's
    assert listed_count(client, user, meeting) == 1


def test_the_staff_named_on_the_restriction_read_the_discussion(
    client, cast, meeting, restricted, open_resident
):
    page = detail(client, cast.tm_a, meeting).content.decode()
    assert HIDDEN_NOTES in page
    assert restricted.name in page
    assert listed_count(client, cast.tm_a, meeting) == 2


def test_a_meeting_whose_only_discussion_is_hidden_counts_none(client, cast, meeting, restricted):
    assert listed_count(client, cast.hop, meeting) == 0
    page = detail(client, cast.hop, meeting)
    assert "No residents discussed are recorded for you to see." in page.content.decode()


def test_a_restricted_resident_is_not_offered_to_staff_not_named(client, cast, meeting, restricted):
    url = reverse("community:staff_meeting_discussion_add", args=[meeting.pk])
    client.force_login(cast.clinician_a)
    assert restricted not in client.get(url).context["form"].fields["resident"].queryset
    response = client.post(url, {"resident": restricted.pk, "notes": "Anything."})
    assert response.context["form"].errors["resident"] == ["Choose a resident from the list"]

    client.force_login(cast.tm_a)
    assert restricted in client.get(url).context["form"].fields["resident"].queryset


def test_the_service_answers_404_for_a_resident_restricted_from_the_recorder(
    cast, meeting, restricted
):
    other = StaffMeetingFactory(community=cast.a, recorded_by=cast.tm_a)
    with pytest.raises(Http404):
        services.staff_meeting_resident_discussed(
            meeting=other, resident=restricted, notes="Anything.", by=cast.clinician_a
        )


def test_a_resident_discussed_is_added_and_shown(client, cast, meeting):
    person = ResidentFactory(community=cast.a, admitted_on=date.today() - timedelta(days=30))
    client.force_login(cast.officer_a)
    url = reverse("community:staff_meeting_discussion_add", args=[meeting.pk])
    response = client.post(url, {"resident": person.pk, "notes": "Asked for a job on the wing."})
    assert response.status_code == 302
    assert "Asked for a job on the wing." in client.get(response["Location"]).content.decode()
    again = client.post(url, {"resident": person.pk, "notes": "Again."})
    assert again.context["form"].errors["resident"] == [
        f"{person.name} is already recorded as discussed at this meeting"
    ]


def test_a_resident_of_another_community_is_not_discussed_here(cast, meeting):
    elsewhere = ResidentFactory(community=cast.b)
    with pytest.raises(ValidationError) as refused:
        services.staff_meeting_resident_discussed(
            meeting=meeting, resident=elsewhere, notes="Anything.", by=cast.tm_a
        )
    assert refused.value.message_dict == {"resident": ["Choose a resident of this community"]}


def test_searching_the_minutes_does_not_search_what_was_said_about_residents(
    client, cast, meeting, restricted
):
    client.force_login(cast.hop)
    page = client.get(reverse("community:staff_meeting_list"), {"q": "Threats"}).context["page"]
    assert list(page.object_list) == []
    found = client.get(reverse("community:staff_meeting_list"), {"q": "bank holiday"})
    assert [row.pk for row in found.context["page"].object_list] == [meeting.pk]
