"""Taking a register in the browser: mark everyone present, one exception late by ten
minutes, close it; closing with a resident unmarked is refused and says who is left."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from dtc.models import Role
from tests import factories
from tests.browser.session import sign_in
from tests.residents.factories import GroupSessionFactory


@pytest.fixture
def small_group(transactional_db):
    community = factories.CommunityFactory(name="Avon")
    officer = factories.staff("officer", Role.OFFICER, community)
    residents = [
        factories.ResidentFactory(
            community=community, first_name=first, last_name=last, small_group="Group 1"
        )
        for first, last in [("Aaron", "Ashby"), ("Ben", "Brook"), ("Carl", "Cole")]
    ]
    session = GroupSessionFactory(
        community=community,
        small_group="Group 1",
        held_on=date.today() - timedelta(days=1),
        duration_minutes=90,
        recorded_by=officer,
        facilitators=[officer],
    )
    return officer, residents, session


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_mark_everyone_present_one_late_then_close(live_server, page, small_group):
    officer, (aaron, ben, carl), session = small_group
    sign_in(page, live_server, officer.username)
    page.goto(f"{live_server.url}/residents/groups/{session.pk}/register/")
    expect(page.get_by_test_id("not-marked")).to_have_count(3)

    page.get_by_role("button", name="Mark everyone present").click()
    expect(page.get_by_test_id("register-saved")).to_have_text(
        "Saved as a draft: everyone is marked. Close the register when it is right."
    )
    expect(page.get_by_test_id("not-marked")).to_have_count(0)

    page.get_by_label("Late: Ben Brook").check()
    page.get_by_label("Minutes Ben Brook missed, if late or leaving early").fill("10")
    page.get_by_role("button", name="Close the register").click()
    expect(page.get_by_test_id("register-saved")).to_have_text(
        "Register closed: every resident is marked."
    )
    expect(page.get_by_test_id("register-status")).to_contain_text("Register taken")
    session.refresh_from_db()
    assert session.register_taken_by == officer
    marks = dict(session.register.values_list("resident__first_name", "status"))
    assert marks == {"Aaron": "present", "Ben": "late", "Carl": "present"}
    assert session.register.get(resident=ben).minutes_missed == 10

    page.goto(f"{live_server.url}/residents/groups/")
    expect(page.get_by_test_id("register-status")).to_have_text("Register taken")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_closing_with_a_resident_unmarked_is_refused(live_server, page, small_group):
    officer, (aaron, ben, carl), session = small_group
    sign_in(page, live_server, officer.username)
    page.goto(f"{live_server.url}/residents/groups/{session.pk}/register/")
    page.get_by_label("Present: Aaron Ashby").check()
    page.get_by_label("Absent: Ben Brook").check()
    page.get_by_role("button", name="Close the register").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The register cannot be closed: 1 resident is not yet marked."
    )
    expect(page.get_by_test_id("register-status")).to_contain_text("1 resident not yet marked")
    session.refresh_from_db()
    assert session.register_taken_at is None

    page.goto(f"{live_server.url}/residents/groups/")
    expect(page.get_by_test_id("register-status")).to_have_text("Register not taken (1 not marked)")
