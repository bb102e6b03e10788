from django.contrib import admin
from django.contrib.admin.utils import unquote

from dtc.admin import RecordAdmin

from . import services
from .models import AccessLogEntry, Resident


@admin.register(Resident)
class ResidentAdmin(RecordAdmin):
    person_field = "prison_number"
    """Admission (with its bed check), the phases, restriction and leaving are the
    services'; here a resident is looked up, and the look is logged."""

    list_display = ["prison_number", "last_name", "first_name", "community", "phase", "admitted_on"]
    list_filter = ["phase", "community"]
    search_fields = ["prison_number", "last_name"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        return self._logged(request, object_id, response, "admin record")

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        return self._logged(request, object_id, response, "admin history")

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        return self._logged(request, object_id, response, "admin history")

    def _logged(self, request, object_id, response, page):
        # Viewing an identifiable resident record is logged, in the admin as on the
        # resident's own pages: the Therapy Manager's "who has viewed this record".
        resident = self.get_object(request, unquote(object_id))
        if response.status_code == 200 and resident is not None:
            services.access_log_record(resident=resident, page=page, by=request.user)
        return response


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(RecordAdmin):
    person_field = "resident__prison_number"
    """Who viewed whose record, and when: looked up when a view is questioned."""

    list_display = ["viewed_at", "user", "resident", "page"]
    list_filter = ["page"]
    list_select_related = ["user", "resident"]
    search_fields = ["resident__prison_number", "resident__last_name", "user__username"]
