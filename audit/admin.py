from django.contrib import admin

from dtc.admin import RecordAdmin

from .models import (
    ActionPlanItem,
    CaseStudyDownload,
    CriterionRating,
    ReviewCycle,
    StandardCriterion,
    StandardSection,
    SubjectAccessDownload,
)

# The standards catalogue is the Head of Psychotherapy's, kept on the audit module's
# pages (audit.services.cycles); cycles, ratings and action plans are the communities'
# evidence for accreditation. Each is only looked up here.


@admin.register(StandardSection)
class StandardSectionAdmin(RecordAdmin):
    list_display = ["number", "title"]
    search_fields = ["title"]


@admin.register(StandardCriterion)
class StandardCriterionAdmin(RecordAdmin):
    list_display = ["code", "text", "weight", "measure", "retired"]
    list_filter = ["section", "weight", "retired"]
    list_select_related = ["section"]
    search_fields = ["text"]


@admin.register(ReviewCycle)
class ReviewCycleAdmin(RecordAdmin):
    list_display = ["title", "community", "stage", "opened_by", "opened_at"]
    list_filter = ["stage", "community"]
    list_select_related = ["community", "opened_by"]
    search_fields = ["title", "community__name"]


@admin.register(CriterionRating)
class CriterionRatingAdmin(RecordAdmin):
    list_display = ["cycle", "criterion", "stage", "rating", "rated_by", "rated_at"]
    list_filter = ["stage", "rating"]
    list_select_related = ["cycle__community", "criterion__section", "rated_by"]
    search_fields = ["cycle__title", "cycle__community__name", "criterion__text"]


@admin.register(ActionPlanItem)
class ActionPlanItemAdmin(RecordAdmin):
    list_display = ["description", "cycle", "criterion", "owner", "due_date", "status"]
    list_filter = ["status"]
    list_select_related = ["cycle__community", "criterion__section", "owner"]
    search_fields = ["description", "cycle__title", "cycle__community__name"]


@admin.register(CaseStudyDownload)
class CaseStudyDownloadAdmin(RecordAdmin):
    person_field = "case_study__resident__prison_number"
    """Who took a copy of a case study out of the system, and when."""

    list_display = ["downloaded_at", "user", "case_study"]
    list_select_related = ["user", "case_study"]
    search_fields = ["case_study__pseudonym", "user__username"]


@admin.register(SubjectAccessDownload)
class SubjectAccessDownloadAdmin(RecordAdmin):
    person_field = "request__prison_number"
    """Who took a copy of a person's records out of the system, which file, and when."""

    list_display = ["downloaded_at", "user", "request", "kind"]
    list_filter = ["kind"]
    list_select_related = ["user", "request"]
    search_fields = ["request__prison_number", "user__username"]
