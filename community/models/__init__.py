"""The community's records, one module per part of its life."""

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
