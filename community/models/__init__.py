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
