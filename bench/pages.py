"""The key pages of the benchmark and the users who open them, shared by bench/bench.py
and the test that keeps their query counts bounded (tests/test_key_pages.py)."""

import sys

from django.urls import reverse

from community.models import CommunityMeeting
from dtc.models import Role, RoleAssignment, User
from residents.models import GroupSession, Resident

FLOOR = ("Trivial signed-in page (the floor)", Role.THERAPY_MANAGER, "profile", [])


def people() -> dict[str, User]:
    """One user per role, all on the first Therapy Manager's community where the role
    is held there (the HoP over the whole cluster, the auditor over that prison)."""
    tm = RoleAssignment.objects.active().filter(role=Role.THERAPY_MANAGER).order_by("pk").first()
    if tm is None:
        sys.exit("No Therapy Manager: seed the database first (manage.py seed_scale).")
    users = {}
    for role in Role.values:
        held = RoleAssignment.objects.active().filter(role=role).order_by("pk")
        here = held.filter(community=tm.community).first()
        assignment = here or held.first()
        if assignment:
            users[role] = assignment.user
    return users


def key_pages(users) -> list[tuple[str, str, str]]:
    """(label, role, path) for each key page."""
    tm = users[Role.THERAPY_MANAGER]
    community = RoleAssignment.objects.active().get(user=tm, role=Role.THERAPY_MANAGER).community
    # The longest-staying current resident has the longest record to show.
    resident = (
        Resident.objects.current()
        .filter(community=community, is_restricted=False)
        .order_by("admitted_on", "pk")
        .first()
    )
    # The latest community meeting has the largest register.
    session = (
        GroupSession.objects.filter(community=community, small_group__isnull=True)
        .order_by("-held_on", "-pk")
        .first()
    )
    # The latest community meeting's minutes: its register, agenda and motions.
    meeting = CommunityMeeting.objects.filter(community=community).order_by("-held_on").first()
    wanted = [FLOOR]
    wanted += [(f"Home: {Role(role).label}", role, "home", []) for role in users]
    wanted += [
        ("Referral list", Role.THERAPY_MANAGER, "referrals:referral_list", []),
        ("Referral list, whole cluster", Role.HEAD_OF_PSYCHOTHERAPY, "referrals:referral_list", []),
        ("Resident list", Role.THERAPY_MANAGER, "residents:resident_list", []),
        ("Resident list, whole cluster", Role.HEAD_OF_PSYCHOTHERAPY, "residents:resident_list", []),
        ("Resident page", Role.THERAPY_MANAGER, "residents:detail", [resident.pk]),
        ("Group register", Role.THERAPY_MANAGER, "residents:attendance_record", [session.pk]),
        ("Supervision list", Role.THERAPY_MANAGER, "supervision:session_list", []),
        (
            "Supervision list, whole cluster",
            Role.HEAD_OF_PSYCHOTHERAPY,
            "supervision:session_list",
            [],
        ),
        ("Work queue, full list", Role.THERAPY_MANAGER, "work_queue", []),
        ("Work queue, whole cluster", Role.HEAD_OF_PSYCHOTHERAPY, "work_queue", []),
        ("Registers not taken", Role.THERAPY_MANAGER, "residents:registers_not_taken", []),
        (
            "Registers not taken, whole cluster",
            Role.HEAD_OF_PSYCHOTHERAPY,
            "residents:registers_not_taken",
            [],
        ),
        ("Overrides, whole cluster", Role.HEAD_OF_PSYCHOTHERAPY, "referrals:overrides", []),
        ("Timetable, this week", Role.THERAPY_MANAGER, "community:timetable", []),
        ("Today's sessions", Role.OFFICER, "community:today", []),
        ("Today's sessions, whole cluster", Role.HEAD_OF_PSYCHOTHERAPY, "community:today", []),
        ("Timetable's sessions", Role.THERAPY_MANAGER, "community:slot_list", [community.pk]),
        (
            "Small groups, whole cluster",
            Role.HEAD_OF_PSYCHOTHERAPY,
            "residents:small_group_list",
            [],
        ),
        ("Staff meetings", Role.THERAPY_MANAGER, "community:staff_meeting_list", []),
        ("Community meetings", Role.THERAPY_MANAGER, "community:community_meeting_list", []),
        (
            "Community meetings, whole cluster",
            Role.HEAD_OF_PSYCHOTHERAPY,
            "community:community_meeting_list",
            [],
        ),
        ("Community meeting", Role.OFFICER, "community:community_meeting_detail", [meeting.pk]),
        ("Motions", Role.THERAPY_MANAGER, "community:motion_list", []),
        ("Motions, whole cluster", Role.HEAD_OF_PSYCHOTHERAPY, "community:motion_list", []),
        ("KPI table, one community", Role.THERAPY_MANAGER, "audit:kpis", [community.pk]),
        ("KPI table, whole cluster", Role.HEAD_OF_PSYCHOTHERAPY, "audit:kpi_compare", []),
    ]
    return [(label, role, reverse(name, args=args)) for label, role, name, args in wanted]
