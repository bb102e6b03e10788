"""The community's democratic decisions: a register of motions, each with its tally, the
constitution in force on the day and the outcome computed from them (`motion_outcome`).
A carried motion that the constitution makes subject to ratification waits for the
Therapy Manager, who ratifies it or sets it aside with a written reason (the clinical
veto). Corrected, never deleted."""

from dataclasses import dataclass

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from dtc import limits, permissions
from dtc.models import Community, Correctable, CorrectableQuerySet

from .constitution import Constitution, Majority, MotionKind, StaffVote
from .jobs import CommunityJob

User = settings.AUTH_USER_MODEL

# The kinds of motion about one resident, and the one about a job as well.
ABOUT_A_RESIDENT = frozenset(
    {
        MotionKind.COMMITMENT_VOTE,
        MotionKind.RULE_BREAK,
        MotionKind.VOTE_OUT,
        MotionKind.RETURN_TO_COMMUNITY,
        MotionKind.JOB_ELECTION,
    }
)
# The most votes one side of a tally takes (a community has 40 beds or so; staff fewer).
MOST_VOTES = 200


class Outcome(models.TextChoices):
    CARRIED = "carried", "Carried"
    NOT_CARRIED = "not_carried", "Not carried"
    INQUORATE = "inquorate", "Inquorate"


class Ratification(models.TextChoices):
    NOT_NEEDED = "not_needed", "No ratification needed"
    AWAITING = "awaiting", "Waiting for the Therapy Manager's ratification"
    RATIFIED = "ratified", "Ratified by the Therapy Manager"
    SET_ASIDE = "set_aside", "Set aside by the Therapy Manager"


@dataclass(frozen=True)
class Tally:
    residents_for: int = 0
    residents_against: int = 0
    residents_abstain: int = 0
    staff_for: int = 0
    staff_against: int = 0
    staff_abstain: int = 0

    @property
    def residents_taking_part(self) -> int:
        return self.residents_for + self.residents_against + self.residents_abstain

    @property
    def staff_voting(self) -> int:
        return self.staff_for + self.staff_against + self.staff_abstain


def _carries(votes_for: int, votes_against: int, majority: str) -> bool:
    """Whether a majority of those voting (abstentions are not votes) is for."""
    if majority == Majority.TWO_THIRDS:
        return votes_for > 0 and 3 * votes_for >= 2 * (votes_for + votes_against)
    return votes_for > votes_against


def motion_outcome(
    tally: Tally, *, quorum_percent: int, majority: str, staff_vote: str, residents_on_day: int
) -> str:
    """The outcome of a vote by the rules of the constitution in force on the day.

    Quorum: the residents taking part (for, against or abstaining) are at least
    `quorum_percent` of the `residents_on_day` (the community's current residents that
    day); staff never count towards it. Short of it the vote is inquorate.

    Majority, of those voting for or against (abstentions do not count): simple, more
    for than against (a tie is not carried); two-thirds, at least two thirds for
    (exactly two thirds carries).

    Staff: with `none` their votes are not counted; `counted_with_residents` adds them to
    the residents' votes before the majority is taken; `counted_separately` takes the
    majority of the residents and of the staff each on its own, and the motion is
    carried only when both carry it — except that when no member of staff votes for or
    against, the residents' majority alone decides (staff not voting do not block)."""
    if 100 * tally.residents_taking_part < quorum_percent * residents_on_day:
        return Outcome.INQUORATE
    if staff_vote == StaffVote.WITH_RESIDENTS:
        carried = _carries(
            tally.residents_for + tally.staff_for,
            tally.residents_against + tally.staff_against,
            majority,
        )
    else:
        carried = _carries(tally.residents_for, tally.residents_against, majority)
        if staff_vote == StaffVote.SEPARATELY and tally.staff_for + tally.staff_against:
            carried = carried and _carries(tally.staff_for, tally.staff_against, majority)
    return Outcome.CARRIED if carried else Outcome.NOT_CARRIED


class MotionQuerySet(CorrectableQuerySet):
    def visible_to(self, user):
        """Motions about no resident, or about one not restricted from the user."""
        return self.filter(
            Q(resident__isnull=True) | permissions.person_visible(user, "resident__prison_number")
        )


def _votes(label):
    return models.PositiveSmallIntegerField(
        label, default=0, validators=[MaxValueValidator(MOST_VOTES)]
    )


class Motion(Correctable):
    """One motion put to the community, its tally and its outcome."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="motions")
    held_on = models.DateField("date of the vote")
    meeting = models.ForeignKey(
        "community.CommunityMeeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="motions",
    )
    kind = models.CharField("kind of motion", max_length=30, choices=MotionKind.choices)
    resident = models.ForeignKey(
        "residents.Resident",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="motions",
        verbose_name="resident concerned",
    )
    job = models.ForeignKey(
        CommunityJob, null=True, blank=True, on_delete=models.PROTECT, related_name="elections"
    )
    wording = models.TextField(
        "the motion", blank=True, validators=[MaxLengthValidator(limits.NOTE)]
    )
    # A constitution amendment's proposal, as constitution_amend takes it: clauses
    # [{number, title, text, is_core_rule}], quorum_percent, majority, staff_vote,
    # ratification_required_for, note.
    amendment = models.JSONField(null=True, blank=True)
    residents_for = _votes("residents for")
    residents_against = _votes("residents against")
    residents_abstain = _votes("residents abstaining")
    staff_for = _votes("staff for")
    staff_against = _votes("staff against")
    staff_abstain = _votes("staff abstaining")
    # The rules the outcome was computed by: the version in force and the current
    # residents on the day. Empty on the commitment votes recorded before motions were.
    constitution = models.ForeignKey(
        Constitution, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    residents_on_day = models.PositiveSmallIntegerField(
        "current residents on the day", null=True, blank=True
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    ratification = models.CharField(
        max_length=20, choices=Ratification.choices, default=Ratification.NOT_NEEDED
    )
    ratified_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ratified_at = models.DateTimeField(null=True, blank=True)
    set_aside_reason = models.TextField(
        "reason for setting it aside", blank=True, validators=[MaxLengthValidator(limits.NOTE)]
    )
    # What the motion made: the job holding of an election, the version of an amendment.
    job_holding = models.OneToOneField(
        "community.JobHolding", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    made_constitution = models.OneToOneField(
        Constitution, null=True, blank=True, on_delete=models.PROTECT, related_name="made_by_motion"
    )
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(limits.NOTE)])
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = MotionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["community", "-held_on"]),
            models.Index(fields=["-held_on", "-id"]),
            models.Index(
                fields=["community"],
                condition=Q(ratification="awaiting"),
                name="motion_awaiting_ratification",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.held_on:%-d %B %Y}"

    def is_visible_to(self, user) -> bool:
        if self.resident_id is None:
            return True
        return permissions.person_is_visible(user, self.resident.prison_number)

    @property
    def tally(self) -> Tally:
        return Tally(
            self.residents_for,
            self.residents_against,
            self.residents_abstain,
            self.staff_for,
            self.staff_against,
            self.staff_abstain,
        )

    @property
    def takes_effect(self) -> bool:
        """Carried, and ratified where the constitution asked for it."""
        return self.in_effect and (
            self.outcome == Outcome.CARRIED
            and self.ratification in (Ratification.NOT_NEEDED, Ratification.RATIFIED)
        )

    @property
    def awaits_ratification(self) -> bool:
        return self.in_effect and self.ratification == Ratification.AWAITING
