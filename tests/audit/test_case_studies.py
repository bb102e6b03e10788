"""Case studies: request, background render to a real PDF, what the PDF shows and hides,
and the static-only URL fetcher (the check over the whole demo data is in
test_case_study_leaks.py)."""

import os
import re
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from audit import anonymise, case_study, pdf, services, tasks
from audit.models import CaseStudy, RenderStatus
from community.models import Motion
from residents.models import (
    DecisionKind,
    Incident,
    LeavingType,
    Phase,
    TherapyDecision,
    TherapyReview,
)
from tests.factories import ResidentFactory
from tests.residents.factories import (
    AcctPeriodFactory,
    AttendanceFactory,
    GroupSessionFactory,
    PlanGoalFactory,
    TreatmentPlanFactory,
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"  # poppler-utils


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        [PDFTOTEXT, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def words(text: str) -> set[str]:
    return {word.casefold() for word in re.findall(r"\w+", text)}


def date_forms(day: date) -> list[str]:
    return [
        day.strftime(f)
        for f in (
            "%d/%m/%Y",
            "%-d/%-m/%Y",
            "%Y-%m-%d",
            "%d.%m.%Y",
            "%-d %B %Y",
            "%d %b %Y",
            "%B %-d, %Y",
        )
    ]


@pytest.fixture
def resident(cast):
    """A resident of A who left, with a year of records whose free text names people."""
    today = timezone.localdate()
    resident = ResidentFactory(
        community=cast.a,
        first_name="Zebedee",
        last_name="Quartermain",
        prison_number="K4821QT",
        date_of_birth=date(1990, 3, 14),
        admitted_on=today - timedelta(days=400),
    )
    resident.phase = Phase.TREATMENT
    resident.save()
    other = ResidentFactory(community=cast.a, first_name="Ulrich", last_name="Vantongeren")
    plan = TreatmentPlanFactory(
        resident=resident, version=1, created_by=cast.tm_a, expected_weekly_hours=Decimal("6")
    )
    plan.status, plan.signed_off_by, plan.signed_off_at = "signed_off", cast.tm_a, timezone.now()
    plan.save()
    PlanGoalFactory(
        plan=plan,
        description=f"Zebedee to repair things with Ulrich Vantongeren and {cast.officer_a.last_name}",
    )
    for weeks_ago in range(2, 50, 3):
        session = GroupSessionFactory(
            community=cast.a, held_on=today - timedelta(weeks=weeks_ago), recorded_by=cast.tm_a
        )
        AttendanceFactory(session=session, resident=resident, recorded_by=cast.tm_a)
    TherapyReview.objects.create(
        resident=resident,
        due_on=today - timedelta(days=200),
        held_on=today - timedelta(days=200),
        outcome="continue",
        summary=f"Quartermain (K4821QT, born 14/03/1990) spoke about {other.first_name}; reviewed by {cast.clinician_a.get_full_name()}.",
        recorded_by=cast.clinician_a,
    )
    Motion.objects.create(
        community=resident.community,
        kind="commitment_vote",
        resident=resident,
        held_on=today - timedelta(days=150),
        residents_for=12,
        residents_against=3,
        outcome="carried",
        notes=f"{other.first_name} spoke for him.",
        recorded_by=cast.tm_a,
    )
    # A motion about another resident is not part of this one's journey.
    Motion.objects.create(
        community=resident.community,
        kind="rule_break",
        resident=other,
        held_on=today - timedelta(days=140),
        residents_for=9,
        residents_against=3,
        outcome="carried",
        recorded_by=cast.tm_a,
    )
    Incident.objects.create(
        resident=resident,
        occurred_on=today - timedelta(days=100),
        kind="incident",
        seriousness="moderate",
        description="Argument with Ulrich on the landing",
        recorded_by=cast.officer_a,
    )
    AcctPeriodFactory(
        resident=resident,
        opened_on=today - timedelta(days=90),
        closed_on=today - timedelta(days=60),
        opened_by=cast.officer_a,
        reason="Low mood after Zebedee's mother was taken ill",
    )
    TherapyDecision.objects.create(
        resident=resident,
        kind=DecisionKind.DOSAGE,
        decided_on=today - timedelta(days=50),
        weekly_hours=Decimal("7.5"),
        rationale=f"Agreed with {cast.tm_a.username}: more small group for Zebedee.",
        decided_by=cast.tm_a,
    )
    resident.phase, resident.left_on, resident.leaving_type = (
        Phase.LEFT,
        today - timedelta(days=10),
        LeavingType.COMPLETED,
    )
    resident.save()
    return resident


def test_an_auditor_requests_and_the_task_renders_a_ready_pdf(
    cast, resident, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as in CI: nothing runs until we say so
    with django_capture_on_commit_callbacks() as callbacks:
        requested = services.case_study_request(resident=resident, by=cast.auditor_a)
    assert len(callbacks) == 1  # the render is dispatched after commit
    assert requested.status == RenderStatus.QUEUED
    assert requested.community == cast.a
    assert requested.pseudonym == anonymise.pseudonym(resident.pk)

    assert tasks.render_case_study(requested.pk) == RenderStatus.READY
    requested.refresh_from_db()
    assert requested.rendered_at and requested.page_count >= 5
    pdf = requested.file.read()
    assert pdf.startswith(b"%PDF")


def test_a_ready_case_study_is_not_rendered_again(cast, resident, monkeypatch):
    requested = services.case_study_request(resident=resident, by=cast.tm_a)
    services.case_study_render(case_study_id=requested.pk)
    monkeypatch.setattr(case_study, "render_pdf", pytest.fail)
    assert tasks.render_case_study(requested.pk) == RenderStatus.READY


def test_a_failed_render_says_so_briefly(cast, resident, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("Traceback: /srv/secret/path")

    monkeypatch.setattr(case_study, "render_pdf", broken)
    requested = services.case_study_request(resident=resident, by=cast.tm_a)
    rendered = services.case_study_render(case_study_id=requested.pk)
    assert rendered.status == RenderStatus.FAILED
    assert "could not be made" in rendered.error and "secret" not in rendered.error


def test_only_the_communitys_auditors_may_request(cast, resident):
    for user in (cast.clinician_a, cast.officer_a, cast.trainee_a, cast.tm_b):
        with pytest.raises(PermissionDenied):
            services.case_study_request(resident=resident, by=user)
    assert not CaseStudy.objects.exists()


def test_a_restricted_resident_has_no_case_study(cast, resident):
    resident.is_restricted = True
    resident.save()
    with pytest.raises(ValidationError):
        services.case_study_request(resident=resident, by=cast.tm_a)


def test_the_pdf_shows_the_journey_by_month_and_hides_who_the_resident_is(cast, resident):
    today = timezone.localdate()
    pdf, pages = case_study.render_pdf(resident, today=today)
    text = pdf_text(pdf)
    found = words(text)
    name = anonymise.pseudonym(resident.pk)

    assert name in text
    for expected in [
        "Case study",
        "Anonymised: names and identifiers removed",
        "OFFICIAL-SENSITIVE",
        f"Page 2 of {pages}",
        "Contents",
        "Admitted to the community",
        "Moved to treatment",
        "Therapy review: continue in therapy",
        "Commitment vote: carried (12 for, 3 against)",
        "Incident, moderate seriousness",
        "ACCT (self-harm care) opened",
        "ACCT closed",
        "Decision: change of dosage",
        "Left: completed (planned)",
        resident.admitted_on.strftime("%B %Y"),
        "35–44" if resident.admitted_on.year - 1990 >= 35 else "25–34",
        "Hours attended and planned each month",
        "[name]",
        "[identifier]",
        "[date]",
    ]:
        assert expected in " ".join(text.split()), expected
    assert "Vote on a rule break" not in text
    for secret in ["zebedee", "quartermain", "ulrich", "vantongeren", "k4821qt"]:
        assert secret not in found, secret
    for person in (cast.officer_a, cast.clinician_a, cast.tm_a):
        assert person.first_name.casefold() not in found
        assert person.last_name.casefold() not in found
        assert person.username.casefold() not in found
    for written in date_forms(resident.date_of_birth):
        assert written not in text
    # The free text of incidents and ACCT reasons is not shown at all.
    assert "landing" not in found and "mood" not in found


def test_the_dosage_chart_has_a_bar_for_every_month_of_the_stay(resident):
    bars = case_study.monthly_bars(
        [(date(2025, 2, 1), Decimal("9.0"))], date(2025, 1, 20), date(2025, 3, 10), Decimal("7")
    )
    assert [(b.month, b.attended, b.planned) for b in bars] == [
        (date(2025, 1, 1), Decimal("0.0"), Decimal("12.0")),
        (date(2025, 2, 1), Decimal("9.0"), Decimal("28.0")),
        (date(2025, 3, 1), Decimal("0.0"), Decimal("10.0")),
    ]


# The URL fetcher ---------------------------------------------------------------------

STATIC = pdf.STATIC_ORIGIN + "/assets/"


def test_the_fetcher_serves_the_apps_own_static_files():
    response = pdf.StaticOnlyFetcher().fetch(STATIC + "audit/case_study.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///work/wt-case/audit/static/audit/case_study.css",
        "http://example.com/assets/audit/case_study.css",
        "https://example.com/assets/audit/case_study.css",
        "data:text/css,body{color:red}",
        STATIC + "../../etc/passwd",
        STATIC + "%2e%2e/%2e%2e/etc/passwd",
        STATIC + "audit/../audit/case_study.css",
        STATIC + "audit/case_study.css?x=1",
        STATIC + "dtc/init.js",
        pdf.STATIC_ORIGIN + "/media/case_studies/x.pdf",
        "ftp://example.com/x.css",
    ],
)
def test_the_fetcher_refuses_everything_else(url):
    with pytest.raises(ValueError):
        pdf.StaticOnlyFetcher().fetch(url)


def test_a_document_cannot_pull_in_local_files(tmp_path):
    from weasyprint import HTML

    evil = tmp_path / "evil.css"
    evil.write_text('body::before { content: "LEAKED-FROM-DISK"; }')
    html = f'<link rel="stylesheet" href="file://{evil}"><img src="file:///etc/passwd"><p>Safe</p>'
    document = HTML(
        string=html,
        base_url=pdf.STATIC_ORIGIN + "/",
        url_fetcher=pdf.StaticOnlyFetcher(),
    ).write_pdf()
    text = pdf_text(document)
    assert "Safe" in text and "LEAKED" not in text


# Pages -------------------------------------------------------------------------------


def test_the_request_page_shows_pseudonyms_never_names(client, cast, resident):
    client.force_login(cast.auditor_a)
    page = client.get(reverse("audit:case_study_request", args=[cast.a.pk])).content.decode()
    assert anonymise.pseudonym(resident.pk) in page
    assert resident.admitted_on.strftime("%B %Y") in page
    assert "Left: completed (planned)" in page
    for secret in ("Zebedee", "Quartermain", "K4821QT", "Ulrich", "Vantongeren", "1990"):
        assert secret not in page


def test_the_request_page_filters_by_status(client, cast, resident):
    current = ResidentFactory(community=cast.a)
    client.force_login(cast.tm_a)
    url = reverse("audit:case_study_request", args=[cast.a.pk])
    left_page = client.get(url, {"status": "left"}).content.decode()
    assert anonymise.pseudonym(resident.pk) in left_page
    assert anonymise.pseudonym(current.pk) not in left_page
    current_page = client.get(url, {"status": "current"}).content.decode()
    assert anonymise.pseudonym(current.pk) in current_page
    assert anonymise.pseudonym(resident.pk) not in current_page


def test_requesting_from_the_page_leads_to_the_status_page(client, cast, resident):
    client.force_login(cast.auditor_a)
    response = client.post(
        reverse("audit:case_study_request", args=[cast.a.pk]), {"resident": resident.pk}
    )
    requested = CaseStudy.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("audit:case_study", args=[requested.pk])
    assert requested.requested_by == cast.auditor_a


def test_a_resident_of_another_community_cannot_be_requested(client, cast):
    elsewhere = ResidentFactory(community=cast.b)
    client.force_login(cast.auditor_a)
    response = client.post(
        reverse("audit:case_study_request", args=[cast.a.pk]), {"resident": elsewhere.pk}
    )
    assert response.status_code == 404
    assert not CaseStudy.objects.exists()


def test_the_status_fragment_polls_while_rendering_and_stops_when_ready(client, cast, resident):
    requested = services.case_study_request(resident=resident, by=cast.tm_a)
    client.force_login(cast.auditor_a)
    url = reverse("audit:case_study", args=[requested.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page and f'hx-get="{url}"' in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith("<div") or "case-study-status" in fragment
    assert "<html" not in fragment and 'hx-trigger="every 2s"' in fragment

    services.case_study_render(case_study_id=requested.pk)
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment
    assert reverse("audit:case_study_download", args=[requested.pk]) in fragment


def test_the_download_is_the_pdf_as_an_attachment(client, cast, resident):
    requested = services.case_study_request(resident=resident, by=cast.tm_a)
    services.case_study_render(case_study_id=requested.pk)
    client.force_login(cast.auditor_a)
    response = client.get(reverse("audit:case_study_download", args=[requested.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and "Zebedee" not in disposition
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_each_download_is_recorded_and_shown_on_the_case_study(client, cast, resident):
    requested = services.case_study_request(resident=resident, by=cast.tm_a)
    services.case_study_render(case_study_id=requested.pk)
    page_url = reverse("audit:case_study", args=[requested.pk])
    client.force_login(cast.tm_a)
    assert "No one has downloaded the PDF yet" in client.get(page_url).content.decode()

    client.force_login(cast.auditor_a)
    for _ in range(2):
        client.get(reverse("audit:case_study_download", args=[requested.pk]))
    assert list(requested.downloads.values_list("user", flat=True)) == [cast.auditor_a.pk] * 2

    client.force_login(cast.tm_a)
    page = client.get(page_url).content.decode()
    assert page.count(cast.auditor_a.get_full_name()) == 2
    assert "No one has downloaded" not in page


def test_a_case_study_not_ready_has_no_download(client, cast, resident):
    requested = services.case_study_request(resident=resident, by=cast.tm_a)
    client.force_login(cast.tm_a)
    response = client.get(reverse("audit:case_study_download", args=[requested.pk]))
    assert response.status_code == 404
    assert not requested.downloads.exists()


def test_the_list_shows_the_case_studies_of_the_users_communities(client, cast, resident):
    requested = services.case_study_request(resident=resident, by=cast.tm_a)
    client.force_login(cast.auditor_a)
    page = client.get(reverse("audit:case_studies")).content.decode()
    assert requested.pseudonym in page and "Queued" in page
    client.force_login(cast.tm_b)
    page = client.get(reverse("audit:case_studies")).content.decode()
    assert requested.pseudonym not in page


def test_the_audit_page_links_to_case_studies(client, cast):
    client.force_login(cast.auditor_a)
    page = client.get(reverse("audit:index")).content.decode()
    assert reverse("audit:case_studies") in page
    assert reverse("audit:case_study_request", args=[cast.a.pk]) in page


def test_a_render_stopped_midway_is_done_again_once(cast, resident, settings):
    requested = services.case_study_request(resident=resident, by=cast.auditor_a)
    code = requested.pseudonym.split()[-1].lower()
    name = f"case_studies/case-study-{requested.pk}-{code}.pdf"
    # Its worker died midway: the case study marked rendering, part of a file written.
    requested.status = RenderStatus.RENDERING
    requested.save()
    default_storage.save(name, ContentFile(b"%PDF-1.7 and no more"))

    rendered = services.case_study_render(case_study_id=requested.pk)
    assert rendered.status == RenderStatus.READY and rendered.file.name == name
    assert len(rendered.file.read()) > 1000
    assert os.listdir(Path(settings.MEDIA_ROOT) / "case_studies") == [Path(name).name]
    moves = rendered.history.order_by("history_date", "history_id").values_list("status", flat=True)
    assert list(moves) == [RenderStatus.QUEUED, RenderStatus.RENDERING, RenderStatus.READY]
