"""The supervision permission matrix: who may see and do what with one session.

The session: community A, a trainee session led by clinician_a (the supervisor) for
trainee_a (the supervisee), recorded by tm_a, with one action owned by the trainee.
officer_a is a peer on the same team who was not in it; tm_b runs another community.
Expectations are written out by hand, not derived from the code."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from dtc import permissions
from supervision import services
from supervision.models import SessionType, SupervisionSession
from tests.supervision.factories import AgreedActionFactory, SupervisionSessionFactory

SUP, SEE, PEER, TM, HOP, AUD, OTHER_TM = (
    "supervisor",
    "supervisee",
    "peer",
    "tm",
    "hop",
    "auditor",
    "other_tm",
)
CHARACTERS = [SUP, SEE, PEER, TM, HOP, AUD, OTHER_TM]


def user_of(cast, character):
    return {
        SUP: cast.clinician_a,
        SEE: cast.trainee_a,
        PEER: cast.officer_a,
        TM: cast.tm_a,
        HOP: cast.hop,
        AUD: cast.auditor_a,
        OTHER_TM: cast.tm_b,
    }[character]


@pytest.fixture
def session(cast):
    return SupervisionSessionFactory(
        community=cast.a,
        session_type=SessionType.TRAINEE,
        supervisor=cast.clinician_a,
        recorded_by=cast.tm_a,
        supervisees=[cast.trainee_a],
    )


@pytest.fixture
def action(session, cast):
    return AgreedActionFactory(session=session, owner=cast.trainee_a)


# Who may read the session's notes (the policy hook, through can()).
SEES_NOTES = {SUP: True, SEE: True, PEER: False, TM: True, HOP: True, AUD: False, OTHER_TM: False}


@pytest.mark.parametrize("character", CHARACTERS)
def test_who_may_read_the_session(cast, session, character):
    user = user_of(cast, character)
    assert permissions.can(user, "access_community", session) is SEES_NOTES[character]


@pytest.mark.parametrize("character", CHARACTERS)
def test_lists_hold_only_sessions_the_user_may_read(cast, session, character):
    user = user_of(cast, character)
    listed = permissions.visible(user, SupervisionSession).filter(pk=session.pk).exists()
    assert listed is SEES_NOTES[character]


# Views: (name, what the URL needs, method, {character: status}).
VIEWS = [
    (
        "session_list",
        None,
        "get",
        {SUP: 200, SEE: 200, PEER: 200, TM: 200, HOP: 200, AUD: 403, OTHER_TM: 200},
    ),
    (
        "detail",
        "session",
        "get",
        {SUP: 200, SEE: 200, PEER: 404, TM: 200, HOP: 200, AUD: 404, OTHER_TM: 404},
    ),
    (
        "action_add",
        "session",
        "post",
        {SUP: 302, SEE: 403, PEER: 404, TM: 302, HOP: 302, AUD: 404, OTHER_TM: 404},
    ),
    (
        "action_complete",
        "action",
        "get",
        {SUP: 200, SEE: 200, PEER: 404, TM: 200, HOP: 200, AUD: 404, OTHER_TM: 404},
    ),
    (
        "action_complete",
        "action",
        "post",
        {SUP: 302, SEE: 302, PEER: 404, TM: 302, HOP: 302, AUD: 404, OTHER_TM: 404},
    ),
    # The TM supervises one community and goes straight to its form; the HoP chooses.
    (
        "new",
        None,
        "get",
        {SUP: 403, SEE: 403, PEER: 403, TM: 302, HOP: 200, AUD: 403, OTHER_TM: 302},
    ),
    (
        "session_record",
        "community",
        "get",
        {SUP: 403, SEE: 403, PEER: 403, TM: 200, HOP: 200, AUD: 404, OTHER_TM: 404},
    ),
    (
        "observation_record",
        "community",
        "get",
        {SUP: 403, SEE: 403, PEER: 403, TM: 200, HOP: 200, AUD: 404, OTHER_TM: 404},
    ),
    (
        "compliance",
        None,
        "get",
        {SUP: 403, SEE: 403, PEER: 403, TM: 200, HOP: 200, AUD: 403, OTHER_TM: 200},
    ),
    # The supervisee's own supervision record.
    (
        "record",
        "supervisee",
        "get",
        {SUP: 404, SEE: 200, PEER: 404, TM: 200, HOP: 200, AUD: 404, OTHER_TM: 404},
    ),
    (
        "requirement_set",
        "supervisee",
        "get",
        {SUP: 404, SEE: 403, PEER: 404, TM: 200, HOP: 200, AUD: 404, OTHER_TM: 404},
    ),
    (
        "trainee_target_set",
        "supervisee",
        "get",
        {SUP: 404, SEE: 403, PEER: 404, TM: 200, HOP: 200, AUD: 404, OTHER_TM: 404},
    ),
]


@pytest.mark.parametrize(
    ("url_name", "target", "method", "expected"), VIEWS, ids=lambda v: str(v)[:20]
)
@pytest.mark.parametrize("character", CHARACTERS)
def test_views(client, cast, session, action, character, url_name, target, method, expected):
    args = {
        None: [],
        "session": [session.pk],
        "action": [action.pk],
        "community": [cast.a.pk],
        "supervisee": [cast.trainee_a.pk],
    }[target]
    client.force_login(user_of(cast, character))
    url = reverse(f"supervision:{url_name}", args=args)
    if method == "post":
        due = date.today() + timedelta(days=7)
        response = client.post(
            url,
            {
                "description": "Bring a case to the next session",
                "owner": cast.trainee_a.pk,
                "due_on_day": due.day,
                "due_on_month": due.month,
                "due_on_year": due.year,
            },
        )
    else:
        response = client.get(url)
    assert response.status_code == expected[character]


# Services: who may record a session in community A.
RECORDS = {SUP: False, SEE: False, PEER: False, TM: True, HOP: True, AUD: False, OTHER_TM: False}


@pytest.mark.parametrize("character", CHARACTERS)
def test_who_may_record_a_session(cast, character):
    def record():
        return services.session_record(
            community=cast.a,
            session_type=SessionType.INDIVIDUAL,
            supervisor=cast.tm_a,
            supervisees=[cast.clinician_a],
            held_on=date.today(),
            duration_minutes=60,
            by=user_of(cast, character),
        )

    if RECORDS[character]:
        assert record().pk
    else:
        with pytest.raises(PermissionDenied):
            record()


def test_signed_out_users_are_sent_to_sign_in(client, session):
    response = client.get(reverse("supervision:detail", args=[session.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
