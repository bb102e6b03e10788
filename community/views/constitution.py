"""The constitution's pages: the version in force and each version before it, what a
version changed, amending it, residents' agreements, and the clauses an incident broke."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from dtc import correction_pages, pages, permissions
from dtc.models import Community
from residents import selectors as resident_selectors

from .. import selectors, services
from ..forms.constitution import (
    AgreementForm,
    ConfirmForm,
    ConstitutionForm,
    IncidentClausesForm,
    clauses_of,
    rules_of,
)
from ..models import Clause, Constitution

__all__ = [
    "constitution_agreement_entered_in_error",
    "constitution_agreement_record",
    "constitution_agreements",
    "constitution_amend",
    "constitution_compare",
    "constitution_in_force",
    "constitution_incident_clauses",
    "constitution_incidents",
    "constitution_version",
]

PAGE_SIZE = 25


def _community(request, pk):
    return permissions.get_visible_or_404(
        request.user, Community.objects.select_related("establishment"), pk=pk
    )


def constitution_in_force(request, community_pk):
    community = _community(request, community_pk)
    today = timezone.localdate()
    in_force = selectors.constitution_in_force(community, today)
    return _version_page(request, community, in_force, in_force=in_force, today=today)


def constitution_version(request, pk):
    constitution = selectors.constitution_detail(request.user, pk)
    today = timezone.localdate()
    in_force = selectors.constitution_in_force(constitution.community_id, today)
    return _version_page(
        request, constitution.community, constitution, in_force=in_force, today=today
    )


def _version_page(request, community, constitution, *, in_force, today):
    """A version's clauses and rules (None: the community has none in force), with the
    history of every version."""
    versions = selectors.constitution_versions(request.user, community)
    return render(
        request,
        "community/constitution_version.html",
        {
            "community": community,
            "constitution": constitution,
            "in_force": in_force,
            "upcoming": versions.filter(in_force_from__gt=today).last(),
            "page": Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page")),
            "today": today,
            "tab": "constitution",
            "can_amend": permissions.can(request.user, "edit_constitution", community),
        },
    )


def constitution_compare(request, pk):
    constitution = selectors.constitution_detail(request.user, pk)
    previous = selectors.previous_version(constitution)
    return render(
        request,
        "community/constitution_compare.html",
        {
            "community": constitution.community,
            "constitution": constitution,
            "previous": previous,
            "changes": selectors.constitution_changes(previous, constitution) if previous else None,
            "tab": "constitution",
        },
    )


def constitution_amend(request, community_pk):
    community = _community(request, community_pk)
    permissions.require(request.user, "edit_constitution", community)
    latest = selectors.latest_version(community)
    form = ConstitutionForm(
        request.POST or None, initial=rules_of(latest), clauses=clauses_of(latest)
    )
    title = "Amend the constitution" if latest else "Write the constitution"
    back = reverse("community:constitution_in_force", args=[community.pk])
    if pages.unconfirmed(form):
        facts = _what_changes(latest, form)
        form.drop_empty_rows()
        return pages.check_answers(
            request,
            form=form,
            facts=facts,
            title=title,
            button="Make the new version",
            caption=community.name,
            warning="A version cannot be changed once it is made: any later change is "
            "another amendment, and this version stays in the history.",
            cancel=back,
        )
    if constitution := pages.submit(
        form,
        lambda data: services.constitution_amend(
            community=community, by=request.user, **form.service_answers()
        ),
    ):
        messages.success(
            request,
            f"Version {constitution.version} made. It is in force from "
            f"{constitution.in_force_from:%-d %B %Y}.",
        )
        return redirect("community:constitution_version", constitution.pk)
    return render(
        request,
        "community/constitution_amend.html",
        {
            "form": form,
            "title": title,
            "caption": community.name,
            "latest": latest,
            "button": "Continue",
            "cancel": back,
        },
    )


def _what_changes(latest, form) -> list[tuple[str, str]]:
    """The facts above the answers: which version this makes, and what it changes."""
    answers = form.service_answers()
    if latest is None:
        return [("Version", "Version 1, the community's first constitution")]
    proposed = Constitution(
        quorum_percent=answers["quorum_percent"],
        majority=answers["majority"],
        staff_vote=answers["staff_vote"],
        ratification_required_for=answers["ratification_required_for"],
    )
    changes = selectors.constitution_changes(
        latest, proposed, [Clause(**clause) for clause in answers["clauses"]]
    )

    def listed(clauses):
        return "\n".join(f"{clause.number}. {clause.title}" for clause in clauses) or "None"

    return [
        ("Version", f"Version {latest.version + 1}, amending version {latest.version}"),
        ("Clauses added", listed(changes.added)),
        ("Clauses changed", listed(after for _before, after in changes.changed)),
        ("Clauses removed", listed(changes.removed)),
        (
            "Rules changed",
            "\n".join(f"{rule}: {old} → {new}" for rule, old, new in changes.rules) or "None",
        ),
    ]


def constitution_agreements(request, community_pk):
    community = _community(request, community_pk)
    in_force = selectors.constitution_in_force(community, timezone.localdate())
    agreements = selectors.agreements_of(request.user, community)
    return render(
        request,
        "community/constitution_agreements.html",
        {
            "community": community,
            "in_force": in_force,
            "page": Paginator(agreements, PAGE_SIZE).get_page(request.GET.get("page")),
            "not_agreed": list(selectors.residents_not_agreed(request.user, community, in_force)),
            "can_record": permissions.can(request.user, "record_attendance", community),
            "can_correct": permissions.can(request.user, "record_attendance", community),
            "tab": "agreements",
        },
    )


def constitution_agreement_record(request, pk):
    resident = resident_selectors.resident_detail(request.user, pk)
    permissions.require(request.user, "record_attendance", resident)
    back = reverse("community:constitution_agreements", args=[resident.community_id])
    if request.method == "POST":
        form = ConfirmForm(request.POST)
        if pages.submit(
            form,
            lambda data: services.constitution_agreement_record(resident=resident, by=request.user),
        ):
            messages.success(request, f"{resident.name}'s agreement to the constitution recorded.")
        elif form.errors:
            messages.error(request, " ".join(form.non_field_errors()))
        return redirect(back)
    today = timezone.localdate()
    in_force = selectors.constitution_in_force(resident.community_id, today)
    if in_force is None:
        messages.error(
            request, "The community has no constitution in force yet: there is nothing to agree to."
        )
        return redirect(back)
    return pages.check_answers(
        request,
        title=f"Record {resident.name}'s agreement to the constitution",
        heading="Record agreement to the constitution",
        button="Record agreement",
        facts=[
            ("Resident", str(resident)),
            (
                "Version agreed to",
                f"Version {in_force.version}, in force from {in_force.in_force_from:%-d %B %Y}",
            ),
            ("Agreed on", f"{today:%-d %B %Y}"),
            ("Witnessed by", request.user.get_full_name() or request.user.username),
        ],
        caption=resident.community.name,
        intro=f"Confirm that {resident.name} has read the constitution in force, or had it "
        "read to them, and agrees to keep it.",
        cancel=back,
    )


def constitution_agreement_entered_in_error(request, pk):
    agreement = selectors.agreement_detail(request.user, pk)
    return correction_pages.entered_in_error(
        request,
        record=agreement,
        form_class=AgreementForm,
        caption=agreement.resident,
        back=reverse("community:constitution_agreements", args=[agreement.resident.community_id]),
        what="the agreement to the constitution",
    )


def constitution_incidents(request, community_pk):
    community = _community(request, community_pk)
    incidents = selectors.incidents_of(request.user, community)
    return render(
        request,
        "community/constitution_incidents.html",
        {
            "community": community,
            "page": Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page")),
            "can_cite": permissions.can(request.user, "record_attendance", community),
            "tab": "incidents",
        },
    )


def constitution_incident_clauses(request, pk):
    incident = selectors.incident_detail(request.user, pk)
    resident = incident.resident
    permissions.require(request.user, "record_attendance", resident)
    constitution, clauses = selectors.citable_clauses(incident)
    back = reverse("community:constitution_incidents", args=[resident.community_id])
    form = IncidentClausesForm(
        request.POST or None,
        initial={"clauses": [citation.clause_id for citation in incident.clauses_broken.all()]},
        clauses=Clause.objects.filter(constitution=constitution),
    )
    if constitution and pages.submit(
        form,
        lambda data: services.incident_clauses_cite(
            incident=incident, clauses=data["clauses"], by=request.user
        ),
    ):
        messages.success(request, "The clauses broken are recorded on the incident.")
        return redirect(back)
    return render(
        request,
        "community/constitution_incident_clauses.html",
        {
            "form": form,
            "incident": incident,
            "resident": resident,
            "constitution": constitution,
            "clauses": clauses,
            "title": "Clauses of the constitution broken",
            "caption": f"{resident.name}: {incident}",
            "cancel": back,
        },
    )
