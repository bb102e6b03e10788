from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "residents"

    def ready(self):
        from dtc import corrections, home, permissions, versions

        from .models import (
            AcctPeriod,
            Attendance,
            ClinicalDocument,
            GroupSession,
            Incident,
            Resident,
            ResidentAccess,
            RiskAssessment,
            TherapyDecision,
            TherapyReview,
        )
        from .queue import work
        from .services import corrections as corrected

        home.register_queue(work)
        permissions.restricts_people(Resident, access=ResidentAccess, record_field="resident")

        # Figures about a community (KPIs) are computed from these records.
        versions.track(Resident, lambda row: {row.community_id})
        versions.track(GroupSession, lambda row: {row.community_id})
        versions.track(Attendance, lambda row: {row.session.community_id})
        versions.track(ClinicalDocument, lambda row: {row.resident.community_id})
        versions.track(TherapyReview, lambda row: {row.resident.community_id})

        # Progress entries are corrected, never deleted (dtc.corrections).
        corrections.register(
            TherapyReview, prepare=corrected.prepare_review, after=corrected.review_corrected
        )
        corrections.register(Incident, prepare=corrected.prepare_incident)
        corrections.register(RiskAssessment, prepare=corrected.prepare_risk)
        corrections.register(AcctPeriod, prepare=corrected.prepare_acct)
        corrections.register(TherapyDecision, prepare=corrected.prepare_decision)
