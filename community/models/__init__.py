"""The community's records, one module per part of its life."""

from .constitution import (  # noqa: F401
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
from .jobs import CommunityJob, FilledBy, JobHolding  # noqa: F401
from .meetings import AgendaItem, AgendaKind, CommunityMeeting  # noqa: F401
from .motions import (  # noqa: F401
    ABOUT_A_RESIDENT,
    MOST_VOTES,
    Motion,
    Outcome,
    Ratification,
    Tally,
    motion_outcome,
)
from .staff_meetings import (  # noqa: F401
    MeetingKind,
    ResidentDiscussed,
    StaffMeeting,
    StaffMeetingAction,
)
from .timetable import (  # noqa: F401
    STAFF_KINDS,
    CancellationCause,
    PlannedSession,
    SlotKind,
    TimetableSlot,
    Weekday,
)
