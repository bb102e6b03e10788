"""Each role signs in through the browser and lands on its own home and navigation;
sign-in and home pass an axe-core accessibility scan."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dtc.models import Role
from tests.browser.session import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# role: (heading on home, primary navigation labels)
EXPECTED = {
    Role.HEAD_OF_PSYCHOTHERAPY: (
        "Head of Psychotherapy",
        [
            "Home",
            "Referrals",
            "Residents",
            "Community",
            "Supervision",
            "Staff",
            "Audit",
            "Notifications",
        ],
    ),
    Role.THERAPY_MANAGER: (
        "Therapy Manager",
        [
            "Home",
            "Referrals",
            "Residents",
            "Community",
            "Supervision",
            "Staff",
            "Audit",
            "Notifications",
        ],
    ),
    Role.CLINICIAN: (
        "Clinician",
        ["Home", "Referrals", "Residents", "Community", "Supervision", "Staff", "Notifications"],
    ),
    Role.OFFICER: (
        "Officer",
        ["Home", "Referrals", "Residents", "Community", "Supervision", "Staff", "Notifications"],
    ),
    Role.TRAINEE: (
        "Trainee",
        ["Home", "Referrals", "Residents", "Community", "Supervision", "Staff", "Notifications"],
    ),
    Role.AUDITOR: ("Auditor", ["Home", "Audit", "Notifications"]),
}


def navigation_labels(page: Page) -> list[str]:
    links = page.get_by_role("navigation", name="Primary navigation").get_by_role("link")
    return [text.split("\n")[0].strip() for text in links.all_inner_texts()]


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_signs_in_to_its_own_home_and_navigation(page: Page, live_server, cast, role):
    user = cast.by_role(role)
    sign_in(page, live_server, user.username)
    heading, navigation = EXPECTED[role]
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    assert navigation_labels(page) == navigation
    expect(page.get_by_test_id("signed-in-user")).to_have_text(user.get_full_name())
    # Community A is on every one of these users' home pages; C never is.
    expect(page.get_by_role("heading", name="A", exact=False).first).to_be_visible()
    expect(page.locator("section", has_text="HMP Two")).to_have_count(0)


def test_signing_out_returns_to_sign_in(page: Page, live_server, cast):
    sign_in(page, live_server, "tm_a")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_the_skip_link_is_the_first_thing_the_keyboard_reaches(page: Page, live_server, cast):
    page.goto(f"{live_server.url}/sign-in/")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to main content")


@pytest.fixture
def axe_page(browser):
    # axe-core is injected as an inline script, which the service's CSP rightly
    # refuses; only these scans bypass it.
    context = browser.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()


def axe_violations(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in results["violations"] if v["impact"] in {"serious", "critical"}]


@pytest.mark.parametrize(
    "path",
    [
        "/sign-in/",
        "/",
        "/staff/",
        "/communities/{a}/",
        "/notifications/",
        "/audit/",
        "/audit/kpis/",
        "/audit/communities/{a}/kpis/",
        "/audit/clinical/",
        "/audit/case-studies/",
        "/audit/communities/{a}/case-studies/new/",
    ],
)
def test_pages_have_no_serious_accessibility_violations(axe_page: Page, live_server, cast, path):
    if path != "/sign-in/":
        sign_in(axe_page, live_server, "tm_a")
    axe_page.goto(live_server.url + path.format(a=cast.a.pk))
    violations = axe_violations(axe_page)
    assert violations == [], json.dumps(violations, indent=1)[:3000]


def test_the_sign_in_error_summary_passes_axe(axe_page: Page, live_server, cast):
    axe_page.goto(f"{live_server.url}/sign-in/")
    axe_page.get_by_role("button", name="Sign in").click()
    expect(axe_page.locator(".govuk-error-summary")).to_be_visible()
    assert axe_violations(axe_page) == []


def test_pages_load_without_console_errors(page: Page, live_server, cast):
    # Catches a script or style the CSP blocks, or a module that fails to load.
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, "tm_a")
    page.goto(f"{live_server.url}/communities/{cast.a.pk}/")
    assert errors == []
