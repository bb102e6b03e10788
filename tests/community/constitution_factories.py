"""Constitutions and community jobs for the tests. Constitutions are made through the
service (as a Therapy Manager would); jobs and holdings by factories, placed anywhere
in time."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from community import services
from community.models import CommunityJob, FilledBy, JobHolding
from tests.factories import ResidentFactory, UserFactory

CORE_RULES = [
    {
        "number": "1",
        "title": "No violence",
        "text": "No violence or threats.",
        "is_core_rule": True,
    },
    {"number": "2", "title": "No drugs", "text": "No drugs or alcohol.", "is_core_rule": True},
    {"number": "3", "title": "No sex", "text": "No sexual relationships.", "is_core_rule": True},
]
RULES = {
    "quorum_percent": 50,
    "majority": "simple",
    "staff_vote": "none",
    "ratification_required_for": ["vote_out"],
}


def amend(community, by, *, clauses=CORE_RULES, in_force_from=date(2025, 1, 1), **rules):
    """A new version of the community's constitution, through the service."""
    return services.constitution_amend(
        community=community,
        clauses=clauses,
        in_force_from=in_force_from,
        note=rules.pop("note", "Carried at the community meeting."),
        by=by,
        **{**RULES, **rules},
    )


def with_clause(clauses, number, title, text="Keep it.", core=False):
    return [*clauses, {"number": number, "title": title, "text": text, "is_core_rule": core}]


class CommunityJobFactory(DjangoModelFactory):
    class Meta:
        model = CommunityJob

    community = factory.SubFactory("tests.factories.CommunityFactory")
    name = factory.Sequence(lambda n: f"Job {n}")


class JobHoldingFactory(DjangoModelFactory):
    class Meta:
        model = JobHolding

    job = factory.SubFactory(CommunityJobFactory)
    resident = factory.SubFactory(
        ResidentFactory, community=factory.SelfAttribute("..job.community")
    )
    from_on = factory.LazyAttribute(lambda holding: holding.resident.admitted_on)
    filled_by = FilledBy.ELECTION
    recorded_by = factory.SubFactory(UserFactory)
