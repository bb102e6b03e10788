from django.contrib import admin

from dtc.admin import RecordAdmin

from .models import (
    CriterionOutcome,
    Interview,
    Override,
    Referral,
    SuitabilityCriterion,
    Transition,
)

# Found by the person a record is about.
PERSON = ["referral__prison_number", "referral__last_name"]


@admin.register(Referral)
class ReferralAdmin(RecordAdmin):
    person_field = "prison_number"
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


@admin.register(Transition)
class TransitionAdmin(RecordAdmin):
    person_field = "referral__prison_number"
    list_display = ["referral", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status"]
    list_select_related = ["referral", "by"]
    search_fields = PERSON


@admin.register(SuitabilityCriterion)
class SuitabilityCriterionAdmin(RecordAdmin):
    # Each community's list is kept on its criteria page (referrals.services.criterion_*).
    list_display = ["text", "community", "kind", "threshold", "position", "retired"]
    list_filter = ["community", "kind", "retired"]
    search_fields = ["text"]


@admin.register(CriterionOutcome)
class CriterionOutcomeAdmin(RecordAdmin):
    person_field = "referral__prison_number"
    list_display = ["referral", "criterion", "outcome", "recorded_by", "recorded_at"]
    list_filter = ["outcome"]
    list_select_related = ["referral", "criterion", "recorded_by"]
    search_fields = PERSON


@admin.register(Interview)
class InterviewAdmin(RecordAdmin):
    person_field = "referral__prison_number"
    list_display = ["referral", "held_on", "assessor"]
    list_select_related = ["referral", "assessor"]
    search_fields = PERSON


@admin.register(Override)
class OverrideAdmin(RecordAdmin):
    person_field = "referral__prison_number"
    list_display = ["referral", "community", "by", "at"]
    list_filter = ["community"]
    list_select_related = ["referral", "community", "by"]
    search_fields = PERSON
