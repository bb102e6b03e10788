"""The constitution and jobs pages by role: role × (own community, another community).
Written out by hand, as tests/dtc/test_permission_matrix.py, so that a change to the
policy shows here as a failing row."""

from datetime import date

import pytest
from django.urls import reverse

from community import services
from dtc.models import Role
from residents.models import Incident
from tests import factories
from tests.community.constitution_factories import amend
from tests.factories import ResidentFactory

HOP, TM, CLIN, OFF, TRN, AUD = (
    Role.HEAD_OF_PSYCHOTHERAPY,
    Role.THERAPY_MANAGER,
    Role.CLINICIAN,
    Role.OFFICER,
    Role.TRAINEE,
    Role.AUDITOR,
)
ROLES = [HOP, TM, CLIN, OFF, TRN, AUD]

# Who may read: the community's staff team (auditors never see community records).
READ = {HOP: 200, TM: 200, CLIN: 200, OFF: 200, TRN: 200, AUD: 404}
# edit_constitution and assign_jobs: the managers.
MANAGE = {HOP: 200, TM: 200, CLIN: 403, OFF: 403, TRN: 403, AUD: 404}
# record_attendance: the wing's staff who do inductions and record incidents.
WING = {HOP: 403, TM: 200, CLIN: 200, OFF: 200, TRN: 200, AUD: 404}

# (URL name, the record it is about, {role: status in own community})
VIEWS = [
    ("constitution_in_force", "community", READ),
    ("constitution_version", "constitution", READ),
    ("constitution_compare", "constitution", READ),
    ("constitution_agreements", "community", READ),
    ("constitution_incidents", "community", READ),
    ("constitution_amend", "community", MANAGE),
    ("constitution_agreement_record", "resident", WING),
    ("constitution_agreement_entered_in_error", "agreement", WING),
    ("constitution_incident_clauses", "incident", WING),
    ("job_list", "community", READ),
    ("job_add", "community", MANAGE),
    ("job_change", "job", MANAGE),
    ("job_holding_start", "job", MANAGE),
    ("job_holding_end", "holding", MANAGE),
    ("job_holding_entered_in_error", "holding", MANAGE),
]


def records(cast, community, tm):
    """One of each record the pages are about, in `community`."""
    constitution = amend(community, tm, in_force_from=date(2025, 1, 1))
    resident = ResidentFactory(community=community, admitted_on=date(2025, 1, 1))
    agreement = services.constitution_agreement_record(resident=resident, by=tm)
    incident = Incident.objects.create(
        resident=resident,
        occurred_on=date(2025, 2, 1),
        kind="rule_break",
        seriousness="low",
        description="Late to the meeting.",
        recorded_by=tm,
    )
    job = services.job_create(community=community, name="Chair", by=tm)
    holding = services.job_holding_start(
        job=job, resident=resident, from_on=date(2025, 2, 1), filled_by="election", by=tm
    )
    return {
        "community": community,
        "constitution": constitution,
        "resident": resident,
        "agreement": agreement,
        "incident": incident,
        "job": job,
        "holding": holding,
    }


def url_of(name, record):
    return reverse(f"community:{name}", args=[record.pk])


@pytest.fixture
def own(cast):
    return records(cast, cast.a, cast.tm_a)


@pytest.fixture
def other(cast):
    # Community C: in the other establishment, outside even the HoP's scope.
    tm_c = factories.staff("tm_c", TM, cast.c)
    return records(cast, cast.c, tm_c)


@pytest.mark.parametrize(("name", "about", "expected"), VIEWS, ids=[v[0] for v in VIEWS])
@pytest.mark.parametrize("role", ROLES)
def test_in_own_community(client, cast, own, role, name, about, expected):
    client.force_login(cast.by_role(role))
    assert client.get(url_of(name, own[about])).status_code == expected[role]


@pytest.mark.parametrize(("name", "about", "_expected"), VIEWS, ids=[v[0] for v in VIEWS])
@pytest.mark.parametrize("role", ROLES)
def test_in_another_community_everything_is_not_found(
    client, cast, other, role, name, about, _expected
):
    client.force_login(cast.by_role(role))
    assert client.get(url_of(name, other[about])).status_code == 404


@pytest.mark.parametrize(("name", "about", "_expected"), VIEWS, ids=[v[0] for v in VIEWS])
def test_signed_out_users_are_sent_to_sign_in(client, own, name, about, _expected):
    response = client.get(url_of(name, own[about]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
