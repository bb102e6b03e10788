from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A member of staff who signs in. Clinical access comes only from role assignments."""

    # Part of every session's auth hash: moving it on ends all the user's sessions,
    # as a password change does ("sign out everywhere").
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords(excluded_fields=["last_login", "password"])

    def __str__(self):
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret=None):
        key_salt = "dtc.models.User.get_session_auth_hash"
        return salted_hmac(
            key_salt,
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Cluster(models.Model):
    """A group of establishments under one Head of Psychotherapy."""

    name = models.CharField(max_length=120, unique=True)
    history = HistoricalRecords()

    def __str__(self):
        return self.name


class Establishment(models.Model):
    """A prison."""

    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="establishments")
    name = models.CharField(max_length=120, unique=True)
    code = models.CharField(
        max_length=3, unique=True, help_text="The prison's three-letter code, e.g. GRI."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Community(models.Model):
    """One therapeutic community: a wing of a prison with its own beds and staff team."""

    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="communities"
    )
    name = models.CharField(max_length=120)
    capacity = models.PositiveSmallIntegerField(help_text="Beds on the community.")
    minimum_stay_months = models.PositiveSmallIntegerField(
        default=18, help_text="Months in treatment before leaving counts as a completion."
    )
    review_interval_months = models.PositiveSmallIntegerField(
        default=6, help_text="Months between therapy reviews."
    )
    referral_stage_alert_days = models.PositiveSmallIntegerField(
        default=28, help_text="Days a referral may stay at one stage before it is flagged as stuck."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["establishment__name", "name"]
        verbose_name_plural = "communities"
        constraints = [
            models.UniqueConstraint(fields=["establishment", "name"], name="community_name_unique"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="community_capacity_positive"),
        ]
        # Object permissions held on a community through role groups (see dtc/permissions.py).
        permissions = [
            ("access_community", "See the community's identifiable records"),
            ("view_team", "See the community's staff team"),
            ("submit_referral", "Submit a referral to the community"),
            ("progress_referral", "Screen and assess referrals"),
            ("decide_referral", "Accept, decline or defer referrals"),
            ("override_criteria", "Accept a referral that fails suitability criteria"),
            ("manage_criteria", "Edit the community's suitability criteria"),
            ("admit_resident", "Admit a resident from the waiting list"),
            ("record_attendance", "Record group attendance, observations and incidents"),
            ("write_clinical", "Write clinical records and report drafts"),
            ("sign_off", "Sign off treatment plans and clinical documents"),
            ("decide_therapy", "Decide continuation, termination and dosage"),
            ("restrict_resident", "Restrict a resident's record to named staff"),
            ("view_access_log", "See who viewed resident records"),
            ("supervise_team", "See and record the team's clinical supervision"),
            ("view_audit", "Use the audit module"),
            ("manage_audit", "Run review cycles, clinical audits and case studies"),
            ("keep_timetable", "Keep the community's timetable and small groups"),
            ("minute_meeting", "Minute community meetings and staff meetings"),
            ("record_motion", "Record the community's motions and their votes"),
            ("ratify_motion", "Ratify or set aside the community's decisions"),
            ("edit_constitution", "Amend the community's constitution"),
            ("assign_jobs", "Keep the community's jobs and who holds them"),
            ("release_case_study", "Review case studies' redactions and release them to auditors"),
        ]

    def __str__(self):
        return f"{self.name}, {self.establishment.name}"


class CommunityUserObjectPermission(UserObjectPermissionBase):
    # Direct foreign keys rather than guardian's generic tables, so permission
    # filters join on an indexed integer column.
    content_object = models.ForeignKey(Community, on_delete=models.CASCADE)


class CommunityGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Community, on_delete=models.CASCADE)


class Discipline(models.TextChoices):
    PSYCHOTHERAPY = "psychotherapy", "Psychotherapy"
    PSYCHOLOGY = "psychology", "Psychology"
    PSYCHIATRY = "psychiatry", "Psychiatry"
    NURSING = "nursing", "Nursing"
    OPERATIONAL = "operational", "Operational"


class ProfessionalBody(models.TextChoices):
    UKCP = "UKCP", "UK Council for Psychotherapy (UKCP)"
    BACP = "BACP", "British Association for Counselling and Psychotherapy (BACP)"
    BPS = "BPS", "British Psychological Society (BPS)"
    BABCP = "BABCP", "British Association for Behavioural and Cognitive Psychotherapies (BABCP)"
    HCPC = "HCPC", "Health and Care Professions Council (HCPC)"


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="profile"
    )
    job_title = models.CharField(max_length=120, blank=True)
    discipline = models.CharField(max_length=20, choices=Discipline.choices)
    professional_body = models.CharField(
        max_length=10, choices=ProfessionalBody.choices, blank=True
    )
    registration_number = models.CharField(max_length=40, blank=True)
    registration_renewal_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        indexes = [models.Index(fields=["registration_renewal_date"])]

    def __str__(self):
        return str(self.user)

    def clean(self):
        registration = [
            self.professional_body,
            self.registration_number,
            self.registration_renewal_date,
        ]
        if any(registration) and not all(registration):
            raise ValidationError(
                "Enter the professional body, registration number and renewal date together."
            )

    @property
    def registration_state(self) -> str:
        """ "none", "lapsed", "due" (within the renewal notice period) or "current"."""
        renewal = self.registration_renewal_date
        if renewal is None:
            return "none"
        today = timezone.localdate()
        if renewal < today:
            return "lapsed"
        if (renewal - today).days <= settings.REGISTRATION_RENEWAL_NOTICE_DAYS:
            return "due"
        return "current"


class Role(models.TextChoices):
    HEAD_OF_PSYCHOTHERAPY = "hop", "Head of Psychotherapy"
    THERAPY_MANAGER = "tm", "Therapy Manager"
    CLINICIAN = "clinician", "Clinician"
    OFFICER = "officer", "Officer"
    TRAINEE = "trainee", "Trainee"
    AUDITOR = "auditor", "Auditor"


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class RoleAssignment(models.Model):
    """A role held by a member of staff over a community, or over an establishment or
    cluster for the Head of Psychotherapy. Created and ended only through dtc.services,
    which grants and revokes the matching object permissions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_assignments"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments"
    )
    establishment = models.ForeignKey(
        Establishment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "ended_at"])]
        constraints = [
            # Exactly one scope: a community, an establishment or a cluster.
            models.CheckConstraint(
                name="role_assignment_one_scope",
                condition=(
                    Q(community__isnull=False, establishment__isnull=True, cluster__isnull=True)
                    | Q(community__isnull=True, establishment__isnull=False, cluster__isnull=True)
                    | Q(community__isnull=True, establishment__isnull=True, cluster__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "community"],
                condition=Q(ended_at__isnull=True, community__isnull=False),
                name="role_assignment_active_community_unique",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}, {self.scope}"

    @property
    def scope(self):
        return self.community or self.establishment or self.cluster

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    def clean(self):
        community_scoped = self.community_id is not None
        wide_scope = self.establishment_id is not None or self.cluster_id is not None
        if self.role == Role.HEAD_OF_PSYCHOTHERAPY:
            if community_scoped or not wide_scope:
                raise ValidationError("Give a Head of Psychotherapy an establishment or a cluster.")
        elif wide_scope or not community_scoped:
            raise ValidationError(f"Give a {self.get_role_display()} a community.")
        if (
            sum(
                scope is not None
                for scope in (self.community_id, self.establishment_id, self.cluster_id)
            )
            != 1
        ):
            raise ValidationError("Choose exactly one community, establishment or cluster.")

    def communities(self):
        """The communities this assignment covers."""
        if self.community_id:
            return Community.objects.filter(pk=self.community_id)
        if self.establishment_id:
            return Community.objects.filter(establishment_id=self.establishment_id)
        return Community.objects.filter(establishment__cluster_id=self.cluster_id)


class Notification(models.Model):
    """An in-app message to one member of staff. `key` makes a reminder idempotent:
    a task that runs twice writes the same key, and the second write is skipped."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(max_length=200)
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    # The prison number of the person it is about, if any: a notification follows the
    # person's restriction, even one sent before the restriction.
    about = models.CharField(max_length=7, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_key_unique"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.message


class QueuedJob(models.Model):
    """A background task on its way to the workers, written in the transaction that asks
    for it and marked sent once the broker has taken it: a task the broker could not take
    (Redis down) waits here and is sent again when it returns (dtc.jobs). No history: it
    is plumbing, not a record, and sent jobs are deleted after a week."""

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(sent_at__isnull=True), name="queuedjob_waiting"
            )
        ]

    def __str__(self):
        state = f"sent {self.sent_at:%-d %B %Y %H:%M}" if self.sent_at else "waiting"
        return f"{self.task}{tuple(self.args)}: {state}"


class FormToken(models.Model):
    """A one-time token in a rendered form (dtc.form_tokens): the first submission that
    saves claims it, in the transaction of the save, and keeps where it led; a second
    submission of the same form (Back, refresh, a double click) saves nothing and is sent
    there. No history: plumbing, not a record, purged after a few days."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)
    # Where the saving submission led (the saved record, or the page that lists it).
    saved_url = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self):
        return f"Form token of {self.user}: {'used' if self.used_at else 'not used'}"


# Corrections, never deletion ---------------------------------------------------------


class CorrectableQuerySet(models.QuerySet):
    def in_effect(self):
        """The records that count: not entered in error, and not replaced by an amendment."""
        return self.filter(entered_in_error_at__isnull=True, superseded=False)


class Correctable(models.Model):
    """A recorded entry that is never deleted: it can be marked entered in error, with a
    reason, or corrected by an amendment, a new row that `corrects` it while the original
    is kept, `superseded`. Figures and lists read `.in_effect()`; the timeline and the
    history show both (dtc.corrections writes them)."""

    entered_in_error_at = models.DateTimeField("entered in error at", null=True, blank=True)
    entered_in_error_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="entered in error by",
    )
    entered_in_error_reason = models.TextField("reason it was entered in error", blank=True)
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name="corrects",
    )
    superseded = models.BooleanField("replaced by a correction", default=False)
    amendment_reason = models.TextField("reason for the correction", blank=True)

    objects = CorrectableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def in_effect(self) -> bool:
        return self.entered_in_error_at is None and not self.superseded

    @property
    def entered_in_error(self) -> bool:
        return self.entered_in_error_at is not None
