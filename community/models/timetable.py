"""The community's weekly timetable. Each slot recurs on its weekday while it is valid;
the week's planned sessions are read from the slots (selectors.timetable), not stored.
What became of a planned session is stored once something happened to it: held (its
group session with the register, or its staff meeting) or cancelled with a cause."""

from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from dtc import limits
from dtc.models import Community, Correctable
from residents.models import GroupSession, Intervention, SmallGroup

from .staff_meetings import MeetingKind

# A slot is a resident session (its register is a group session) or a staff meeting.
SlotKind = models.TextChoices(
    "SlotKind",
    [
        (value.upper(), (value, label))
        for value, label in Intervention.choices + MeetingKind.choices
    ],
)
STAFF_KINDS = frozenset(MeetingKind.values)


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class TimetableSlot(models.Model):
    """A session on the weekly timetable, from valid_from to valid_to (inclusive; open
    while it runs). A change from a day ends the slot the day before and starts a new
    one, so the weeks before the change still read the timetable they had."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="timetable")
    kind = models.CharField(max_length=30, choices=SlotKind.choices)
    small_group = models.ForeignKey(
        SmallGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="slots"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts_at = models.TimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="timetable_slots"
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    # The slot this one replaced from its valid_from (a change of the timetable).
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[facilitators])

    class Meta:
        ordering = ["weekday", "starts_at", "pk"]
        indexes = [models.Index(fields=["community", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="slot_valid_to_after_from",
            )
        ]

    def __str__(self):
        group = f" ({self.small_group.name})" if self.small_group_id else ""
        return (
            f"{self.get_kind_display()}{group}, {self.get_weekday_display()} {self.starts_at:%H:%M}"
        )

    @property
    def is_staff_meeting(self) -> bool:
        return self.kind in STAFF_KINDS

    def runs_on(self, day: date) -> bool:
        return (
            day.weekday() == self.weekday
            and self.valid_from <= day
            and (self.valid_to is None or day <= self.valid_to)
        )

    def days_in(self, start: date, end: date) -> list[date]:
        """The days from `start` to `end` (inclusive) on which the slot runs."""
        first = start + timedelta(days=(self.weekday - start.weekday()) % 7)
        days = []
        day = first
        while day <= end:
            if self.runs_on(day):
                days.append(day)
            day += timedelta(days=7)
        return days


class CancellationCause(models.TextChoices):
    REGIME = "regime", "Regime restriction or lockdown"
    STAFF_SHORTAGE = "staff_shortage", "Staff shortage"
    INCIDENT = "incident", "Operational incident"
    BANK_HOLIDAY = "bank_holiday", "Bank holiday"
    OTHER = "other", "Other"


class PlannedSession(Correctable):
    """What became of one planned session (a slot on a day): held, as its group session
    (a staff meeting is held as the StaffMeeting of its kind on the day), or cancelled
    with a cause. A planned session with no row in effect has not been accounted for.
    A cancellation entered in error is marked so (dtc.corrections), never deleted."""

    # The slot's community, kept on the row so lists and figures are scoped by it.
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    slot = models.ForeignKey(TimetableSlot, on_delete=models.PROTECT, related_name="occurrences")
    on = models.DateField()
    session = models.OneToOneField(
        GroupSession, null=True, blank=True, on_delete=models.PROTECT, related_name="planned"
    )
    cancelled_cause = models.CharField(max_length=20, choices=CancellationCause.choices, blank=True)
    cancelled_note = models.TextField(blank=True, validators=[MaxLengthValidator(limits.NOTE)])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["on", "slot__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "on"],
                condition=Q(entered_in_error_at__isnull=True, superseded=False),
                name="planned_session_once",
            ),
            # Held or cancelled, never both.
            models.CheckConstraint(
                condition=Q(session__isnull=False, cancelled_cause="")
                | Q(session__isnull=True) & ~Q(cancelled_cause=""),
                name="planned_session_held_or_cancelled",
            ),
        ]
        indexes = [models.Index(fields=["community", "on"])]

    def __str__(self):
        return f"{self.slot.get_kind_display()}, {self.on:%-d %B %Y}"

    @property
    def is_cancelled(self) -> bool:
        return bool(self.cancelled_cause)
