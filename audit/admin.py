from django.contrib import admin

from dtc.admin import HistoryAdmin

from .models import ActionPlanItem, CriterionRating, ReviewCycle, StandardCriterion, StandardSection


class AuditAdmin(HistoryAdmin):
    # Accreditation evidence is kept: nothing here is deleted.
    def has_delete_permission(self, request, obj=None):
        return False


for model in (StandardSection, StandardCriterion, ReviewCycle, CriterionRating, ActionPlanItem):
    admin.site.register(model, AuditAdmin)
