"""Demo review cycles: Avon part-way through its self-review; Cedar's cycle at peer
review with an action plan. Demo clinical audits: three templates, and in Avon one
audit of treatment plans completed and one of group records in progress. Case studies of
residents who left: one in Avon and one in Cedar released by their Therapy Managers, and
one in Avon awaiting release."""

import random
from datetime import timedelta

from django.utils import timezone

from dtc import permissions
from dtc.models import Community, User
from residents.models import LeavingType, Phase, Resident

from . import services
from .models import (
    Answer,
    AuditTemplate,
    CaseStudy,
    Rating,
    RecordKind,
    ReviewCycle,
    StandardCriterion,
)

EVIDENCE = {
    Rating.MET: "Checked a sample of ten records: all in order. Minutes and registers are kept on the shared drive.",
    Rating.PARTLY_MET: "In place but not consistent: three of ten records sampled fell short. Team briefed in the staff meeting.",
    Rating.NOT_MET: "Not in place this year: staffing gaps in the summer meant it lapsed.",
}


def rate(cycle, by, criteria, pattern):
    today = timezone.localdate()
    for criterion, rating in zip(criteria, pattern, strict=False):
        action = {}
        if rating == Rating.NOT_MET:
            action = {
                "action_description": f"Restore criterion {criterion.code} and report progress at the monthly governance meeting.",
                "action_owner": by,
                "action_due": today + timedelta(days=60),
            }
        services.criterion_rate(
            cycle=cycle,
            criterion=criterion,
            rating=rating,
            evidence=EVIDENCE[rating],
            by=by,
            **action,
        )


def seed(stdout):
    seed_review_cycles()
    seed_clinical_audits()
    seed_case_studies(stdout)
    return []


def seed_review_cycles():
    if ReviewCycle.objects.exists():
        return
    criteria = list(StandardCriterion.objects.filter(retired=False).select_related("section"))
    avon = Community.objects.get(name="Avon")
    tm_avon = User.objects.get(username="tm.avon")
    cycle = services.cycle_open(
        community=avon, title="Accreditation review 2026 to 2027", by=tm_avon
    )
    rate(
        cycle,
        tm_avon,
        criteria[:12],
        [Rating.MET] * 8 + [Rating.PARTLY_MET, Rating.MET, Rating.NOT_MET, Rating.MET],
    )

    cedar = Community.objects.get(name="Cedar")
    tm_cedar = User.objects.get(username="tm.cedar")
    cycle = services.cycle_open(
        community=cedar, title="Accreditation review 2026 to 2027", by=tm_cedar
    )
    pattern = [
        Rating.MET,
        Rating.MET,
        Rating.PARTLY_MET,
        Rating.MET,
        Rating.NOT_MET,
        Rating.MET,
        Rating.MET,
    ]
    rate(cycle, tm_cedar, criteria, (pattern * 4)[: len(criteria)])
    services.cycle_advance(cycle=cycle, by=tm_cedar)
    rate(cycle, tm_cedar, criteria[:6], [Rating.MET] * 6)


TEMPLATES = [
    (
        "Treatment plan audit",
        RecordKind.TREATMENT_PLAN,
        [
            "Has the plan been reviewed within the last six months?",
            "Is each goal linked to an identified criminogenic need?",
            "Does the plan name the interventions that serve each goal?",
            "Does the risk formulation explain the goals?",
            "Has the resident signed the plan?",
            "Has the Therapy Manager signed off the plan?",
        ],
    ),
    (
        "Group record audit",
        RecordKind.GROUP_SESSION,
        [
            "Is the register complete for every resident expected at the group?",
            "Are at least two facilitators recorded?",
            "Was the group recorded within two working days?",
            "Are risk issues raised in the group followed up?",
        ],
    ),
    (
        "Report quality audit",
        RecordKind.CLINICAL_DOCUMENT,
        [
            "Was the report submitted by its due date?",
            "Does the report relate progress to the resident's criminogenic needs?",
            "Has the resident been offered the chance to read the report?",
            "Is the report free of jargon a parole board would not follow?",
            "Has a qualified clinician signed off the report?",
        ],
    ),
]
NOTES = {
    Answer.NO: "Not found in the record; raised with the key worker.",
    Answer.NOT_APPLICABLE: "Does not apply to this record.",
}


def answer(run, by, rng, samples):
    questions = list(run.template.questions.all())
    for sample in samples:
        answers = {}
        for question in questions:
            given = rng.choices(list(Answer), [75, 18, 7])[0]
            answers[question] = (given, NOTES.get(given, ""))
        services.audit_sample_answer(sample=sample, answers=answers, by=by)


def seed_clinical_audits():
    if AuditTemplate.objects.exists():
        return
    hop = User.objects.get(username="hop")
    templates = [
        services.audit_template_save(
            template=AuditTemplate(title=title, record_kind=kind), questions=questions, by=hop
        )
        for title, kind, questions in TEMPLATES
    ]
    avon = Community.objects.get(name="Avon")
    tm_avon = User.objects.get(username="tm.avon")
    rng = random.Random(26)  # noqa: S311 - repeatable demo answers, not security
    run = services.audit_run_start(
        template=templates[0], community=avon, sample_size=10, by=tm_avon
    )
    answer(run, tm_avon, rng, run.samples.all())
    services.audit_run_complete(run=run, by=tm_avon)
    today = timezone.localdate()
    run = services.audit_run_start(
        template=templates[1],
        community=avon,
        sample_size=8,
        period_from=today - timedelta(days=90),
        period_to=today,
        by=tm_avon,
    )
    answer(run, tm_avon, rng, run.samples.all()[:3])


def seed_case_studies(stdout):
    """Case studies requested by the auditor: of the resident who most recently completed
    treatment in Avon and in Cedar, each read and released by the community's Therapy
    Manager; and of a resident who left Avon before them, rendered and awaiting the
    Therapy Manager's release. Rendered here rather than queued, so the demo has them
    straight away."""
    if CaseStudy.objects.exists():
        return
    auditor = User.objects.filter(username="auditor").first()
    if auditor is None:
        return
    for name, release in (("Avon", True), ("Cedar", True), ("Avon", False)):
        leavers = Resident.objects.filter(
            permissions.person_visible(None), community__name=name, phase=Phase.LEFT
        ).exclude(case_studies__isnull=False)
        leaver = (
            leavers.filter(leaving_type=LeavingType.COMPLETED).order_by("-left_on", "pk").first()
            or leavers.order_by("-left_on", "pk").first()
        )
        tm = User.objects.filter(username=f"tm.{name.lower()}").first()
        if leaver is None or tm is None:
            continue
        requested = services.case_study_request(resident=leaver, by=auditor)
        rendered = services.case_study_render(case_study_id=requested.pk)
        if release:
            services.case_study_release(case_study=rendered, by=tm)
        stdout.write(
            f"Audit: a case study of {requested.pseudonym}, who left {name}, "
            + (
                f"released by {tm.username}.\n"
                if release
                else f"awaiting {tm.username}'s release.\n"
            )
        )
