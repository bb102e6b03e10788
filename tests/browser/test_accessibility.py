"""axe-core finds no serious or critical accessibility violation on any key page of
the service (tests/browser/key_pages.py), as each role sees it, at desktop width and
at 320 px."""

import json

import pytest
from playwright.sync_api import Page

from dtc.models import Role
from tests.browser.key_pages import build
from tests.browser.session import sign_in
from tests.browser.test_home import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(params=[1280, 320], ids=["desktop", "narrow"])
def axe_page(browser, request):
    # axe-core is injected as an inline script, which the service's CSP rightly
    # refuses; only these scans bypass it.
    context = browser.new_context(bypass_csp=True, viewport={"width": request.param, "height": 800})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("role", Role.values)
def test_every_key_page_passes_axe(axe_page: Page, live_server, cast, role):
    estate = build(cast)
    sign_in(axe_page, live_server, cast.by_role(role).username)
    found = {}
    for label, path in estate.pages_of(role):
        response = axe_page.goto(live_server.url + path)
        assert response.status == 200, label
        if violations := axe_violations(axe_page):
            found[label] = [
                {"id": v["id"], "nodes": [node["target"] for node in v["nodes"]][:5]}
                for v in violations
            ]
    assert found == {}, json.dumps(found, indent=1)[:4000]
