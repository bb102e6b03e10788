"""The motion and community meeting permission matrix: role × (own community, another
community) × page.

A motion awaiting ratification and a minuted community meeting with an agenda item, in
community A (own) and in community C (outside every role's scope, the HoP's included).
The wing's staff (TM, clinician, officer) record motions; the TM and the HoP ratify;
whoever minutes meetings (TM, clinician, officer, trainee) starts the minutes and adds
items; the HoP reads; an auditor reads nothing about the community. Written out by
hand, not derived from the policy."""

from datetime import date

import pytest
from django.urls import reverse

from community.models import Ratification
from dtc.models import Role
from residents.models import Intervention
from tests.community.constitution_factories import amend
from tests.community.factories import AgendaItemFactory, CommunityMeetingFactory, MotionFactory
from tests.factories import ResidentFactory, UserFactory
from tests.residents.factories import GroupSessionFactory

HOP, TM, CLIN, OFF, TRN, AUD = (
    Role.HEAD_OF_PSYCHOTHERAPY,
    Role.THERAPY_MANAGER,
    Role.CLINICIAN,
    Role.OFFICER,
    Role.TRAINEE,
    Role.AUDITOR,
)
ROLES = [HOP, TM, CLIN, OFF, TRN, AUD]
OWN, OTHER = "own", "other"


def status(*, hop, tm, clin, off, trn, aud):
    return {HOP: hop, TM: tm, CLIN: clin, OFF: off, TRN: trn, AUD: aud}


NOT_FOUND = {role: 404 for role in ROLES}
READ = status(hop=200, tm=200, clin=200, off=200, trn=200, aud=404)
LIST = status(hop=200, tm=200, clin=200, off=200, trn=200, aud=403)
RECORD = status(hop=403, tm=200, clin=200, off=200, trn=403, aud=404)
RATIFY = status(hop=200, tm=200, clin=403, off=403, trn=403, aud=404)
MINUTE = status(hop=403, tm=200, clin=200, off=200, trn=200, aud=404)

# (URL name, whose record the URL is about, method, {role: status})
VIEWS = [
    ("motion_list", None, "get", LIST),
    ("motion_new", None, "get", status(hop=403, tm=302, clin=302, off=302, trn=403, aud=403)),
    ("motion_record", OWN, "get", RECORD),
    ("motion_record", OTHER, "get", NOT_FOUND),
    ("motion_record_kind", OWN, "get", RECORD),
    ("motion_detail", OWN, "get", READ),
    ("motion_detail", OTHER, "get", NOT_FOUND),
    ("motion_ratify", OWN, "get", RATIFY),
    ("motion_ratify", OTHER, "get", NOT_FOUND),
    ("motion_set_aside", OWN, "get", RATIFY),
    ("motion_set_aside", OTHER, "get", NOT_FOUND),
    ("motion_amend", OWN, "get", RECORD),
    ("motion_amend", OTHER, "get", NOT_FOUND),
    ("motion_entered_in_error", OWN, "get", RECORD),
    ("community_meeting_list", None, "get", LIST),
    ("community_meeting_start", OWN, "get", MINUTE),
    ("community_meeting_start", OTHER, "get", NOT_FOUND),
    ("community_meeting_detail", OWN, "get", READ),
    ("community_meeting_detail", OTHER, "get", NOT_FOUND),
    ("agenda_item_add", OWN, "get", MINUTE),
    ("agenda_item_add", OTHER, "get", NOT_FOUND),
    ("agenda_item_amend", OWN, "get", MINUTE),
    ("agenda_item_amend", OTHER, "get", NOT_FOUND),
    ("agenda_item_entered_in_error", OWN, "get", MINUTE),
]


@pytest.fixture
def records(cast):
    someone_in_c = UserFactory(username="recorder_c")
    amend(cast.a, cast.tm_a, in_force_from=date(2024, 1, 1))
    made = {}
    for target, community, by in ((OWN, cast.a, cast.tm_a), (OTHER, cast.c, someone_in_c)):
        motion = MotionFactory(
            community=community,
            kind="vote_out",
            resident=ResidentFactory(community=community),
            ratification=Ratification.AWAITING,
            recorded_by=by,
        )
        meeting = CommunityMeetingFactory(community=community, minute_taker=by)
        item = AgendaItemFactory(meeting=meeting)
        session = GroupSessionFactory(
            community=community, group_type=Intervention.COMMUNITY_MEETING, recorded_by=by
        )
        made[target] = {"motion": motion, "meeting": meeting, "item": item, "session": session}
    return made


def url_for(url_name, target, records):
    if target is None:
        return reverse(f"community:{url_name}")
    made = records[target]
    motion, meeting, item = made["motion"], made["meeting"], made["item"]
    urls = {
        "motion_record": ("motion_record", [motion.community_id], ""),
        "motion_record_kind": (
            "motion_record",
            [motion.community_id],
            f"?kind=vote_out&resident={motion.resident_id}",
        ),
        "motion_amend": ("record_amend", ["motion", motion.pk], ""),
        "motion_entered_in_error": ("record_entered_in_error", ["motion", motion.pk], ""),
        "community_meeting_start": ("community_meeting_start", [made["session"].pk], ""),
        "community_meeting_detail": ("community_meeting_detail", [meeting.pk], ""),
        "agenda_item_add": ("agenda_item_add", [meeting.pk], ""),
        "agenda_item_amend": ("record_amend", ["agenda-item", item.pk], ""),
        "agenda_item_entered_in_error": ("record_entered_in_error", ["agenda-item", item.pk], ""),
    }
    name, args, query = urls.get(url_name, (url_name, [motion.pk], ""))
    return reverse(f"community:{name}", args=args) + query


@pytest.mark.parametrize(
    ("url_name", "target", "method", "expected"), VIEWS, ids=lambda v: str(v)[:30]
)
@pytest.mark.parametrize("role", ROLES)
def test_views(client, cast, records, role, url_name, target, method, expected):
    client.force_login(cast.by_role(role))
    response = client.get(url_for(url_name, target, records))
    assert response.status_code == expected[role]


def test_the_staff_of_another_community_do_not_see_the_motion_or_meeting(client, cast, records):
    own = records[OWN]
    client.force_login(cast.tm_b)
    assert (
        client.get(reverse("community:motion_detail", args=[own["motion"].pk])).status_code == 404
    )
    assert (
        client.get(
            reverse("community:community_meeting_detail", args=[own["meeting"].pk])
        ).status_code
        == 404
    )
    assert own["motion"] not in client.get(reverse("community:motion_list")).context["page"]
