"""Each role's home on the demo estate opens with a work queue whose lines are links
that open (issue 13: a browser test of each role's work queue on the demo data)."""

import pytest
from playwright.sync_api import Page, expect

from dtc.demo import DEMO_PASSWORD
from tests.browser.session import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROLES = ["hop", "tm.avon", "clinician.avon", "officer.avon", "trainee.avon"]


def test_each_roles_home_shows_a_work_queue_whose_lines_open(page: Page, live_server, demo_estate):
    # One test for every role: the demo estate is seeded once for all of them.
    for username in ROLES:
        sign_in(page, live_server, username, DEMO_PASSWORD)
        queue = page.get_by_test_id("queue")
        expect(queue.get_by_role("heading", name="Your work")).to_be_visible()
        links = queue.locator(".dtc-queue__line a")
        assert links.count() >= 1, f"{username}: nothing in the work queue"
        # The queue comes first on the page, before the roles and communities.
        assert page.locator("main h2").first.inner_text() == "Your work"
        url = f"{live_server.url}{links.first.get_attribute('href')}"
        with page.expect_response(url) as opened:
            links.first.click()
        assert opened.value.status == 200, f"{username}: {url} answered {opened.value.status}"
        expect(page.get_by_role("heading", level=1)).to_be_visible()
