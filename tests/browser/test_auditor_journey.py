"""An auditor opens a community's review cycle and its KPIs, requests a case study of a
resident who has left (picked by pseudonym), sees it become ready and downloads the PDF."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from audit import anonymise, services, tasks
from audit.models import CaseStudy
from dtc.celery import app as celery_app
from dtc.models import Role
from residents.models import LeavingType, Phase
from tests import factories
from tests.browser.session import sign_in


@pytest.fixture
def queue_only():
    """As in production: a request only queues the render, and no worker runs here."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = eager


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

    expect(page.get_by_role("heading", name=f"Case study of {pseudonym}")).to_be_visible()
    status = page.get_by_test_id("case-study-status")
    expect(status).to_contain_text("Queued")
    # Render as the worker would; the status fragment polls and shows it ready.
    tasks.render_case_study(CaseStudy.objects.get().pk)
    expect(status).to_contain_text("Ready", timeout=10_000)

    with page.expect_download() as download_info:
        status.get_by_role("link", name="Download the PDF").click()
    download = download_info.value
    assert download.suggested_filename.startswith("case-study-")
    assert "zebedee" not in download.suggested_filename.lower()
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
