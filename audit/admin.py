from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ActionPlanItem, CriterionRating, ReviewCycle, StandardCriterion, StandardSection


class AuditAdmin(SimpleHistoryAdmin):
    # Accreditation evidence is kept: nothing here is deleted.
    def has_delete_permission(self, request, obj=None):
        return False


for model in (StandardSection, StandardCriterion, ReviewCycle, CriterionRating, ActionPlanItem):
    admin.site.register(model, AuditAdmin)
