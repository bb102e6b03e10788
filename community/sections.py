"""The community's section of a resident's page (residents.sections): the jobs the
resident holds and has held."""

from django.urls import reverse

from dtc import permissions
from residents.sections import Section

from . import selectors


def resident_jobs(request, resident) -> Section:
    return Section(
        "community/_resident_jobs.html",
        {
            "name": resident.name,
            "holdings": list(selectors.jobs_held_by(resident)),
            "jobs_url": reverse("community:job_list", args=[resident.community_id])
            if permissions.can(request.user, permissions.ACCESS, resident.community)
            else "",
        },
    )
