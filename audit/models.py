from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from dtc.models import Community


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


# Case studies ------------------------------------------------------------------------


class CaseStudyStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class CaseStudy(models.Model):
    """A resident's journey, anonymised and rendered to PDF in the background for auditors.
    The pseudonym is kept on the row; the resident's identity never leaves the database."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="case_studies")
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="case_studies"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=20, choices=CaseStudyStatus.choices, default=CaseStudyStatus.QUEUED
    )
    pseudonym = models.CharField(max_length=40)
    file = models.FileField(upload_to="case_studies/", blank=True)
    page_count = models.PositiveSmallIntegerField(null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    # Shown to users: a short sentence, never a stack trace (that goes to the log).
    error = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name_plural = "case studies"

    def __str__(self):
        return f"Case study of {self.pseudonym}"

    @property
    def is_pending(self) -> bool:
        return self.status in (CaseStudyStatus.QUEUED, CaseStudyStatus.RENDERING)
