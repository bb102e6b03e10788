"""Signing in through the browser, shared by the browser tests."""

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD


def sign_in(page: Page, live_server, username: str, password: str = PASSWORD) -> None:
    """Sign in as `username` (a fresh session) and wait until the service shows it:
    going to another page before the sign-in lands would cancel it."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("signed-in-user")).to_be_visible()
