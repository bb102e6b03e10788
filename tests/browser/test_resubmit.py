"""An incident recorded on a resident, then Back and the same form submitted again: one
incident is saved, and the second submission is told it was already saved."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from dtc.models import Role
from residents.models import Incident
from tests import factories
from tests.browser.session import sign_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_back_and_submit_again_saves_one_incident(live_server, page):
    community = factories.CommunityFactory(name="Avon")
    officer = factories.staff("off", Role.OFFICER, community)
    resident = factories.ResidentFactory(
        community=community,
        first_name="Aaron",
        last_name="Ashby",
        prison_number="A1234BC",
        admitted_on=date.today() - timedelta(days=60),
    )
    sign_in(page, live_server, officer.username)
    page.goto(f"{live_server.url}/residents/{resident.pk}/")
    page.get_by_role("link", name="Record an incident or rule break").click()
    day = date.today() - timedelta(days=1)
    page.fill("#id_occurred_on_0", str(day.day))
    page.fill("#id_occurred_on_1", str(day.month))
    page.fill("#id_occurred_on_2", str(day.year))
    page.get_by_label("Incident", exact=True).check()
    page.get_by_label("Low", exact=True).check()
    page.fill("#id_description", "Shouted at an officer on the landing.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Incident recorded.")).to_be_visible()

    page.go_back()
    expect(page.locator("#id_description")).to_have_value("Shouted at an officer on the landing.")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("This was already saved. Nothing new was recorded.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aaron Ashby")
    assert Incident.objects.filter(resident=resident).count() == 1
