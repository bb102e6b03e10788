"""Community jobs (chair, vice-chair, secretary, induction buddy, …) and who holds them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from dtc import limits
from dtc.models import Community, Correctable, CorrectableQuerySet

User = settings.AUTH_USER_MODEL


class CommunityJob(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="jobs")
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True, max_length=limits.NOTE)
    term_months = models.PositiveSmallIntegerField(
        "term in months",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    # How many residents may hold the job at once (two induction buddies, say).
    holders = models.PositiveSmallIntegerField(
        "holders at once", default=1, validators=[MinValueValidator(1), MaxValueValidator(40)]
    )
    is_active = models.BooleanField("in use", default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="job_name_unique"),
            models.CheckConstraint(condition=Q(holders__gte=1), name="job_holders_at_least_one"),
        ]

    def __str__(self):
        return self.name


class FilledBy(models.TextChoices):
    ELECTION = "election", "Elected by the community"
    APPOINTED = "appointed", "Appointed by staff"


class JobHoldingQuerySet(CorrectableQuerySet):
    def held_on(self, day):
        """The holdings in effect on `day`: started by then and not ended before it."""
        return (
            self.in_effect()
            .filter(from_on__lte=day)
            .filter(Q(to_on__isnull=True) | Q(to_on__gte=day))
        )


class JobHolding(Correctable):
    """A resident holding a community job, from one day to another (to_on empty while held)."""

    job = models.ForeignKey(CommunityJob, on_delete=models.PROTECT, related_name="holdings")
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="job_holdings"
    )
    from_on = models.DateField("held from")
    to_on = models.DateField("held until", null=True, blank=True)
    filled_by = models.CharField("filled by", max_length=20, choices=FilledBy.choices)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    ended_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    objects = JobHoldingQuerySet.as_manager()

    class Meta:
        ordering = ["-from_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_on__isnull=True) | Q(to_on__gte=F("from_on")),
                name="holding_ends_after_it_starts",
            )
        ]
        indexes = [
            models.Index(fields=["job", "-from_on"]),
            models.Index(fields=["resident", "-from_on"]),
        ]

    def __str__(self):
        return f"{self.job.name} from {self.from_on:%-d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.to_on is None
