"""Reads of community jobs, already narrowed to what the user may see: a restricted
resident's holdings only for the staff named on them."""

from django.db.models import Prefetch

from dtc import permissions
from residents import selectors as resident_selectors
from residents.models import Resident

from ..models import CommunityJob, JobHolding

__all__ = [
    "holders_on",
    "holding_detail",
    "holdings_of",
    "job_detail",
    "jobs_held_by",
    "jobs_of",
]


def jobs_of(user, community):
    """The community's jobs, those in use first, each with `current_holdings`: the open
    holdings of residents the user may see."""
    current = (
        JobHolding.objects.in_effect()
        .filter(to_on__isnull=True, resident__in=permissions.visible(user, Resident))
        .select_related("resident")
        .order_by("from_on", "pk")
    )
    return (
        permissions.visible(user, CommunityJob)
        .filter(community=community)
        .prefetch_related(Prefetch("holdings", queryset=current, to_attr="current_holdings"))
        .order_by("-is_active", "name")
    )


def holdings_of(user, community):
    """Every holding in effect of the community's jobs, past and present, the latest
    first: residents the user may see only."""
    return (
        JobHolding.objects.in_effect()
        .filter(job__community=community, resident__in=permissions.visible(user, Resident))
        .select_related("job", "resident")
        .order_by("-from_on", "-pk")
    )


def job_detail(user, pk: int) -> CommunityJob:
    """One job of a community the user may see, or 404."""
    return permissions.get_visible_or_404(
        user, CommunityJob.objects.select_related("community"), pk=pk
    )


def holding_detail(user, pk: int) -> JobHolding:
    """One holding of a job by a resident the user may see (so in one of their
    communities: a holder is a resident of the job's community), or 404."""
    return resident_selectors.of_visible_resident(
        user, JobHolding.objects.select_related("job__community", "resident"), pk
    )


def jobs_held_by(resident: Resident):
    """The community jobs the resident holds and has held, the latest first: for their
    record and their anonymised case study (the caller has the resident in sight)."""
    return resident.job_holdings.in_effect().select_related("job").order_by("-from_on", "-pk")


def holders_on(community_id: int, job_name: str, day):
    """The residents holding the community's job of that name (chair, vice-chair) on
    the day, every one: whether a member of staff may stand in is a rule about the job."""
    return Resident.objects.filter(
        job_holdings__in=JobHolding.objects.held_on(day).filter(
            job__community_id=community_id, job__name__iexact=job_name
        )
    ).order_by("last_name", "first_name", "pk")
