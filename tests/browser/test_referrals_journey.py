"""A Therapy Manager takes a referral that fails time-to-serve from intake to admission,
overriding the failed criterion with a rationale; a clinician is refused the override."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from dtc.models import Role
from referrals.models import Override, Referral, Status
from residents.models import Resident
from tests import factories
from tests.browser.session import sign_in
from tests.referrals.factories import default_criteria

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RATIONALE = "The parole board asked for evidence of therapeutic work; he can finish the assessment phase and core groups."


def fill_date(page: Page, field: str, day) -> None:
    page.fill(f"#id_{field}_0", str(day.day))
    page.fill(f"#id_{field}_1", str(day.month))
    page.fill(f"#id_{field}_2", str(day.year))


def test_referral_from_intake_to_admission_with_an_override(page: Page, live_server):
    community = factories.CommunityFactory(name="Avon")
    tm = factories.staff("tm", Role.THERAPY_MANAGER, community)
    clinician = factories.staff("clin", Role.CLINICIAN, community)
    default_criteria(community, tm)
    today = timezone.localdate()

    sign_in(page, live_server, tm.username)
    page.get_by_role("link", name="Referrals", exact=True).click()
    page.get_by_role("link", name="Make a referral").click()
    page.fill("#id_prison_number", "a1234bc")
    page.fill("#id_first_name", "Daniel")
    page.fill("#id_last_name", "Marsh")
    fill_date(page, "date_of_birth", today.replace(year=today.year - 35))
    page.get_by_label("Determinate", exact=True).check()
    # Ten months to conditional release: fails "at least 18 months left to serve".
    fill_date(page, "sentence_expiry_date", today + timedelta(days=700))
    fill_date(page, "conditional_release_date", today + timedelta(days=300))
    page.get_by_label("High", exact=True).check()
    page.get_by_label("Offender management unit (OMU)").check()
    page.fill("#id_reason", "Violence in relationships; asks for help before his release.")
    page.get_by_role("button", name="Submit the referral").click()
    expect(page.get_by_test_id("status")).to_contain_text("Received")

    page.get_by_role("link", name="Start screening").click()
    page.get_by_role("button", name="Start screening").click()
    page.get_by_role("link", name="Start the assessment").click()
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.get_by_test_id("status")).to_contain_text("Assessment")

    # The assessor records each criterion met; time to serve is worked out and fails.
    for index in range(5):
        page.get_by_role("link", name="Assess").nth(index).click()
        page.get_by_label("Met", exact=True).check()
        page.fill("#id_evidence", "Seen at interview and in the records.")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Criterion assessed.")).to_be_visible()
    expect(page.get_by_test_id("criteria")).to_contain_text("Not met")

    page.get_by_role("link", name="Record an interview").click()
    fill_date(page, "held_on", today)
    page.get_by_label("Assessor").select_option(label=clinician.get_full_name())
    page.fill("#id_summary", "Engaged well; understands the community's rules.")
    page.get_by_role("button", name="Record the interview").click()

    page.get_by_role("link", name="Ready for a decision").click()
    page.get_by_role("button", name="Ready for a decision").click()
    decision_url = page.url

    # A plain accept is refused: the failed criterion needs a written rationale.
    page.get_by_role("link", name="Accept", exact=True).click()
    expect(page.get_by_test_id("failing-criteria")).to_contain_text(
        "At least 18 months left to serve"
    )
    page.get_by_label("Routine").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Write a clinical rationale of at least 50 characters"
    )
    assert Referral.objects.get().status == Status.DECISION

    # A clinician, in a browser of their own, cannot override.
    clinician_page = page.context.browser.new_context().new_page()
    sign_in(clinician_page, live_server, clinician.username)
    clinician_page.goto(decision_url)
    expect(clinician_page.get_by_role("link", name="Accept", exact=True)).to_have_count(0)
    response = clinician_page.goto(decision_url + "accept/")
    assert response.status == 403
    expect(clinician_page.get_by_role("heading", level=1)).to_have_text(
        "You do not have permission to do this"
    )
    clinician_page.context.close()

    # The Therapy Manager overrides with a rationale, checks and accepts.
    page.goto(decision_url + "accept/")
    page.get_by_label("High", exact=True).check()
    page.fill("#id_rationale", RATIONALE)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check before you accept")).to_be_visible()
    page.get_by_role("button", name="Accept onto the waiting list").click()
    expect(page.get_by_test_id("override")).to_contain_text(RATIONALE)

    page.get_by_role("link", name="Admit").click()
    fill_date(page, "admitted_on", today)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check before you admit")).to_be_visible()
    page.get_by_role("button", name="Admit the resident").click()
    expect(page.get_by_test_id("status")).to_contain_text("Admitted")

    resident = Resident.objects.get()
    assert (resident.prison_number, resident.community, resident.phase) == (
        "A1234BC",
        community,
        "assessment",
    )
    override = Override.objects.get()
    assert (override.by, [c.kind for c in override.criteria.all()]) == (tm, ["time_to_serve"])
