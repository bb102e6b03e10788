"""Clinical audits: templates of yes / no / not applicable questions (kept by the Head
of Psychotherapy), runs over a random sample of a community's records, answering, and
the per-question summary. An auditor sees runs and results, never who a record is
about: samples are named "Record 3 of 10", with the kind of record and its month."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from dtc import pages, permissions
from dtc.models import Community
from dtc.params import int_param
from residents import services as resident_services

from .. import selectors, services
from ..forms import AuditAnswersForm, AuditRunStartForm, AuditRunWithdrawForm, AuditTemplateForm
from ..models import AuditRun, AuditTemplate


def clinical_audits(request):
    permissions.require_any(request.user, "view_audit")
    communities = permissions.communities(request.user, "view_audit").order_by("name")
    runs = selectors.audit_runs_visible_to(request.user).order_by("community__name", "-started_at")
    community = communities.filter(pk=int_param(request.GET, "community")).first()
    if community:
        runs = runs.filter(community=community)
    return render(
        request,
        "audit/clinical_audits.html",
        {
            "page": Paginator(runs, 25).get_page(request.GET.get("page")),
            "communities": communities,
            "community": community,
            "can_start": [
                c for c in communities if permissions.can(request.user, "manage_audit", c)
            ],
            "redaction": selectors.redaction_for(
                request.user, permissions.community_ids(request.user, "view_audit")
            ),
        },
    )


def clinical_templates(request):
    permissions.require_any(request.user, "view_audit")
    return render(
        request,
        "audit/clinical_templates.html",
        {
            "templates": selectors.audit_templates(include_retired=True),
            "can_edit": permissions.is_head_of_psychotherapy(request.user),
            "redaction": selectors.redaction_for(
                request.user, permissions.community_ids(request.user, "view_audit")
            ),
        },
    )


def clinical_template_edit(request, pk=None):
    permissions.require_head_of_psychotherapy(request.user)
    template = get_object_or_404(AuditTemplate, pk=pk, retired=False) if pk else None
    form = AuditTemplateForm(request.POST or None, instance=template)
    if saved := pages.submit(
        form,
        lambda data: services.audit_template_save(
            template=form.instance, questions=form.question_list(), by=request.user
        ),
    ):
        messages.success(request, f"{saved.title} saved.")
        return redirect("audit:clinical_templates")
    return render(
        request,
        "audit/clinical_template_form.html",
        {
            "form": form,
            "title": f"Change {template.title}" if template else "Add an audit template",
            "button": "Save the template",
        },
    )


def clinical_template_retire(request, pk):
    permissions.require_head_of_psychotherapy(request.user)
    template = get_object_or_404(AuditTemplate, pk=pk, retired=False)
    if request.method == "POST":
        services.audit_template_retire(template=template, by=request.user)
        messages.success(
            request, f"{template.title} is retired. Audits that used it keep their answers."
        )
        return redirect("audit:clinical_templates")
    return render(request, "audit/clinical_template_retire.html", {"template": template})


def clinical_run_start(request, community_pk):
    community = permissions.get_visible_or_404(
        request.user,
        Community.objects.select_related("establishment"),
        "view_audit",
        pk=community_pk,
    )
    permissions.require(request.user, "manage_audit", community)
    form = AuditRunStartForm(request.POST or None)
    if run := pages.submit(
        form, lambda data: services.audit_run_start(community=community, by=request.user, **data)
    ):
        messages.success(request, f"{run.sample_size} records drawn at random. Answer each one.")
        return redirect("audit:clinical_run", pk=run.pk)
    return render(
        request,
        "audit/clinical_run_start.html",
        {
            "form": form,
            "community": community,
            "title": "Start a clinical audit",
            "button": "Draw the sample",
        },
    )


def _run(user, pk):
    return permissions.get_visible_or_404(
        user,
        AuditRun.objects.select_related(
            "template", "community__establishment", "started_by", "completed_by", "withdrawn_by"
        ),
        "view_audit",
        pk=pk,
    )


def clinical_run(request, pk):
    run = _run(request.user, pk)
    questions = list(run.template.questions.all())
    samples = list(selectors.audit_samples(run))
    answered = sum(1 for s in samples if s.answer_count >= len(questions))
    can_manage = permissions.can(request.user, "manage_audit", run)
    return render(
        request,
        "audit/clinical_run.html",
        {
            "run": run,
            "samples": samples,
            "question_count": len(questions),
            "answered": answered,
            "summary": selectors.audit_summary(run, questions),
            "can_manage": can_manage,
            "can_complete": can_manage and run.is_open and answered == len(samples),
            "can_withdraw": can_manage and run.is_open,
            "redaction": selectors.redaction_for(request.user, [run.community_id]),
        },
    )


def clinical_answer(request, pk, position):
    run = _run(request.user, pk)
    permissions.require(request.user, "manage_audit", run)
    sample = selectors.audit_sample_with_record(run, position)
    sample.run = run  # The run as read above, with its template and community.
    resident = sample.resident
    readable = resident is None or resident.is_visible_to(request.user)
    questions = list(run.template.questions.all())
    answers = {a.question_id: a for a in sample.answers.select_related("answered_by")}
    form = AuditAnswersForm(request.POST or None, questions=questions, answers=answers)
    if request.method == "POST":
        if not run.is_open or not readable:
            raise PermissionDenied
        answered = pages.submit(
            form,
            lambda data: services.audit_sample_answer(
                sample=sample, answers=form.answers(), by=request.user
            ),
        )
        if answered is not None:
            if position < run.sample_size:
                messages.success(request, f"Answers about record {position} saved.")
                return redirect("audit:clinical_answer", pk=run.pk, position=position + 1)
            messages.success(request, "Answers about the last record saved.")
            return redirect("audit:clinical_run", pk=run.pk)
    if readable and resident is not None:
        # The page shows who the record is about: a view of an identifiable record.
        resident_services.access_log_record(
            resident=resident, page="clinical audit", by=request.user
        )
    return render(
        request,
        "audit/clinical_answer.html",
        {
            "run": run,
            "sample": sample,
            "resident": resident,
            "readable": readable,
            "form": form,
            "answered": [(q, answers.get(q.pk)) for q in questions],
            "has_next": position < run.sample_size,
        },
    )


def clinical_run_complete(request, pk):
    run = _run(request.user, pk)
    permissions.require(request.user, "manage_audit", run)
    if not run.is_open:
        return redirect("audit:clinical_run", pk=run.pk)
    error = None
    try:
        services.audit_run_check_answered(run)
        if request.method == "POST":
            services.audit_run_complete(run=run, by=request.user)
            messages.success(request, f"{run.template.title} is complete.")
            return redirect("audit:clinical_run", pk=run.pk)
    except ValidationError as failure:
        error = failure.messages[0]
    return render(request, "audit/clinical_run_complete.html", {"run": run, "error": error})


def clinical_run_withdraw(request, pk):
    run = _run(request.user, pk)
    permissions.require(request.user, "manage_audit", run)
    if not run.is_open:
        return redirect("audit:clinical_run", pk=run.pk)
    form = AuditRunWithdrawForm(request.POST or None)
    if pages.submit(
        form, lambda data: services.audit_run_withdraw(run=run, by=request.user, **data)
    ):
        messages.success(request, f"{run.template.title} is withdrawn. Its answers are kept.")
        return redirect("audit:clinical_run", pk=run.pk)
    return render(
        request,
        "audit/clinical_run_withdraw.html",
        {"run": run, "form": form, "title": f"Withdraw {run.template.title}"},
    )
