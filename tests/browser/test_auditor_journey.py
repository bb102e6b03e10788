"""An auditor opens a community's review cycle and its KPIs and requests a case study of
a resident who has left (picked by pseudonym); the Therapy Manager finds the draft on
their work queue, reads every text beside its original (by keyboard, and at 320 px),
redacts one more word by hand and releases it; the auditor then downloads the PDF."""

import subprocess
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from audit import anonymise, services, tasks
from audit.models import CaseStudy
from dtc.celery import app as celery_app
from dtc.models import Role
from residents.models import LeavingType, Phase, TherapyReview
from tests import factories
from tests.browser.session import sign_in
from tests.browser.test_home import axe_violations


@pytest.fixture
def queue_only():
    """As in production: a request only queues the render, and no worker runs here."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = eager


@pytest.fixture
def page(browser):
    # axe-core is injected as an inline script, which the service's CSP rightly refuses;
    # this journey's review page is scanned, so its context bypasses it.
    context = browser.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()


# The name of what has the focus: a link's or button's text, a field's label.
FOCUSED = """() => {
  const element = document.activeElement;
  const label = element.labels && element.labels[0];
  return (label ? label.textContent : element.textContent).trim();
}"""


def focus_by_tab(page, name: str, presses: int = 200) -> None:
    """Tab through the page, as a keyboard user would, until `name` has the focus."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED) == name:
            return
    raise AssertionError(f"{name!r} is not reached by the keyboard")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_auditor_journey(live_server, page, settings, tmp_path, queue_only):
    settings.MEDIA_ROOT = tmp_path
    community = factories.CommunityFactory(name="Avon")
    auditor = factories.staff("auditor", Role.AUDITOR, community)
    tm = factories.staff("tm", Role.THERAPY_MANAGER, community)
    services.cycle_open(community=community, title="Accreditation review 2026", by=tm)
    resident = factories.ResidentFactory(
        community=community,
        first_name="Zebedee",
        last_name="Quartermain",
        admitted_on=date.today() - timedelta(days=500),
        left_on=date.today() - timedelta(days=5),
        phase=Phase.LEFT,
        leaving_type=LeavingType.COMPLETED,
    )
    TherapyReview.objects.create(
        resident=resident,
        due_on=date.today() - timedelta(days=100),
        held_on=date.today() - timedelta(days=100),
        outcome="continue",
        summary=f"Zebedee talked with {tm.get_full_name()} about the lads who call him peanut on the landing.",
        recorded_by=tm,
    )
    pseudonym = anonymise.pseudonym(resident.pk)

    sign_in(page, live_server, auditor.username)
    nav = page.get_by_role("navigation", name="Primary navigation")
    nav.get_by_role("link", name="Audit", exact=True).click()
    page.get_by_role("link", name="Accreditation review 2026").click()
    expect(page.get_by_role("heading", name="Accreditation review 2026")).to_be_visible()
    expect(page.get_by_role("heading", name="2. Treatment planning and review")).to_be_visible()
    expect(page.get_by_role("link", name="Rate criterion 1.1")).to_have_count(0)  # read-only

    nav.get_by_role("link", name="Audit", exact=True).click()
    page.get_by_role("link", name="KPIs for Avon").click()
    kpis = page.get_by_test_id("kpi-table")
    expect(kpis).to_contain_text("Occupancy")
    expect(kpis).to_contain_text("Retention at 12 months")
    expect(page.get_by_role("img", name="Occupancy by month")).to_be_visible()
    expect(page.get_by_text("Quartermain")).to_have_count(0)

    nav.get_by_role("link", name="Audit", exact=True).click()
    page.get_by_role("link", name="Request a case study for Avon").click()
    residents = page.get_by_test_id("residents")
    expect(residents).to_contain_text(pseudonym)
    expect(residents).to_contain_text("Left: completed (planned)")
    expect(residents).not_to_contain_text("Zebedee")
    page.get_by_role("button", name=f"Request a case study of {pseudonym}").click()
    expect(
        page.get_by_text(
            f"A case study of {pseudonym} is requested. A Therapy Manager will read it and "
            "release it; it will appear here then."
        )
    ).to_be_visible()
    expect(page.get_by_test_id("no-case-studies")).to_be_visible()  # none released yet

    # The Therapy Manager finds the draft on their work queue and follows its render.
    sign_in(page, live_server, tm.username)
    page.get_by_role("link", name=f"Case study to review and release: {pseudonym}, Avon").click()
    expect(page.get_by_role("heading", name=f"Case study of {pseudonym}")).to_be_visible()
    status = page.get_by_test_id("case-study-status")
    expect(status).to_contain_text("Queued")
    case_study = CaseStudy.objects.get()
    tasks.render_case_study(case_study.pk)  # as the worker would; the page polls
    review = page.get_by_test_id("case-study-review")
    expect(review).to_be_visible(timeout=10_000)
    expect(status).to_contain_text("Awaiting release")
    as_written = review.get_by_test_id("as-written")
    expect(as_written).to_contain_text("Zebedee (redacted: The resident's own name)")
    expect(as_written).to_contain_text(f"{tm.first_name} (redacted: A person's name)")
    expect(review.get_by_test_id("in-the-case-study")).to_contain_text(
        f"{pseudonym} talked with [name] [name] about the lads who call him peanut on the landing."
    )
    assert axe_violations(page) == []

    # At 320 px the texts stack, one under the other, and nothing scrolls sideways.
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    written_box = as_written.bounding_box()
    shown_box = review.get_by_test_id("in-the-case-study").bounding_box()
    assert shown_box["y"] >= written_box["y"] + written_box["height"]
    page.set_viewport_size({"width": 1280, "height": 800})

    # One more word redacted by hand, by keyboard: a nickname in lower case, which the
    # detector leaves (an ordinary word); the draft renders again.
    focus_by_tab(page, "Word or phrase to redact")
    page.keyboard.type("peanut")
    page.keyboard.press("Enter")
    expect(page.get_by_text("“peanut” is redacted wherever it appears.")).to_be_visible()
    tasks.render_case_study(case_study.pk)
    expect(review).to_be_visible(timeout=10_000)
    expect(as_written).to_contain_text("peanut (redacted: Redacted by hand)")
    expect(review.get_by_test_id("in-the-case-study")).to_contain_text(
        "about the lads who call him [redacted] on the landing."
    )

    # Released, by keyboard, after its confirmation.
    focus_by_tab(page, "Release the case study")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Release the case study")).to_be_visible()
    expect(page.get_by_text("Releasing cannot be undone")).to_be_visible()
    focus_by_tab(page, "Release to auditors")
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"The case study of {pseudonym} is released.")).to_be_visible()
    expect(status).to_contain_text("Released")

    # The auditor finds it among the case studies and downloads the released PDF.
    sign_in(page, live_server, auditor.username)
    nav = page.get_by_role("navigation", name="Primary navigation")
    nav.get_by_role("link", name="Audit", exact=True).click()
    page.get_by_role("link", name="Case studies", exact=True).click()
    page.get_by_test_id("case-studies").get_by_role("link", name=pseudonym).click()
    status = page.get_by_test_id("case-study-status")
    expect(status).to_contain_text("Released")
    expect(page.get_by_text("peanut")).to_have_count(0)
    with page.expect_download() as download_info:
        status.get_by_role("link", name="Download the PDF").click()
    download = download_info.value
    assert download.suggested_filename.startswith("case-study-")
    assert "zebedee" not in download.suggested_filename.lower()
    with open(download.path(), "rb") as pdf:
        content = pdf.read()
    assert content.startswith(b"%PDF")
    text = subprocess.run(
        ["/usr/bin/pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    assert "[redacted]" in text and "peanut" not in text and "Zebedee" not in text
