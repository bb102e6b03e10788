from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self):
        from dtc import permissions, versions

        from .models import Referral, ReferralAccess

        permissions.restricts_people(Referral, access=ReferralAccess, record_field="referral")

        # Figures about a community (KPIs) count its referrals.
        versions.track(Referral, lambda row: {row.community_id})
