"""The motion pages: choosing the kind, the form with its messages beside the fields,
check your answers, and the motion's page; an amendment motion carries the new
version's clauses and rules; the old commitment vote address leads to the motion page."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import Motion, MotionKind
from tests.community.constitution_factories import amend
from tests.community.factories import CommunityMeetingFactory, MotionFactory
from tests.factories import ResidentFactory

TODAY = timezone.localdate()
YESTERDAY = TODAY - timedelta(days=1)


@pytest.fixture
def resident(cast):
    amend(cast.a, cast.tm_a, in_force_from=date(2024, 1, 1), quorum_percent=0)
    return ResidentFactory(community=cast.a, admitted_on=TODAY - timedelta(days=300))


def url(cast, **query):
    base = reverse("community:motion_record", args=[cast.a.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def answers(person, **more):
    return {
        "held_on_day": YESTERDAY.day,
        "held_on_month": YESTERDAY.month,
        "held_on_year": YESTERDAY.year,
        "resident": person.pk,
        "residents_for": "1",
        "residents_against": "0",
        **more,
    }


def test_the_kind_is_chosen_first(client, cast, resident):
    client.force_login(cast.officer_a)
    page = client.get(url(cast)).content.decode()
    assert "What kind of motion was it?" in page
    assert 'value="vote_out"' in page


def test_a_commitment_vote_is_checked_then_recorded(client, cast, resident):
    client.force_login(cast.officer_a)
    target = url(cast, kind="commitment_vote")
    check = client.post(target, answers(resident))
    assert "Check your answers" in check.content.decode()
    assert not Motion.objects.exists()
    response = client.post(target, {**answers(resident), "confirm": "1"})
    motion = Motion.objects.get()
    assert response.url == reverse("community:motion_detail", args=[motion.pk])
    assert (motion.kind, motion.resident, motion.outcome) == (
        "commitment_vote",
        resident,
        "carried",
    )
    page = client.get(response.url).content.decode()
    assert "Carried" in page and resident.name in page


def test_refusals_are_shown_beside_their_fields(client, cast, resident):
    client.force_login(cast.officer_a)
    response = client.post(
        url(cast, kind="commitment_vote"),
        {**answers(resident, residents_for="-1", resident=""), "confirm": "1"},
    )
    errors = response.context["form"].errors
    assert set(errors) >= {"resident", "residents_for"}
    # Staff votes under a constitution where staff do not vote: refused by the service.
    response = client.post(
        url(cast, kind="commitment_vote"), {**answers(resident, staff_for="2"), "confirm": "1"}
    )
    assert "staff_for" in response.context["form"].errors
    assert not Motion.objects.exists()


def test_a_motion_recorded_at_a_meeting_is_listed_on_it(client, cast, resident):
    meeting = CommunityMeetingFactory(community=cast.a, held_on=YESTERDAY, minute_taker=cast.tm_a)
    client.force_login(cast.officer_a)
    client.post(
        url(cast, kind="rule_break", meeting=meeting.pk), {**answers(resident), "confirm": "1"}
    )
    motion = Motion.objects.get()
    assert motion.meeting == meeting
    page = client.get(reverse("community:community_meeting_detail", args=[meeting.pk]))
    assert list(page.context["motions"]) == [motion]


def test_an_amendment_motion_takes_the_clauses_and_rules(client, cast, resident):
    client.force_login(cast.clinician_a)
    target = url(cast, kind="constitution_amendment")
    form = client.get(target).context["form"]
    assert "clause_1_number" in form.fields and "in_force_from" not in form.fields
    data = {
        "held_on_day": YESTERDAY.day,
        "held_on_month": YESTERDAY.month,
        "held_on_year": YESTERDAY.year,
        "residents_for": "3",
        "residents_against": "0",
        "rows": "4",
        "quorum_percent": "30",
        "majority": "two_thirds",
        "staff_vote": "counted_with_residents",
        "amendment_note": "Voted at the community meeting.",
        "confirm": "1",
    }
    for n, (title, core) in enumerate(
        [("No violence", True), ("No drugs", True), ("No sex", True), ("Respect", False)], 1
    ):
        data |= {f"clause_{n}_number": str(n), f"clause_{n}_title": title}
        data |= {f"clause_{n}_text": f"{title}."}
        if core:
            data[f"clause_{n}_is_core_rule"] = "on"
    ResidentFactory.create_batch(2, community=cast.a, admitted_on=TODAY - timedelta(days=30))
    response = client.post(target, data)
    assert response.status_code == 302, response.context["form"].errors
    motion = Motion.objects.get()
    assert motion.kind == MotionKind.CONSTITUTION_AMENDMENT
    assert motion.amendment["quorum_percent"] == 30
    assert [c["title"] for c in motion.amendment["clauses"]][-1] == "Respect"
    # Amendments need no ratification here (only vote-outs do): the version is made.
    assert motion.made_constitution.version == 2


def test_the_set_aside_page_asks_for_the_reason_then_confirms(client, cast, resident):
    motion = MotionFactory(
        community=cast.a, kind="vote_out", resident=resident, ratification="awaiting"
    )
    client.force_login(cast.tm_a)
    target = reverse("community:motion_set_aside", args=[motion.pk])
    assert "reason" in client.post(target, {"reason": ""}).context["form"].errors
    check = client.post(target, {"reason": "Three weeks from completing."})
    assert "cannot be undone" in check.content.decode()
    done = client.post(target, {"reason": "Three weeks from completing.", "confirm": "1"})
    assert done.status_code == 302, done.context["form"].errors
    motion.refresh_from_db()
    assert motion.ratification == "set_aside"


def test_the_old_commitment_vote_address_leads_to_the_motion_page(client, cast, resident):
    client.force_login(cast.officer_a)
    response = client.get(reverse("residents:vote_record", args=[resident.pk]))
    assert response.url == url(cast, kind="commitment_vote", resident=resident.pk)
    form = client.get(response.url).context["form"]
    assert form.initial["resident"] == resident.pk


def test_the_residents_page_lists_the_motions_about_them(client, cast, resident):
    MotionFactory(community=cast.a, resident=resident, notes="Kept with a clear majority.")
    client.force_login(cast.officer_a)
    page = client.get(reverse("residents:detail", args=[resident.pk])).content.decode()
    assert "Kept with a clear majority." in page
    assert "Record a commitment vote" in page


def test_the_motions_list_filters_by_kind_and_outcome(client, cast, resident):
    vote = MotionFactory(community=cast.a, resident=resident)
    out = MotionFactory(community=cast.a, kind="vote_out", resident=resident, outcome="not_carried")
    client.force_login(cast.tm_a)
    listed = client.get(reverse("community:motion_list") + "?kind=vote_out").context["page"]
    assert list(listed) == [out]
    listed = client.get(reverse("community:motion_list") + "?outcome=carried").context["page"]
    assert list(listed) == [vote]
    empty = client.get(reverse("community:motion_list") + "?outcome=inquorate")
    assert "No motions match" in empty.content.decode()
