from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from . import permissions, services
from .models import (
    Cluster,
    Community,
    Establishment,
    Notification,
    RoleAssignment,
    StaffProfile,
    User,
)


def _id_or_404(field, value: str) -> None:
    try:
        field.to_python(unquote(value))
    except ValidationError:
        raise Http404 from None


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin pages, answering an id that is not one with 404 (the
    package passes it to the database as it is). A model without history of its own
    (referral transitions are themselves the record) shows Django's plain change log."""

    def history_view(self, request, object_id, extra_context=None):
        if not hasattr(self.model._meta, "simple_history_manager_attribute"):
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        _id_or_404(self.model._meta.pk, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not hasattr(self.model._meta, "simple_history_manager_attribute"):
            raise Http404
        # The package saves a POST to an old version's page as a revert, asking only for
        # the view permission: a revert is a change.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        _id_or_404(self.model._meta.pk, object_id)
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        _id_or_404(history.model._meta.pk, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class RecordAdmin(HistoryAdmin):
    """A clinical or audit record, shown read-only with its history. Records are written
    only through their app's services, which check the permission, validate and record
    who, when and why (the bed check at admission, the lock at sign-off, restriction):
    an admin form would go around all of it. Nothing clinical is ever deleted.

    A record about a person names the field that holds their prison number
    (`person_field`): restriction follows the person here too, so a restricted person's
    records are listed and opened only by the staff named on the restriction."""

    person_field: str | None = None

    def get_queryset(self, request):
        records = super().get_queryset(request)
        if self.person_field is None:
            return records
        return records.filter(permissions.person_visible(request.user, self.person_field))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NoDeleteMixin:
    """Organisation and staff records are kept: end or retire them instead."""

    def has_delete_permission(self, request, obj=None):
        return False


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False


@admin.register(User)
class DtcUserAdmin(NoDeleteMixin, UserAdmin, HistoryAdmin):
    inlines = [StaffProfileInline]
    list_display = ["username", "first_name", "last_name", "is_active", "is_staff"]


@admin.register(Cluster)
class ClusterAdmin(NoDeleteMixin, HistoryAdmin):
    search_fields = ["name"]


@admin.register(Establishment)
class EstablishmentAdmin(NoDeleteMixin, HistoryAdmin):
    list_display = ["name", "code", "cluster"]
    search_fields = ["name", "code"]


@admin.register(Community)
class CommunityAdmin(NoDeleteMixin, HistoryAdmin):
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
class StaffProfileAdmin(NoDeleteMixin, HistoryAdmin):
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
class RoleAssignmentAdmin(NoDeleteMixin, HistoryAdmin):
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
class NotificationAdmin(RecordAdmin):
    # Sent by the services, and about a person (`about`) whose restriction it follows.
    person_field = "about"
    list_display = ["recipient", "message", "about", "created_at", "read_at"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__username", "recipient__last_name", "about"]
