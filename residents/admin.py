from django.contrib import admin

from dtc.admin import RecordAdmin

from .models import Resident


@admin.register(Resident)
class ResidentAdmin(RecordAdmin):
    """Admission (with its bed check), the phases, restriction and leaving are the
    services'; here a resident is only looked up."""

    list_display = ["prison_number", "last_name", "first_name", "community", "phase", "admitted_on"]
    list_filter = ["phase", "community"]
    search_fields = ["prison_number", "last_name"]
