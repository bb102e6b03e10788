from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self):
        from dtc import home, permissions, versions

        from .models import Referral, ReferralAccess
        from .queue import work

        home.register_queue(work)
        permissions.restricts_people(Referral, access=ReferralAccess, record_field="referral")

        # Figures about a community (KPIs) count its referrals.
        versions.track(Referral, lambda row: {row.community_id})
