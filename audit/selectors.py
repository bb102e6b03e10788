"""Reads for the audit module, narrowed to the communities a user may audit."""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from community.models import JobHolding, Motion
from dtc import permissions
from dtc.models import Community
from referrals.models import Referral
from residents.models import (
    AcctPeriod,
    Attendance,
    Incident,
    Phase,
    PlanGoal,
    Resident,
    TherapyDecision,
    TherapyReview,
    TreatmentPlan,
)

from . import anonymise, measures
from .models import (
    ActionPlanItem,
    ActionStatus,
    Answer,
    AuditAnswer,
    AuditQuestion,
    AuditRun,
    AuditSample,
    AuditTemplate,
    CaseStudy,
    CriterionRating,
    Rating,
    ReleaseStage,
    ReviewCycle,
    Stage,
    StandardCriterion,
    StandardSection,
    SubjectAccessRequest,
    Weight,
)


def redaction_for(user, community_ids) -> anonymise.Redaction:
    """How text staff wrote about these communities reads to the user: as written for the
    communities' staff, who read their records; redacted as a case study is for anyone
    else (an auditor), of the names and identifiers of the communities' prisoners."""
    ids = frozenset(community_ids)
    if ids <= permissions.community_ids(user):
        return anonymise.AS_WRITTEN
    return anonymise.Redaction(lambda: known_prisoners(ids))


def known_prisoners(community_ids) -> anonymise.Known:
    """The names, prison numbers and dates of birth of the residents and referred
    prisoners of these communities, one query per table."""
    people, numbers, dates = prisoners(community_ids)
    return anonymise.known_from(people=people, identifiers=numbers, dates=dates)


def prisoners(community_ids=None) -> tuple[list, list, list]:
    """(first name, last name) pairs, prison numbers and dates of birth of every resident
    and referred prisoner, or of those of some communities."""
    people, numbers, dates = [], [], []
    for model in (Resident, Referral):
        rows = model.objects.all()
        if community_ids is not None:
            rows = rows.filter(community_id__in=community_ids)
        for first, last, number, born in rows.values_list(
            "first_name", "last_name", "prison_number", "date_of_birth"
        ):
            people.append((first, last))
            numbers.append(number)
            dates.append(born)
    return people, numbers, dates


def cycles_visible_to(user):
    return (
        permissions.visible(user, ReviewCycle, "view_audit")
        .select_related("community__establishment", "opened_by")
        .annotate(
            # Criteria rated in the cycle's current stage.
            rated=Count("ratings", filter=Q(ratings__stage=F("stage")), distinct=True),
            open_actions=Count(
                "actions", filter=~Q(actions__status=ActionStatus.DONE), distinct=True
            ),
        )
    )


def criteria_in_use():
    return StandardCriterion.objects.filter(retired=False).select_related("section")


def catalogue():
    """Sections with all their criteria, retired ones included (marked)."""
    return StandardSection.objects.prefetch_related(
        Prefetch("criteria", queryset=StandardCriterion.objects.order_by("number"))
    )


def cycle_sheet(cycle: ReviewCycle) -> list[dict]:
    """Each section of the catalogue with, per criterion, its rating in every stage,
    its action and its computed evidence figure: the review cycle page in one pass."""
    ratings = {}
    for rating in CriterionRating.objects.filter(cycle=cycle).select_related("rated_by"):
        ratings.setdefault(rating.criterion_id, {})[rating.stage] = rating
    actions = {
        a.criterion_id: a
        for a in ActionPlanItem.objects.filter(cycle=cycle).select_related("owner")
    }
    today = timezone.localdate()
    sheet = []
    for section in StandardSection.objects.prefetch_related(
        Prefetch(
            "criteria", queryset=StandardCriterion.objects.filter(retired=False).order_by("number")
        )
    ):
        rows = [
            {
                "criterion": criterion,
                "self_review": ratings.get(criterion.pk, {}).get(Stage.SELF_REVIEW),
                "peer_review": ratings.get(criterion.pk, {}).get(Stage.PEER_REVIEW),
                "action": actions.get(criterion.pk),
                "figure": measures.figure(criterion.measure, cycle.community, today)
                if criterion.measure
                else None,
            }
            for criterion in section.criteria.all()
        ]
        if rows:
            sheet.append({"section": section, "rows": rows})
    return sheet


def actions_visible_to(user):
    return ActionPlanItem.objects.filter(
        cycle__community_id__one_of=permissions.community_ids(user, "view_audit")
    ).select_related("cycle__community", "criterion__section", "owner")


def readiness(community_ids) -> list[dict]:
    """Each community's latest review cycle and how far it is: criteria rated in its
    stage, met, essential criteria not met, and open actions. Communities with no
    cycle are listed with none."""
    criteria = criteria_in_use().count()
    latest = {}
    for cycle in (
        ReviewCycle.objects.filter(community_id__in=community_ids)
        .select_related("community")
        .order_by("community_id", "-opened_at")
    ):
        latest.setdefault(cycle.community_id, cycle)
    counts = {}
    for rating in (
        CriterionRating.objects.filter(cycle__in=latest.values(), criterion__retired=False)
        .values("cycle_id", "stage", "rating", "criterion__weight")
        .annotate(n=Count("pk"))
    ):
        counts.setdefault(rating["cycle_id"], []).append(rating)
    open_actions = dict(
        ActionPlanItem.objects.filter(cycle__in=latest.values())
        .exclude(status=ActionStatus.DONE)
        .values_list("cycle_id")
        .annotate(n=Count("pk"))
        .values_list("cycle_id", "n")
    )
    rows = []
    for community in Community.objects.filter(pk__in=community_ids).select_related("establishment"):
        cycle = latest.get(community.pk)
        row = {"community": community, "cycle": cycle, "criteria": criteria}
        if cycle:
            # A closed cycle is read at its last stage, the peer review.
            stage = Stage.PEER_REVIEW if cycle.stage == Stage.CLOSED else cycle.stage
            ratings = [r for r in counts.get(cycle.pk, []) if r["stage"] == stage]
            row |= {
                "stage": stage,
                "rated": sum(r["n"] for r in ratings),
                "met": sum(r["n"] for r in ratings if r["rating"] == Rating.MET),
                "essential_not_met": sum(
                    r["n"]
                    for r in ratings
                    if r["rating"] == Rating.NOT_MET and r["criterion__weight"] == Weight.ESSENTIAL
                ),
                "open_actions": open_actions.get(cycle.pk, 0),
            }
            row["percent_met"] = round(100 * row["met"] / criteria) if criteria else None
        rows.append(row)
    return rows


# Clinical audits ----------------------------------------------------------------------


def audit_templates(*, include_retired: bool = False):
    templates = (
        AuditTemplate.objects.annotate(
            question_count=Count("questions", distinct=True),
            run_count=Count("runs", distinct=True),
        )
        .prefetch_related("questions")
        .order_by("retired", "title", "pk")
    )
    return templates if include_retired else templates.filter(retired=False)


def audit_runs_visible_to(user):
    """Runs in the communities the user may audit, with how many records are answered.

    A record's answers are saved together, every question at once (the answer form
    requires them all), so a sample with any answer is an answered record."""
    return (
        permissions.visible(user, AuditRun, "view_audit")
        .select_related("template", "community__establishment")
        .annotate(
            answered=Count("samples", filter=Q(samples__answers__isnull=False), distinct=True)
        )
    )


def audit_samples(run: AuditRun):
    """The run's samples in order, with their record (for its date) and answer count."""
    return run.samples.select_related(
        "treatment_plan", "group_session", "clinical_document"
    ).annotate(answer_count=Count("answers"))


def audit_sample_with_record(run: AuditRun, position: int) -> AuditSample:
    """One sample of the run with its record's essentials for the answer page, or 404."""
    return get_object_or_404(
        run.samples.select_related(
            "treatment_plan__resident",
            "treatment_plan__signed_off_by",
            "group_session__recorded_by",
            "clinical_document__resident",
            "clinical_document__author",
            "clinical_document__signed_off_by",
        ).prefetch_related("group_session__facilitators"),
        position=position,
    )


@dataclass
class QuestionSummary:
    question: AuditQuestion
    yes: int
    no: int
    not_applicable: int

    @property
    def compliance(self) -> int | None:
        """Yes as a percentage of yes and no; None when nothing was answered yes or no."""
        if not self.yes + self.no:
            return None
        return round(100 * self.yes / (self.yes + self.no))


def audit_summary(run: AuditRun, questions: list[AuditQuestion]) -> list[QuestionSummary]:
    """Per question of the run's template: counts of each answer and the compliance."""
    counts = {
        row["question"]: row
        for row in AuditAnswer.objects.filter(sample__run=run)
        .values("question")
        .annotate(
            yes=Count("pk", filter=Q(answer=Answer.YES)),
            no=Count("pk", filter=Q(answer=Answer.NO)),
            not_applicable=Count("pk", filter=Q(answer=Answer.NOT_APPLICABLE)),
        )
    }
    return [
        QuestionSummary(
            question=question,
            yes=counts.get(question.pk, {}).get("yes", 0),
            no=counts.get(question.pk, {}).get("no", 0),
            not_applicable=counts.get(question.pk, {}).get("not_applicable", 0),
        )
        for question in questions
    ]


def case_studies_visible_to(user):
    """Case studies of the communities the user may audit, newest first: the released
    ones, and the drafts of those the user reviews."""
    return (
        permissions.visible(user, CaseStudy, "view_audit")
        .filter(permissions.case_studies_readable(user))
        .select_related("community__establishment", "requested_by")
    )


def case_studies_awaiting_release(user):
    """The drafts the user may release, the longest waiting first."""
    return (
        permissions.visible(user, CaseStudy, permissions.RELEASE_CASE_STUDY)
        .filter(stage=ReleaseStage.DRAFT)
        .select_related("community")
        .order_by("requested_at", "pk")
    )


def case_study_events(case_study: CaseStudy) -> list[tuple]:
    """What happened to the case study, oldest first, as (when, what, who): its request,
    each release (read from its history: the first row carrying each release time) and
    each redaction by hand. Two queries."""
    events = [(case_study.requested_at, "Requested", case_study.requested_by)]
    released = set()
    for row in (
        case_study.history.exclude(released_at=None)
        .select_related("released_by")
        .order_by("history_date", "history_id")
    ):
        if row.released_at not in released:
            released.add(row.released_at)
            pages = row.released_page_count
            what = f"Released to auditors ({pages} page{'s' if pages != 1 else ''})"
            events.append((row.released_at, what, row.released_by))
    for redaction in case_study.redactions.select_related("added_by"):
        events.append(
            (redaction.added_at, f"Redacted by hand: “{redaction.phrase}”", redaction.added_by)
        )
    return sorted(events, key=lambda event: event[0])


def resident_records_changed_since(resident_id: int, since) -> bool:
    """Whether any record a case study of the resident is made from has changed since
    `since`: one query, an EXISTS over the history of each kind of record, each read by
    its indexed resident (or plan) column and its indexed history date."""
    if since is None:
        return False
    histories = [
        Resident.history.filter(id=resident_id),
        PlanGoal.history.filter(
            plan_id__in=TreatmentPlan.objects.filter(resident_id=resident_id).values("pk")
        ),
        *(
            model.history.filter(resident_id=resident_id)
            for model in (
                TreatmentPlan,
                TherapyReview,
                TherapyDecision,
                Incident,
                AcctPeriod,
                Attendance,
                Motion,
                JobHolding,
            )
        ),
    ]
    changed = Q()
    for history in histories:
        changed |= Exists(history.filter(history_date__gt=since))
    return Resident.objects.filter(pk=resident_id).filter(changed).exists()


def residents_for_case_study(community, *, status: str = ""):
    """The community's residents a case study may be made of, current or left, newest
    admission first. Only what identifies no one is loaded: never a name or number."""
    residents = (
        # Never a restricted person, whoever is asking: a case study leaves the prison.
        Resident.objects.filter(permissions.person_visible(None), community=community)
        .only("pk", "community_id", "admitted_on", "left_on", "phase", "leaving_type")
        .order_by("-admitted_on", "-pk")
    )
    if status == "current":
        residents = residents.current()
    elif status == "left":
        residents = residents.filter(phase=Phase.LEFT)
    return residents


def subject_access_requests_of(user):
    """The subject access requests the user made, newest first. An export holds what its
    requester could see (restricted residents who name them included), so it is theirs
    alone, even to another Head of Psychotherapy."""
    return SubjectAccessRequest.objects.filter(requested_by_id=user.pk).select_related(
        "requested_by"
    )
