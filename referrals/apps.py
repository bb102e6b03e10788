from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self):
        from dtc import corrections, home, permissions, versions

        from .models import Interview, Referral, ReferralAccess
        from .queue import work
        from .services import interview_correction_prepare

        home.register_queue(work)
        permissions.restricts_people(Referral, access=ReferralAccess, record_field="referral")

        # Figures about a community (KPIs) count its referrals.
        versions.track(Referral, lambda row: {row.community_id})
        # An interview is corrected, never deleted.
        corrections.register(Interview, prepare=interview_correction_prepare)
