from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self):
        from dtc import versions

        from .models import Referral

        # Figures about a community (KPIs) count its referrals.
        versions.track(Referral, lambda row: {row.community_id})
