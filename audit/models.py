from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from dtc import permissions
from dtc.models import Community

from . import anonymise


class Weight(models.TextChoices):
    ESSENTIAL = "essential", "Essential"
    EXPECTED = "expected", "Expected"
    DESIRABLE = "desirable", "Desirable"


class StandardSection(models.Model):
    """A section of the service standards, e.g. "Treatment planning and review"."""

    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.title}"


class StandardCriterion(models.Model):
    """One criterion a community is rated against. Retired, never deleted, once rated."""

    section = models.ForeignKey(StandardSection, on_delete=models.PROTECT, related_name="criteria")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    weight = models.CharField(max_length=10, choices=Weight.choices)
    # The name of a computed evidence figure in audit/measures.py, if the criterion has one.
    measure = models.CharField(max_length=40, blank=True)
    retired = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["section__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="criterion_number_unique"),
        ]

    def __str__(self):
        return f"{self.code} {self.text}"

    @property
    def code(self) -> str:
        return f"{self.section.number}.{self.number}"


class Stage(models.TextChoices):
    SELF_REVIEW = "self_review", "Self-review"
    PEER_REVIEW = "peer_review", "Peer review"
    CLOSED = "closed", "Closed"


# The cycle's stages in order: a cycle moves forward only, one stage at a time.
NEXT_STAGE = {Stage.SELF_REVIEW: Stage.PEER_REVIEW, Stage.PEER_REVIEW: Stage.CLOSED}


class ReviewCycle(models.Model):
    """A community's yearly accreditation review: self-review, then peer review."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="review_cycles")
    title = models.CharField(max_length=120)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.SELF_REVIEW)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self):
        return f"{self.title}, {self.community.name}"


class Rating(models.TextChoices):
    MET = "met", "Met"
    PARTLY_MET = "partly_met", "Partly met"
    NOT_MET = "not_met", "Not met"


class CriterionRating(models.Model):
    """A criterion rated in one stage of a cycle. Re-rating in the same stage changes
    this row; its history keeps every earlier rating."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.PROTECT, related_name="ratings")
    criterion = models.ForeignKey(
        StandardCriterion, on_delete=models.PROTECT, related_name="ratings"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices)
    rating = models.CharField(max_length=20, choices=Rating.choices)
    evidence = models.TextField()
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "criterion", "stage"], name="rating_once_per_stage"
            ),
        ]

    def __str__(self):
        return f"{self.criterion.code}: {self.get_rating_display()} ({self.get_stage_display()})"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class ActionPlanItem(models.Model):
    """What the community will do about a criterion rated not met."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.PROTECT, related_name="actions")
    criterion = models.ForeignKey(StandardCriterion, on_delete=models.PROTECT, related_name="+")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "criterion"], name="one_action_per_criterion"),
        ]

    def __str__(self):
        return self.description

    @property
    def community_id(self):
        # Placed in its cycle's community, so the permission policy can scope it.
        return self.cycle.community_id


class KpiTarget(models.Model):
    """The target for one KPI (audit/kpis.py): the default for every community when
    `community` is empty, else that community's own."""

    kpi = models.CharField(max_length=40)
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.PROTECT, related_name="kpi_targets"
    )
    value = models.DecimalField(max_digits=7, decimal_places=1)
    # Empty for the defaults the service starts with (migration 0004).
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "community"], name="one_target_per_kpi_and_community"
            ),
            models.UniqueConstraint(
                fields=["kpi"],
                condition=models.Q(community__isnull=True),
                name="one_default_target_per_kpi",
            ),
        ]

    def __str__(self):
        where = self.community.name if self.community_id else "default"
        return f"{self.kpi} ({where}): {self.value}"


# Clinical audits --------------------------------------------------------------------


class RecordKind(models.TextChoices):
    TREATMENT_PLAN = "treatment_plan", "Treatment plans"
    GROUP_SESSION = "group_session", "Group records"
    CLINICAL_DOCUMENT = "clinical_document", "Reports"


# One record of each kind, as a sample is named to an auditor: "Record 3 of 10, Report".
RECORD_KIND_SINGULAR = {
    RecordKind.TREATMENT_PLAN: "Treatment plan",
    RecordKind.GROUP_SESSION: "Group record",
    RecordKind.CLINICAL_DOCUMENT: "Report",
}


class AuditTemplate(models.Model):
    """Yes / no / not applicable questions asked of each record in a sample of one kind.
    Organisation-wide, kept by the Head of Psychotherapy; retired, never deleted."""

    title = models.CharField(max_length=120)
    record_kind = models.CharField(max_length=30, choices=RecordKind.choices)
    retired = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    @property
    def record_singular(self) -> str:
        return RECORD_KIND_SINGULAR[self.record_kind]


class AuditQuestion(models.Model):
    template = models.ForeignKey(AuditTemplate, on_delete=models.PROTECT, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["template", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="audit_question_number_unique"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.text}"


class RunStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class AuditRun(models.Model):
    """One clinical audit: a template asked of a random sample of a community's records."""

    template = models.ForeignKey(AuditTemplate, on_delete=models.PROTECT, related_name="runs")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="audit_runs")
    sample_size = models.PositiveSmallIntegerField()
    # The period, if any, is over each record's own date (see AuditSample.record_date).
    period_from = models.DateField(null=True, blank=True)
    period_to = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=RunStatus.choices, default=RunStatus.IN_PROGRESS
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    # An audit started in error (the wrong template, community or period) is withdrawn
    # with a reason rather than deleted: its sample and any answers stay on the record.
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.CharField(max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.template.title}, {self.community.name}"

    @property
    def is_completed(self) -> bool:
        return self.status == RunStatus.COMPLETED

    @property
    def is_open(self) -> bool:
        """In progress: its answers can still be given and changed."""
        return self.status == RunStatus.IN_PROGRESS

    def answers_remaining(self) -> int:
        """Answers still to give: every question about every sampled record."""
        expected = self.samples.count() * self.template.questions.count()
        return expected - AuditAnswer.objects.filter(sample__run=self).count()


class AuditSample(models.Model):
    """One record drawn into a run, at a position 1..N.

    The record is one of three nullable foreign keys, exactly one set (a check
    constraint), rather than a generic foreign key: the database then keeps each
    sampled record from being removed, the joins are plain, and the three kinds are
    fixed by the requirement."""

    run = models.ForeignKey(AuditRun, on_delete=models.PROTECT, related_name="samples")
    position = models.PositiveSmallIntegerField()
    treatment_plan = models.ForeignKey(
        "residents.TreatmentPlan", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    group_session = models.ForeignKey(
        "residents.GroupSession", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    clinical_document = models.ForeignKey(
        "residents.ClinicalDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "position"], name="audit_sample_position_unique"
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        treatment_plan__isnull=False,
                        group_session__isnull=True,
                        clinical_document__isnull=True,
                    )
                    | Q(
                        treatment_plan__isnull=True,
                        group_session__isnull=False,
                        clinical_document__isnull=True,
                    )
                    | Q(
                        treatment_plan__isnull=True,
                        group_session__isnull=True,
                        clinical_document__isnull=False,
                    )
                ),
                name="audit_sample_one_record",
            ),
        ]

    def __str__(self):
        return f"Record {self.position} of {self.run.sample_size}"

    @property
    def community_id(self):
        # Placed in its run's community, so the permission policy can scope it.
        return self.run.community_id

    @property
    def record(self):
        return self.treatment_plan or self.group_session or self.clinical_document

    @property
    def resident(self):
        """The resident the record is kept on; None for a group record."""
        record = self.treatment_plan or self.clinical_document
        return record.resident if record else None

    @property
    def record_date(self):
        """The record's own date: a group's day, a plan's or a report's creation."""
        if self.group_session:
            return self.group_session.held_on
        return timezone.localtime(self.record.created_at).date()


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class AuditAnswer(models.Model):
    """The auditor's answer to one question about one sampled record."""

    sample = models.ForeignKey(AuditSample, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(AuditQuestion, on_delete=models.PROTECT, related_name="answers")
    answer = models.CharField(max_length=20, choices=Answer.choices)
    note = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sample", "question__number"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "question"], name="audit_answer_unique"),
        ]

    def __str__(self):
        return f"{self.question.number}: {self.get_answer_display()}"


# Case studies ------------------------------------------------------------------------


class RenderStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Rendered(models.Model):
    """A file made in the background (a case study, a subject access export): its status
    as the task moves it on, and when it was made. Its file fields are the subclass's."""

    status = models.CharField(
        max_length=20, choices=RenderStatus.choices, default=RenderStatus.QUEUED
    )
    page_count = models.PositiveSmallIntegerField(null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    # Shown to users: a short sentence, never a stack trace (that goes to the log).
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.status in (RenderStatus.QUEUED, RenderStatus.RENDERING)

    @property
    def is_ready(self) -> bool:
        return self.status == RenderStatus.READY


class ReleaseStage(models.TextChoices):
    """Where a case study's latest render is on its way out of the prison: a draft until a
    Therapy Manager or the Head of Psychotherapy has read its redactions and released it.
    Rendered again (its resident's records changed, a word redacted by hand), a released
    case study is a draft again, while its auditors keep the PDF released before."""

    DRAFT = "draft", "Awaiting release"
    RELEASED = "released", "Released"


class CaseStudyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Restriction follows the person: an anonymised account still tells a restricted
        person's story, and its drafts show the texts as written."""
        return self.filter(permissions.person_visible(user, "resident__prison_number"))


class CaseStudy(Rendered):
    """A resident's journey, anonymised and rendered to PDF in the background for auditors.
    The pseudonym is kept on the row; the resident's identity never leaves the database.
    `file` is the latest render (the draft its reviewers read); `released_file` is what
    its auditors download, a copy of the draft made when it was released."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="case_studies")
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="case_studies"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    pseudonym = models.CharField(max_length=40)
    file = models.FileField(upload_to="case_studies/", blank=True)
    stage = models.CharField(
        "release", max_length=20, choices=ReleaseStage.choices, default=ReleaseStage.DRAFT
    )
    # What the reviewers read, written by the render that wrote `file`: each free text
    # of the PDF as {"where": where it is shown, "original": as written (normalised),
    # "spans": [{"start", "end", "kind"}] redacted, "text": what the PDF shows}.
    # None for a render that kept no texts (made before the release step).
    review_texts = models.JSONField(null=True, blank=True, editable=False)
    released_file = models.FileField(upload_to="case_studies/released/", blank=True)
    released_page_count = models.PositiveSmallIntegerField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The texts are the render's, and large: each render's history row would copy them.
    history = HistoricalRecords(excluded_fields=["review_texts"])

    objects = CaseStudyQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name_plural = "case studies"

    def __str__(self):
        return f"Case study of {self.pseudonym}"

    def is_visible_to(self, user) -> bool:
        return permissions.person_is_visible(user, self.resident.prison_number)

    @property
    def is_released(self) -> bool:
        """Whether its auditors have a PDF of it (the latest render may be a newer draft)."""
        return self.released_at is not None

    @property
    def code(self) -> str:
        """The pseudonym's code, which names its files."""
        return self.pseudonym.split()[-1].lower()

    def texts_for_review(self) -> list[tuple[str, anonymise.Redacted]]:
        """The latest render's free texts, (where, Redacted), as the PDF holds them."""
        return [
            (
                text["where"],
                anonymise.Redacted(
                    text["original"],
                    tuple(anonymise.Span(s["start"], s["end"], s["kind"]) for s in text["spans"]),
                    text["text"],
                ),
            )
            for text in self.review_texts or []
        ]


class CaseStudyRedaction(models.Model):
    """A word or phrase a reviewer redacted by hand from a case study, wherever it appears
    in its free texts, on top of the automatic redactions. Never removed: a case study's
    redactions are added to, never taken back."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.PROTECT, related_name="redactions")
    phrase = models.CharField(max_length=200)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self):
        return f"“{self.phrase}” redacted from {self.case_study}"


class CaseStudyDownload(models.Model):
    """One download of a case study's PDF: who took a copy out of the system, which copy
    (the released PDF, or a reviewer's draft), and when. Append-only, like the access log
    of resident pages, so it carries no history."""

    class Version(models.TextChoices):
        RELEASED = "released", "Released PDF"
        DRAFT = "draft", "Draft, for review"

    case_study = models.ForeignKey(CaseStudy, on_delete=models.PROTECT, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.CharField(max_length=10, choices=Version.choices)
    downloaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-downloaded_at", "-pk"]

    def __str__(self):
        return f"{self.user} downloaded {self.case_study} on {self.downloaded_at:%-d %B %Y}"


# Subject access requests ---------------------------------------------------------------


class SubjectAccessRequest(Rendered):
    """A subject access request: the Head of Psychotherapy's export of everything the
    service holds about one person, found by prison number, as JSON and PDF. The row is
    the log of the export (who, when, why); the files are made in the background."""

    prison_number = models.CharField(max_length=7)
    reason = models.TextField(help_text="Why the export was made, or the request's reference.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    json_file = models.FileField(upload_to="subject_access/", blank=True)
    pdf_file = models.FileField(upload_to="subject_access/", blank=True)
    # Referrals, resident records and case studies found: none means nothing is held.
    records_found = models.PositiveIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-requested_at"])]

    def __str__(self):
        return f"Subject access request for {self.prison_number}"

    def file(self, kind: str):
        """The export's file of `kind` ("json" or "pdf")."""
        return {"json": self.json_file, "pdf": self.pdf_file}[kind]


class SubjectAccessDownload(models.Model):
    """One download of a subject access export: who took a copy of a person's records out
    of the system, which file, and when. Append-only, like case study downloads."""

    class Kind(models.TextChoices):
        JSON = "json", "JSON"
        PDF = "pdf", "PDF"

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.PROTECT, related_name="downloads"
    )
    kind = models.CharField(max_length=4, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    downloaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-downloaded_at", "-pk"]

    def __str__(self):
        return f"{self.user} downloaded the {self.kind} of {self.request} on {self.downloaded_at:%-d %B %Y}"
