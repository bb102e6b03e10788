from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "residents"

    def ready(self):
        from dtc import home, permissions, versions

        from .models import (
            Attendance,
            ClinicalDocument,
            GroupSession,
            Resident,
            ResidentAccess,
            TherapyReview,
        )
        from .queue import work

        home.register_queue(work)
        permissions.restricts_people(Resident, access=ResidentAccess, record_field="resident")

        # Figures about a community (KPIs) are computed from these records.
        versions.track(Resident, lambda row: {row.community_id})
        versions.track(GroupSession, lambda row: {row.community_id})
        versions.track(Attendance, lambda row: {row.session.community_id})
        versions.track(ClinicalDocument, lambda row: {row.resident.community_id})
        versions.track(TherapyReview, lambda row: {row.resident.community_id})
