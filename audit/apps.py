from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"

    def ready(self):
        from dtc import home, versions

        from .models import KpiTarget
        from .views.home import home_card

        home.register(home_card)
        # A default target (no community) counts for every community.
        versions.track(KpiTarget, lambda row: {row.community_id or versions.ALL})
