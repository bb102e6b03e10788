from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from dtc import permissions
from dtc.models import Community, Correctable


class SentenceType(models.TextChoices):
    DETERMINATE = "determinate", "Determinate"
    EXTENDED = "extended", "Extended determinate (EDS)"
    LIFE = "life", "Life"
    IPP = "ipp", "Imprisonment for public protection (IPP)"


INDETERMINATE = {SentenceType.LIFE, SentenceType.IPP}


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


class Source(models.TextChoices):
    OMU = "omu", "Offender management unit (OMU)"
    WING = "wing", "Wing staff"
    HEALTHCARE = "healthcare", "Healthcare"
    SELF = "self", "Self-referral"
    PRISON = "prison", "Another prison"


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    SCREENING = "screening", "Screening"
    ASSESSMENT = "assessment", "Assessment"
    DECISION = "decision", "Awaiting decision"
    ACCEPTED = "accepted", "Accepted: waiting list"
    ADMITTED = "admitted", "Admitted"
    DECLINED = "declined", "Declined"
    DEFERRED = "deferred", "Deferred"
    WITHDRAWN = "withdrawn", "Withdrawn"
    ON_HOLD = "on_hold", "On hold"


# Open stages: a referral here is live, can be put on hold and can be withdrawn.
OPEN = frozenset(
    {Status.RECEIVED, Status.SCREENING, Status.ASSESSMENT, Status.DECISION, Status.ACCEPTED}
)
# Stages a referral should move through promptly: one left at any of these longer than
# the community's referral_stage_alert_days is flagged as stuck. (The waiting list is
# not a stage to move through.)
STAGES = frozenset({Status.RECEIVED, Status.SCREENING, Status.ASSESSMENT, Status.DECISION})
# The workflow, written once: from each status, where it may go next. Hold and
# resume are handled beside it (any open stage → on hold → back where it stopped).
TRANSITIONS = {
    Status.RECEIVED: {Status.SCREENING, Status.DECLINED, Status.WITHDRAWN, Status.ON_HOLD},
    Status.SCREENING: {Status.ASSESSMENT, Status.DECLINED, Status.WITHDRAWN, Status.ON_HOLD},
    Status.ASSESSMENT: {Status.DECISION, Status.DECLINED, Status.WITHDRAWN, Status.ON_HOLD},
    Status.DECISION: {
        Status.ACCEPTED,
        Status.DECLINED,
        Status.DEFERRED,
        Status.WITHDRAWN,
        Status.ON_HOLD,
    },
    Status.ACCEPTED: {Status.ADMITTED, Status.WITHDRAWN, Status.ON_HOLD},
    Status.DEFERRED: {Status.DECISION, Status.WITHDRAWN},
    Status.ON_HOLD: OPEN | {Status.WITHDRAWN},
    Status.ADMITTED: set(),
    Status.DECLINED: set(),
    Status.WITHDRAWN: set(),
}


class Priority(models.IntegerChoices):
    URGENT = 1, "Urgent"
    HIGH = 2, "High"
    ROUTINE = 3, "Routine"


def months_between(start: date, end: date) -> int:
    """Whole calendar months from start to end (negative when end is earlier):
    15 January to 15 July is 6 months, to 14 July is 5."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if months > 0 and end.day < start.day:
        months -= 1
    elif months < 0 and end.day > start.day:
        months += 1
    return months


class ReferralQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN | {Status.ON_HOLD, Status.DEFERRED})

    def visible_to(self, user):
        """Referrals of people not restricted from the user (the restriction follows the
        person: any restricted referral or resident record of the same prison number)."""
        return self.filter(permissions.person_visible(user))


class Referral(models.Model):
    """A prisoner referred to a community, from receipt to admission or closure."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="referrals")
    prison_number = models.CharField(max_length=7)
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    sentence_type = models.CharField(max_length=20, choices=SentenceType.choices)
    sentence_expiry_date = models.DateField(null=True, blank=True)
    tariff_or_parole_date = models.DateField(
        null=True,
        blank=True,
        help_text="Parole eligibility date, or tariff expiry for life and IPP sentences.",
    )
    conditional_release_date = models.DateField(null=True, blank=True)
    risk_level = models.CharField(max_length=20, choices=RiskLevel.choices)
    source = models.CharField(max_length=20, choices=Source.choices)
    reason = models.TextField()
    referred_on = models.DateField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    status_changed_at = models.DateTimeField()
    held_from = models.CharField(max_length=20, choices=Status.choices, blank=True)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    rereview_on = models.DateField(null=True, blank=True)
    resident = models.OneToOneField(
        "residents.Resident",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referral",
    )
    # A person can be restricted from referral on (a high-profile prisoner, say): the
    # restriction carries into the resident record at admission.
    is_restricted = models.BooleanField(
        default=False, help_text="Only the staff named on the access list see this person."
    )
    # Set when the person was already known to the service at intake (a current resident,
    # or an open referral elsewhere in the cluster) and the referrer went on after the warning.
    known_person_warning_seen = models.BooleanField(default=False)
    history = HistoricalRecords()

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_on", "-pk"]
        indexes = [
            models.Index(fields=["community", "status", "status_changed_at"]),
            models.Index(fields=["prison_number"]),
            # The list's order, so a page of a cluster's referrals is read without sorting them all.
            models.Index(fields=["-referred_on", "-id"]),
            # Every list reads the few restricted people to leave them out.
            models.Index(
                fields=["prison_number"],
                condition=Q(is_restricted=True),
                name="referral_restricted_people",
            ),
            # The work queue: the referrals at a stage, longest there first, read in that
            # order across a cluster's communities instead of sorting all of them.
            models.Index(
                fields=["status_changed_at", "id"],
                condition=Q(status__in=sorted(STAGES)),
                name="referral_at_stage",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "prison_number"],
                condition=Q(
                    status__in=[
                        "received",
                        "screening",
                        "assessment",
                        "decision",
                        "accepted",
                        "on_hold",
                        "deferred",
                    ]
                ),
                name="referral_open_once_per_community",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name} ({self.prison_number})"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def is_visible_to(self, user) -> bool:
        return permissions.person_is_visible(user, self.prison_number)

    def release_measure_date(self) -> date | None:
        """The date time left to serve is measured to: tariff expiry for life and IPP
        sentences; otherwise the earliest of parole eligibility and conditional release,
        or the sentence expiry when neither applies."""
        if self.sentence_type in INDETERMINATE:
            return self.tariff_or_parole_date
        earliest = [d for d in (self.tariff_or_parole_date, self.conditional_release_date) if d]
        return min(earliest) if earliest else self.sentence_expiry_date

    def months_to_serve(self, on: date) -> int | None:
        end = self.release_measure_date()
        return months_between(on, end) if end else None

    def age_on(self, on: date) -> int:
        return (
            on.year
            - self.date_of_birth.year
            - ((on.month, on.day) < (self.date_of_birth.month, self.date_of_birth.day))
        )


class ReferralAccess(models.Model):
    """A member of staff named on a restricted referral's access list."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="access_list")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["referral", "user"], name="referral_access_unique")
        ]

    def __str__(self):
        return f"{self.user} may see {self.referral}"


class Transition(models.Model):
    """One move of a referral through the workflow: who, when, from, to and why.
    Append-only, so it carries no separate history."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display() or 'New'} → {self.get_to_status_display()}"


class CriterionKind(models.TextChoices):
    TIME_TO_SERVE = "time_to_serve", "Computed: months left to serve at the decision date"
    AGE = "age", "Computed: age in years at the decision date"
    RECORDED = "recorded", "Recorded by the assessor"


COMPUTED = {CriterionKind.TIME_TO_SERVE, CriterionKind.AGE}


class SuitabilityCriterion(models.Model):
    """One of a community's suitability criteria. Reordered and retired, never deleted."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="suitability_criteria"
    )
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=CriterionKind.choices)
    threshold = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Months to serve, or years of age, that a computed criterion needs at least.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    retired = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text

    @property
    def computed(self) -> bool:
        return self.kind in COMPUTED


class Outcome(models.TextChoices):
    MET = "met", "Met"
    NOT_MET = "not_met", "Not met"
    UNKNOWN = "unknown", "Unknown"


class CriterionOutcome(models.Model):
    """A criterion assessed for a referral: met, not met or unknown, with evidence."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="outcomes")
    criterion = models.ForeignKey(
        SuitabilityCriterion, on_delete=models.PROTECT, related_name="outcomes"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    evidence = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "criterion"], name="outcome_once_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.criterion}: {self.get_outcome_display()}"


class Interview(Correctable):
    """An assessment interview held with the referred prisoner."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="interviews")
    held_on = models.DateField()
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"Interview on {self.held_on:%-d %B %Y}"


class Override(models.Model):
    """The acceptance of a referral that failed suitability criteria: who, why, and
    each criterion overridden. Counted in audit and listed for the HoP."""

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="override")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="overrides")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    rationale = models.TextField()
    criteria = models.ManyToManyField(SuitabilityCriterion, related_name="overrides")
    # The Head of Psychotherapy's answer: acknowledged, or sent back for a review.
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_requested_at = models.DateTimeField(null=True, blank=True)
    review_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_reason = models.TextField(blank=True)
    history = HistoricalRecords(m2m_fields=[criteria])

    class Meta:
        ordering = ["-at"]
        # The overrides list's order: a page of a cluster's years of overrides is read
        # from the index, not sorted.
        indexes = [models.Index(fields=["-at", "-id"], name="override_list_order")]

    def __str__(self):
        return f"Override for {self.referral}"

    def is_visible_to(self, user) -> bool:
        return permissions.person_is_visible(user, self.referral.prison_number)

    @property
    def awaiting_acknowledgement(self) -> bool:
        return self.acknowledged_at is None and self.review_requested_at is None


class RecommendationChoice(models.TextChoices):
    ACCEPT = "accept", "Accept"
    DEFER = "defer", "Defer"
    DECLINE = "decline", "Decline"


class Recommendation(models.Model):
    """A clinician's recommendation to the Therapy Manager at the decision stage, with
    the reasons for it. Append-only: a later recommendation stands beside the earlier."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="recommendations")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recommendation = models.CharField(max_length=10, choices=RecommendationChoice.choices)
    reasons = models.TextField()
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-made_at", "-pk"]

    def __str__(self):
        return f"{self.get_recommendation_display()}, by {self.by}"
