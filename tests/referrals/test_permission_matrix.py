"""Referrals: role × (own community, another community) × view. Written out by hand.

Own = community A (every role's community; the HoP's establishment); other = C."""

import pytest
from django.urls import reverse

from dtc.models import Role
from referrals.models import Status
from tests.factories import staff
from tests.referrals.factories import ReferralFactory, at_decision, default_criteria

HOP, TM, CLIN, OFF, TRN, AUD = (
    Role.HEAD_OF_PSYCHOTHERAPY,
    Role.THERAPY_MANAGER,
    Role.CLINICIAN,
    Role.OFFICER,
    Role.TRAINEE,
    Role.AUDITOR,
)
ROLES = [HOP, TM, CLIN, OFF, TRN, AUD]


def row(hop, tm, clin, off, trn, aud):
    return dict(zip(ROLES, (hop, tm, clin, off, trn, aud), strict=True))


# (view, where, {role: status of a GET})
MATRIX = [
    ("referral_list", None, row(200, 200, 200, 200, 200, 403)),
    ("referral_submit", None, row(403, 200, 200, 200, 403, 403)),
    ("waiting_list", None, row(200, 200, 200, 200, 200, 403)),
    ("overrides", None, row(200, 200, 403, 403, 403, 403)),
    ("detail", "own", row(200, 200, 200, 200, 200, 404)),
    ("detail", "other", row(404, 404, 404, 404, 404, 404)),
    ("screening", "own", row(200, 200, 200, 403, 403, 404)),
    ("screening", "other", row(404, 404, 404, 404, 404, 404)),
    ("hold", "own", row(200, 200, 200, 403, 403, 404)),
    ("withdraw", "own", row(200, 200, 200, 403, 403, 404)),
    ("referral_record_interview", "own", row(200, 200, 200, 403, 403, 404)),
    ("referral_accept", "own", row(200, 200, 403, 403, 403, 404)),
    ("referral_accept", "other", row(404, 404, 404, 404, 404, 404)),
    ("referral_decline", "own", row(200, 200, 403, 403, 403, 404)),
    ("referral_defer", "own", row(200, 200, 403, 403, 403, 404)),
    ("referral_admit", "own", row(200, 200, 403, 403, 403, 404)),
    ("referral_admit", "other", row(404, 404, 404, 404, 404, 404)),
    ("criteria", "own", row(200, 200, 200, 200, 200, 404)),
    ("criteria", "other", row(404, 404, 404, 404, 404, 404)),
    ("retire", "own", row(200, 200, 403, 403, 403, 404)),
]


@pytest.fixture
def referrals(cast):
    tm_c = staff("tm_c", Role.THERAPY_MANAGER, cast.c)
    made = {}
    for where, community, tm in (("own", cast.a, cast.tm_a), ("other", cast.c, tm_c)):
        default_criteria(community, tm)
        made[where] = at_decision(ReferralFactory(community=community), tm)
    return made


def url_for(view, where, referrals, cast):
    referral = referrals[where] if where else None
    community = cast.a if where == "own" else cast.c
    if view in {"referral_list", "referral_submit", "waiting_list", "overrides"}:
        return reverse(f"referrals:{view}")
    if view in {"screening", "hold", "withdraw"}:
        return reverse("referrals:step", args=[referral.pk, view])
    if view == "criteria":
        return reverse("referrals:criteria", args=[community.pk])
    if view == "retire":
        return reverse(
            "referrals:criterion_change", args=[community.suitability_criteria.first().pk, "retire"]
        )
    return reverse(f"referrals:{view}", args=[referral.pk])


@pytest.mark.parametrize(
    ("view", "where", "expected"), MATRIX, ids=[f"{v}-{w}" for v, w, _ in MATRIX]
)
@pytest.mark.parametrize("role", ROLES)
def test_referral_views(client, cast, referrals, role, view, where, expected):
    client.force_login(cast.by_role(role))
    assert client.get(url_for(view, where, referrals, cast)).status_code == expected[role]


# Posting an action: the roles that change the referral (others get 403 or 404 and nothing changes).
POSTS = [
    ("referral_decline", {"note": "Not suitable", "confirm": "1"}, Status.DECLINED, {HOP, TM}),
    ("withdraw", {"note": "Transferred"}, Status.WITHDRAWN, {HOP, TM, CLIN}),
    ("hold", {"note": "ACCT open"}, Status.ON_HOLD, {HOP, TM, CLIN}),
]


@pytest.mark.parametrize(("action", "data", "result", "allowed"), POSTS, ids=[p[0] for p in POSTS])
@pytest.mark.parametrize("role", ROLES)
def test_referral_actions(client, cast, referrals, role, action, data, result, allowed):
    client.force_login(cast.by_role(role))
    view = "referral_decline" if action == "referral_decline" else "step"
    args = [referrals["own"].pk] if view == "referral_decline" else [referrals["own"].pk, action]
    response = client.post(reverse(f"referrals:{view}", args=args), data)
    referral = referrals["own"]
    referral.refresh_from_db()
    if role in allowed:
        assert response.status_code == 302
        assert referral.status == result
    else:
        assert response.status_code in {403, 404}
        assert referral.status == Status.DECISION


@pytest.mark.parametrize("role", ROLES)
def test_no_one_acts_on_another_communitys_referral(client, cast, referrals, role):
    client.force_login(cast.by_role(role))
    response = client.post(
        reverse("referrals:referral_decline", args=[referrals["other"].pk]),
        {"note": "x", "confirm": "1"},
    )
    assert response.status_code == 404
    referrals["other"].refresh_from_db()
    assert referrals["other"].status == Status.DECISION
