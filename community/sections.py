"""The community's sections of a resident's page (residents.sections): the jobs the
resident holds and has held; the constitution they agreed to and the clauses their
rule breaks broke."""

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


def resident_constitution(request, resident) -> Section:
    cites = permissions.can(request.user, "record_attendance", resident)
    return Section(
        "community/_resident_constitution.html",
        {
            "name": resident.name,
            "agreements": list(selectors.agreements_of_resident(resident)),
            "incidents": [
                (
                    incident,
                    reverse("community:constitution_incident_clauses", args=[incident.pk])
                    if cites
                    else "",
                )
                for incident in selectors.rule_breaks_of(resident)
            ],
        },
    )
