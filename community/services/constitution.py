"""The constitution: amending it (a new version, the old one kept as it was), residents'
agreement to the version in force, and the clauses an incident broke."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dtc import permissions
from dtc.history import save_with_history
from dtc.models import Community
from residents.models import Incident, Phase, Resident

from ..models import Clause, Constitution, ConstitutionAgreement, IncidentClause
from ..selectors.constitution import constitution_changes, constitution_in_force
from ._decided import require_decided

__all__ = ["constitution_agreement_record", "constitution_amend", "incident_clauses_cite"]


@transaction.atomic
def constitution_amend(
    *,
    community: Community,
    clauses: list[dict],
    quorum_percent: int,
    majority: str,
    staff_vote: str,
    ratification_required_for: list[str],
    in_force_from: date,
    note: str,
    by,
    motion=None,
) -> Constitution:
    """Make the next version of the community's constitution (the first one too): its
    clauses ({number, title, text, is_core_rule}) and rules. No version is ever changed;
    a carried amendment motion calls this with what it carried (`motion`)."""
    if motion is None:
        permissions.require(by, "edit_constitution", community)
    else:
        require_decided(motion, by)
    # One amendment at a time per community, so that two never take the same number.
    community = Community.objects.select_for_update().get(pk=community.pk)
    latest = community.constitutions.order_by("-version").first()
    if latest is not None and in_force_from < latest.in_force_from:
        raise ValidationError(
            {
                "in_force_from": f"The new version cannot come into force before version "
                f"{latest.version}, on {latest.in_force_from:%-d %B %Y}"
            }
        )
    constitution = Constitution(
        community=community,
        version=(latest.version + 1) if latest else 1,
        in_force_from=in_force_from,
        made_by=by,
        amendment_note=(note or "").strip(),
        quorum_percent=quorum_percent,
        majority=majority,
        staff_vote=staff_vote,
        ratification_required_for=list(ratification_required_for),
    )
    new_clauses = _clauses(clauses)
    if latest is not None and not constitution_changes(latest, constitution, new_clauses).any:
        raise ValidationError(
            f"This is the same as version {latest.version}: change a clause or a rule."
        )
    save_with_history(constitution, by)
    for clause in new_clauses:
        clause.constitution = constitution
        save_with_history(clause, by)
    return constitution


def _clauses(given: list[dict]) -> list[Clause]:
    """The clauses as unsaved rows, each checked; their numbers unique."""
    if not given:
        raise ValidationError({"clauses": "Enter at least one clause"})
    clauses, seen = [], set()
    for item in given:
        clause = Clause(
            number=(item.get("number") or "").strip(),
            title=(item.get("title") or "").strip(),
            text=(item.get("text") or "").strip(),
            is_core_rule=bool(item.get("is_core_rule")),
        )
        if clause.number in seen:
            raise ValidationError({"clauses": f"Clause number {clause.number} is used twice"})
        seen.add(clause.number)
        try:
            clause.full_clean(exclude=["constitution"], validate_unique=False)
        except ValidationError as error:
            raise ValidationError(
                {
                    "clauses": [
                        f"Clause {clause.number or '(no number)'}: {m}" for m in error.messages
                    ]
                }
            ) from None
        clauses.append(clause)
    if not any(clause.is_core_rule for clause in clauses):
        raise ValidationError(
            {"clauses": "Mark the core rules (no violence, no drugs, no sex) as core rules"}
        )
    return sorted(clauses, key=lambda clause: clause.sort_key)


@transaction.atomic
def constitution_agreement_record(*, resident: Resident, by) -> ConstitutionAgreement:
    """Record, today, the resident's agreement to the version of the constitution in force
    (at induction, witnessed by the member of staff who records it)."""
    permissions.require(by, "record_attendance", resident)
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if resident.phase == Phase.LEFT:
        raise ValidationError(f"{resident} has left the community: the record is closed.")
    today = timezone.localdate()
    constitution = constitution_in_force(resident.community_id, today)
    if constitution is None:
        raise ValidationError(
            "The community has no constitution in force yet: there is nothing to agree to."
        )
    if (
        ConstitutionAgreement.objects.in_effect()
        .filter(resident=resident, constitution=constitution)
        .exists()
    ):
        raise ValidationError(
            f"{resident.name} has already agreed to version {constitution.version}."
        )
    return save_with_history(
        ConstitutionAgreement(
            resident=resident, constitution=constitution, agreed_on=today, witnessed_by=by
        ),
        by,
    )


@transaction.atomic
def incident_clauses_cite(*, incident: Incident, clauses, by) -> list[IncidentClause]:
    """Cite the clauses an incident or rule break broke: clauses of the constitution in
    force on its resident's community on the day it happened. The citations become
    exactly `clauses`; one no longer cited is removed, its history kept."""
    incident = Incident.objects.select_for_update().select_related("resident").get(pk=incident.pk)
    permissions.require(by, "record_attendance", incident.resident)
    if not incident.in_effect:
        raise ValidationError(
            "This entry was marked as entered in error or corrected: cite the clauses on "
            "the entry in effect."
        )
    day = incident.occurred_on
    in_force = constitution_in_force(incident.resident.community_id, day)
    if in_force is None:
        raise ValidationError(
            {"clauses": f"No constitution was in force on the community on {day:%-d %B %Y}"}
        )
    clauses = list(clauses)
    if not clauses:
        raise ValidationError({"clauses": "Select the clauses that were broken"})
    for clause in clauses:
        if clause.constitution_id == in_force.pk:
            continue
        if clause.constitution.community_id != in_force.community_id:
            message = f"Clause {clause.number} is not a clause of this community's constitution"
        else:
            message = (
                f"Clause {clause.number} is from version {clause.constitution.version}: "
                f"version {in_force.version} was in force on {day:%-d %B %Y}"
            )
        raise ValidationError({"clauses": message})

    wanted = {clause.pk: clause for clause in clauses}
    cited = []
    for citation in IncidentClause.objects.filter(incident=incident):
        if citation.clause_id in wanted:
            cited.append(citation)
            del wanted[citation.clause_id]
        else:
            citation._history_user = by
            citation.delete()
    for clause in wanted.values():
        cited.append(
            save_with_history(IncidentClause(incident=incident, clause=clause, cited_by=by), by)
        )
    return cited
