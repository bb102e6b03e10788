from django.contrib import admin

from dtc.admin import HistoryAdmin, NoDeleteMixin

from .models import SupervisionTheme


@admin.register(SupervisionTheme)
class SupervisionThemeAdmin(NoDeleteMixin, HistoryAdmin):
    """The editable list of themes: reference data the organisation keeps here, as no
    page of the service does (retired, never deleted). Sessions and their notes are
    recorded in the service, where confidentiality is enforced, so they have no admin
    pages."""

    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
