"""The community's records, one module per part of its life."""

from .constitution import (
    CLAUSE_NUMBER,
    Clause,
    Constitution,
    ConstitutionAgreement,
    IncidentClause,
    Majority,
    MotionKind,
    StaffVote,
    clause_sort_key,
)
from .jobs import CommunityJob, FilledBy, JobHolding

__all__ = [
    "CLAUSE_NUMBER",
    "Clause",
    "CommunityJob",
    "Constitution",
    "ConstitutionAgreement",
    "FilledBy",
    "IncidentClause",
    "JobHolding",
    "Majority",
    "MotionKind",
    "StaffVote",
    "clause_sort_key",
]
