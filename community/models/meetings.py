"""Community meetings: the record of a held community-meeting session — who chaired it,
who took the minutes, its agenda with the minutes and decisions of each item. Who was
present is the session's register (residents.Attendance), never stored again here. An
agenda item raised by or about a resident follows that resident's restriction."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from simple_history.models import HistoricalRecords

from dtc import limits, permissions
from dtc.models import Community, Correctable, CorrectableQuerySet
from residents.models import GroupSession, Resident

User = settings.AUTH_USER_MODEL

# The community jobs that chair the meeting, by their names on the community's list.
CHAIR, VICE_CHAIR = "chair", "vice-chair"


class CommunityMeeting(models.Model):
    """The minutes of one held community meeting (its GroupSession). The chair and the
    vice-chair are residents holding those jobs on the day, or staff when none does."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="community_meetings"
    )
    session = models.OneToOneField(
        GroupSession, on_delete=models.PROTECT, related_name="community_meeting"
    )
    held_on = models.DateField("date of the meeting")
    chair = models.ForeignKey(
        Resident, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    chair_staff = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    vice_chair = models.ForeignKey(
        Resident, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    vice_chair_staff = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    minute_taker = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["community", "-held_on"]),
            models.Index(fields=["-held_on", "-id"]),
        ]

    def __str__(self):
        return f"Community meeting, {self.held_on:%-d %B %Y}"


class AgendaKind(models.TextChoices):
    FEEDBACK = "feedback", "Feedback"
    REQUEST = "request", "Request"
    RULE_BREAK = "rule_break", "Rule break"
    WELCOME = "welcome", "Welcome"
    FAREWELL = "farewell", "Farewell"
    VOTE = "vote", "Vote"
    OTHER = "other", "Other"


class AgendaItemQuerySet(CorrectableQuerySet):
    def visible_to(self, user):
        """Items raised by and about residents not restricted from the user."""
        return self.filter(
            permissions.person_visible(user, "raised_by_resident__prison_number"),
            permissions.person_visible(user, "about__prison_number"),
        )


class AgendaItem(Correctable):
    """One item on a community meeting's agenda: who raised it, what it was about, its
    minutes and the decision taken. Corrected, never deleted."""

    meeting = models.ForeignKey(
        CommunityMeeting, on_delete=models.PROTECT, related_name="agenda_items"
    )
    kind = models.CharField("kind of item", max_length=20, choices=AgendaKind.choices)
    title = models.CharField(max_length=limits.TITLE)
    raised_by_resident = models.ForeignKey(
        Resident,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="raised by (resident)",
    )
    raised_by_staff = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="raised by (staff)",
    )
    about = models.ForeignKey(
        Resident,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items_about",
        verbose_name="resident it is about",
    )
    minutes = models.TextField(validators=[MaxLengthValidator(limits.NARRATIVE)])
    decision = models.TextField(
        "decision taken", blank=True, validators=[MaxLengthValidator(limits.NOTE)]
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self):
        return self.title

    # dtc.permissions finds the community of a record through community_id.
    @property
    def community_id(self):
        return self.meeting.community_id

    @property
    def community(self):
        return self.meeting.community

    def is_visible_to(self, user) -> bool:
        return all(
            permissions.person_is_visible(user, resident.prison_number)
            for resident in (self.raised_by_resident, self.about)
            if resident is not None
        )
