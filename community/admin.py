from django.contrib import admin

from dtc.admin import RecordAdmin

from .models import ResidentDiscussed, StaffMeeting, StaffMeetingAction


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
