"""Clinical audits: sampling, answering, completing, the summary, and what an auditor sees."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit import selectors, services
from audit.models import Answer, AuditRun, AuditSample, AuditTemplate, RecordKind, RunStatus
from residents.models import DocumentStatus, ResidentAccess, TreatmentPlan
from tests.factories import ResidentFactory
from tests.residents.factories import (
    ClinicalDocumentFactory,
    GroupSessionFactory,
    TreatmentPlanFactory,
)

YES, NO, NA = Answer.YES, Answer.NO, Answer.NOT_APPLICABLE


def make_template(cast, kind=RecordKind.TREATMENT_PLAN, questions=("Signed?", "Reviewed?")):
    return services.audit_template_save(
        template=AuditTemplate(title=f"{kind} audit", record_kind=kind),
        questions=list(questions),
        by=cast.hop,
    )


def plans(community, count, **resident):
    return [
        TreatmentPlanFactory(resident=ResidentFactory(community=community, **resident))
        for _ in range(count)
    ]


def answer_all(run, by, pattern):
    """Answer every sample with the answers in `pattern` (one tuple per sample)."""
    questions = list(run.template.questions.all())
    for sample, given in zip(run.samples.order_by("position"), pattern, strict=True):
        services.audit_sample_answer(
            sample=sample,
            answers={q: (a, "") for q, a in zip(questions, given, strict=True)},
            by=by,
        )


@pytest.fixture
def plan_audit(cast):
    return make_template(cast)


# Sampling ---------------------------------------------------------------------------------


def test_a_run_samples_n_distinct_plans_of_the_community_only(cast, plan_audit):
    own = {p.pk for p in plans(cast.a, 8)}
    plans(cast.b, 5)
    run = services.audit_run_start(
        template=plan_audit, community=cast.a, sample_size=6, by=cast.tm_a
    )
    sampled = list(run.samples.values_list("treatment_plan_id", flat=True))
    assert len(sampled) == len(set(sampled)) == 6
    assert set(sampled) <= own
    assert list(run.samples.values_list("position", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert not run.samples.filter(treatment_plan__isnull=True).exists()


def test_a_run_samples_group_records_within_the_period(cast):
    template = make_template(cast, RecordKind.GROUP_SESSION)
    inside = {
        GroupSessionFactory(community=cast.a, held_on=date(2026, 3, day)).pk for day in (1, 15, 31)
    }
    GroupSessionFactory(community=cast.a, held_on=date(2026, 2, 28))
    GroupSessionFactory(community=cast.a, held_on=date(2026, 4, 1))
    GroupSessionFactory(community=cast.b, held_on=date(2026, 3, 10))
    run = services.audit_run_start(
        template=template,
        community=cast.a,
        sample_size=3,
        period_from=date(2026, 3, 1),
        period_to=date(2026, 3, 31),
        by=cast.tm_a,
    )
    assert set(run.samples.values_list("group_session_id", flat=True)) == inside


def test_a_plan_period_is_over_the_plans_own_date(cast, plan_audit):
    old, new = plans(cast.a, 2)
    TreatmentPlan.objects.filter(pk=old.pk).update(created_at="2025-01-10T12:00:00Z")
    run = services.audit_run_start(
        template=plan_audit,
        community=cast.a,
        sample_size=1,
        period_from=date.today() - timedelta(days=30),
        by=cast.tm_a,
    )
    assert run.samples.get().treatment_plan == new


def test_reports_are_sampled_once_submitted_never_as_drafts(cast):
    template = make_template(cast, RecordKind.CLINICAL_DOCUMENT)
    resident = ResidentFactory(community=cast.a)
    submitted = ClinicalDocumentFactory(resident=resident, status=DocumentStatus.SUBMITTED)
    signed = ClinicalDocumentFactory(resident=resident, status=DocumentStatus.SIGNED_OFF)
    ClinicalDocumentFactory(resident=resident, status=DocumentStatus.DRAFT)
    run = services.audit_run_start(template=template, community=cast.a, sample_size=2, by=cast.tm_a)
    assert set(run.samples.values_list("clinical_document_id", flat=True)) == {
        submitted.pk,
        signed.pk,
    }
    with pytest.raises(ValidationError, match="There are only 2 reports in A"):
        services.audit_run_start(template=template, community=cast.a, sample_size=3, by=cast.tm_a)


def test_a_sample_larger_than_the_records_is_refused_and_nothing_is_saved(cast, plan_audit):
    plans(cast.a, 7)
    with pytest.raises(ValidationError) as refused:
        services.audit_run_start(
            template=plan_audit,
            community=cast.a,
            sample_size=8,
            period_from=date(2020, 1, 1),
            by=cast.tm_a,
        )
    assert refused.value.message_dict["sample_size"] == [
        "There are only 7 treatment plans in A in that period. Enter a sample size of 7 or fewer"
    ]
    assert not AuditRun.objects.exists()


@pytest.mark.parametrize("size", [0, 51])
def test_a_sample_size_outside_1_to_50_is_refused(cast, plan_audit, size):
    plans(cast.a, 2)
    with pytest.raises(ValidationError, match="between 1 and 50"):
        services.audit_run_start(
            template=plan_audit, community=cast.a, sample_size=size, by=cast.tm_a
        )


def test_restricted_residents_are_sampled_only_for_staff_named_on_them(cast, plan_audit):
    open_plans = {p.pk for p in plans(cast.a, 3)}
    (hidden,) = plans(cast.a, 1, is_restricted=True)
    with pytest.raises(ValidationError, match="There are only 3 treatment plans in A"):
        services.audit_run_start(template=plan_audit, community=cast.a, sample_size=4, by=cast.tm_a)
    run = services.audit_run_start(
        template=plan_audit, community=cast.a, sample_size=3, by=cast.tm_a
    )
    assert set(run.samples.values_list("treatment_plan_id", flat=True)) == open_plans
    ResidentAccess.objects.create(resident=hidden.resident, user=cast.tm_a, granted_by=cast.tm_a)
    run = services.audit_run_start(
        template=plan_audit, community=cast.a, sample_size=4, by=cast.tm_a
    )
    assert hidden.pk in set(run.samples.values_list("treatment_plan_id", flat=True))


def test_only_managers_of_the_community_start_a_run(cast, plan_audit):
    plans(cast.a, 2)
    for user in (cast.clinician_a, cast.auditor_a, cast.tm_b):
        with pytest.raises(PermissionDenied):
            services.audit_run_start(template=plan_audit, community=cast.a, sample_size=1, by=user)


def test_the_start_form_shows_the_shortfall_next_to_the_sample_size(client, cast, plan_audit):
    plans(cast.a, 2)
    client.force_login(cast.tm_a)
    response = client.post(
        reverse("audit:clinical_run_start", args=[cast.a.pk]),
        {"template": plan_audit.pk, "sample_size": "5"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There are only 2 treatment plans in A" in page
    assert 'href="#id_sample_size"' in page
    assert not AuditRun.objects.exists()


@pytest.mark.parametrize(
    ("size", "message"),
    [("0", "Enter a number of records of 1 or more"), ("51", "Sample 50 records or fewer")],
)
def test_the_start_form_refuses_a_size_out_of_range(client, cast, plan_audit, size, message):
    client.force_login(cast.tm_a)
    response = client.post(
        reverse("audit:clinical_run_start", args=[cast.a.pk]),
        {"template": plan_audit.pk, "sample_size": size},
    )
    assert message in response.content.decode()


# Answering and completing -----------------------------------------------------------------


@pytest.fixture
def run(cast, plan_audit):
    plans(cast.a, 4)
    return services.audit_run_start(
        template=plan_audit, community=cast.a, sample_size=4, by=cast.tm_a
    )


def test_answering_a_record_through_the_page_moves_to_the_next(client, cast, run):
    first, second = run.template.questions.all()
    client.force_login(cast.tm_a)
    response = client.post(
        reverse("audit:clinical_answer", args=[run.pk, 1]),
        {f"answer_{first.pk}": "yes", f"answer_{second.pk}": "no", f"note_{second.pk}": "Late"},
    )
    assert response.status_code == 302
    assert response.url == reverse("audit:clinical_answer", args=[run.pk, 2])
    sample = run.samples.get(position=1)
    assert {(a.question, a.answer, a.note) for a in sample.answers.all()} == {
        (first, YES, ""),
        (second, NO, "Late"),
    }


def test_every_question_must_be_answered_about_a_record(client, cast, run):
    first, second = run.template.questions.all()
    client.force_login(cast.tm_a)
    response = client.post(
        reverse("audit:clinical_answer", args=[run.pk, 1]), {f"answer_{first.pk}": "yes"}
    )
    assert "Answer question 2: yes, no or not applicable" in response.content.decode()
    assert not run.samples.get(position=1).answers.exists()
    with pytest.raises(ValidationError, match="Answer every question"):
        services.audit_sample_answer(
            sample=run.samples.get(position=1), answers={first: (YES, "")}, by=cast.tm_a
        )


def test_changing_an_answer_keeps_its_history(cast, run):
    first, second = run.template.questions.all()
    sample = run.samples.get(position=1)
    services.audit_sample_answer(
        sample=sample, answers={first: (NO, ""), second: (YES, "")}, by=cast.tm_a
    )
    services.audit_sample_answer(
        sample=sample, answers={first: (YES, "Found it"), second: (YES, "")}, by=cast.hop
    )
    answer = sample.answers.get(question=first)
    assert (answer.answer, answer.answered_by) == (YES, cast.hop)
    assert [h.answer for h in answer.history.order_by("history_date")] == [NO, YES]
    assert sample.answers.get(question=second).history.count() == 1


def test_completing_is_refused_while_answers_are_missing(client, cast, run):
    questions = list(run.template.questions.all())
    for sample in run.samples.order_by("position")[:3]:
        services.audit_sample_answer(
            sample=sample, answers={q: (YES, "") for q in questions}, by=cast.tm_a
        )
    with pytest.raises(ValidationError, match="2 answers are still to give"):
        services.audit_run_complete(run=run, by=cast.tm_a)
    client.force_login(cast.tm_a)
    response = client.post(reverse("audit:clinical_run_complete", args=[run.pk]))
    assert "2 answers are still to give" in response.content.decode()
    run.refresh_from_db()
    assert run.status == RunStatus.IN_PROGRESS


def test_a_completed_run_is_read_only(client, cast, run):
    answer_all(run, cast.tm_a, [(YES, YES)] * 4)
    client.force_login(cast.tm_a)
    page = client.get(reverse("audit:clinical_run_complete", args=[run.pk])).content.decode()
    assert "Answers cannot be changed afterwards" in page
    client.post(reverse("audit:clinical_run_complete", args=[run.pk]))
    run.refresh_from_db()
    assert (run.status, run.completed_by) == (RunStatus.COMPLETED, cast.tm_a)
    question = run.template.questions.first()
    response = client.post(
        reverse("audit:clinical_answer", args=[run.pk, 1]), {f"answer_{question.pk}": "no"}
    )
    assert response.status_code == 403
    with pytest.raises(ValidationError, match="complete"):
        answer_all(run, cast.tm_a, [(NO, NO)] * 4)
    assert not AuditSample.objects.filter(answers__answer=NO).exists()


def test_withdrawing_an_audit_asks_for_the_reason(client, cast, run):
    client.force_login(cast.tm_a)
    url = reverse("audit:clinical_run_withdraw", args=[run.pk])
    page = client.get(url).content.decode()
    assert "Withdraw this audit?" in page and "cannot be reopened" in page
    response = client.post(url, {"reason": "  "})
    assert "Enter why the audit is withdrawn" in response.content.decode()
    run.refresh_from_db()
    assert run.status == RunStatus.IN_PROGRESS


def test_a_withdrawn_run_keeps_its_answers_and_is_read_only(client, cast, run):
    answer_all(run, cast.tm_a, [(YES, NO)] * 4)
    client.force_login(cast.tm_a)
    response = client.post(
        reverse("audit:clinical_run_withdraw", args=[run.pk]),
        {"reason": "Started with the wrong period."},
    )
    assert response.url == reverse("audit:clinical_run", args=[run.pk])
    run.refresh_from_db()
    assert (run.status, run.withdrawn_by) == (RunStatus.WITHDRAWN, cast.tm_a)
    assert run.history.first().withdrawal_reason == "Started with the wrong period."
    assert AuditSample.objects.filter(run=run, answers__answer=NO).count() == 4

    page = client.get(reverse("audit:clinical_run", args=[run.pk])).content.decode()
    assert "Withdrawn" in page and "Started with the wrong period." in page
    assert reverse("audit:clinical_run_complete", args=[run.pk]) not in page
    assert reverse("audit:clinical_run_withdraw", args=[run.pk]) not in page
    question = run.template.questions.first()
    answering = client.post(
        reverse("audit:clinical_answer", args=[run.pk, 1]), {f"answer_{question.pk}": "yes"}
    )
    assert answering.status_code == 403
    with pytest.raises(ValidationError, match="withdrawn"):
        answer_all(run, cast.tm_a, [(YES, YES)] * 4)
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.audit_run_complete(run=run, by=cast.tm_a)
    with pytest.raises(ValidationError, match="can no longer be withdrawn"):
        services.audit_run_withdraw(run=run, reason="Again", by=cast.tm_a)


def test_a_completed_run_cannot_be_withdrawn(client, cast, run):
    answer_all(run, cast.tm_a, [(YES, YES)] * 4)
    services.audit_run_complete(run=run, by=cast.tm_a)
    with pytest.raises(ValidationError, match="completed: it can no longer be withdrawn"):
        services.audit_run_withdraw(run=run, reason="Too late", by=cast.tm_a)
    client.force_login(cast.tm_a)
    response = client.post(
        reverse("audit:clinical_run_withdraw", args=[run.pk]), {"reason": "Too late"}
    )
    assert response.url == reverse("audit:clinical_run", args=[run.pk])
    run.refresh_from_db()
    assert run.status == RunStatus.COMPLETED


def test_only_the_audits_managers_withdraw_it(cast, run):
    with pytest.raises(PermissionDenied):
        services.audit_run_withdraw(run=run, reason="Not mine", by=cast.auditor_a)


def test_a_restricted_record_is_answered_only_by_staff_named_on_it(client, cast, plan_audit):
    (plan,) = plans(cast.a, 1, is_restricted=True)
    ResidentAccess.objects.create(resident=plan.resident, user=cast.tm_a, granted_by=cast.tm_a)
    run = services.audit_run_start(
        template=plan_audit, community=cast.a, sample_size=1, by=cast.tm_a
    )
    client.force_login(cast.hop)
    page = client.get(reverse("audit:clinical_answer", args=[run.pk, 1])).content.decode()
    assert "restricted resident you are not named on" in page
    assert plan.resident.prison_number not in page
    with pytest.raises(PermissionDenied):
        answer_all(run, cast.hop, [(YES, YES)])


# The summary ------------------------------------------------------------------------------


def test_the_summary_counts_answers_and_compliance(cast, plan_audit):
    plans(cast.a, 5)
    run = services.audit_run_start(
        template=plan_audit, community=cast.a, sample_size=5, by=cast.tm_a
    )
    answer_all(run, cast.tm_a, [(YES, NA), (YES, NA), (NO, NA), (YES, NA), (NA, NA)])
    first, second = selectors.audit_summary(run, list(run.template.questions.all()))
    assert (first.yes, first.no, first.not_applicable, first.compliance) == (3, 1, 1, 75)
    assert (second.yes, second.no, second.not_applicable, second.compliance) == (0, 0, 5, None)


def test_the_run_page_shows_percentages_and_a_dash(client, cast, plan_audit):
    plans(cast.a, 3)
    run = services.audit_run_start(
        template=plan_audit, community=cast.a, sample_size=3, by=cast.tm_a
    )
    answer_all(run, cast.tm_a, [(YES, NA), (NO, NA), (YES, NA)])
    client.force_login(cast.auditor_a)
    page = client.get(reverse("audit:clinical_run", args=[run.pk])).content.decode()
    assert "67%" in page
    assert "—" in page
    assert "3 of 3 records" in page


# What an auditor sees ---------------------------------------------------------------------


def test_an_auditor_never_sees_who_a_record_is_about(client, cast, plan_audit):
    resident = ResidentFactory(
        community=cast.a, first_name="Quentin", last_name="Zabriskie", prison_number="Q9876ZZ"
    )
    TreatmentPlanFactory(resident=resident)
    run = services.audit_run_start(
        template=plan_audit, community=cast.a, sample_size=1, by=cast.tm_a
    )
    answer_all(run, cast.tm_a, [(YES, NO)])
    client.force_login(cast.auditor_a)
    pages = [
        reverse("audit:index"),
        reverse("audit:clinical_audits"),
        reverse("audit:clinical_templates"),
        reverse("audit:clinical_run", args=[run.pk]),
    ]
    for url in pages:
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200, url
        for identifier in ("Quentin", "Zabriskie", "Q9876ZZ", "/residents/"):
            assert identifier not in page, (url, identifier)
    page = client.get(reverse("audit:clinical_run", args=[run.pk])).content.decode()
    assert "Record 1 of 1" in page
    assert client.get(reverse("audit:clinical_answer", args=[run.pk, 1])).status_code == 403


def test_the_answer_page_logs_the_view_of_the_resident(client, cast, run):
    client.force_login(cast.tm_a)
    client.get(reverse("audit:clinical_answer", args=[run.pk, 1]))
    resident = run.samples.get(position=1).resident
    assert resident.access_log.filter(user=cast.tm_a, page="clinical audit").exists()


# Templates --------------------------------------------------------------------------------


def test_a_used_template_keeps_its_questions(cast, run):
    template = run.template
    with pytest.raises(ValidationError, match="fixed"):
        services.audit_template_save(template=template, questions=["Another?"], by=cast.hop)
    template.title = "Plan audit 2027"
    services.audit_template_save(template=template, questions=["Signed?", "Reviewed?"], by=cast.hop)
    assert list(template.questions.values_list("text", flat=True)) == ["Signed?", "Reviewed?"]


def test_only_the_head_of_psychotherapy_keeps_templates(cast):
    with pytest.raises(PermissionDenied):
        services.audit_template_save(
            template=AuditTemplate(title="x", record_kind=RecordKind.TREATMENT_PLAN),
            questions=["Signed?"],
            by=cast.tm_a,
        )


def test_a_retired_template_starts_no_run(cast, plan_audit):
    plans(cast.a, 1)
    services.audit_template_retire(template=plan_audit, by=cast.hop)
    with pytest.raises(ValidationError, match="retired"):
        services.audit_run_start(template=plan_audit, community=cast.a, sample_size=1, by=cast.tm_a)


# Query counts -----------------------------------------------------------------------------


def test_the_run_page_query_count_does_not_grow_with_samples(
    client, cast, plan_audit, django_assert_max_num_queries
):
    plans(cast.a, 30)
    client.force_login(cast.tm_a)
    for size in (2, 30):
        run = services.audit_run_start(
            template=plan_audit, community=cast.a, sample_size=size, by=cast.tm_a
        )
        answer_all(run, cast.tm_a, [(YES, NO)] * size)
        with django_assert_max_num_queries(13):
            assert client.get(reverse("audit:clinical_run", args=[run.pk])).status_code == 200


def test_an_auditor_cannot_answer_or_complete_by_posting(client, cast, run):
    question = run.template.questions.first()
    client.force_login(cast.auditor_a)
    answer = client.post(
        reverse("audit:clinical_answer", args=[run.pk, 1]), {f"answer_{question.pk}": "yes"}
    )
    complete = client.post(reverse("audit:clinical_run_complete", args=[run.pk]))
    assert (answer.status_code, complete.status_code) == (403, 403)
    assert not AuditSample.objects.filter(run=run, answers__isnull=False).exists()


def test_renaming_a_used_template_through_the_page_keeps_its_questions(client, cast, run):
    template = run.template
    client.force_login(cast.hop)
    response = client.post(
        reverse("audit:clinical_template_edit", args=[template.pk]),
        {"title": "Plan audit 2027", "record_kind": "group_session", "questions": "Other?"},
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.title, template.record_kind) == ("Plan audit 2027", "treatment_plan")
    assert list(template.questions.values_list("text", flat=True)) == ["Signed?", "Reviewed?"]
