"""Community jobs: the list of jobs, and residents taking them up and leaving them."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dtc import permissions
from dtc.history import save_with_history
from dtc.models import Community
from residents.models import Phase, Resident

from ..models import CommunityJob, FilledBy, JobHolding
from ._decided import require_decided

__all__ = [
    "job_create",
    "job_holding_end",
    "job_holding_start",
    "job_update",
    "jobs_end_on_leaving",
]


def _refuse_taken_name(community_id: int, name: str, job_pk=None) -> None:
    taken = CommunityJob.objects.filter(community_id=community_id, name__iexact=name)
    if taken.exclude(pk=job_pk).exists():
        raise ValidationError({"name": f"The community already has a job called {name}"})


@transaction.atomic
def job_create(
    *,
    community: Community,
    name: str,
    description: str = "",
    term_months: int | None = None,
    holders: int = 1,
    by,
) -> CommunityJob:
    """Add a job to the community's list."""
    permissions.require(by, "assign_jobs", community)
    name = (name or "").strip()
    _refuse_taken_name(community.pk, name)
    return save_with_history(
        CommunityJob(
            community=community,
            name=name,
            description=description,
            term_months=term_months,
            holders=holders,
        ),
        by,
    )


@transaction.atomic
def job_update(
    *,
    job: CommunityJob,
    name: str,
    description: str,
    term_months: int | None,
    holders: int,
    is_active: bool,
    by,
) -> CommunityJob:
    """Change a job: its name, description, term, how many may hold it, whether it is in use."""
    permissions.require(by, "assign_jobs", job)
    job = CommunityJob.objects.select_for_update().get(pk=job.pk)
    name = (name or "").strip()
    _refuse_taken_name(job.community_id, name, job.pk)
    held = job.holdings.in_effect().filter(to_on__isnull=True).count()
    if not is_active and held:
        raise ValidationError(
            {
                "is_active": "Residents hold this job now: end their holdings before it goes out of use"
            }
        )
    if holders < held:
        raise ValidationError(
            {"holders": f"{held} residents hold this job now: end a holding before allowing fewer"}
        )
    job.name, job.description, job.term_months = name, description, term_months
    job.holders, job.is_active = holders, is_active
    return save_with_history(job, by)


def _not_in_future(day: date, field: str, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: f"The date {what} must be today or in the past"})


@transaction.atomic
def job_holding_start(
    *, job: CommunityJob, resident: Resident, from_on: date, filled_by: str, by, motion=None
) -> JobHolding:
    """A resident takes up a community job, elected by the community or appointed by
    staff. The holder is a current resident of the job's community on the day; a job
    has no more open holdings than it allows holders. `motion`: the carried election
    that fills it, whose effect this is (community.services.motions)."""
    if motion is None:
        permissions.require(by, "assign_jobs", job)
        permissions.require(by, "assign_jobs", resident)
    else:
        require_decided(motion, by)
        filled_by = FilledBy.ELECTION
    # Holdings of one job are started one at a time, so the count of holders holds.
    job = CommunityJob.objects.select_for_update().get(pk=job.pk)
    if not job.is_active:
        raise ValidationError(f"{job.name} is no longer in use: it cannot be taken up.")
    if filled_by not in FilledBy.values:
        raise ValidationError({"filled_by": "Select how the job was filled"})
    _not_in_future(from_on, "from_on", "the job starts")
    if resident.community_id != job.community_id:
        raise ValidationError({"resident": "Select a resident of this community"})
    if resident.phase == Phase.LEFT:
        raise ValidationError({"resident": f"{resident.name} has left the community"})
    if from_on < resident.admitted_on:
        raise ValidationError(
            {
                "from_on": f"{resident.name} was admitted on {resident.admitted_on:%-d %B %Y}: "
                "the job cannot start before then"
            }
        )
    open_holdings = list(
        job.holdings.in_effect().filter(to_on__isnull=True).select_related("resident")
    )
    if any(holding.resident_id == resident.pk for holding in open_holdings):
        raise ValidationError({"resident": f"{resident.name} already holds this job"})
    if len(open_holdings) >= job.holders:
        raise ValidationError(
            f"{job.name} is held by {open_holdings[0].resident.name}: end that holding first."
            if job.holders == 1
            else f"{job.name} already has {job.holders} holders, the most it allows at once: "
            "end a holding first."
        )
    return save_with_history(
        JobHolding(
            job=job, resident=resident, from_on=from_on, filled_by=filled_by, recorded_by=by
        ),
        by,
    )


@transaction.atomic
def job_holding_end(*, holding: JobHolding, to_on: date, by) -> JobHolding:
    """A resident's holding of a job ends (the term is over, they stood down or left)."""
    permissions.require(by, "assign_jobs", holding.job)
    permissions.require(by, "assign_jobs", holding.resident)
    holding = JobHolding.objects.select_for_update().select_related("resident").get(pk=holding.pk)
    if not holding.in_effect:
        raise ValidationError("This holding was marked as entered in error or corrected.")
    if holding.to_on is not None:
        raise ValidationError(f"This holding already ended on {holding.to_on:%-d %B %Y}.")
    _not_in_future(to_on, "to_on", "the job ends")
    if to_on < holding.from_on:
        raise ValidationError(
            {"to_on": f"The job cannot end before it started, on {holding.from_on:%-d %B %Y}"}
        )
    holding.to_on, holding.ended_by = to_on, by
    return save_with_history(holding, by)


def jobs_end_on_leaving(*, resident: Resident, left_on: date, by) -> None:
    """The resident's community jobs end with their stay, on the leaving day (or the
    day a holding started, if that was later). A consequence of the leaving, which
    whoever may record it has decided: no permission of its own is asked."""
    holdings = (
        JobHolding.objects.in_effect().select_for_update().filter(resident=resident, to_on=None)
    )
    for holding in holdings:
        holding.to_on, holding.ended_by = max(left_on, holding.from_on), by
        save_with_history(holding, by)
