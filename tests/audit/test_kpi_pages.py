"""The KPI pages, their CSV, the targets the HoP sets, and the home-page cards."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit import services
from audit.models import KpiTarget, Rating, StandardCriterion
from tests.factories import CommunityFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def test_the_community_page_shows_figures_targets_and_charts(client, cast):
    ResidentFactory(community=cast.a, admitted_on=timezone.localdate() - timedelta(days=400))
    client.force_login(cast.tm_a)
    page = client.get(reverse("audit:kpis", args=[cast.a.pk])).content.decode()
    assert "Occupancy" in page
    assert "Retention at 18 months" in page
    assert page.count('role="img"') == 3
    assert "Show the figures" in page  # each chart's table
    assert "Download these figures (CSV)" in page


def test_the_csv_is_a_download(client, cast):
    client.force_login(cast.tm_a)
    response = client.get(reverse("audit:kpis", args=[cast.a.pk]) + "?period=month&format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="kpis-')
    assert response.content.decode().startswith("Community,Establishment,Period,KPI")


@pytest.mark.parametrize("query", ["?period=decade", "?start=not-a-date", "?start=2999-01-01"])
def test_a_bad_or_future_period_falls_back_to_the_current_one(client, cast, query):
    client.force_login(cast.tm_a)
    response = client.get(reverse("audit:kpis", args=[cast.a.pk]) + query)
    assert response.status_code == 200
    assert response.context["period"].start <= timezone.localdate()
    assert response.context["next"] is None


def test_the_comparison_shows_only_the_communities_granted(client, cast):
    client.force_login(cast.auditor_a)
    rows = client.get(reverse("audit:kpi_compare")).context["rows"]
    assert [row.community for row in rows] == [cast.a]
    client.force_login(cast.hop)
    rows = client.get(reverse("audit:kpi_compare")).context["rows"]
    assert {row.community for row in rows} == {cast.a, cast.b}


def test_an_auditor_sees_aggregates_never_a_resident(client, cast):
    resident = ResidentFactory(
        community=cast.a,
        first_name="Ignatius",
        last_name="Quarrington",
        admitted_on=timezone.localdate() - timedelta(days=30),
    )
    client.force_login(cast.auditor_a)
    for url in [
        reverse("home"),
        reverse("audit:kpi_compare"),
        reverse("audit:kpis", args=[cast.a.pk]),
        reverse("audit:kpis", args=[cast.a.pk]) + "?format=csv",
    ]:
        page = client.get(url).content.decode()
        assert "Quarrington" not in page and resident.prison_number not in page


def test_the_hop_sets_a_default_and_a_community_target(client, cast):
    client.force_login(cast.hop)
    url = reverse("audit:kpi_target_edit", args=["occupancy"])
    response = client.post(url, {"default": "85", f"community_{cast.a.pk}": "95.5"})
    assert response.status_code == 302
    assert KpiTarget.objects.get(kpi="occupancy", community=None).value == Decimal("85")
    own = KpiTarget.objects.get(kpi="occupancy", community=cast.a)
    assert own.value == Decimal("95.5")
    assert own.set_by == cast.hop
    assert own.history.count() == 1


def test_clearing_a_community_target_falls_back_to_the_default(client, cast):
    KpiTarget.objects.create(kpi="occupancy", community=cast.a, value=70, set_by=cast.hop)
    client.force_login(cast.hop)
    client.post(
        reverse("audit:kpi_target_edit", args=["occupancy"]),
        {"default": "90", f"community_{cast.a.pk}": ""},
    )
    assert not KpiTarget.objects.filter(kpi="occupancy", community=cast.a).exists()


def test_a_bad_target_is_refused_with_a_message(client, cast):
    client.force_login(cast.hop)
    response = client.post(
        reverse("audit:kpi_target_edit", args=["occupancy"]), {"default": "ninety"}
    )
    assert response.status_code == 200
    assert "Enter the target as a number, like 90 or 6.5" in response.content.decode()
    assert KpiTarget.objects.get(kpi="occupancy", community=None).value == 90


def test_a_therapy_manager_cannot_set_targets(client, cast):
    client.force_login(cast.tm_a)
    response = client.post(reverse("audit:kpi_target_edit", args=["occupancy"]), {"default": "10"})
    assert response.status_code == 403
    assert KpiTarget.objects.get(kpi="occupancy", community=None).value == 90


def test_an_unknown_kpi_is_not_found(client, cast):
    client.force_login(cast.hop)
    assert client.get(reverse("audit:kpi_target_edit", args=["happiness"])).status_code == 404


def _not_met_cycle(cast):
    cycle = services.cycle_open(community=cast.a, title="A review", by=cast.tm_a)
    criterion = StandardCriterion.objects.filter(weight="essential").first()
    services.criterion_rate(
        cycle=cycle,
        criterion=criterion,
        by=cast.tm_a,
        rating=Rating.NOT_MET,
        evidence="Lapsed over the summer.",
        action_description="Restart the weekly programme review.",
        action_owner=cast.tm_a,
        action_due=timezone.localdate() + timedelta(days=30),
    )
    return cycle


def test_the_hop_home_has_the_kpi_table_and_readiness(client, cast):
    _not_met_cycle(cast)
    client.force_login(cast.hop)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="home-kpis"' in page
    assert "Accreditation readiness" in page
    assert "1 essential not met" in page
    assert "No review cycle yet." in page  # community b


def test_the_home_tables_move_on_when_a_record_they_count_changes(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.hop)
    page = client.get(reverse("home")).content.decode()
    assert "1 essential not met" not in page
    with django_capture_on_commit_callbacks(execute=True):
        _not_met_cycle(cast)
    page = client.get(reverse("home")).content.decode()
    assert "1 essential not met" in page

    def occupancy_of_a():
        table = client.get(reverse("home")).content.decode().split('data-testid="home-kpis"')[1]
        row = table.split(f'href="{reverse("audit:kpis", args=[cast.a.pk])}"')[1]
        return re.search(r"<td[^>]*>([^<]*)", row).group(1)  # the first figure

    before = occupancy_of_a()
    assert occupancy_of_a() == before  # the same, from the cache
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            ResidentFactory(
                community=cast.a, admitted_on=timezone.localdate() - timedelta(days=200)
            )
    assert occupancy_of_a() != before


def test_the_community_charts_move_on_when_a_resident_is_admitted(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.tm_a)
    url = reverse("audit:kpis", args=[cast.a.pk])

    def admissions_bars():
        referrals_chart = client.get(url).context["charts"][1]
        return [bar.label for bar in referrals_chart.bars if "Admissions" in bar.label]

    before = admissions_bars()
    assert admissions_bars() == before  # the same, from the cache
    with django_capture_on_commit_callbacks(execute=True):
        ResidentFactory(community=cast.a, admitted_on=timezone.localdate())
    assert admissions_bars() != before


def test_the_tm_home_has_open_actions(client, cast):
    _not_met_cycle(cast)
    client.force_login(cast.tm_a)
    page = client.get(reverse("home")).content.decode()
    assert "Restart the weekly programme review." in page
    assert 'data-testid="home-kpis"' in page


def test_the_auditor_home_has_kpis_but_no_action_list(client, cast):
    _not_met_cycle(cast)
    client.force_login(cast.auditor_a)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="home-kpis"' in page
    assert "Open action-plan items" not in page


def test_a_clinician_home_has_no_audit_cards(client, cast):
    client.force_login(cast.clinician_a)
    page = client.get(reverse("home")).content.decode()
    assert "Key performance indicators" not in page
    assert "Accreditation readiness" not in page


def test_the_kpi_table_queries_do_not_grow_with_communities(
    client, cast, django_assert_max_num_queries
):
    from tests.factories import CommunityFactory, staff

    client.force_login(cast.hop)
    with django_assert_max_num_queries(33):
        client.get(reverse("audit:kpi_compare"))
    for n in range(4):
        staff(f"tm_extra{n}", "tm", CommunityFactory(establishment=cast.a.establishment))
    with django_assert_max_num_queries(30):
        response = client.get(reverse("audit:kpi_compare"))
    assert len(response.context["rows"]) == 6


def test_the_comparison_shows_at_most_five_communities_a_table(client, cast):
    # A KPI a row, a community a column: seven communities make two tables (5 and 2),
    # so that the comparison fits the page instead of scrolling sideways.
    for number in range(5):
        CommunityFactory(establishment=cast.a.establishment, name=f"Extra {number}")
    client.force_login(cast.hop)
    response = client.get(reverse("audit:kpi_compare"))
    tables = response.context["tables"]
    assert [len(table["communities"]) for table in tables] == [5, 2]
    page = response.content.decode()
    assert page.count('data-testid="kpi-compare"') == 2
    assert page.count('<th scope="row" class="govuk-table__header">Occupancy</th>') == 2
