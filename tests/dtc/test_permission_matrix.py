"""The permission matrix: role × (own community, another community) × action.

Written out by hand, not derived from dtc.permissions, so a change to the policy
shows here as a failing row. Later issues add their actions and views below."""

import pytest
from django.urls import reverse

from dtc import permissions
from dtc.models import Role

HOP, TM, CLIN, OFF, TRN, AUD = (
    Role.HEAD_OF_PSYCHOTHERAPY,
    Role.THERAPY_MANAGER,
    Role.CLINICIAN,
    Role.OFFICER,
    Role.TRAINEE,
    Role.AUDITOR,
)

# action: the roles that hold it in their own community. No role holds any action
# in a community outside its scope.
POLICY = {
    "access_community": {HOP, TM, CLIN, OFF, TRN},
    "view_team": {HOP, TM, CLIN, OFF, TRN},
    "submit_referral": {TM, CLIN, OFF},
    "progress_referral": {HOP, TM, CLIN},
    "decide_referral": {HOP, TM},
    "override_criteria": {HOP, TM},
    "manage_criteria": {HOP, TM},
    "admit_resident": {HOP, TM},
    "record_attendance": {TM, CLIN, OFF, TRN},
    "write_clinical": {TM, CLIN, TRN},
    "sign_off": {HOP, TM},
    "decide_therapy": {HOP, TM},
    "restrict_resident": {TM},
    "view_access_log": {HOP, TM},
    "supervise_team": {HOP, TM},
    "view_audit": {HOP, TM, AUD},
    "manage_audit": {HOP, TM},
    "keep_timetable": {HOP, TM},
    "minute_meeting": {TM, CLIN, OFF, TRN},
    "record_motion": {TM, CLIN, OFF},
    "ratify_motion": {HOP, TM},
    "edit_constitution": {HOP, TM},
    "assign_jobs": {HOP, TM},
    "release_case_study": {HOP, TM},
}
ROLES = [HOP, TM, CLIN, OFF, TRN, AUD]


def test_the_matrix_covers_every_action_of_the_policy():
    assert set(POLICY) == permissions.ACTIONS


@pytest.mark.parametrize("action", sorted(POLICY))
@pytest.mark.parametrize("role", ROLES)
def test_policy_in_own_community(cast, role, action):
    assert permissions.can(cast.by_role(role), action, cast.a) is (role in POLICY[action])


@pytest.mark.parametrize("action", sorted(POLICY))
@pytest.mark.parametrize("role", ROLES)
def test_policy_in_another_community(cast, role, action):
    # C is in the other establishment: outside even the Head of Psychotherapy's scope.
    assert permissions.can(cast.by_role(role), action, cast.c) is False


@pytest.mark.parametrize("action", sorted(POLICY))
def test_no_role_means_no_action(cast, action):
    assert permissions.can(cast.nobody, action, cast.a) is False


# Views: (URL name, kwargs from the cast, {role: status in own community}).
OWN = "own"
OTHER = "other"
VIEWS = [
    ("home", None, {r: 200 for r in ROLES}),
    ("community_detail", OWN, {HOP: 200, TM: 200, CLIN: 200, OFF: 200, TRN: 200, AUD: 404}),
    ("community_detail", OTHER, {r: 404 for r in ROLES}),
    ("staff", None, {HOP: 200, TM: 200, CLIN: 200, OFF: 200, TRN: 200, AUD: 403}),
    ("notifications", None, {r: 200 for r in ROLES}),
    ("profile", None, {r: 200 for r in ROLES}),
]


@pytest.mark.parametrize(("url_name", "target", "expected"), VIEWS, ids=lambda v: str(v)[:20])
@pytest.mark.parametrize("role", ROLES)
def test_views(client, cast, role, url_name, target, expected):
    kwargs = {}
    if target:
        kwargs["pk"] = (cast.a if target == OWN else cast.c).pk
    client.force_login(cast.by_role(role))
    assert client.get(reverse(url_name, kwargs=kwargs)).status_code == expected[role]


@pytest.mark.parametrize("url_name", ["home", "staff", "notifications", "profile"])
def test_signed_out_users_are_sent_to_sign_in(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
