"""The community's sections of a resident's page (residents.sections): the jobs the
resident holds and has held, the motions about them, the constitution they agreed to
and the clauses their rule breaks broke; and the motions on their timeline
(residents.timeline)."""

from django.urls import reverse

from dtc import permissions
from residents.models import Phase
from residents.sections import Section

from . import selectors
from .models import Motion, MotionKind


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


def resident_motions(request, resident) -> Section:
    """The motions about the resident (their commitment votes among them)."""
    user = request.user
    can_record = resident.phase != Phase.LEFT and permissions.can(user, "record_motion", resident)
    return Section(
        "community/_resident_motions.html",
        {
            "motions": list(selectors.motions_about(resident)),
            "record_vote_url": reverse("community:motion_record", args=[resident.community_id])
            + f"?kind={MotionKind.COMMITMENT_VOTE}&resident={resident.pk}"
            if can_record
            else "",
        },
    )


def resident_motions_timeline(resident):
    """The motions about the resident on their timeline (residents.timeline), with
    every change and correction."""
    return [
        (
            Motion.history.filter(resident_id=resident.pk),
            "Motion",
            lambda h: h.held_on,
            lambda h: (
                f"{h.get_kind_display()}: {h.get_outcome_display().lower()} "
                f"({h.residents_for} for, {h.residents_against} against, "
                f"{h.residents_abstain} abstaining)"
                + (
                    f", {h.get_ratification_display().lower()}"
                    if h.ratification != "not_needed"
                    else ""
                )
            ),
        )
    ]
