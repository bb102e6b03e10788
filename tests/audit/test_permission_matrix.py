"""The audit module's matrix: role × (own community, another community) × view."""

import pytest
from django.urls import reverse

from audit import services
from audit.models import AuditTemplate, RecordKind, StandardCriterion
from dtc.models import Role

HOP, TM, CLIN, OFF, TRN, AUD = (
    Role.HEAD_OF_PSYCHOTHERAPY,
    Role.THERAPY_MANAGER,
    Role.CLINICIAN,
    Role.OFFICER,
    Role.TRAINEE,
    Role.AUDITOR,
)
ROLES = [HOP, TM, CLIN, OFF, TRN, AUD]
ALL_200 = {r: 200 for r in ROLES}
AUDIT_ONLY = {HOP: 200, TM: 200, CLIN: 403, OFF: 403, TRN: 403, AUD: 200}
MANAGERS = {HOP: 200, TM: 200, CLIN: 404, OFF: 404, TRN: 404, AUD: 403}
HOP_ONLY = {HOP: 200, TM: 403, CLIN: 403, OFF: 403, TRN: 403, AUD: 403}
NONE_404 = {r: 404 for r in ROLES}


@pytest.fixture
def cycles(cast):
    # Community C's cycle is opened by a TM there: outside everyone in the cast.
    from tests.factories import staff

    tm_c = staff("tm_c", Role.THERAPY_MANAGER, cast.c)
    return {
        "own": services.cycle_open(community=cast.a, title="A review", by=cast.tm_a),
        "other": services.cycle_open(community=cast.c, title="C review", by=tm_c),
    }


@pytest.fixture
def runs(cast):
    """A clinical audit of treatment plans in A (by tm_a) and one in C (by its own TM)."""
    from tests.factories import ResidentFactory, staff
    from tests.residents.factories import TreatmentPlanFactory

    tm_c = staff("tm_c_audit", Role.THERAPY_MANAGER, cast.c)
    template = services.audit_template_save(
        template=AuditTemplate(title="Plans", record_kind=RecordKind.TREATMENT_PLAN),
        questions=["Signed?"],
        by=cast.hop,
    )
    made = {}
    for where, community, by in (("own", cast.a, cast.tm_a), ("other", cast.c, tm_c)):
        TreatmentPlanFactory(resident=ResidentFactory(community=community))
        made[where] = services.audit_run_start(
            template=template, community=community, sample_size=1, by=by
        )
    return made


def url(name, cycles, cast, where, runs=None):
    cycle = cycles[where]
    criterion = StandardCriterion.objects.first()
    community = cast.a if where == "own" else cast.c
    if name.startswith("clinical"):
        run = runs[where]
        return {
            "clinical_audits": reverse("audit:clinical_audits"),
            "clinical_templates": reverse("audit:clinical_templates"),
            "clinical_template_new": reverse("audit:clinical_template_new"),
            "clinical_template_edit": reverse(
                "audit:clinical_template_edit", args=[run.template_id]
            ),
            "clinical_template_retire": reverse(
                "audit:clinical_template_retire", args=[run.template_id]
            ),
            "clinical_run_start": reverse("audit:clinical_run_start", args=[community.pk]),
            "clinical_run": reverse("audit:clinical_run", args=[run.pk]),
            "clinical_answer": reverse("audit:clinical_answer", args=[run.pk, 1]),
            "clinical_run_complete": reverse("audit:clinical_run_complete", args=[run.pk]),
            "clinical_run_withdraw": reverse("audit:clinical_run_withdraw", args=[run.pk]),
        }[name]
    return {
        "index": reverse("audit:index"),
        "standards": reverse("audit:standards"),
        "criterion_new": reverse("audit:criterion_new"),
        "cycle": reverse("audit:cycle", args=[cycle.pk]),
        "rate": reverse("audit:criterion_rate", args=[cycle.pk, criterion.pk]),
        "advance": reverse("audit:cycle_advance", args=[cycle.pk]),
        "open": reverse("audit:cycle_open", args=[community.pk]),
        "kpis": reverse("audit:kpis", args=[community.pk]),
        "kpis_csv": reverse("audit:kpis", args=[community.pk]) + "?format=csv",
        "kpi_compare": reverse("audit:kpi_compare"),
        "kpi_compare_csv": reverse("audit:kpi_compare") + "?format=csv",
        "kpi_targets": reverse("audit:kpi_targets"),
        "kpi_target_edit": reverse("audit:kpi_target_edit", args=["occupancy"]),
    }[name]


MATRIX = [
    ("index", "own", AUDIT_ONLY),
    ("standards", "own", AUDIT_ONLY),
    ("criterion_new", "own", HOP_ONLY),
    ("cycle", "own", {HOP: 200, TM: 200, CLIN: 404, OFF: 404, TRN: 404, AUD: 200}),
    ("cycle", "other", NONE_404),
    ("rate", "own", MANAGERS),
    ("rate", "other", NONE_404),
    ("advance", "own", MANAGERS),
    ("advance", "other", NONE_404),
    ("open", "own", MANAGERS),
    ("open", "other", NONE_404),
    ("clinical_audits", "own", AUDIT_ONLY),
    ("clinical_templates", "own", AUDIT_ONLY),
    ("clinical_template_new", "own", HOP_ONLY),
    ("clinical_template_edit", "own", HOP_ONLY),
    ("clinical_template_retire", "own", HOP_ONLY),
    ("clinical_run_start", "own", MANAGERS),
    ("clinical_run_start", "other", NONE_404),
    ("clinical_run", "own", {HOP: 200, TM: 200, CLIN: 404, OFF: 404, TRN: 404, AUD: 200}),
    ("clinical_run", "other", NONE_404),
    ("clinical_answer", "own", MANAGERS),
    ("clinical_answer", "other", NONE_404),
    ("clinical_run_complete", "own", MANAGERS),
    ("clinical_run_complete", "other", NONE_404),
    ("clinical_run_withdraw", "own", MANAGERS),
    ("clinical_run_withdraw", "other", NONE_404),
    ("kpis", "own", {HOP: 200, TM: 200, CLIN: 404, OFF: 404, TRN: 404, AUD: 200}),
    ("kpis", "other", NONE_404),
    ("kpis_csv", "own", {HOP: 200, TM: 200, CLIN: 404, OFF: 404, TRN: 404, AUD: 200}),
    ("kpis_csv", "other", NONE_404),
    ("kpi_compare", "own", AUDIT_ONLY),
    ("kpi_compare_csv", "own", AUDIT_ONLY),
    ("kpi_targets", "own", HOP_ONLY),
    ("kpi_target_edit", "own", HOP_ONLY),
]


@pytest.mark.parametrize(
    ("name", "where", "expected"), MATRIX, ids=[f"{n}-{w}" for n, w, _ in MATRIX]
)
@pytest.mark.parametrize("role", ROLES)
def test_audit_views(client, cast, cycles, runs, role, name, where, expected):
    client.force_login(cast.by_role(role))
    assert client.get(url(name, cycles, cast, where, runs)).status_code == expected[role]


def test_an_auditor_cannot_rate_by_posting(client, cast, cycles):
    client.force_login(cast.auditor_a)
    criterion = StandardCriterion.objects.first()
    response = client.post(
        reverse("audit:criterion_rate", args=[cycles["own"].pk, criterion.pk]),
        {"rating": "met", "evidence": "x"},
    )
    assert response.status_code == 403
    assert not cycles["own"].ratings.exists()


def test_the_rating_form_shows_errors_next_to_the_fields(client, cast, cycles):
    client.force_login(cast.tm_a)
    criterion = StandardCriterion.objects.first()
    response = client.post(
        reverse("audit:criterion_rate", args=[cycles["own"].pk, criterion.pk]),
        {"rating": "not_met", "evidence": "x"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the action that will meet the criterion" in page
    assert 'href="#id_action_owner"' in page
    assert not cycles["own"].ratings.exists()


def test_the_cycle_page_query_count_does_not_grow_with_ratings(
    client, cast, cycles, django_assert_max_num_queries
):
    from tests.audit.factories import rate_all

    client.force_login(cast.tm_a)
    page = reverse("audit:cycle", args=[cycles["own"].pk])
    # The first page of the day reads the user's registration into the session; counted
    # from the second, as the benchmark counts. Each measured criterion's figure is one
    # to three queries of its own (twelve figures), whatever the ratings.
    client.get(reverse("profile"))
    with django_assert_max_num_queries(34):
        client.get(page)
    rate_all(cycles["own"], cast.tm_a)
    with django_assert_max_num_queries(34):
        assert client.get(page).status_code == 200


# Case studies: anyone who may audit the community requests them and reads the released
# ones; its Therapy Manager and the HoP (release_case_study) also read, redact and release
# the drafts. An auditor is never given a draft, by list, by URL or by download: a draft
# is 404 to them, as it is to anyone outside the community. The community's other staff
# are refused.
AUDITORS = {HOP: 200, TM: 200, CLIN: 403, OFF: 403, TRN: 403, AUD: 200}
REVIEWERS = {HOP: 200, TM: 200, CLIN: 403, OFF: 403, TRN: 403, AUD: 403}
DRAFT = {HOP: 200, TM: 200, CLIN: 403, OFF: 403, TRN: 403, AUD: 404}
NOT_RELEASED = {HOP: 404, TM: 404, CLIN: 403, OFF: 403, TRN: 403, AUD: 404}
# Rendering again is a button: its URL read by hand goes back to the case study.
RENDER_AGAIN = {HOP: 302, TM: 302, CLIN: 403, OFF: 403, TRN: 403, AUD: 404}


@pytest.fixture
def case_studies(cast, settings, tmp_path):
    """A released case study and a draft in A, and a released one in C."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from audit.models import CaseStudy, ReleaseStage, RenderStatus
    from tests.factories import ResidentFactory

    settings.MEDIA_ROOT = tmp_path
    made = {}
    for where, community, stage in (
        ("own", cast.a, ReleaseStage.RELEASED),
        ("own_draft", cast.a, ReleaseStage.DRAFT),
        ("other", cast.c, ReleaseStage.RELEASED),
    ):
        case_study = CaseStudy(
            community=community,
            resident=ResidentFactory(community=community),
            requested_by=cast.auditor_a,
            pseudonym="Resident BCDFGH",
            status=RenderStatus.READY,
            rendered_at=timezone.now(),
            page_count=1,
            review_texts=[],
            stage=stage,
        )
        case_study.file.save("case-study.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        if stage == ReleaseStage.RELEASED:
            case_study.released_file.save("case-study.pdf", ContentFile(b"%PDF-1.7"), save=False)
            case_study.released_at, case_study.released_by = timezone.now(), cast.tm_a
        case_study.save()
        made[where] = case_study
    return made


def case_study_url(name, case_studies, cast, where):
    case_study = case_studies[where]
    community = cast.a if where.startswith("own") else cast.c
    if name == "case_study_request":
        return reverse("audit:case_study_request", args=[community.pk])
    if name == "case_studies":
        return reverse("audit:case_studies")
    return reverse(f"audit:{name}", args=[case_study.pk])


CASE_STUDY_MATRIX = [
    ("case_studies", "own", AUDITORS),
    ("case_study_request", "own", AUDITORS),
    ("case_study_request", "other", NONE_404),
    ("case_study", "own", AUDITORS),
    ("case_study", "own_draft", DRAFT),
    ("case_study", "other", NONE_404),
    ("case_study_download", "own", AUDITORS),
    ("case_study_download", "own_draft", NOT_RELEASED),
    ("case_study_download", "other", NONE_404),
    ("case_study_draft_download", "own", {**REVIEWERS, AUD: 404}),
    ("case_study_draft_download", "own_draft", DRAFT),
    ("case_study_draft_download", "other", NONE_404),
    ("case_study_redact", "own", REVIEWERS),
    ("case_study_redact", "own_draft", DRAFT),
    ("case_study_redact", "other", NONE_404),
    ("case_study_release", "own_draft", DRAFT),
    ("case_study_release", "other", NONE_404),
    ("case_study_render_again", "own", {**RENDER_AGAIN, AUD: 403}),
    ("case_study_render_again", "own_draft", RENDER_AGAIN),
    ("case_study_render_again", "other", NONE_404),
]


@pytest.mark.parametrize(
    ("name", "where", "expected"),
    CASE_STUDY_MATRIX,
    ids=[f"{n}-{w}" for n, w, _ in CASE_STUDY_MATRIX],
)
@pytest.mark.parametrize("role", ROLES)
def test_case_study_views(client, cast, case_studies, role, name, where, expected):
    client.force_login(cast.by_role(role))
    response = client.get(case_study_url(name, case_studies, cast, where))
    assert response.status_code == expected[role]


def test_an_auditor_is_never_given_a_draft(client, cast, case_studies):
    draft = case_studies["own_draft"]
    client.force_login(cast.auditor_a)
    page = client.get(reverse("audit:case_studies")).content.decode()
    assert reverse("audit:case_study", args=[case_studies["own"].pk]) in page
    assert reverse("audit:case_study", args=[draft.pk]) not in page
    for name in ("case_study", "case_study_download", "case_study_draft_download"):
        assert client.get(reverse(f"audit:{name}", args=[draft.pk])).status_code == 404
        polled = client.get(reverse(f"audit:{name}", args=[draft.pk]), headers={"HX-Request": "1"})
        assert polled.status_code == 404
    assert not draft.downloads.exists()


@pytest.mark.parametrize(
    "name",
    [
        "case_study",
        "case_study_download",
        "case_study_draft_download",
        "case_study_redact",
        "case_study_release",
        "case_study_render_again",
    ],
)
@pytest.mark.parametrize("where", ["own", "own_draft"])
def test_a_tm_of_another_community_finds_no_case_study(client, cast, case_studies, name, where):
    client.force_login(cast.tm_b)
    response = client.get(reverse(f"audit:{name}", args=[case_studies[where].pk]))
    assert response.status_code == 404


def test_staff_who_may_not_release_cannot_redact_or_release_by_posting(client, cast, case_studies):
    draft = case_studies["own_draft"]
    posts = [
        ("case_study_redact", {"phrase": "Zebedee"}),
        ("case_study_release", {"confirm": "1"}),
        ("case_study_render_again", {}),
    ]
    for user, refused in (
        (cast.clinician_a, 403),
        (cast.officer_a, 403),
        (cast.trainee_a, 403),
        (cast.auditor_a, 404),
        (cast.tm_b, 404),
    ):
        client.force_login(user)
        for name, data in posts:
            response = client.post(reverse(f"audit:{name}", args=[draft.pk]), data)
            assert response.status_code == refused, (user, name)
    client.force_login(cast.auditor_a)
    released = case_studies["own"]
    for name, data in posts:
        response = client.post(reverse(f"audit:{name}", args=[released.pk]), data)
        assert response.status_code == 403, name
    draft.refresh_from_db()
    assert not draft.is_released and draft.status == "ready" and not draft.redactions.exists()


def test_staff_without_audit_cannot_request_a_case_study_by_posting(client, cast):
    from audit.models import CaseStudy
    from tests.factories import ResidentFactory

    resident = ResidentFactory(community=cast.a)
    client.force_login(cast.clinician_a)
    response = client.post(
        reverse("audit:case_study_request", args=[cast.a.pk]), {"resident": resident.pk}
    )
    assert response.status_code == 403
    assert not CaseStudy.objects.exists()


# Subject access requests: the Head of Psychotherapy's alone. Every other role is refused;
# another HoP's request (made by the HoP of establishment two) is not found.
HOP_ONLY_404 = {HOP: 404, TM: 403, CLIN: 403, OFF: 403, TRN: 403, AUD: 403}


@pytest.fixture
def subject_access(cast, settings, tmp_path):
    from django.core.files.base import ContentFile

    from audit.models import RenderStatus
    from tests.factories import staff

    settings.MEDIA_ROOT = tmp_path
    hop_two = staff("hop_two", HOP, cast.c.establishment)
    made = {}
    for where, by in (("own", cast.hop), ("other", hop_two)):
        access_request = services.subject_access_request(
            prison_number="A1234BC", reason="DP-1", by=by
        )
        access_request.status = RenderStatus.READY
        access_request.pdf_file.save("export.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        access_request.json_file.save("export.json", ContentFile(b"{}"), save=False)
        access_request.save()
        made[where] = access_request
    return made


def subject_access_url(name, subject_access, where):
    pk = subject_access[where].pk
    return {
        "subject_access_requests": reverse("audit:subject_access_requests"),
        "subject_access_new": reverse("audit:subject_access_new"),
        "subject_access": reverse("audit:subject_access", args=[pk]),
        "subject_access_pdf": reverse("audit:subject_access_download", args=[pk, "pdf"]),
        "subject_access_json": reverse("audit:subject_access_download", args=[pk, "json"]),
    }[name]


SUBJECT_ACCESS_MATRIX = [
    ("subject_access_requests", "own", HOP_ONLY),
    ("subject_access_new", "own", HOP_ONLY),
    ("subject_access", "own", HOP_ONLY),
    ("subject_access", "other", HOP_ONLY_404),
    ("subject_access_pdf", "own", HOP_ONLY),
    ("subject_access_pdf", "other", HOP_ONLY_404),
    ("subject_access_json", "own", HOP_ONLY),
    ("subject_access_json", "other", HOP_ONLY_404),
]


@pytest.mark.parametrize(
    ("name", "where", "expected"),
    SUBJECT_ACCESS_MATRIX,
    ids=[f"{n}-{w}" for n, w, _ in SUBJECT_ACCESS_MATRIX],
)
@pytest.mark.parametrize("role", ROLES)
def test_subject_access_views(client, cast, subject_access, role, name, where, expected):
    client.force_login(cast.by_role(role))
    response = client.get(subject_access_url(name, subject_access, where))
    assert response.status_code == expected[role]


def test_staff_other_than_the_hop_cannot_request_a_subject_access_export_by_posting(client, cast):
    from audit.models import SubjectAccessRequest

    for user in (cast.tm_a, cast.auditor_a, cast.nobody):
        client.force_login(user)
        response = client.post(
            reverse("audit:subject_access_new"),
            {"prison_number": "A1234BC", "reason": "DP-1", "confirm": "1"},
        )
        assert response.status_code == 403
    assert not SubjectAccessRequest.objects.exists()
