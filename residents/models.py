from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from simple_history.models import HistoricalRecords

from dtc import permissions
from dtc.models import Community, Correctable

User = settings.AUTH_USER_MODEL


class Phase(models.TextChoices):
    ASSESSMENT = "assessment", "Assessment and induction"
    TREATMENT = "treatment", "Treatment"
    LEAVING = "leaving", "Leaving preparation"
    LEFT = "left", "Left"


# A resident moves forward through the phases; leaving (any phase → left) is its own
# transition, resident_leave, because it needs a type and frees the bed.
PHASE_TRANSITIONS = {
    Phase.ASSESSMENT: {Phase.TREATMENT},
    Phase.TREATMENT: {Phase.LEAVING},
    Phase.LEAVING: {Phase.TREATMENT},
    Phase.LEFT: set(),
}


class LeavingType(models.TextChoices):
    COMPLETED = "completed", "Completed (planned)"
    VOTED_OUT = "voted_out", "Voted out by the community"
    RULE_BREACH = "rule_breach", "Rule breach"
    SELF_DESELECTED = "self_deselected", "Self-deselected"
    TRANSFERRED_SECURITY = "transferred_security", "Transferred for security"
    TRANSFERRED_OTHER = "transferred_other", "Transferred for another reason"
    RELEASED = "released", "Released"
    OTHER = "other", "Other"


def add_months(day: date, months: int) -> date:
    return day + relativedelta(months=months)


class ResidentQuerySet(models.QuerySet):
    def current(self):
        """Residents occupying a bed: everyone admitted who has not left."""
        return self.exclude(phase=Phase.LEFT)

    def on_community_on(self, day):
        """Residents on their community on `day` (a date, or an expression of an outer
        query): admitted by then and not left before it (one leaving that day was there)."""
        return self.filter(admitted_on__lte=day).filter(
            Q(left_on__isnull=True) | Q(left_on__gte=day)
        )

    def visible_to(self, user):
        """Residents of people not restricted from the user: unrestricted, or restricted
        with the user named (the restriction follows the person, see dtc.permissions)."""
        return self.filter(permissions.person_visible(user))

    def with_small_group(self):
        """Annotate `small_group_name`: the small group each resident is in today."""
        return self.annotate(
            small_group_name=Subquery(
                SmallGroupMembership.objects.filter(
                    resident_id=OuterRef("pk"), left_on__isnull=True
                ).values("group__name")[:1]
            )
        )

    def with_acct_open(self):
        return self.annotate(
            acct_open=Exists(
                AcctPeriod.objects.in_effect().filter(
                    resident_id=OuterRef("pk"), closed_on__isnull=True
                )
            )
        )


class Resident(models.Model):
    """A prisoner admitted to a community."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="residents")
    prison_number = models.CharField(max_length=7)
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.ASSESSMENT)
    admitted_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    key_worker = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="caseload"
    )
    # The next therapy review falls due at the community's interval from admission;
    # filled in on first save so that admission (in referrals) need not know of it.
    next_review_on = models.DateField(null=True, blank=True)
    leaving_type = models.CharField(max_length=30, choices=LeavingType.choices, blank=True)
    leaving_reason = models.TextField(blank=True)
    is_restricted = models.BooleanField(
        default=False, help_text="Only the staff named on the resident's access list see them."
    )
    history = HistoricalRecords()

    objects = ResidentQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["community", "phase"]),
            models.Index(fields=["community", "next_review_on"]),
            # The whole-cluster list: the first page of current residents by name, read in
            # order from the index instead of sorting every current resident.
            models.Index(
                fields=["last_name", "first_name", "id"],
                condition=~Q(phase=Phase.LEFT),
                name="resident_current_by_name",
            ),
            # Every list reads the few restricted people to leave them out.
            models.Index(
                fields=["prison_number"],
                condition=Q(is_restricted=True),
                name="resident_restricted_people",
            ),
            # The work queue's reviews due: current residents read in review-date order,
            # stopped at the first few however many communities the user sees.
            models.Index(
                fields=["next_review_on", "id"],
                condition=~Q(phase=Phase.LEFT),
                name="resident_current_by_review",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "prison_number"],
                condition=~Q(phase=Phase.LEFT),
                name="resident_current_once_per_community",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prison_number})"

    @property
    def name(self) -> str:
        """How every page names a resident: "First Surname" (lists sort by surname)."""
        return f"{self.first_name} {self.last_name}"

    def is_visible_to(self, user) -> bool:
        return permissions.person_is_visible(user, self.prison_number)

    def minimum_stay_ends_on(self) -> date:
        return add_months(self.admitted_on, self.community.minimum_stay_months)


class ResidentAccess(models.Model):
    """A member of staff named on a restricted resident's access list."""

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="access_list")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resident", "user"], name="resident_access_unique")
        ]

    def __str__(self):
        return f"{self.user} may see {self.resident}"


class AccessLogEntry(models.Model):
    """One view of a resident's page. An append-only log written on every view, so it
    carries no history of its own (rows are never changed)."""

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="access_log")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    viewed_at = models.DateTimeField(auto_now_add=True)
    page = models.CharField(max_length=40)

    class Meta:
        ordering = ["-viewed_at", "-pk"]
        indexes = [models.Index(fields=["resident", "-viewed_at"])]

    def __str__(self):
        return f"{self.user} viewed {self.resident} on {self.viewed_at:%-d %B %Y}"


# Individual Treatment Plans ---------------------------------------------------------


class NeedArea(models.TextChoices):
    RELATIONSHIPS = "relationships", "Relationships"
    EMOTIONAL_REGULATION = "emotional_regulation", "Emotional regulation"
    VIOLENCE = "violence", "Violence"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
    SEXUAL_OFFENDING = "sexual_offending", "Sexual offending"
    THINKING = "thinking", "Thinking and problem solving"
    SELF_HARM = "self_harm", "Self-harm"
    EDUCATION_WORK = "education_work", "Education and work"


class Intervention(models.TextChoices):
    SMALL_GROUP = "small_group", "Small group"
    COMMUNITY_MEETING = "community_meeting", "Community meeting"
    CREATIVE_THERAPY = "creative_therapy", "Creative therapy"
    PSYCHODRAMA = "psychodrama", "Psychodrama"
    EDUCATION = "education", "Education"
    OFFENDING_BEHAVIOUR = "offending_behaviour", "Offending behaviour programme"
    COMPLEMENTARY_THERAPY = "complementary_therapy", "Complementary therapy"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED_OFF = "signed_off", "Signed off"


PLAN_TRANSITIONS = {PlanStatus.DRAFT: {PlanStatus.SIGNED_OFF}, PlanStatus.SIGNED_OFF: set()}


class TreatmentPlan(models.Model):
    """One version of a resident's Individual Treatment Plan; locked once signed off."""

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    formulation = models.TextField(
        blank=True, help_text="The risk formulation the goals answer to."
    )
    expected_weekly_hours = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(40)],
    )
    review_on = models.DateField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    signed_off_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["resident", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["resident", "version"], name="plan_version_unique")
        ]
        # The drafts waiting for sign-off, few among every version ever signed off.
        indexes = [
            models.Index(fields=["id"], condition=Q(status=PlanStatus.DRAFT), name="plan_drafts")
        ]

    def __str__(self):
        return f"Treatment plan version {self.version}"

    @property
    def is_locked(self) -> bool:
        return self.status == PlanStatus.SIGNED_OFF


class PlanGoal(models.Model):
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="goals")
    need_area = models.CharField(max_length=30, choices=NeedArea.choices)
    description = models.TextField()
    interventions = models.JSONField(default=list)  # Intervention values
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "pk"]

    def __str__(self):
        return self.description

    def intervention_labels(self) -> list[str]:
        return [Intervention(value).label for value in self.interventions]


# Groups and dosage -----------------------------------------------------------------


class SmallGroup(models.Model):
    """One of a community's small groups: up to about ten residents who meet with the
    same named facilitators. Who is in it, and from when to when, are its memberships."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="small_groups")
    name = models.CharField(max_length=40)
    facilitators = models.ManyToManyField(User, blank=True, related_name="small_groups")
    # A group that no longer meets keeps its sessions and memberships; it takes no more.
    closed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[facilitators])

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="small_group_name_unique")
        ]

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class SmallGroupMembership(models.Model):
    """A resident's time in a small group, from the day they joined to the last day they
    were in it (left_on, inclusive; open while they are in it)."""

    group = models.ForeignKey(SmallGroup, on_delete=models.PROTECT, related_name="memberships")
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="small_group_memberships"
    )
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-joined_on", "-pk"]
        constraints = [
            # A resident is in one small group at a time.
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(left_on__isnull=True),
                name="one_small_group_at_a_time",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="small_group_left_after_joined",
            ),
        ]
        indexes = [models.Index(fields=["group", "joined_on"])]

    def __str__(self):
        return f"{self.resident} in {self.group}"


class GroupSession(models.Model):
    """A therapy group held on the community. A small-group session is for the residents
    of that small group; any other kind is for every current resident."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="group_sessions"
    )
    group_type = models.CharField(max_length=30, choices=Intervention.choices)
    small_group = models.ForeignKey(
        "SmallGroup",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
        help_text="For a small-group session: the group whose members are on its register.",
    )
    held_on = models.DateField()
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    facilitators = models.ManyToManyField(User, related_name="facilitated_groups")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # Set when the register is closed, every resident on it marked: until then it is a
    # draft, and the session counts among the registers not taken.
    register_taken_at = models.DateTimeField(null=True, blank=True)
    register_taken_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[facilitators])

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["community", "held_on"]),
            # The registers not taken (the work queue and their list): few among years of
            # sessions, read without reading the rest.
            models.Index(
                fields=["community", "-held_on"],
                condition=models.Q(register_taken_at__isnull=True),
                name="register_not_taken",
            ),
        ]

    def __str__(self):
        # A small-group session is named by its group (read it with select_related).
        group = f" ({self.small_group.name})" if self.small_group_id else ""
        return f"{self.get_group_type_display()}{group}, {self.held_on:%-d %B %Y}"

    @property
    def register_taken(self) -> bool:
        return self.register_taken_at is not None


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    LATE = "late", "Late"
    LEFT_EARLY = "left_early", "Left early"
    ABSENT = "absent", "Absent"
    EXCUSED = "excused", "Excused"
    NOT_RECORDED = "not_recorded", "Not recorded"


# Marks that attended part of the session: they say how many minutes were missed.
PART_ATTENDED = frozenset({AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY})
# Every mark that counts as attending, in whole or in part.
ATTENDED = frozenset({AttendanceStatus.PRESENT}) | PART_ATTENDED


class Attendance(models.Model):
    session = models.ForeignKey(GroupSession, on_delete=models.PROTECT, related_name="register")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)
    minutes_missed = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.CharField("reason for the excused absence", max_length=200, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # A correction of a taken register keeps the original: its reason is recorded on the
    # history row of the change (history_change_reason).
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "resident"], name="attendance_unique")
        ]
        indexes = [models.Index(fields=["resident", "status"])]

    def __str__(self):
        return f"{self.resident}: {self.get_status_display()}"

    def clean(self):
        name = f"{self.resident.first_name} {self.resident.last_name}"
        if self.status in PART_ATTENDED:
            if not self.minutes_missed:
                raise ValidationError({"minutes_missed": f"Enter how many minutes {name} missed"})
            if self.minutes_missed >= self.session.duration_minutes:
                raise ValidationError(
                    {
                        "minutes_missed": f"Minutes {name} missed must be fewer than the "
                        f"{self.session.duration_minutes} minutes of the group"
                    }
                )
        else:
            self.minutes_missed = None
        if self.status == AttendanceStatus.EXCUSED:
            if not self.reason.strip():
                raise ValidationError({"reason": f"Enter why {name} was excused"})
        else:
            self.reason = ""

    @property
    def minutes_attended(self) -> int:
        if self.status == AttendanceStatus.PRESENT:
            return self.session.duration_minutes
        if self.status in PART_ATTENDED:
            return max(self.session.duration_minutes - (self.minutes_missed or 0), 0)
        return 0


# Progress ---------------------------------------------------------------------------


class ReviewOutcome(models.TextChoices):
    CONTINUE = "continue", "Continue in therapy"
    CONTINUE_WITH_CONDITIONS = "conditions", "Continue with conditions"
    MOVE_TO_LEAVING = "leaving", "Begin leaving preparation"
    REFER_FOR_DECISION = "refer", "Refer to the Therapy Manager for a decision"


class TherapyReview(Correctable):
    """A completed therapy review; the next one falls due an interval after this one's due date."""

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="reviews")
    due_on = models.DateField()
    held_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices)
    summary = models.TextField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"Therapy review, {self.held_on:%-d %B %Y}"


class IncidentKind(models.TextChoices):
    INCIDENT = "incident", "Incident"
    RULE_BREAK = "rule_break", "Rule break"


class Seriousness(models.TextChoices):
    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    SERIOUS = "serious", "Serious"


class Incident(Correctable):
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="incidents")
    occurred_on = models.DateField()
    kind = models.CharField(max_length=20, choices=IncidentKind.choices)
    seriousness = models.CharField(max_length=20, choices=Seriousness.choices)
    description = models.TextField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.occurred_on:%-d %B %Y}"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


class RiskAssessment(Correctable):
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="risks")
    assessed_on = models.DateField()
    level = models.CharField(max_length=20, choices=RiskLevel.choices)
    narrative = models.TextField(
        help_text="How the resident's progress bears on their criminogenic factors."
    )
    assessed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-pk"]

    def __str__(self):
        return f"Risk assessment, {self.assessed_on:%-d %B %Y}"


class AcctPeriod(Correctable):
    """An ACCT (self-harm care) plan open on the resident, from opening to closure."""

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="acct_periods")
    opened_on = models.DateField()
    reason = models.TextField()
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    closed_on = models.DateField(null=True, blank=True)
    closed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                # An ACCT entered in error or replaced by its correction is not open.
                condition=Q(
                    closed_on__isnull=True, entered_in_error_at__isnull=True, superseded=False
                ),
                name="one_open_acct_per_resident",
            )
        ]

    def __str__(self):
        return f"ACCT opened {self.opened_on:%-d %B %Y}"


# Clinical documents -----------------------------------------------------------------


class DocumentKind(models.TextChoices):
    GROUP_RECORD = "group_record", "Group record"
    CASE_NOTE = "case_note", "Case note"
    SENTENCE_PLAN = "sentence_plan", "Sentence plan contribution"
    PAROLE_REPORT = "parole_report", "Parole report"
    RISK_REPORT = "risk_report", "Risk report"
    CASE_REVIEW = "case_review", "Case review"


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    SIGNED_OFF = "signed_off", "Signed off"


# A submitted document may go back to its author for changes; signed off is final
# (later changes are amendments, which keep the original).
DOCUMENT_TRANSITIONS = {
    DocumentStatus.DRAFT: {DocumentStatus.SUBMITTED},
    DocumentStatus.SUBMITTED: {DocumentStatus.SIGNED_OFF, DocumentStatus.DRAFT},
    DocumentStatus.SIGNED_OFF: set(),
}


class ClinicalDocumentQuerySet(models.QuerySet):
    def overdue(self, today: date):
        return self.exclude(status=DocumentStatus.SIGNED_OFF).filter(due_on__lt=today)


class ClinicalDocument(models.Model):
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField()
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="clinical_documents")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    # A trainee's document is countersigned by a qualified clinician before sign-off.
    needs_countersignature = models.BooleanField(default=False)
    countersigned_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    countersigned_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = ClinicalDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            # The documents still in hand (the work queue): few among years of signed ones.
            models.Index(
                fields=["due_on"],
                condition=~models.Q(status="signed_off"),
                name="document_in_hand",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.status == DocumentStatus.SIGNED_OFF

    def is_overdue(self, today: date) -> bool:
        return not self.is_locked and self.due_on is not None and self.due_on < today


class DocumentAmendment(models.Model):
    """A change to a signed-off document: the original stays as it was signed."""

    document = models.ForeignKey(
        ClinicalDocument, on_delete=models.PROTECT, related_name="amendments"
    )
    text = models.TextField()
    reason = models.TextField()
    amended_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    amended_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["amended_at", "pk"]

    def __str__(self):
        return f"Amendment to {self.document}"


# Decisions --------------------------------------------------------------------------


class DecisionKind(models.TextChoices):
    CONTINUATION = "continuation", "Continuation of therapy"
    TERMINATION = "termination", "Termination of therapy"
    DOSAGE = "dosage", "Change of dosage"


class TherapyDecision(Correctable):
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=20, choices=DecisionKind.choices)
    decided_on = models.DateField()
    rationale = models.TextField()
    weekly_hours = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(40)],
        help_text="The new expected weekly hours, for a change of dosage.",
    )
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.decided_on:%-d %B %Y}"
