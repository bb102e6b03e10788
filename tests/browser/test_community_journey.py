"""The community's week in the browser: the Therapy Manager puts the community meeting
on the timetable; an officer takes today's register; the minute-taker records an agenda
item and a vote-out; the Therapy Manager ratifies it and the leaving page opens with
"voted out" proposed. And the constitution is amended by a motion."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from community.models import Constitution, Motion, TimetableSlot
from dtc.models import Role
from tests import factories
from tests.browser.session import sign_in
from tests.community.constitution_factories import amend


@pytest.fixture
def community(transactional_db):
    avon = factories.CommunityFactory(name="Avon")
    tm = factories.staff("tm", Role.THERAPY_MANAGER, avon)
    officer = factories.staff("officer", Role.OFFICER, avon)
    admitted = date.today() - timedelta(days=100)
    residents = [
        factories.ResidentFactory(
            community=avon, first_name=first, last_name=last, admitted_on=admitted
        )
        for first, last in [("Aaron", "Ashby"), ("Ben", "Brook"), ("Carl", "Cole")]
    ]
    amend(
        avon,
        tm,
        in_force_from=date.today() - timedelta(days=200),
        ratification_required_for=["vote_out"],
    )
    return avon, tm, officer, residents


def fill_date(page, prefix, day):
    page.fill(f"#id_{prefix}_0", str(day.day))
    page.fill(f"#id_{prefix}_1", str(day.month))
    page.fill(f"#id_{prefix}_2", str(day.year))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_vote_out_from_the_timetable_to_the_leaving_page(live_server, page, community):
    avon, tm, officer, (aaron, ben, carl) = community
    today = date.today()

    # The Therapy Manager puts the community meeting on the timetable, every week today.
    page.set_default_timeout(10_000)
    sign_in(page, live_server, tm.username)
    page.goto(live_server.url + reverse("community:slot_add", args=[avon.pk]))
    page.get_by_label("Session").select_option(label="Community meeting")
    page.get_by_label(today.strftime("%A")).check()
    page.get_by_label("Start time").fill("09:30")
    page.get_by_label("Length in minutes").fill("60")
    fill_date(page, "valid_from", today)
    page.get_by_role("button", name="Save").click()
    assert TimetableSlot.objects.filter(community=avon, kind="community_meeting").exists()

    # The officer takes today's register of the meeting: everyone present.
    sign_in(page, live_server, officer.username)
    page.goto(f"{live_server.url}/community/today/")
    page.get_by_role("button", name="Take the register").click()
    page.get_by_role("button", name="Mark everyone present").click()
    expect(page.get_by_test_id("not-marked")).to_have_count(0)
    page.get_by_role("button", name="Close the register").click()
    expect(page.get_by_test_id("register-saved")).to_have_text(
        "Register closed: every resident is marked."
    )

    # The officer, minute-taker, starts the minutes: no resident holds the chair.
    page.goto(f"{live_server.url}/community/today/")
    page.get_by_role("link", name="Start the minutes").click()
    page.get_by_label("Or a member of staff as chair").select_option(label=str(tm))
    page.get_by_label("Minute-taker").select_option(label=str(officer))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Start the minutes").click()
    expect(page.get_by_test_id("present")).to_contain_text("Ben Brook")

    page.get_by_role("link", name="Add an agenda item").click()
    page.get_by_label("Rule break").check()
    page.get_by_label("Title").fill("Ben: threats on the landing")
    page.get_by_label("Or raised by a member of staff").select_option(label=str(officer))
    page.get_by_label("Resident it is about (optional)").select_option(value=str(ben.pk))
    page.get_by_label("Minutes", exact=True).fill("Ben threatened another resident.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("agenda-item")).to_contain_text("Ben: threats on the landing")

    page.get_by_role("link", name="Record a motion at this meeting").click()
    page.get_by_label("Vote to remove a member").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Resident the motion is about").select_option(value=str(ben.pk))
    page.get_by_label("Residents for").fill("2")
    page.get_by_label("Residents against").fill("1")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Record the motion").click()
    motion = Motion.objects.get(kind="vote_out")
    assert (motion.outcome, motion.ratification) == ("carried", "awaiting")
    ben.refresh_from_db()
    assert ben.phase != "left"  # a vote-out never leaves silently

    # The Therapy Manager finds it on the work queue and ratifies it.
    sign_in(page, live_server, tm.username)
    page.get_by_role(
        "link", name="Ratify or set aside the decision: Vote to remove a member"
    ).click()
    page.get_by_role("link", name="Ratify").click()
    page.get_by_role("button", name="Ratify").click()
    # The leaving page opens with the leaving type proposed; nothing has left yet.
    expect(page.get_by_text("Vote-out ratified. Now record the leaving.")).to_be_visible()
    expect(page.get_by_role("heading", name="Record leaving")).to_be_visible()
    expect(page.get_by_label("Voted out by the community")).to_be_checked()
    ben.refresh_from_db()
    assert ben.phase != "left"
    motion.refresh_from_db()
    assert (motion.ratification, motion.ratified_by) == ("ratified", tm)

    # Until the leaving is recorded, the motion says so and links to it.
    page.goto(live_server.url + reverse("community:motion_detail", args=[motion.pk]))
    page.get_by_role("link", name="Record the leaving").click()
    expect(page.get_by_label("Voted out by the community")).to_be_checked()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_constitution_is_amended_by_a_motion(live_server, page, community):
    avon, tm, officer, _residents = community
    sign_in(page, live_server, officer.username)
    page.set_default_timeout(10_000)
    page.goto(live_server.url + reverse("community:motion_record", args=[avon.pk]))
    page.get_by_label("Amendment to the constitution").check()
    page.get_by_role("button", name="Continue").click()
    fill_date(page, "held_on", date.today())
    page.get_by_label("Residents for").fill("3")
    page.get_by_label("Quorum").fill("60")
    page.get_by_label("What the amendment changes and why").fill("A quorum of 60%.")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Record the motion").click()
    # Carried, and amendments need no ratification here: the next version is made.
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    latest = Constitution.objects.filter(community=avon).order_by("-version").first()
    assert (latest.version, latest.quorum_percent) == (2, 60)
    assert Motion.objects.get(kind="constitution_amendment").made_constitution == latest
