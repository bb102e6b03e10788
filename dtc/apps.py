from django.apps import AppConfig


class DtcConfig(AppConfig):
    name = "dtc"
    verbose_name = "Organisation and staff"

    def ready(self):
        from django.db.models.signals import post_migrate, post_save

        from . import (
            lookups,  # noqa: F401 - registers `__one_of` on every field
            signals,
        )

        post_migrate.connect(signals.sync_role_permissions, sender=self)

        from django.contrib.auth.signals import user_logged_in

        from .middleware import record_sign_in

        user_logged_in.connect(record_sign_in)

        from .context_processors import forget_registration
        from .models import StaffProfile

        post_save.connect(
            forget_registration, sender=StaffProfile, dispatch_uid="dtc-registration-lapsed"
        )

        from . import home, versions
        from .models import Community, Establishment, RoleAssignment
        from .queue import work

        home.register_queue(work)

        versions.track(Community, lambda row: {row.pk})
        versions.track(Establishment, lambda row: set(row.communities.values_list("pk", flat=True)))
        versions.track(RoleAssignment, lambda row: {row.community_id})
