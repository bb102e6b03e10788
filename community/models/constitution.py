"""The community's constitution: numbered clauses and the democratic rules, in versions.

A version is never changed once made: an amendment makes the next version, and the one
in force on a day is the highest version in force from that day or before. Residents
sign up to the version in force at induction; incidents and rule breaks cite the
clauses they broke."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from dtc import limits
from dtc.models import Community, Correctable

User = settings.AUTH_USER_MODEL


class MotionKind(models.TextChoices):
    """What the community votes on (the motions that the constitution's rules govern)."""

    COMMITMENT_VOTE = "commitment_vote", "Commitment vote"
    RULE_BREAK = "rule_break", "Vote on a rule break"
    VOTE_OUT = "vote_out", "Vote to remove a member"
    RETURN_TO_COMMUNITY = "return_to_community", "Return to the community"
    JOB_ELECTION = "job_election", "Election to a community job"
    CONSTITUTION_AMENDMENT = "constitution_amendment", "Amendment to the constitution"
    OTHER = "other", "Other motion"


class Majority(models.TextChoices):
    SIMPLE = "simple", "Simple majority"
    TWO_THIRDS = "two_thirds", "Two-thirds majority"


class StaffVote(models.TextChoices):
    NONE = "none", "Staff do not vote"
    WITH_RESIDENTS = "counted_with_residents", "Staff votes are counted with residents' votes"
    SEPARATELY = "counted_separately", "Staff votes are counted separately"


class ConstitutionQuerySet(models.QuerySet):
    def in_force(self, on):
        """The versions in force from `on` or before, the one in force first."""
        return self.filter(in_force_from__lte=on).order_by("-version")


class Constitution(models.Model):
    """One version of a community's constitution: its clauses and its democratic rules."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="constitutions")
    version = models.PositiveSmallIntegerField()
    in_force_from = models.DateField("in force from")
    made_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)
    amendment_note = models.TextField("what the amendment changes and why", max_length=limits.NOTE)
    quorum_percent = models.PositiveSmallIntegerField("quorum", validators=[MaxValueValidator(100)])
    majority = models.CharField(max_length=20, choices=Majority.choices)
    staff_vote = models.CharField(max_length=30, choices=StaffVote.choices)
    # MotionKind values whose carried outcome the Therapy Manager ratifies or sets aside.
    ratification_required_for = models.JSONField(default=list, blank=True)
    history = HistoricalRecords()

    objects = ConstitutionQuerySet.as_manager()

    class Meta:
        ordering = ["community", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "version"], name="constitution_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(quorum_percent__lte=100), name="constitution_quorum_percent"
            ),
        ]

    def __str__(self):
        return f"Constitution version {self.version}"

    def clean(self):
        unknown = set(self.ratification_required_for or []) - set(MotionKind.values)
        if unknown:
            raise ValidationError({"ratification_required_for": "Select the kinds of motion"})

    def needs_ratification(self, kind: str) -> bool:
        """Whether a carried motion of this kind waits for the Therapy Manager's ratification."""
        return kind in self.ratification_required_for

    def ratification_labels(self) -> list[str]:
        return [
            MotionKind(kind).label for kind in MotionKind.values if self.needs_ratification(kind)
        ]

    def rules_in_plain_english(self) -> list[str]:
        """The democratic rules, as the constitution page says them."""
        quorum = (
            "A vote counts however few residents take part."
            if self.quorum_percent == 0
            else f"A vote counts only when at least {self.quorum_percent}% of the current "
            "residents take part."
        )
        majority = {
            Majority.SIMPLE: "A motion is carried when more vote for it than against it.",
            Majority.TWO_THIRDS: "A motion is carried when at least two thirds of those "
            "voting vote for it.",
        }[self.majority]
        staff = {
            StaffVote.NONE: "Staff do not vote: only residents decide.",
            StaffVote.WITH_RESIDENTS: "Staff vote, and their votes are counted with the "
            "residents' votes.",
            # As community.models.motions.motion_outcome counts them.
            StaffVote.SEPARATELY: "Staff vote, and their votes are counted separately from "
            "the residents' votes: a motion is carried only when both the residents and the "
            "staff carry it. When no member of staff votes for or against, the residents "
            "decide.",
        }[self.staff_vote]
        kinds = self.ratification_labels()
        ratified = (
            "These decisions need the Therapy Manager's ratification before they take effect: "
            + ", ".join(label[:1].lower() + label[1:] for label in kinds)
            + "."
            if kinds
            else "No decision needs the Therapy Manager's ratification."
        )
        return [quorum, majority, staff, ratified]


# A clause number: whole numbers joined by points ("1", "2.3", "4.1.2").
CLAUSE_NUMBER = re.compile(r"^\d{1,3}(\.\d{1,3}){0,3}$")


def clause_sort_key(number: str) -> str:
    """The clause number as text that sorts naturally: 2.10 after 2.9, 10 after 9."""
    return ".".join(f"{int(part):04d}" for part in number.split("."))


class Clause(models.Model):
    constitution = models.ForeignKey(Constitution, on_delete=models.PROTECT, related_name="clauses")
    number = models.CharField(max_length=15)
    # The number zero-padded, so that the database orders clauses naturally.
    sort_key = models.CharField(max_length=20, blank=True, editable=False)
    title = models.CharField(max_length=limits.TITLE)
    text = models.TextField(max_length=limits.NOTE)
    is_core_rule = models.BooleanField(
        "core rule", default=False, help_text="No violence, no drugs, no sex."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["constitution", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["constitution", "number"], name="clause_number_unique")
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def save(self, *args, **kwargs):
        if CLAUSE_NUMBER.match(self.number or ""):
            self.sort_key = clause_sort_key(self.number)
        super().save(*args, **kwargs)

    def clean(self):
        if not CLAUSE_NUMBER.match(self.number or ""):
            raise ValidationError(
                {"number": "Enter the clause number as numbers and points, like 2 or 2.3"}
            )
        self.sort_key = clause_sort_key(self.number)


class ConstitutionAgreement(Correctable):
    """A resident's agreement, at induction, to the version of the constitution in force."""

    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="constitution_agreements"
    )
    constitution = models.ForeignKey(
        Constitution, on_delete=models.PROTECT, related_name="agreements"
    )
    agreed_on = models.DateField("agreed on")
    witnessed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-agreed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "constitution"],
                condition=Q(entered_in_error_at__isnull=True, superseded=False),
                name="agreement_once_per_version",
            )
        ]
        indexes = [models.Index(fields=["constitution", "resident"])]

    def __str__(self):
        return f"Agreed to version {self.constitution.version}, {self.agreed_on:%-d %B %Y}"


class IncidentClause(models.Model):
    """A clause of the constitution that an incident or rule break broke. Kept here, not
    on the incident: the resident record knows nothing of the community's constitution."""

    incident = models.ForeignKey(
        "residents.Incident", on_delete=models.PROTECT, related_name="clauses_broken"
    )
    clause = models.ForeignKey(Clause, on_delete=models.PROTECT, related_name="citations")
    cited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    cited_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["incident", "clause__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "clause"], name="incident_clause_unique")
        ]

    def __str__(self):
        return f"Clause {self.clause.number} broken"
