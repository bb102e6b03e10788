"""The community's records, one module per part of its life."""

from .staff_meetings import (  # noqa: F401
    MeetingKind,
    ResidentDiscussed,
    StaffMeeting,
    StaffMeetingAction,
)
