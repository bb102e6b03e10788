"""Subject access requests: the HoP's export of everything held about one prison number,
as JSON and PDF, made in the background; who may ask; what it holds and leaves out; the
pages, the downloads and the log."""

import json
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from audit import services, tasks
from audit.models import RenderStatus, SubjectAccessDownload, SubjectAccessRequest
from community.models import Motion
from dtc.models import Role
from referrals import services as referral_services
from referrals.models import Interview, Priority
from residents.models import DocumentAmendment, ResidentAccess
from tests.factories import ResidentFactory, staff
from tests.referrals.factories import ReferralFactory, at_decision, default_criteria
from tests.residents.factories import (
    AttendanceFactory,
    ClinicalDocumentFactory,
    GroupSessionFactory,
)

NUMBER = "K4821QT"
PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"  # poppler-utils


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def person(cast):
    """K4821QT: referred to A, then admitted there, with a document (amended), a group
    attended and a commitment vote; and someone else on A with records of their own."""
    default_criteria(cast.a, cast.tm_a)
    referral = ReferralFactory(
        community=cast.a,
        prison_number=NUMBER,
        first_name="Zebedee",
        last_name="Quartermain",
        submitted_by=cast.clinician_a,
    )
    referral_services.referral_start_screening(referral=referral, by=cast.tm_a)
    Interview.objects.create(
        referral=referral,
        held_on=date(2025, 2, 3),
        assessor=cast.clinician_a,
        summary="Talked about his wish to change.",
        recorded_by=cast.clinician_a,
    )
    resident = ResidentFactory(
        community=cast.a, prison_number=NUMBER, first_name="Zebedee", last_name="Quartermain"
    )
    document = ClinicalDocumentFactory(
        resident=resident, title="Case note after the first small group", author=cast.clinician_a
    )
    DocumentAmendment.objects.create(
        document=document,
        text="He asked for the note to mention his brother.",
        reason="Added at his request",
        amended_by=cast.clinician_a,
    )
    session = GroupSessionFactory(
        community=cast.a, held_on=date(2025, 3, 4), recorded_by=cast.officer_a
    )
    AttendanceFactory(session=session, resident=resident, recorded_by=cast.officer_a)
    Motion.objects.create(
        community=resident.community,
        kind="commitment_vote",
        resident=resident,
        held_on=date(2025, 4, 5),
        residents_for=14,
        residents_against=2,
        outcome="carried",
        recorded_by=cast.tm_a,
    )
    other = ResidentFactory(community=cast.a, prison_number="B7777XY", last_name="Ulverstone")
    ClinicalDocumentFactory(resident=other, title="Ulverstone's own note", author=cast.tm_a)
    AttendanceFactory(session=session, resident=other, recorded_by=cast.officer_a)
    return resident


def exported(cast, number=NUMBER, by=None) -> SubjectAccessRequest:
    """A request made and its export rendered, as the background task does."""
    made = services.subject_access_request(
        prison_number=number, reason="Data protection request DP-1234", by=by or cast.hop
    )
    return services.subject_access_render(request_id=made.pk)


def export_json(access_request) -> dict:
    with access_request.json_file.open("rb") as file:
        return json.load(file)


def pdf_text(access_request) -> str:
    with access_request.pdf_file.open("rb") as file:
        pdf = file.read()
    text = subprocess.run(
        [PDFTOTEXT, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(text.split())


# The export ---------------------------------------------------------------------------


def test_the_hops_export_holds_the_persons_referral_documents_attendance_and_votes(cast, person):
    document = export_json(exported(cast))

    [referral] = document["referrals"]
    assert (referral["prison_number"], referral["last_name"]) == (NUMBER, "Quartermain")
    assert [t["to_status"] for t in referral["transitions"]] == ["Screening"]
    assert referral["interviews"][0]["summary"] == "Talked about his wish to change."
    [resident] = document["residents"]
    [note] = resident["clinical_documents"]
    assert note["title"] == "Case note after the first small group"
    assert note["amendments"][0]["reason"] == "Added at his request"
    assert [(a["held_on"], a["status"]) for a in resident["attendance"]] == [
        ("2025-03-04", "Present")
    ]
    assert [(v["held_on"], v["kind"], v["residents_for"]) for v in resident["motions"]] == [
        ("2025-04-05", "Commitment vote", 14)
    ]


def test_a_referral_accepted_by_override_carries_its_criteria_and_the_override(cast):
    default_criteria(cast.a, cast.tm_a)
    referral = ReferralFactory(
        community=cast.a,
        prison_number=NUMBER,
        sentence_expiry_date=timezone.localdate() + timedelta(days=365),
        tariff_or_parole_date=None,
    )
    at_decision(referral, cast.clinician_a)
    rationale = "He can complete the core treatment before release; the parole board asked."
    referral_services.referral_accept(
        referral=referral, by=cast.tm_a, priority=Priority.HIGH, rationale=rationale
    )

    [exported_referral] = export_json(exported(cast))["referrals"]
    outcomes = {o["criterion"]: o["outcome"] for o in exported_referral["suitability_criteria"]}
    overridden = [c for c, outcome in outcomes.items() if outcome == "Not met"]
    assert overridden and exported_referral["status"] == "Accepted: waiting list"
    assert exported_referral["override"]["rationale"] == rationale
    assert exported_referral["override"]["criteria_overridden"] == overridden


def test_the_export_holds_nothing_of_another_person(cast, person):
    text = json.dumps(export_json(exported(cast)))
    assert "B7777XY" not in text and "Ulverstone" not in text


def test_the_json_parses_and_has_every_section(cast, person):
    access_request = exported(cast)
    document = export_json(access_request)

    assert document["prison_number"] == NUMBER
    assert document["generated_by"] == cast.hop.get_full_name()
    generated = datetime.fromisoformat(document["generated_at"].replace("Z", "+00:00"))
    assert generated.tzinfo is not None and generated.astimezone(UTC) <= datetime.now(UTC)
    assert document["request"]["reason"] == "Data protection request DP-1234"
    assert document["nothing_held"] is False
    assert set(document) >= {"referrals", "residents", "case_studies", "communities_searched"}
    assert set(document["residents"][0]) >= {
        "treatment_plans",
        "therapy_reviews",
        "motions",
        "incidents",
        "risk_assessments",
        "acct_periods",
        "clinical_documents",
        "decisions",
        "attendance",
        "access_log",
    }
    assert access_request.records_found == 2


def test_the_pdf_renders_every_section_on_a4_pages(cast, person):
    access_request = exported(cast)
    with access_request.pdf_file.open("rb") as file:
        assert file.read(4) == b"%PDF"
    assert access_request.status == RenderStatus.READY
    assert access_request.page_count >= 3
    text = pdf_text(access_request)
    for expected in [
        "Subject access request",
        NUMBER,
        "Data protection request DP-1234",
        "1. Referrals",
        "2. Resident records",
        "3. Case studies",
        "Case note after the first small group",
        "Added at his request",
        "Motions",
        "4 Mar 2025",
        f"Page 2 of {access_request.page_count}",
        "OFFICIAL-SENSITIVE",
    ]:
        assert expected in text, expected
    assert "Ulverstone" not in text


def test_records_of_a_community_outside_the_hops_are_left_out(cast, person):
    ResidentFactory(community=cast.c, prison_number=NUMBER, last_name="Elsewhere")
    document = export_json(exported(cast))
    assert [r["community"] for r in document["residents"]] == ["A, HMP One"]


def test_a_restricted_resident_who_does_not_name_the_hop_is_absent(cast, person):
    person.is_restricted = True
    person.save()
    ResidentAccess.objects.create(resident=person, user=cast.tm_a, granted_by=cast.tm_a)

    document = export_json(exported(cast))
    assert document["residents"] == []
    text = json.dumps(document)
    assert "Case note after the first small group" not in text and "Present" not in text


def test_a_restricted_resident_who_names_the_hop_is_exported(cast, person):
    person.is_restricted = True
    person.save()
    ResidentAccess.objects.create(resident=person, user=cast.hop, granted_by=cast.tm_a)

    [resident] = export_json(exported(cast))["residents"]
    assert resident["restricted"] is True
    assert resident["access_list"] == [cast.hop.get_full_name()]


def test_a_number_with_no_records_completes_and_says_nothing_is_held(client, cast):
    access_request = exported(cast, number="Z9999ZZ")
    document = export_json(access_request)
    assert access_request.status == RenderStatus.READY
    assert document["nothing_held"] is True
    assert document["referrals"] == document["residents"] == document["case_studies"] == []
    assert "holds no records about Z9999ZZ" in pdf_text(access_request)

    client.force_login(cast.hop)
    page = client.get(reverse("audit:subject_access", args=[access_request.pk])).content.decode()
    assert "holds no records about Z9999ZZ" in page


# Who may ask, and the log ------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.THERAPY_MANAGER, Role.CLINICIAN, Role.OFFICER, Role.TRAINEE, Role.AUDITOR]
)
def test_only_the_head_of_psychotherapy_may_request(cast, role):
    with pytest.raises(PermissionDenied):
        services.subject_access_request(prison_number=NUMBER, reason="x", by=cast.by_role(role))
    assert not SubjectAccessRequest.objects.exists()


def test_the_export_is_dispatched_after_commit_and_the_task_renders_it(
    cast, person, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as in CI: nothing runs until we say so
    with django_capture_on_commit_callbacks() as callbacks:
        made = services.subject_access_request(prison_number=NUMBER, reason="DP-1", by=cast.hop)
    assert len(callbacks) == 1
    assert made.status == RenderStatus.QUEUED and not made.json_file

    assert tasks.render_subject_access(made.pk) == RenderStatus.READY
    made.refresh_from_db()
    assert made.rendered_at and made.json_file and made.pdf_file


def test_the_request_keeps_its_history_for_the_hop(cast, person):
    access_request = exported(cast)
    statuses = list(
        access_request.history.order_by("history_date").values_list("status", "history_user")
    )
    assert statuses == [
        (RenderStatus.QUEUED, cast.hop.pk),
        (RenderStatus.RENDERING, cast.hop.pk),
        (RenderStatus.READY, cast.hop.pk),
    ]


# Pages -------------------------------------------------------------------------------


def test_a_bad_prison_number_shows_the_field_error(client, cast):
    client.force_login(cast.hop)
    response = client.post(
        reverse("audit:subject_access_new"), {"prison_number": "12345", "reason": "DP-1"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the prison number in the format A1234BC" in page
    assert 'href="#id_prison_number"' in page
    assert not SubjectAccessRequest.objects.exists()


def test_the_reason_is_required(client, cast):
    client.force_login(cast.hop)
    response = client.post(
        reverse("audit:subject_access_new"), {"prison_number": NUMBER, "reason": "  "}
    )
    assert "Enter the reason for the export or the request&#x27;s reference" in (
        response.content.decode()
    )
    assert not SubjectAccessRequest.objects.exists()


def test_the_answers_are_checked_before_the_request_is_logged(client, cast):
    client.force_login(cast.hop)
    url = reverse("audit:subject_access_new")
    check = client.post(url, {"prison_number": " k4821qt ", "reason": "DP-1234"})
    page = check.content.decode()
    assert "Check your answers" in page and NUMBER in page
    assert not SubjectAccessRequest.objects.exists()

    response = client.post(url, {"prison_number": NUMBER, "reason": "DP-1234", "confirm": "1"})
    made = SubjectAccessRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("audit:subject_access", args=[made.pk])
    assert (made.prison_number, made.reason, made.requested_by) == (NUMBER, "DP-1234", cast.hop)


def test_the_status_fragment_polls_while_the_export_is_made_and_stops_when_ready(
    client, cast, person
):
    made = services.subject_access_request(prison_number=NUMBER, reason="DP-1", by=cast.hop)
    client.force_login(cast.hop)
    url = reverse("audit:subject_access", args=[made.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page and f'hx-get="{url}"' in page

    services.subject_access_render(request_id=made.pk)
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "hx-trigger" not in fragment
    assert reverse("audit:subject_access_download", args=[made.pk, "pdf"]) in fragment
    assert reverse("audit:subject_access_download", args=[made.pk, "json"]) in fragment


def test_each_download_is_an_attachment_and_is_recorded(client, cast, person):
    access_request = exported(cast)
    client.force_login(cast.hop)
    for kind, content_type, start in (
        ("pdf", "application/pdf", b"%PDF"),
        ("json", "application/json", b"{"),
    ):
        response = client.get(
            reverse("audit:subject_access_download", args=[access_request.pk, kind])
        )
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content).startswith(start)

    downloads = SubjectAccessDownload.objects.filter(request=access_request)
    assert sorted(downloads.values_list("kind", "user")) == [
        ("json", cast.hop.pk),
        ("pdf", cast.hop.pk),
    ]
    page = client.get(reverse("audit:subject_access", args=[access_request.pk])).content.decode()
    assert 'data-testid="downloads"' in page and "JSON" in page


def test_an_export_not_yet_made_cannot_be_downloaded(client, cast):
    made = services.subject_access_request(prison_number=NUMBER, reason="DP-1", by=cast.hop)
    client.force_login(cast.hop)
    response = client.get(reverse("audit:subject_access_download", args=[made.pk, "pdf"]))
    assert response.status_code == 404
    assert not SubjectAccessDownload.objects.exists()


def test_another_hops_request_is_not_found(client, cast, person):
    access_request = exported(cast)
    other_hop = staff("hop_two", Role.HEAD_OF_PSYCHOTHERAPY, cast.a.establishment)
    client.force_login(other_hop)
    for url in (
        reverse("audit:subject_access", args=[access_request.pk]),
        reverse("audit:subject_access_download", args=[access_request.pk, "pdf"]),
    ):
        assert client.get(url).status_code == 404
    assert (
        access_request.prison_number
        not in client.get(reverse("audit:subject_access_requests")).content.decode()
    )


def test_the_list_shows_the_hops_requests_newest_first(client, cast):
    for number in ("A1111AA", "B2222BB"):
        services.subject_access_request(prison_number=number, reason="DP", by=cast.hop)
    client.force_login(cast.hop)
    page = client.get(reverse("audit:subject_access_requests")).content.decode()
    assert page.index("B2222BB") < page.index("A1111AA")


def test_the_audit_area_links_to_subject_access_for_the_hop_only(client, cast):
    link = reverse("audit:subject_access_requests")
    client.force_login(cast.hop)
    assert link in client.get(reverse("audit:index")).content.decode()
    client.force_login(cast.tm_a)
    assert link not in client.get(reverse("audit:index")).content.decode()
