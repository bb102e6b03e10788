from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from dtc import permissions
from dtc.models import Community, Correctable, CorrectableQuerySet, Role


class SessionType(models.TextChoices):
    INDIVIDUAL = "individual", "Individual"
    GROUP = "group", "Group"
    TRAINEE = "trainee", "Trainee / professional"
    OBSERVATION = "observation", "Observation of practice"


class RequirementKind(models.TextChoices):
    INDIVIDUAL = "individual", "Individual"
    GROUP = "group", "Group"


# Which requirement a session of each type meets: one-to-one supervision of any kind
# meets the individual requirement, a group session the group requirement.
MEETS = {
    SessionType.INDIVIDUAL: RequirementKind.INDIVIDUAL,
    SessionType.TRAINEE: RequirementKind.INDIVIDUAL,
    SessionType.OBSERVATION: RequirementKind.INDIVIDUAL,
    SessionType.GROUP: RequirementKind.GROUP,
}

# Weeks between sessions each role needs by default; a SupervisionRequirement
# overrides one kind for one person. The Head of Psychotherapy's own supervision is
# arranged outside the service, and auditors are not clinical staff.
DEFAULT_INTERVAL_WEEKS = {
    Role.THERAPY_MANAGER: {RequirementKind.INDIVIDUAL: 4},
    Role.CLINICIAN: {RequirementKind.INDIVIDUAL: 4, RequirementKind.GROUP: 2},
    Role.TRAINEE: {RequirementKind.INDIVIDUAL: 2, RequirementKind.GROUP: 2},
    Role.OFFICER: {RequirementKind.GROUP: 4},
}
SUPERVISED_ROLES = frozenset(DEFAULT_INTERVAL_WEEKS)


class SupervisionTheme(models.Model):
    """A theme discussed in supervision, from a list the service keeps up to date."""

    name = models.CharField(max_length=80, unique=True)
    is_active = models.BooleanField(
        default=True, help_text="Retired themes stay on past sessions but are not offered."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class SupervisionSessionQuerySet(CorrectableQuerySet):
    def visible_to(self, user):
        """Sessions whose notes the user may read: their own, as supervisor or
        supervisee, and every session in a community whose team they supervise."""
        as_supervisee = SupervisionSession.supervisees.through.objects.filter(
            user_id=user.pk
        ).values("supervisionsession_id")
        return self.filter(
            Q(supervisor_id=user.pk)
            | Q(pk__in=as_supervisee)
            | Q(community_id__in=permissions.community_ids(user, "supervise_team"))
        )


class SupervisionSession(Correctable):
    """One clinical supervision session. Its notes are confidential to the people in
    it and their line of supervision (see is_visible_to)."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="supervision_sessions"
    )
    session_type = models.CharField(max_length=20, choices=SessionType.choices)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervision_given"
    )
    supervisees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="supervision_received"
    )
    held_on = models.DateField()
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(10), MaxValueValidator(480)]
    )
    themes = models.ManyToManyField(SupervisionTheme, blank=True, related_name="sessions")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[supervisees, themes])

    objects = SupervisionSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["community", "held_on"]),
            # The list's order, so a page of a cluster's sessions is read without sorting them all.
            models.Index(fields=["-held_on", "-id"]),
        ]

    def __str__(self):
        return f"{self.get_session_type_display()} supervision, {self.held_on:%-d %B %Y}"

    def is_visible_to(self, user) -> bool:
        if user.pk == self.supervisor_id:
            return True
        if self.community_id in permissions.community_ids(user, "supervise_team"):
            return True
        return self.supervisees.filter(pk=user.pk).exists()


class AgreedAction(models.Model):
    """Something agreed in a session, with who will do it and by when."""

    session = models.ForeignKey(
        SupervisionSession, on_delete=models.PROTECT, related_name="actions"
    )
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervision_actions"
    )
    due_on = models.DateField()
    is_done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["is_done", "due_on", "pk"]
        indexes = [models.Index(fields=["is_done", "due_on"])]

    def __str__(self):
        return self.description

    def is_overdue(self, today) -> bool:
        return not self.is_done and self.due_on < today


class SupervisionRequirement(models.Model):
    """A person's own interval for one kind of supervision, in place of their role's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervision_requirements"
    )
    kind = models.CharField(max_length=20, choices=RequirementKind.choices)
    interval_weeks = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(13)]
    )
    reason = models.CharField(max_length=300)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="supervision_requirement_unique")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} every {self.interval_weeks} weeks"


class TraineeTarget(models.Model):
    """The supervised hours a trainee needs toward registration, and who supervises them."""

    trainee = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trainee_target"
    )
    target_hours = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    designated_supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trainees"
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    def __str__(self):
        return f"{self.target_hours} supervised hours"

    def clean(self):
        if self.trainee_id and self.trainee_id == self.designated_supervisor_id:
            raise ValidationError(
                {"designated_supervisor": "A trainee cannot be their own supervisor."}
            )


class ObservationRating(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


class Observation(models.Model):
    """The structured record of an observation of practice, part of the supervisee's record."""

    session = models.OneToOneField(
        SupervisionSession, on_delete=models.PROTECT, related_name="observation"
    )
    activity_observed = models.CharField(max_length=200)
    strengths = models.TextField()
    areas_to_develop = models.TextField()
    rating = models.CharField(max_length=30, choices=ObservationRating.choices)
    history = HistoricalRecords()

    def __str__(self):
        return f"Observation of {self.activity_observed}"
