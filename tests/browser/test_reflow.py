"""Reflow (WCAG 1.4.10): at 320 px wide every key page fits without scrolling sideways,
the navigation is one line or a Menu button, and no status tag is cut inside a word."""

import pytest
from playwright.sync_api import Page, expect

from dtc.models import Role
from tests.browser.key_pages import build
from tests.browser.session import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NARROW = {"width": 320, "height": 800}

# How far the page reaches past the viewport, and how many lines the navigation takes.
MEASURE = """() => {
  const list = document.querySelector('.govuk-service-navigation__list');
  const items = list ? [...list.querySelectorAll('.govuk-service-navigation__item')] : [];
  const shown = items.filter((item) => item.offsetParent !== null);
  const tops = new Set(shown.map((item) => Math.round(item.getBoundingClientRect().top)));
  const menu = document.querySelector('.govuk-service-navigation__toggle');
  return {
    scrollWidth: document.documentElement.scrollWidth,
    navigationLines: tops.size,
    menuShown: !!menu && menu.offsetParent !== null,
  };
}"""

# Tags whose words do not fit their box (clipped or spilling out).
CUT_TAGS = """() => [...document.querySelectorAll('.govuk-tag')]
  .filter((tag) => tag.offsetParent !== null && tag.scrollWidth > tag.clientWidth + 1)
  .map((tag) => tag.textContent.trim())"""


@pytest.fixture
def narrow_page(browser):
    context = browser.new_context(viewport=NARROW)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("role", Role.values)
def test_every_key_page_reflows_at_320_pixels(narrow_page: Page, live_server, cast, role):
    estate = build(cast)
    sign_in(narrow_page, live_server, cast.by_role(role).username)
    problems = {}
    for label, path in estate.pages_of(role):
        response = narrow_page.goto(live_server.url + path)
        assert response.status == 200, label
        found = narrow_page.evaluate(MEASURE)
        wrong = []
        if found["scrollWidth"] > NARROW["width"]:
            wrong.append(f"{found['scrollWidth']} px wide")
        if not found["menuShown"] and found["navigationLines"] > 1:
            wrong.append(f"navigation on {found['navigationLines']} lines")
        if cut := narrow_page.evaluate(CUT_TAGS):
            wrong.append(f"tags cut: {cut}")
        if wrong:
            problems[label] = wrong
    assert problems == {}


def test_the_menu_button_opens_the_navigation_at_320_pixels(narrow_page: Page, live_server, cast):
    sign_in(narrow_page, live_server, cast.tm_a.username)
    navigation = narrow_page.get_by_role("navigation", name="Primary navigation")
    expect(navigation.get_by_role("link", name="Residents")).to_be_hidden()
    navigation.get_by_role("button", name="Menu").click()
    navigation.get_by_role("link", name="Residents").click()
    expect(narrow_page.get_by_role("heading", level=1)).to_have_text("Residents")


def test_a_waiting_list_tag_wraps_between_words(page: Page, live_server, cast):
    # "Accepted: waiting list" in a table cell: on two lines if need be, never cut at "lis".
    estate = build(cast)
    sign_in(page, live_server, cast.tm_a.username)
    page.goto(live_server.url + dict(estate.pages_of(Role.THERAPY_MANAGER))["Referral list"])
    tag = page.locator(".govuk-tag", has_text="Accepted: waiting list").first
    expect(tag).to_be_visible()
    assert page.evaluate(CUT_TAGS) == []
