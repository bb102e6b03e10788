from django.apps import AppConfig


class CommunityConfig(AppConfig):
    """The community's own life: its timetable, meetings, democratic decisions,
    constitution, jobs and staff meetings. Reads and writes residents through the
    residents app's selectors and services; nothing in residents imports it."""

    name = "community"

    def ready(self):
        from dtc import corrections

        from .models import ConstitutionAgreement, JobHolding

        # Recorded entries about residents are corrected, never deleted (dtc.corrections).
        corrections.register(ConstitutionAgreement)
        corrections.register(JobHolding)
