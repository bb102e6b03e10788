"""Staff meetings: the team's own meetings, their minutes, the actions agreed in them and
the residents discussed. The minutes are for the community's whole staff team; what is
said about one resident is kept apart, with that resident (ResidentDiscussed), so that it
follows the resident's restriction wherever the meeting is read."""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from dtc import limits, permissions
from dtc.models import Community, Correctable
from residents.models import Resident

# Minutes of an hour-long meeting run to a few pages; a resident's discussion to a paragraph or two.
MINUTES_LENGTH = limits.NARRATIVE
NOTES_LENGTH = limits.NOTE


class MeetingKind(models.TextChoices):
    CLINICAL = "clinical", "Clinical meeting"
    STAFF_TEAM = "staff_team", "Staff team meeting"
    SENSITIVITY = "sensitivity", "Sensitivity meeting / post-group debrief"
    ADMINISTRATIVE = "administrative", "Administrative meeting"
    ASSESSMENT = "assessment", "Assessment meeting"
    ACADEMIC = "academic", "Academic meeting"


class StaffMeeting(Correctable):
    """One meeting of the community's staff team, minuted. Corrected, never deleted
    (dtc.corrections): its actions and residents discussed follow it to its correction."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="staff_meetings"
    )
    kind = models.CharField("kind of meeting", max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField("date of the meeting")
    start_time = models.TimeField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        "length in minutes", validators=[MinValueValidator(10), MaxValueValidator(480)]
    )
    staff_present = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="staff_meetings_attended"
    )
    # A TextField's max_length only sizes the form's box: the validator holds it to it.
    minutes = models.TextField(validators=[MaxLengthValidator(MINUTES_LENGTH)])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[staff_present])

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["community", "held_on"]),
            # The list's order, so a page of a cluster's meetings is read without sorting them all.
            models.Index(fields=["-held_on", "-id"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.held_on:%-d %B %Y}"


class StaffMeetingAction(models.Model):
    """Something agreed in a staff meeting, with who will do it and by when."""

    meeting = models.ForeignKey(StaffMeeting, on_delete=models.PROTECT, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_meeting_actions"
    )
    due_on = models.DateField("due by")
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            # The owner's open actions (the work queue) and the overdue ones (reminders).
            models.Index(
                fields=["owner", "due_on"],
                condition=Q(completed_at__isnull=True),
                name="staff_meeting_action_open",
            ),
        ]

    def __str__(self):
        return self.description

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None

    def is_overdue(self, today) -> bool:
        return not self.is_done and self.due_on < today


class ResidentDiscussedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Discussions of residents not restricted from the user (the restriction follows
        the person, see dtc.permissions)."""
        return self.filter(permissions.person_visible(user, "resident__prison_number"))


class ResidentDiscussed(models.Model):
    """What a staff meeting said about one resident: read only by those who may see them."""

    meeting = models.ForeignKey(
        StaffMeeting, on_delete=models.PROTECT, related_name="residents_discussed"
    )
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="staff_meeting_discussions"
    )
    notes = models.TextField(validators=[MaxLengthValidator(NOTES_LENGTH)])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    objects = ResidentDiscussedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "residents discussed"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "resident"], name="resident_discussed_once_per_meeting"
            )
        ]

    def __str__(self):
        return f"{self.resident} at the {self.meeting}"
