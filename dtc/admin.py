from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    Cluster,
    Community,
    Establishment,
    Notification,
    RoleAssignment,
    StaffProfile,
    User,
)


class NoDeleteMixin:
    """Organisation and staff records are kept: end or retire them instead."""

    def has_delete_permission(self, request, obj=None):
        return False


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False


@admin.register(User)
class DtcUserAdmin(NoDeleteMixin, UserAdmin, SimpleHistoryAdmin):
    inlines = [StaffProfileInline]
    list_display = ["username", "first_name", "last_name", "is_active", "is_staff"]


@admin.register(Cluster)
class ClusterAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    search_fields = ["name"]


@admin.register(Establishment)
class EstablishmentAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "code", "cluster"]
    search_fields = ["name", "code"]


@admin.register(Community)
class CommunityAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "establishment",
        "capacity",
        "minimum_stay_months",
        "review_interval_months",
    ]
    list_filter = ["establishment"]
    search_fields = ["name"]


@admin.register(StaffProfile)
class StaffProfileAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = [
        "user",
        "discipline",
        "professional_body",
        "registration_number",
        "registration_renewal_date",
    ]
    list_filter = ["discipline", "professional_body"]
    search_fields = ["user__first_name", "user__last_name", "registration_number"]


@admin.action(description="End the selected role assignments")
def end_assignments(modeladmin, request, queryset):
    for assignment in queryset.active():
        services.role_end(assignment=assignment, by=request.user, reason="Ended in the admin")
    messages.success(request, "The selected role assignments are ended and their access revoked.")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    """Assignments are created and ended through dtc.services so that the object
    permissions follow; an existing assignment is never edited, only ended."""

    list_display = ["user", "role", "scope", "started_at", "ended_at"]
    list_filter = ["role", "ended_at"]
    search_fields = ["user__first_name", "user__last_name", "user__username"]
    actions = [end_assignments]
    fields = ["user", "role", "community", "establishment", "cluster"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*self.fields, "started_at", "assigned_by", "ended_at", "ended_by", "end_reason"]

    def save_model(self, request, obj, form, change):
        if change:
            return
        saved = services.role_assign(user=obj.user, role=obj.role, scope=obj.scope, by=request.user)
        obj.pk = saved.pk


@admin.register(Notification)
class NotificationAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["recipient", "message", "created_at", "read_at"]
    readonly_fields = ["recipient", "key", "message", "url", "created_at", "read_at"]
