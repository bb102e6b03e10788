"""An admitted resident gets a treatment plan drafted and signed off; attendance is
taken on two groups and the dosage shows it; a report is drafted, submitted, signed
off and amended; completion is refused before the minimum stay; self-deselection
frees the bed."""

import os
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from dtc.models import Role
from residents.models import Resident
from tests import factories
from tests.browser.session import sign_in
from tests.residents.factories import GroupSessionFactory

# Set DTC_SCREENSHOTS to a folder to keep a picture of each page the journey checks.
SHOTS = os.environ.get("DTC_SCREENSHOTS", "")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def fill_date(page, field, day):
    page.fill(f"#id_{field}_0", str(day.day))
    page.fill(f"#id_{field}_1", str(day.month))
    page.fill(f"#id_{field}_2", str(day.year))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_residents_journey(live_server, page):
    today = date.today()
    community = factories.CommunityFactory(name="Avon", minimum_stay_months=18)
    tm = factories.staff("tm", Role.THERAPY_MANAGER, community)
    factories.staff("clin", Role.CLINICIAN, community)
    resident = factories.ResidentFactory(
        community=community,
        first_name="Aaron",
        last_name="Ashby",
        prison_number="A1234BC",
        small_group="Group 1",
        admitted_on=today - timedelta(days=60),
    )
    sessions = [
        GroupSessionFactory(
            community=community,
            small_group="Group 1",
            held_on=today - timedelta(days=days),
            duration_minutes=90,
            recorded_by=tm,
            facilitators=[tm],
        )
        for days in (7, 1)
    ]

    sign_in(page, live_server, tm.username)
    page.get_by_role("link", name="Residents", exact=True).click()
    page.get_by_role("link", name="Aaron Ashby").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aaron Ashby")

    # The treatment plan: draft, a goal, sign-off.
    page.get_by_role("link", name="Draft the treatment plan").click()
    page.fill("#id_expected_weekly_hours", "9")
    fill_date(page, "review_on", today + timedelta(days=90))
    page.get_by_role("button", name="Start draft").click()
    page.get_by_role("link", name="Add a goal").click()
    page.get_by_label("Violence").check()
    page.fill("#id_description", "Notice anger and bring it to group")
    page.get_by_label("Small group", exact=True).check()
    page.get_by_role("button", name="Add goal").click()
    page.get_by_role("link", name="Sign off this version").click()
    page.get_by_role("button", name="Sign off").click()
    expect(page.get_by_test_id("signed-off-by")).to_contain_text(tm.get_full_name())

    # Two registers, then the dosage.
    for session in sessions:
        page.goto(f"{live_server.url}/residents/groups/{session.pk}/register/")
        page.get_by_label("Present: Aaron Ashby").check()
        page.get_by_role("button", name="Close the register").click()
        expect(page.get_by_test_id("register-saved")).to_have_text(
            "Register closed: every resident is marked."
        )
    shot(page, "register")
    page.goto(f"{live_server.url}/residents/{resident.pk}/")
    expect(page.get_by_test_id("dosage-total")).to_have_text("3.0 hours")
    expect(page.get_by_test_id("attendance-rate")).to_have_text("100%")
    shot(page, "resident")

    # A report: draft, submit, sign off, amend with a reason.
    page.get_by_role("link", name="Write a clinical document").click()
    page.get_by_label("Parole report").check()
    page.fill("#id_title", "Parole report")
    page.fill("#id_body", "Aaron has engaged in every small group.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Submit for sign-off").click()
    page.get_by_role("link", name="Sign off").click()
    page.get_by_role("button", name="Sign off").click()
    expect(page.get_by_test_id("signed-off")).to_contain_text(tm.get_full_name())
    page.get_by_role("link", name="Amend").click()
    page.fill("#id_text", "Aaron has engaged in all but one small group.")
    page.fill("#id_reason", "One absence was missed from the first version")
    page.get_by_role("button", name="Record amendment").click()
    expect(page.get_by_test_id("original")).to_contain_text("every small group")
    expect(page.get_by_test_id("amendment")).to_contain_text("One absence was missed")
    shot(page, "document")

    # Leaving: completion is refused before the minimum stay; self-deselection frees the bed.
    page.goto(f"{live_server.url}/residents/{resident.pk}/")
    page.get_by_role("link", name="Record leaving").click()
    page.get_by_label("Completed (planned)").check()
    fill_date(page, "left_on", today)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Record leaving").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("minimum stay of 18 months")
    assert Resident.objects.get(pk=resident.pk).phase != "left"
    page.get_by_label("Self-deselected").check()
    fill_date(page, "left_on", today)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Record leaving").click()
    expect(page.get_by_test_id("phase")).to_contain_text("self-deselected")
    assert Resident.objects.filter(community=community).current().count() == 0
