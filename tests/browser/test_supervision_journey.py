"""A Therapy Manager records group supervision for three staff; one of them reads it
and its action; a peer who was not in it gets 404; the team's compliance rises."""

from datetime import date

import pytest
from playwright.sync_api import expect

from dtc.models import Role
from supervision.models import SupervisionTheme
from tests import factories
from tests.browser.session import sign_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_supervision_journey(live_server, page):
    community = factories.CommunityFactory(name="Avon")
    tm = factories.staff("tm", Role.THERAPY_MANAGER, community)
    group = [
        factories.staff(name, role, community)
        for name, role in [
            ("clin", Role.CLINICIAN),
            ("off", Role.OFFICER),
            ("clin2", Role.CLINICIAN),
        ]
    ]
    peer = factories.staff("peer", Role.TRAINEE, community)
    SupervisionTheme.objects.get_or_create(name="Group dynamics")

    sign_in(page, live_server, tm.username)
    card = page.get_by_test_id(f"supervision-card-{community.pk}")
    expect(card).to_contain_text("0%")

    page.get_by_role("link", name="Supervision", exact=True).click()
    page.get_by_role("link", name="Record a session").click()
    page.get_by_label("Group", exact=True).check()
    for person in group:
        page.get_by_label(person.get_full_name(), exact=True).check()
    today = date.today()
    page.fill("#id_held_on_0", str(today.day))
    page.fill("#id_held_on_1", str(today.month))
    page.fill("#id_held_on_2", str(today.year))
    page.fill("#id_duration_minutes", "90")
    page.get_by_label("Group dynamics").check()
    page.fill("#id_notes", "Splitting between officers and clinicians after the vote.")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    page.get_by_role("button", name="Record session").click()
    expect(page.get_by_test_id("supervisees")).to_contain_text(group[0].get_full_name())
    session_url = page.url

    page.fill("#id_description", "Bring the vote to the staff sensitivity meeting")
    page.get_by_label("Who will do it").select_option(label=group[0].get_full_name())
    page.fill("#id_due_on_0", str(today.day))
    page.fill("#id_due_on_1", str(today.month))
    page.fill("#id_due_on_2", str(today.year + 1))
    page.get_by_role("button", name="Add action").click()
    expect(page.get_by_test_id("actions")).to_contain_text("staff sensitivity meeting")

    page.goto(f"{live_server.url}/")
    # 3 periods met of 76: the TM 6, two clinicians 19 each, officer 6, trainee 26.
    expect(card).to_contain_text("4%")

    sign_in(page, live_server, group[0].username)
    page.goto(session_url)
    expect(page.get_by_test_id("notes")).to_contain_text("Splitting between officers")
    expect(page.get_by_test_id("actions")).to_contain_text("staff sensitivity meeting")

    sign_in(page, live_server, peer.username)
    response = page.goto(session_url)
    assert response.status == 404
    page.goto(f"{live_server.url}/supervision/")
    expect(page.get_by_test_id("no-sessions")).to_be_visible()
