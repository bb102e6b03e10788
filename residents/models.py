from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from dtc.models import Community


class Phase(models.TextChoices):
    ASSESSMENT = "assessment", "Assessment and induction"
    TREATMENT = "treatment", "Treatment"
    LEAVING = "leaving", "Leaving preparation"
    LEFT = "left", "Left"


class ResidentQuerySet(models.QuerySet):
    def current(self):
        """Residents occupying a bed: everyone admitted who has not left."""
        return self.exclude(phase=Phase.LEFT)


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
    history = HistoricalRecords()

    objects = ResidentQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["community", "phase"])]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "prison_number"],
                condition=~Q(phase="left"),
                name="resident_current_once_per_community",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name} ({self.prison_number})"
