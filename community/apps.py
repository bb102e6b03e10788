from django.apps import AppConfig


class CommunityConfig(AppConfig):
    """The community's own life: its timetable, meetings, democratic decisions,
    constitution, jobs and staff meetings. Reads and writes residents through the
    residents app's selectors and services; nothing in residents imports it."""

    name = "community"

    def ready(self):
        from dtc import corrections, home, versions
        from residents import sections as residents_sections
        from residents import timeline

        from . import services
        from .models import (
            AgendaItem,
            ConstitutionAgreement,
            JobHolding,
            Motion,
            PlannedSession,
            StaffMeeting,
            TimetableSlot,
        )
        from .queue import work
        from .sections import (
            resident_constitution,
            resident_jobs,
            resident_motions,
            resident_motions_timeline,
        )

        home.register_queue(work)
        residents_sections.register(resident_jobs)
        residents_sections.register(resident_motions)
        residents_sections.register(resident_constitution)
        timeline.register(resident_motions_timeline)
        # The figures (hours lost) follow the timetable and what became of its sessions.
        versions.track(TimetableSlot, lambda row: [row.community_id])
        versions.track(PlannedSession, lambda row: [row.community_id])
        # The Therapy Manager's queue of decisions to ratify follows the motions.
        versions.track(Motion, lambda row: [row.community_id])
        # A meeting is corrected, never deleted; its actions and residents discussed
        # follow the correction.
        corrections.register(
            StaffMeeting,
            prepare=services.staff_meeting_correction_prepare,
            after=services.staff_meeting_corrected,
        )

        # Recorded entries about residents are corrected, never deleted (dtc.corrections).
        corrections.register(ConstitutionAgreement)
        corrections.register(JobHolding)
        # A corrected motion is decided again by its corrected tally.
        corrections.register(
            Motion,
            prepare=services.motion_correction_prepare,
            after=services.motion_corrected,
        )
        corrections.register(AgendaItem, prepare=services.agenda_item_correction_prepare)

        from residents.signals import resident_left

        # A resident's community jobs end with their stay.
        resident_left.connect(_end_jobs, dispatch_uid="community-jobs-end-on-leaving")


def _end_jobs(sender, *, resident, left_on, by, **kwargs):
    from .services import jobs_end_on_leaving

    jobs_end_on_leaving(resident=resident, left_on=left_on, by=by)
