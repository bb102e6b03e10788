"""Case studies: request, background render to a real PDF, what the PDF shows and hides,
the static-only URL fetcher, and the release step: a draft read beside its originals,
redacted further by hand and released by a Therapy Manager or the HoP before its auditors
see it (the check over the whole demo data is in test_case_study_leaks.py)."""

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
from audit.models import CaseStudy, CaseStudyDownload, ReleaseStage, RenderStatus
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


def rendered(resident, cast) -> CaseStudy:
    """A case study of the resident requested by the auditor and rendered: a draft."""
    requested = services.case_study_request(resident=resident, by=cast.auditor_a)
    return services.case_study_render(case_study_id=requested.pk)


def released(resident, cast) -> CaseStudy:
    """A case study of the resident rendered and released by the Therapy Manager."""
    return services.case_study_release(case_study=rendered(resident, cast), by=cast.tm_a)


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
    # A draft: its auditors see nothing of it until it is released.
    assert requested.stage == ReleaseStage.DRAFT and not requested.is_released
    assert not requested.released_file


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
    pdf, pages, _texts = case_study.render_pdf(resident, today=today)
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


def test_an_auditor_who_requests_is_told_it_waits_for_its_release(client, cast, resident):
    client.force_login(cast.auditor_a)
    response = client.post(
        reverse("audit:case_study_request", args=[cast.a.pk]), {"resident": resident.pk}
    )
    requested = CaseStudy.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("audit:case_studies") + f"?community={cast.a.pk}"
    assert requested.requested_by == cast.auditor_a
    page = client.get(response.url).content.decode()
    assert (
        f"A case study of {requested.pseudonym} is requested. A Therapy Manager will read it "
        "and release it; it will appear here then." in page
    )
    # Listed only once released.
    assert reverse("audit:case_study", args=[requested.pk]) not in page


def test_a_therapy_manager_who_requests_goes_to_the_draft(client, cast, resident):
    client.force_login(cast.tm_a)
    response = client.post(
        reverse("audit:case_study_request", args=[cast.a.pk]), {"resident": resident.pk}
    )
    assert response.url == reverse("audit:case_study", args=[CaseStudy.objects.get().pk])


def test_a_draft_awaiting_release_is_not_requested_twice(cast, resident):
    requested = rendered(resident, cast)
    assert services.case_study_request(resident=resident, by=cast.auditor_a) == requested
    services.case_study_release(case_study=requested, by=cast.tm_a)
    assert services.case_study_request(resident=resident, by=cast.auditor_a) != requested


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
    client.force_login(cast.tm_a)
    url = reverse("audit:case_study", args=[requested.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page and f'hx-get="{url}"' in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith("<div") or "case-study-status" in fragment
    assert "<html" not in fragment and 'hx-trigger="every 2s"' in fragment

    services.case_study_render(case_study_id=requested.pk)
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment
    assert reverse("audit:case_study_draft_download", args=[requested.pk]) in fragment
    # Once ready, the fragment brings the texts to review with it.
    assert 'data-testid="case-study-review"' in fragment


def test_the_download_is_the_pdf_as_an_attachment(client, cast, resident):
    requested = released(resident, cast)
    client.force_login(cast.auditor_a)
    response = client.get(reverse("audit:case_study_download", args=[requested.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and "Zebedee" not in disposition
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_each_download_is_recorded_and_shown_on_the_case_study(client, cast, resident):
    requested = released(resident, cast)
    page_url = reverse("audit:case_study", args=[requested.pk])
    client.force_login(cast.tm_a)
    assert "No one has downloaded the PDF yet" in client.get(page_url).content.decode()

    client.force_login(cast.auditor_a)
    for _ in range(2):
        client.get(reverse("audit:case_study_download", args=[requested.pk]))
    assert list(requested.downloads.values_list("user", flat=True)) == [cast.auditor_a.pk] * 2

    client.force_login(cast.tm_a)
    page = client.get(page_url).content.decode()
    downloads = page[page.index(">Downloads</h2>") :]
    assert downloads.count(cast.auditor_a.get_full_name()) == 2
    assert "No one has downloaded" not in page


def test_a_case_study_not_ready_has_no_download(client, cast, resident):
    requested = services.case_study_request(resident=resident, by=cast.tm_a)
    client.force_login(cast.tm_a)
    response = client.get(reverse("audit:case_study_download", args=[requested.pk]))
    assert response.status_code == 404
    assert not requested.downloads.exists()


def test_the_list_shows_the_case_studies_of_the_users_communities(client, cast, resident):
    requested = services.case_study_request(resident=resident, by=cast.tm_a)
    client.force_login(cast.tm_a)
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


# The release step ----------------------------------------------------------------------
# What leaves the prison is released by a person: the draft is read beside its originals
# by a Therapy Manager or the HoP, redacted further by hand if need be, and released.


def review_text(case_study, where_starts: str) -> dict:
    return next(t for t in case_study.review_texts if t["where"].startswith(where_starts))


def test_the_render_keeps_each_free_text_as_written_its_spans_and_what_the_pdf_shows(
    cast, resident
):
    draft = rendered(resident, cast)
    review = review_text(draft, "Therapy review of")
    original = review["original"]
    assert original.startswith("Quartermain (K4821QT, born 14/03/1990) spoke about Ulrich")
    kinds = {original[s["start"] : s["end"]]: s["kind"] for s in review["spans"]}
    assert kinds["Quartermain"] == anonymise.Kind.RESIDENT
    assert kinds["K4821QT"] == anonymise.Kind.PRISON_NUMBER
    assert kinds["14/03/1990"] == anonymise.Kind.DATE
    assert kinds["Ulrich"] == anonymise.Kind.NAME
    assert review["text"].startswith(f"{draft.pseudonym} ([prison number], born [date]) spoke")
    # What the reviewer reads is what the PDF holds: every text the content has, as it
    # has it, and every word the PDF shows of it.
    content = case_study.content(resident, today=timezone.localdate())
    assert [(t["where"], t["text"]) for t in draft.review_texts] == [
        (where, redacted.text) for where, redacted in content["texts"]
    ]
    found = words(pdf_text(draft.file.read()))
    for text in draft.review_texts:
        assert words(text["text"]) <= found, text["where"]


def test_an_auditor_sees_a_case_study_only_once_it_is_released(client, cast, resident):
    draft = rendered(resident, cast)
    page_url = reverse("audit:case_study", args=[draft.pk])
    client.force_login(cast.auditor_a)
    assert draft.pseudonym not in client.get(reverse("audit:case_studies")).content.decode()
    assert client.get(page_url).status_code == 404
    assert client.get(page_url, headers={"HX-Request": "true"}).status_code == 404
    for name in ("audit:case_study_download", "audit:case_study_draft_download"):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404
    assert not draft.downloads.exists()

    services.case_study_release(case_study=draft, by=cast.tm_a)
    assert draft.pseudonym in client.get(reverse("audit:case_studies")).content.decode()
    page = client.get(page_url).content.decode()
    assert "Download the PDF" in page
    # Its reviewers' draft is never theirs, released or not.
    assert (
        client.get(reverse("audit:case_study_draft_download", args=[draft.pk])).status_code == 404
    )


def test_the_auditors_page_never_shows_the_texts_as_written(client, cast, resident):
    case = released(resident, cast)
    client.force_login(cast.auditor_a)
    page = client.get(reverse("audit:case_study", args=[case.pk])).content.decode()
    for secret in ("Zebedee", "Quartermain", "K4821QT", "Ulrich", "Review the redactions"):
        assert secret not in page
    assert "<mark" not in page


def test_the_reviewer_reads_every_text_beside_its_original_each_redaction_named(
    client, cast, resident
):
    draft = rendered(resident, cast)
    client.force_login(cast.tm_a)
    page = client.get(reverse("audit:case_study", args=[draft.pk])).content.decode()
    assert "Review the redactions" in page
    assert page.count('data-testid="as-written"') == len(draft.review_texts) == 3
    for text in draft.review_texts:
        assert text["where"] in page
    marked = (
        '<mark class="dtc-redaction dtc-redaction--resident">Quartermain'
        '<span class="govuk-visually-hidden"> (redacted: </span>'
        '<span class="dtc-redaction__kind">The resident&#x27;s own name</span>'
    )
    assert marked in page
    for label in ("A person&#x27;s name", "A prison number", "A date"):
        assert f'<span class="dtc-redaction__kind">{label}</span>' in page
    assert f"{draft.pseudonym} ([prison number], born [date]) spoke about [name]" in page
    assert "Release the case study" in page
    # The originals are an identifiable record: the view is logged.
    assert resident.access_log.filter(user=cast.tm_a, page="case study review").exists()


def test_the_review_page_stays_within_its_query_bound(
    client, cast, resident, django_assert_max_num_queries
):
    case = released(resident, cast)
    services.case_study_redact(case_study=case, phrase="repair things", by=cast.tm_a)
    case = services.case_study_render(case_study_id=case.pk)
    for _ in range(3):
        services.case_study_download_record(case_study=case, by=cast.auditor_a)
    client.force_login(cast.tm_a)
    url = reverse("audit:case_study", args=[case.pk])
    client.get(reverse("profile"))  # the session's first page reads the registration
    # 13 today: the texts come from the case study's row, the records' change is one query.
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


def test_a_reviewer_redacts_a_phrase_by_hand_and_the_draft_renders_again(cast, resident):
    draft = rendered(resident, cast)
    redaction = services.case_study_redact(
        case_study=draft, phrase="  repair things ", by=cast.tm_a
    )
    assert (redaction.phrase, redaction.added_by) == ("repair things", cast.tm_a)
    assert redaction.history.get().history_user == cast.tm_a
    draft.refresh_from_db()
    assert draft.status == RenderStatus.QUEUED and draft.stage == ReleaseStage.DRAFT

    draft = services.case_study_render(case_study_id=draft.pk)
    goal = review_text(draft, "Treatment plan version 1")
    by_hand = [s for s in goal["spans"] if s["kind"] == anonymise.Kind.MANUAL]
    assert [goal["original"][s["start"] : s["end"]] for s in by_hand] == ["repair things"]
    assert "[redacted]" in goal["text"]
    found = words(pdf_text(draft.file.read()))
    assert "repair" not in found and "redacted" in found


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        ("Zanzibar", "“Zanzibar” is not in the texts of this case study"),
        ("repai", "“repai” is not in the texts of this case study"),  # whole words only
        ("Zebedee", "“Zebedee” is already redacted wherever it appears"),
        ("14/03/1990", "“14/03/1990” is already redacted wherever it appears"),
    ],
)
def test_a_phrase_not_in_the_texts_or_already_redacted_is_refused(cast, resident, phrase, message):
    draft = rendered(resident, cast)
    with pytest.raises(ValidationError) as refused:
        services.case_study_redact(case_study=draft, phrase=phrase, by=cast.tm_a)
    assert refused.value.message_dict["phrase"][0].startswith(message)
    assert not draft.redactions.exists()


def test_a_phrase_is_refused_while_the_draft_renders(cast, resident):
    draft = services.case_study_request(resident=resident, by=cast.auditor_a)
    with pytest.raises(ValidationError):
        services.case_study_redact(case_study=draft, phrase="repair", by=cast.tm_a)
    assert not draft.redactions.exists()


def test_the_redaction_form_shows_its_refusal_beside_the_field(client, cast, resident):
    draft = rendered(resident, cast)
    client.force_login(cast.tm_a)
    url = reverse("audit:case_study_redact", args=[draft.pk])
    for phrase, message in (("", "Enter the word or phrase to redact"), ("Zanzibar", "Zanzibar")):
        response = client.post(url, {"phrase": phrase})
        assert response.status_code == 200
        page = response.content.decode()
        assert message in page and 'href="#id_phrase"' in page
    assert not draft.redactions.exists()

    response = client.post(url, {"phrase": "repair things"})
    assert response.url == reverse("audit:case_study", args=[draft.pk])
    assert draft.redactions.get().phrase == "repair things"


def test_the_redaction_form_on_the_page_carries_a_one_time_token(client, cast, resident):
    draft = rendered(resident, cast)
    client.force_login(cast.tm_a)
    page = client.get(reverse("audit:case_study", args=[draft.pk])).content.decode()
    form = page[page.index('data-testid="redact-form"') :]
    assert 'name="form_token"' in form[: form.index("</form>")]


def test_no_redaction_is_ever_taken_back():
    """Redactions are added to, never removed: no service, page or admin removes one."""
    from django.contrib import admin

    from audit import urls
    from audit.models import CaseStudyRedaction

    names = services.case_studies.__all__
    assert [name for name in names if "redact" in name] == ["case_study_redact"]
    assert [p.name for p in urls.urlpatterns if "redact" in p.name] == ["case_study_redact"]
    assert CaseStudyRedaction not in admin.site._registry


def test_release_keeps_a_copy_of_the_draft_and_who_released_it_when(cast, resident):
    draft = rendered(resident, cast)
    case = services.case_study_release(case_study=draft, by=cast.tm_a)
    assert case.stage == ReleaseStage.RELEASED and case.released_by == cast.tm_a
    assert case.released_at and case.released_page_count == case.page_count
    assert case.released_file.name != case.file.name
    case = CaseStudy.objects.get(pk=case.pk)
    assert case.released_file.read() == case.file.read()
    last = case.history.first()
    assert (last.history_user, last.stage) == (cast.tm_a, ReleaseStage.RELEASED)


def test_release_is_refused_while_rendering_once_failed_and_once_released(
    cast, resident, monkeypatch
):
    queued = services.case_study_request(resident=resident, by=cast.auditor_a)
    with pytest.raises(ValidationError, match="still being rendered"):
        services.case_study_release(case_study=queued, by=cast.tm_a)

    monkeypatch.setattr(case_study, "render_pdf", lambda *a, **k: 1 / 0)
    failed = services.case_study_render(case_study_id=queued.pk)
    with pytest.raises(ValidationError, match="could not be rendered"):
        services.case_study_release(case_study=failed, by=cast.tm_a)
    monkeypatch.undo()

    again = services.case_study_render_again(case_study=failed, by=cast.tm_a)
    case = services.case_study_release(
        case_study=services.case_study_render(case_study_id=again.pk), by=cast.tm_a
    )
    with pytest.raises(ValidationError, match="already released"):
        services.case_study_release(case_study=case, by=cast.hop)
    assert not CaseStudy.objects.exclude(pk=case.pk).exists()


def test_only_a_tm_or_the_hop_may_review_and_release(cast, resident):
    draft = rendered(resident, cast)
    for user in (cast.auditor_a, cast.clinician_a, cast.officer_a, cast.trainee_a, cast.tm_b):
        with pytest.raises(PermissionDenied):
            services.case_study_release(case_study=draft, by=user)
        with pytest.raises(PermissionDenied):
            services.case_study_redact(case_study=draft, phrase="repair", by=user)
        with pytest.raises(PermissionDenied):
            services.case_study_render_again(case_study=draft, by=user)
    assert services.case_study_release(case_study=draft, by=cast.hop).released_by == cast.hop


def test_a_later_render_leaves_auditors_the_pdf_released_until_it_is_released_again(
    client, cast, resident, settings
):
    case = released(resident, cast)
    first = case.released_file.read()
    TherapyReview.objects.create(
        resident=resident,
        due_on=timezone.localdate(),
        held_on=timezone.localdate(),
        outcome="continue",
        summary="A second review, after the release.",
        recorded_by=cast.clinician_a,
    )
    again = services.case_study_render(
        case_study_id=services.case_study_render_again(case_study=case, by=cast.tm_a).pk
    )
    assert again.stage == ReleaseStage.DRAFT and again.is_released
    latest = again.file.read()
    assert latest != first

    client.force_login(cast.auditor_a)
    assert again.pseudonym in client.get(reverse("audit:case_studies")).content.decode()
    response = client.get(reverse("audit:case_study_download", args=[again.pk]))
    assert b"".join(response.streaming_content) == first

    services.case_study_release(case_study=again, by=cast.tm_a)
    response = client.get(reverse("audit:case_study_download", args=[again.pk]))
    assert b"".join(response.streaming_content) == latest
    # The PDF released first is kept as its auditors had it.
    assert len(os.listdir(Path(settings.MEDIA_ROOT) / "case_studies" / "released")) == 2


def test_the_page_says_when_the_residents_records_changed_since_the_render(client, cast, resident):
    draft = rendered(resident, cast)
    client.force_login(cast.tm_a)
    url = reverse("audit:case_study", args=[draft.pk])
    assert "records have changed" not in client.get(url).content.decode()

    review = resident.reviews.get()
    review.summary = "Reworded after the render."
    review.save()
    page = client.get(url).content.decode()
    assert (
        "The resident's records have changed since this was rendered on "
        f"{timezone.localtime(draft.rendered_at):%-d %B %Y, %H:%M}" in page
    )
    assert reverse("audit:case_study_render_again", args=[draft.pk]) in page

    client.post(reverse("audit:case_study_render_again", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == RenderStatus.QUEUED


def change_resident(resident, cast):
    resident.leaving_reason = "Corrected."
    resident.save()


def change_plan(resident, cast):
    plan = resident.plans.get()
    plan.expected_weekly_hours = plan.expected_weekly_hours + 1
    plan.save()


def change_goal(resident, cast):
    goal = resident.plans.get().goals.get()
    goal.description = "Reworded."
    goal.save()


def change_attendance(resident, cast):
    AttendanceFactory(
        session=GroupSessionFactory(community=cast.a, recorded_by=cast.tm_a),
        resident=resident,
        recorded_by=cast.tm_a,
    )


def change_decision(resident, cast):
    decision = resident.decisions.get()
    decision.rationale = "Reworded."
    decision.save()


def change_incident(resident, cast):
    incident = resident.incidents.get()
    incident.seriousness = "serious"
    incident.save()


def change_acct(resident, cast):
    acct = resident.acct_periods.get()
    acct.closed_on = acct.closed_on - timedelta(days=1)
    acct.save()


def change_motion(resident, cast):
    motion = Motion.objects.get(resident=resident)
    motion.residents_for = 13
    motion.save()


@pytest.mark.parametrize(
    "change",
    [
        change_resident,
        change_plan,
        change_goal,
        change_attendance,
        change_decision,
        change_incident,
        change_acct,
        change_motion,
    ],
)
def test_any_record_a_case_study_is_made_from_counts_as_a_change(
    cast, resident, change, django_assert_num_queries
):
    from audit.selectors import resident_records_changed_since

    draft = rendered(resident, cast)
    with django_assert_num_queries(1):
        assert not resident_records_changed_since(resident.pk, draft.rendered_at)
    change(resident, cast)
    assert resident_records_changed_since(resident.pk, draft.rendered_at)


def test_another_residents_records_are_no_change(cast, resident):
    from audit.selectors import resident_records_changed_since

    draft = rendered(resident, cast)
    TherapyReview.objects.create(
        resident=ResidentFactory(community=cast.a),
        due_on=timezone.localdate(),
        held_on=timezone.localdate(),
        outcome="continue",
        summary="Someone else.",
        recorded_by=cast.clinician_a,
    )
    assert not resident_records_changed_since(resident.pk, draft.rendered_at)


def test_the_release_page_asks_for_confirmation_then_releases(client, cast, resident):
    draft = rendered(resident, cast)
    client.force_login(cast.tm_a)
    url = reverse("audit:case_study_release", args=[draft.pk])
    page = client.get(url).content.decode()
    assert "Releasing cannot be undone" in page and "3 free texts" in page
    assert 'name="form_token"' in page
    draft.refresh_from_db()
    assert not draft.is_released

    response = client.post(url, {"confirm": "1"})
    assert response.url == reverse("audit:case_study", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.is_released and draft.released_by == cast.tm_a
    # Nothing new to release: the page says why instead.
    response = client.get(url, follow=True)
    assert "already released" in response.content.decode()


def test_the_record_shows_the_request_each_release_and_each_redaction(client, cast, resident):
    case = released(resident, cast)
    services.case_study_redact(case_study=case, phrase="repair things", by=cast.hop)
    services.case_study_release(
        case_study=services.case_study_render(case_study_id=case.pk), by=cast.hop
    )
    client.force_login(cast.tm_a)
    page = client.get(reverse("audit:case_study", args=[case.pk])).content.decode()
    record = page[page.index('data-testid="case-study-record"') :]
    record = record[: record.index("</table>")]
    requested = record.index("Requested")
    first = record.index("Released to auditors")
    redacted = record.index("Redacted by hand: “repair things”")
    second = record.index("Released to auditors", first + 1)
    assert requested < first < redacted < second
    assert record.count(cast.hop.get_full_name()) == 2  # the redaction and the second release
    assert cast.tm_a.get_full_name() in record and cast.auditor_a.get_full_name() in record


def test_each_download_records_which_pdf(client, cast, resident):
    draft = rendered(resident, cast)
    client.force_login(cast.tm_a)
    client.get(reverse("audit:case_study_draft_download", args=[draft.pk]))
    services.case_study_release(case_study=draft, by=cast.tm_a)
    client.force_login(cast.auditor_a)
    client.get(reverse("audit:case_study_download", args=[draft.pk]))
    assert list(draft.downloads.order_by("pk").values_list("user", "version")) == [
        (cast.tm_a.pk, CaseStudyDownload.Version.DRAFT),
        (cast.auditor_a.pk, CaseStudyDownload.Version.RELEASED),
    ]
    # The auditors see the downloads of the released PDF; its reviewers see both.
    page = client.get(reverse("audit:case_study", args=[draft.pk])).content.decode()
    assert cast.tm_a.get_full_name() not in page
    client.force_login(cast.tm_a)
    page = client.get(reverse("audit:case_study", args=[draft.pk])).content.decode()
    assert "Draft, for review" in page and "Released PDF" in page


def test_a_case_study_of_a_person_restricted_since_follows_the_restriction(client, cast, resident):
    draft = rendered(resident, cast)
    resident.is_restricted = True
    resident.save()
    from residents.models import ResidentAccess

    ResidentAccess.objects.create(resident=resident, user=cast.tm_a, granted_by=cast.tm_a)
    client.force_login(cast.hop)  # not named
    assert client.get(reverse("audit:case_study", args=[draft.pk])).status_code == 404
    assert draft.pseudonym not in client.get(reverse("audit:case_studies")).content.decode()
    with pytest.raises(ValidationError, match="restricted"):
        services.case_study_release(case_study=draft, by=cast.tm_a)


# The work queue ------------------------------------------------------------------------


def queue_lines(client, user) -> list[tuple[str, str]]:
    client.force_login(user)
    found = client.get(reverse("home")).context["queue"]
    return [(item.what, item.about) for item in [*found.due, *found.coming]]


def test_a_draft_waits_on_the_work_queue_of_those_who_release_it(client, cast, resident):
    draft = rendered(resident, cast)
    line = ("Case study to review and release", f"{draft.pseudonym}, A")
    assert line in queue_lines(client, cast.tm_a)
    assert line in queue_lines(client, cast.hop)
    for user in (cast.auditor_a, cast.clinician_a, cast.tm_b):
        assert line not in queue_lines(client, user)

    services.case_study_release(case_study=draft, by=cast.tm_a)
    assert line not in queue_lines(client, cast.tm_a)


def test_the_queue_reads_at_most_its_limit(rf, cast):
    from audit.queue import work

    for _ in range(3):
        rendered(ResidentFactory(community=cast.a), cast)
    request = rf.get("/")
    request.user = cast.tm_a
    assert len(work(request, today=timezone.localdate(), limit=2)) == 2


# The demo --------------------------------------------------------------------------------


def test_the_demo_has_case_studies_released_by_their_tm_and_one_awaiting_release(demo_estate):
    case_studies = list(CaseStudy.objects.select_related("community", "released_by"))
    released_ones = [c for c in case_studies if c.is_released]
    assert len(released_ones) >= 2
    for case in released_ones:
        assert case.released_by.username == f"tm.{case.community.name.lower()}"
        assert case.released_file and case.review_texts is not None
    waiting = [c for c in case_studies if not c.is_released]
    assert len(waiting) == 1 and waiting[0].is_ready and waiting[0].stage == ReleaseStage.DRAFT
