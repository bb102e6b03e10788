from django.contrib import admin

from dtc.admin import RecordAdmin

from .models import (
    AgendaItem,
    CommunityMeeting,
    Motion,
    ResidentDiscussed,
    StaffMeeting,
    StaffMeetingAction,
)


@admin.register(StaffMeeting)
class StaffMeetingAdmin(RecordAdmin):
    """Meetings are minuted and corrected in the service; here they are looked up."""

    list_display = ["held_on", "kind", "community", "recorded_by"]
    list_filter = ["kind", "community"]
    list_select_related = ["community", "recorded_by"]


@admin.register(StaffMeetingAction)
class StaffMeetingActionAdmin(RecordAdmin):
    list_display = ["description", "owner", "due_on", "completed_at"]
    list_select_related = ["owner"]
    search_fields = ["description", "owner__last_name"]


@admin.register(ResidentDiscussed)
class ResidentDiscussedAdmin(RecordAdmin):
    # About a person: a restricted resident's discussion is listed only to the staff named.
    person_field = "resident__prison_number"
    list_display = ["resident", "meeting"]
    list_select_related = ["resident", "meeting"]
    search_fields = ["resident__prison_number", "resident__last_name"]


@admin.register(CommunityMeeting)
class CommunityMeetingAdmin(RecordAdmin):
    list_display = ["held_on", "community", "minute_taker"]
    list_filter = ["community"]
    list_select_related = ["community", "minute_taker"]


@admin.register(AgendaItem)
class AgendaItemAdmin(RecordAdmin):
    list_display = ["title", "kind", "meeting"]
    list_select_related = ["meeting"]

    def get_queryset(self, request):
        # Raised by or about a person: a restricted resident's items only to the staff named.
        return super().get_queryset(request).visible_to(request.user)


@admin.register(Motion)
class MotionAdmin(RecordAdmin):
    """Motions are recorded, ratified and corrected in the service; here they are looked up."""

    person_field = "resident__prison_number"
    list_display = ["held_on", "kind", "community", "outcome", "ratification"]
    list_filter = ["kind", "outcome", "ratification", "community"]
    list_select_related = ["community"]
