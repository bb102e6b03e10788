from django.contrib import admin

from dtc.admin import RecordAdmin

from .models import AccessLogEntry, Resident


@admin.register(Resident)
class ResidentAdmin(RecordAdmin):
    """Admission (with its bed check), the phases, restriction and leaving are the
    services'; here a resident is only looked up."""

    list_display = ["prison_number", "last_name", "first_name", "community", "phase", "admitted_on"]
    list_filter = ["phase", "community"]
    search_fields = ["prison_number", "last_name"]


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(RecordAdmin):
    """Who viewed whose record, and when: looked up when a view is questioned."""

    list_display = ["viewed_at", "user", "resident", "page"]
    list_filter = ["page"]
    list_select_related = ["user", "resident"]
    search_fields = ["resident__prison_number", "resident__last_name", "user__username"]
