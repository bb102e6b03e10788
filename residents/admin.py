from django.contrib import admin

from dtc.admin import HistoryAdmin

from .models import Resident


@admin.register(Resident)
class ResidentAdmin(HistoryAdmin):
    """Read-only here: the record is changed in the service, where restriction,
    the phases and leaving are enforced; the admin is for looking up history."""

    list_display = ["prison_number", "last_name", "first_name", "community", "phase", "admitted_on"]
    list_filter = ["phase", "community"]
    search_fields = ["prison_number", "last_name"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
