"""incident_clauses_cite: an incident or rule break cites the clauses it broke, of the
constitution in force on its community on its day; and the citation page."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from community import selectors, services
from community.models import IncidentClause
from residents import services as resident_services
from residents.models import Incident
from tests.community.constitution_factories import CORE_RULES, amend, with_clause
from tests.factories import ResidentFactory


@pytest.fixture
def versions(cast):
    first = amend(cast.a, cast.tm_a, in_force_from=date(2025, 1, 1))
    second = amend(
        cast.a,
        cast.tm_a,
        clauses=with_clause(CORE_RULES, "4", "Respect"),
        in_force_from=date(2025, 6, 1),
    )
    return first, second


def incident_on(resident, day, by):
    return Incident.objects.create(
        resident=resident,
        occurred_on=day,
        kind="rule_break",
        seriousness="serious",
        description="Fought on the landing.",
        recorded_by=by,
    )


@pytest.fixture
def resident(cast):
    return ResidentFactory(community=cast.a, admitted_on=date(2024, 12, 1))


def clause(version, number):
    return version.clauses.get(number=number)


def test_an_incident_cites_clauses_of_the_version_in_force_on_its_day(cast, versions, resident):
    first, _second = versions
    incident = incident_on(resident, date(2025, 3, 1), cast.officer_a)
    cited = services.incident_clauses_cite(
        incident=incident, clauses=[clause(first, "1")], by=cast.officer_a
    )
    assert [c.clause for c in cited] == [clause(first, "1")]
    assert cited[0].cited_by == cast.officer_a


def test_a_clause_of_a_version_not_in_force_on_the_day_is_refused(cast, versions, resident):
    first, second = versions
    incident = incident_on(resident, date(2025, 3, 1), cast.officer_a)
    with pytest.raises(ValidationError) as refused:
        services.incident_clauses_cite(
            incident=incident, clauses=[clause(second, "1")], by=cast.officer_a
        )
    assert "version 1 was in force on 1 March 2025" in str(refused.value)
    assert not IncidentClause.objects.exists()


def test_a_clause_of_another_communitys_constitution_is_refused(cast, versions, resident):
    other = amend(cast.b, cast.tm_b)
    incident = incident_on(resident, date(2025, 7, 1), cast.officer_a)
    with pytest.raises(ValidationError, match="not a clause of this community's constitution"):
        services.incident_clauses_cite(
            incident=incident, clauses=[clause(other, "1")], by=cast.officer_a
        )


def test_before_any_constitution_there_is_nothing_to_cite(cast, versions, resident):
    first, _ = versions
    incident = incident_on(resident, date(2024, 12, 20), cast.officer_a)
    with pytest.raises(ValidationError, match="No constitution was in force"):
        services.incident_clauses_cite(
            incident=incident, clauses=[clause(first, "1")], by=cast.officer_a
        )


def test_citing_again_replaces_the_clauses_cited_and_keeps_the_history(cast, versions, resident):
    _, second = versions
    incident = incident_on(resident, date(2025, 7, 1), cast.officer_a)
    services.incident_clauses_cite(
        incident=incident, clauses=[clause(second, "1"), clause(second, "4")], by=cast.officer_a
    )
    services.incident_clauses_cite(
        incident=incident, clauses=[clause(second, "4")], by=cast.clinician_a
    )
    assert [c.clause.number for c in incident.clauses_broken.all()] == ["4"]
    removed = IncidentClause.history.get(history_type="-")
    assert removed.clause_id == clause(second, "1").pk
    assert removed.history_user == cast.clinician_a


def test_an_incident_entered_in_error_cites_nothing(cast, versions, resident):
    _, second = versions
    incident = incident_on(resident, date(2025, 7, 1), cast.officer_a)
    incident.entered_in_error_at = timezone.now()
    incident.save()
    with pytest.raises(ValidationError, match="entered in error"):
        services.incident_clauses_cite(
            incident=incident, clauses=[clause(second, "1")], by=cast.officer_a
        )


def test_the_hop_does_not_cite_clauses(cast, versions, resident):
    _, second = versions
    incident = incident_on(resident, date(2025, 7, 1), cast.officer_a)
    with pytest.raises(PermissionDenied):
        services.incident_clauses_cite(
            incident=incident, clauses=[clause(second, "1")], by=cast.hop
        )


def test_the_page_offers_the_clauses_in_force_on_the_day_and_cites_them(
    client, cast, versions, resident
):
    first, _ = versions
    incident = incident_on(resident, date(2025, 3, 1), cast.officer_a)
    url = reverse("community:constitution_incident_clauses", args=[incident.pk])
    client.force_login(cast.officer_a)
    form = client.get(url).context["form"]
    assert list(form.fields["clauses"].queryset) == list(first.clauses.all())
    response = client.post(url, {"clauses": [clause(first, "2").pk]})
    assert response["Location"] == reverse("community:constitution_incidents", args=[cast.a.pk])
    listed = client.get(response["Location"])
    assert b"2. No drugs" in listed.content
    assert b"Cite clauses" in listed.content


def test_on_the_page_a_clause_of_a_later_version_is_a_form_error(client, cast, versions, resident):
    _, second = versions
    incident = incident_on(resident, date(2025, 3, 1), cast.officer_a)
    client.force_login(cast.officer_a)
    response = client.post(
        reverse("community:constitution_incident_clauses", args=[incident.pk]),
        {"clauses": [clause(second, "4").pk]},
    )
    assert "clauses" in response.context["form"].errors
    assert not IncidentClause.objects.exists()


def test_choosing_no_clause_is_a_form_error_that_names_the_field(client, cast, versions, resident):
    incident = incident_on(resident, date(2025, 3, 1), cast.officer_a)
    client.force_login(cast.officer_a)
    response = client.post(
        # A browser posts the page's hidden fields, whatever is ticked.
        reverse("community:constitution_incident_clauses", args=[incident.pk]),
        {"csrfmiddlewaretoken": "x"},
    )
    assert response.context["form"].errors["clauses"] == ["Select the clauses that were broken"]


def test_a_restricted_residents_incident_is_hidden_from_staff_not_named(
    client, cast, versions, resident
):
    incident = incident_on(resident, date(2025, 7, 1), cast.officer_a)
    resident_services.person_restrict_from(
        record=resident, staff=[cast.clinician_a], reason="Press interest.", by=cast.tm_a
    )
    assert list(selectors.incidents_of(cast.hop, cast.a)) == []
    assert list(selectors.incidents_of(cast.clinician_a, cast.a)) == [incident]
    client.force_login(cast.officer_a)
    url = reverse("community:constitution_incident_clauses", args=[incident.pk])
    assert client.get(url).status_code == 404


def test_the_residents_page_shows_the_clauses_broken_with_a_link_to_cite_them(
    client, cast, versions, resident
):
    first, _ = versions
    cited = incident_on(resident, date(2025, 3, 1), cast.officer_a)
    services.incident_clauses_cite(incident=cited, clauses=[clause(first, "1")], by=cast.officer_a)
    uncited = incident_on(resident, date(2025, 4, 1), cast.officer_a)
    services.constitution_agreement_record(resident=resident, by=cast.officer_a)

    client.force_login(cast.officer_a)
    page = client.get(reverse("residents:detail", args=[resident.pk])).content.decode()
    assert "Agreed to version 2" in page
    assert "Clauses broken: 1 No violence" in page
    assert "No clause cited." in page
    for incident in (cited, uncited):
        assert reverse("community:constitution_incident_clauses", args=[incident.pk]) in page

    # The HoP reads the clauses but does not cite them.
    client.force_login(cast.hop)
    page = client.get(reverse("residents:detail", args=[resident.pk])).content.decode()
    assert "Clauses broken: 1 No violence" in page
    assert reverse("community:constitution_incident_clauses", args=[cited.pk]) not in page
