from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"

    def ready(self):
        from dtc import home, versions

        from .models import (
            ActionPlanItem,
            CriterionRating,
            KpiTarget,
            ReviewCycle,
            StandardCriterion,
        )
        from .queue import work
        from .views.home import home_card

        home.register(home_card)
        home.register_queue(work)
        # A default target (no community) counts for every community.
        versions.track(KpiTarget, lambda row: {row.community_id or versions.ALL})
        # Accreditation readiness on the home page.
        versions.track(ReviewCycle, lambda row: {row.community_id})
        versions.track(CriterionRating, lambda row: {row.cycle.community_id})
        versions.track(ActionPlanItem, lambda row: {row.cycle.community_id})
        versions.track(StandardCriterion, lambda row: {versions.ALL})
