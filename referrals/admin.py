from django.contrib import admin

from dtc.admin import HistoryAdmin

from .models import (
    CriterionOutcome,
    Interview,
    Override,
    Referral,
    SuitabilityCriterion,
    Transition,
)


class ReadOnlyClinicalAdmin(HistoryAdmin):
    """Referral records change only through the workflow (referrals.services); the admin
    shows them and never deletes them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(ReadOnlyClinicalAdmin):
    list_display = [
        "prison_number",
        "last_name",
        "first_name",
        "community",
        "status",
        "referred_on",
    ]
    list_filter = ["status", "community"]
    search_fields = ["prison_number", "last_name"]


for model in (Transition, CriterionOutcome, Interview, Override, SuitabilityCriterion):
    admin.site.register(model, ReadOnlyClinicalAdmin)
