"""Community jobs: the list of jobs, one open holding per job (or as many as it allows),
holders who are current residents; the jobs page and a resident's jobs."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from community import selectors, services
from community.models import CommunityJob, JobHolding
from dtc import corrections
from residents import services as resident_services
from residents.models import Resident
from tests.community.constitution_factories import CommunityJobFactory, JobHoldingFactory
from tests.factories import ResidentFactory


@pytest.fixture
def chair(cast):
    return services.job_create(community=cast.a, name="Chair", term_months=6, by=cast.tm_a)


@pytest.fixture
def resident(cast):
    return ResidentFactory(community=cast.a, admitted_on=date(2025, 1, 1), first_name="Sam")


def start(job, resident, by, from_on=date(2025, 2, 1), filled_by="election"):
    return services.job_holding_start(
        job=job, resident=resident, from_on=from_on, filled_by=filled_by, by=by
    )


def test_a_job_is_added_and_changed(cast, chair):
    assert chair.holders == 1 and chair.is_active
    services.job_update(
        job=chair,
        name="Chair",
        description="Chairs the community meeting.",
        term_months=3,
        holders=1,
        is_active=True,
        by=cast.hop,
    )
    chair.refresh_from_db()
    assert chair.term_months == 3
    assert chair.history.count() == 2


def test_a_jobs_name_is_unique_in_its_community_whatever_its_case(cast, chair):
    with pytest.raises(ValidationError) as refused:
        services.job_create(community=cast.a, name="chair", by=cast.tm_a)
    assert refused.value.message_dict == {"name": ["The community already has a job called chair"]}
    assert services.job_create(community=cast.b, name="Chair", by=cast.tm_b)


def test_only_the_therapy_manager_and_the_hop_keep_the_jobs(cast, chair, resident):
    with pytest.raises(PermissionDenied):
        services.job_create(community=cast.a, name="Secretary", by=cast.clinician_a)
    with pytest.raises(PermissionDenied):
        start(chair, resident, cast.officer_a)


def test_a_resident_takes_up_a_job_elected(cast, chair, resident):
    holding = start(chair, resident, cast.tm_a)
    assert holding.is_open
    assert holding.filled_by == "election"
    assert holding.recorded_by == cast.tm_a


def test_a_job_has_one_open_holding(cast, chair, resident):
    start(chair, resident, cast.tm_a)
    other = ResidentFactory(community=cast.a, admitted_on=date(2025, 1, 1))
    with pytest.raises(ValidationError, match="Chair is held by Sam"):
        start(chair, other, cast.tm_a)
    assert JobHolding.objects.filter(job=chair).count() == 1


def test_once_the_holding_ends_another_resident_takes_the_job(cast, chair, resident):
    holding = start(chair, resident, cast.tm_a)
    services.job_holding_end(holding=holding, to_on=date(2025, 8, 1), by=cast.tm_a)
    other = ResidentFactory(community=cast.a, admitted_on=date(2025, 1, 1))
    assert start(chair, other, cast.tm_a, from_on=date(2025, 8, 1)).resident == other


def test_leaving_the_community_ends_the_jobs_held(cast, chair, resident):
    buddies = services.job_create(community=cast.a, name="Induction buddy", holders=2, by=cast.tm_a)
    holding = start(chair, resident, cast.tm_a)
    buddy = start(buddies, resident, cast.tm_a, from_on=date(2025, 6, 1))
    ended = start(
        buddies, ResidentFactory(community=cast.a, admitted_on=date(2025, 1, 1)), cast.tm_a
    )

    resident_services.resident_leave(
        resident=resident,
        leaving_type="self_deselected",
        left_on=date(2025, 5, 1),
        reason="Asked to go back to the wing.",
        by=cast.tm_a,
    )

    holding.refresh_from_db()
    buddy.refresh_from_db()
    ended.refresh_from_db()
    assert (holding.to_on, holding.ended_by) == (date(2025, 5, 1), cast.tm_a)
    # A holding recorded as starting after the leaving day ends on the day it started.
    assert buddy.to_on == date(2025, 6, 1)
    assert ended.to_on is None  # another resident's
    assert selectors.jobs_held_by(resident).filter(to_on=None).count() == 0


def test_a_job_for_several_holds_as_many_as_it_allows(cast, resident):
    buddies = services.job_create(community=cast.a, name="Induction buddy", holders=2, by=cast.tm_a)
    start(buddies, resident, cast.tm_a)
    start(buddies, ResidentFactory(community=cast.a, admitted_on=date(2025, 1, 1)), cast.tm_a)
    with pytest.raises(ValidationError, match="already has 2 holders"):
        start(buddies, ResidentFactory(community=cast.a, admitted_on=date(2025, 1, 1)), cast.tm_a)


def test_a_resident_does_not_hold_the_same_job_twice(cast, resident):
    buddies = services.job_create(community=cast.a, name="Induction buddy", holders=2, by=cast.tm_a)
    start(buddies, resident, cast.tm_a)
    with pytest.raises(ValidationError, match="already holds this job"):
        start(buddies, resident, cast.tm_a)


@pytest.mark.parametrize(
    ("holder", "field", "message"),
    [
        ({"community": "b"}, "resident", "Select a resident of this community"),
        ({"phase": "left", "left_on": date(2025, 3, 1)}, "resident", "has left the community"),
        ({"admitted_on": date(2025, 3, 1)}, "from_on", "the job cannot start before then"),
    ],
    ids=["another community", "left", "not yet admitted"],
)
def test_the_holder_must_be_a_current_resident_of_the_community(
    cast, chair, holder, field, message
):
    if holder.get("community") == "b":
        holder = {"community": cast.b}
    resident = ResidentFactory(**{"community": cast.a, "admitted_on": date(2025, 1, 1), **holder})
    with pytest.raises(ValidationError) as refused:
        start(chair, resident, cast.hop)
    assert field in refused.value.message_dict
    assert message in refused.value.message_dict[field][0]


def test_a_holding_cannot_end_before_it_started(cast, chair, resident):
    holding = start(chair, resident, cast.tm_a)
    with pytest.raises(ValidationError) as refused:
        services.job_holding_end(holding=holding, to_on=date(2025, 1, 31), by=cast.tm_a)
    assert "to_on" in refused.value.message_dict


def test_fewer_holders_than_hold_it_now_is_refused(cast, resident):
    buddies = services.job_create(community=cast.a, name="Induction buddy", holders=2, by=cast.tm_a)
    start(buddies, resident, cast.tm_a)
    start(buddies, ResidentFactory(community=cast.a, admitted_on=date(2025, 1, 1)), cast.tm_a)
    with pytest.raises(ValidationError) as refused:
        services.job_update(
            job=buddies,
            name=buddies.name,
            description="",
            term_months=None,
            holders=1,
            is_active=True,
            by=cast.tm_a,
        )
    assert "holders" in refused.value.message_dict


def test_a_job_held_now_does_not_go_out_of_use(cast, chair, resident):
    start(chair, resident, cast.tm_a)
    with pytest.raises(ValidationError) as refused:
        services.job_update(
            job=chair,
            name="Chair",
            description="",
            term_months=6,
            holders=1,
            is_active=False,
            by=cast.tm_a,
        )
    assert "is_active" in refused.value.message_dict


def test_the_jobs_held_by_a_resident_leave_out_those_entered_in_error(cast, chair, resident):
    secretary = services.job_create(community=cast.a, name="Secretary", by=cast.tm_a)
    held = start(chair, resident, cast.tm_a)
    services.job_holding_end(holding=held, to_on=date(2025, 5, 1), by=cast.tm_a)
    mistaken = start(secretary, resident, cast.tm_a, from_on=date(2025, 6, 1))
    corrections.record_mark_entered_in_error(
        record=mistaken, reason="Another resident was elected.", by=cast.tm_a
    )
    now = start(secretary, resident, cast.tm_a, from_on=date(2025, 7, 1), filled_by="appointed")
    assert list(selectors.jobs_held_by(resident)) == [now, held]


def test_the_jobs_page_shows_holders_and_history(client, cast, chair, resident):
    services.job_create(community=cast.a, name="Secretary", by=cast.tm_a)
    start(chair, resident, cast.tm_a)
    client.force_login(cast.officer_a)
    response = client.get(reverse("community:job_list", args=[cast.a.pk]))
    page = response.content.decode()
    assert "Vacant" in page
    assert f"{resident}, since 1 Feb 2025" in page
    assert "Add a job" not in page  # an officer does not keep the jobs
    assert [h.resident for h in response.context["page"]] == [resident]


def token_on(response) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', response.content.decode()).group(1)


def test_a_job_added_from_the_page_is_added_once(client, cast):
    client.force_login(cast.tm_a)
    url = reverse("community:job_add", args=[cast.a.pk])
    token = token_on(client.get(url))
    answers = {"name": "Wing representative", "holders": "1", "form_token": token}
    assert client.post(url, answers)["Location"] == reverse("community:job_list", args=[cast.a.pk])
    client.post(url, answers)
    assert CommunityJob.objects.filter(community=cast.a).count() == 1


def test_the_job_forms_messages_name_their_field(client, cast):
    client.force_login(cast.tm_a)
    response = client.post(
        reverse("community:job_add", args=[cast.a.pk]),
        {"name": "", "holders": "0", "term_months": "x"},
    )
    errors = response.context["form"].errors
    assert errors["name"] == ["Enter the name of the job"]
    assert errors["holders"][0].startswith("Residents who may hold it at once must be")
    assert errors["term_months"] == ["Term in months must be a whole number"]


def test_a_holding_is_started_from_the_page_after_checking_the_answers(
    client, cast, chair, resident
):
    client.force_login(cast.tm_a)
    url = reverse("community:job_holding_start", args=[chair.pk])
    token = token_on(client.get(url))
    answers = {
        "resident": str(resident.pk),
        "from_on_day": "1",
        "from_on_month": "2",
        "from_on_year": "2025",
        "filled_by": "appointed",
        "form_token": token,
    }
    check = client.post(url, answers)
    assert b"Check your answers" in check.content and b"Appointed by staff" in check.content
    client.post(url, {**answers, "confirm": "1"})
    client.post(url, {**answers, "confirm": "1"})
    assert JobHolding.objects.get(job=chair).filled_by == "appointed"


def test_a_refused_holding_shows_why_on_the_form(client, cast, chair, resident):
    start(chair, resident, cast.tm_a)
    other = ResidentFactory(community=cast.a, admitted_on=date(2025, 1, 1))
    client.force_login(cast.tm_a)
    response = client.post(
        reverse("community:job_holding_start", args=[chair.pk]),
        {
            "resident": str(other.pk),
            "from_on_day": "1",
            "from_on_month": "3",
            "from_on_year": "2025",
            "filled_by": "election",
            "confirm": "1",
        },
    )
    assert "Chair is held by Sam" in response.context["form"].non_field_errors()[0]


@pytest.fixture
def restricted(cast, chair, resident):
    holding = start(chair, resident, cast.tm_a)
    resident_services.person_restrict_from(
        record=resident, staff=[cast.clinician_a], reason="Press interest.", by=cast.tm_a
    )
    return holding


@pytest.mark.parametrize("who", ["hop", "officer_a"])
def test_a_restricted_residents_holdings_are_hidden_from_staff_not_named(cast, restricted, who):
    user = getattr(cast, who)
    assert list(selectors.holdings_of(user, cast.a)) == []
    assert [job.current_holdings for job in selectors.jobs_of(user, cast.a)] == [[]]


def test_a_restricted_residents_holdings_are_seen_by_the_named_staff(cast, restricted):
    assert list(selectors.holdings_of(cast.clinician_a, cast.a)) == [restricted]


def test_a_restricted_residents_holding_is_not_found_for_the_hop_not_named(
    client, cast, restricted
):
    client.force_login(cast.hop)
    for name in ("community:job_holding_end", "community:job_holding_entered_in_error"):
        assert client.get(reverse(name, args=[restricted.pk])).status_code == 404


def test_a_holding_is_marked_entered_in_error_from_the_page(client, cast, restricted):
    client.force_login(cast.tm_a)
    url = reverse("community:job_holding_entered_in_error", args=[restricted.pk])
    client.post(url, {"reason": "Another resident was elected.", "confirm": "1"})
    restricted.refresh_from_db()
    assert restricted.entered_in_error


BOUND = 20


def make_holdings(cast, count, start_at):
    jobs = CommunityJob.objects.bulk_create(
        CommunityJob(community=cast.a, name=f"Job {start_at + n}") for n in range(count)
    )
    residents = Resident.objects.bulk_create(
        Resident(
            community=cast.a,
            prison_number=f"C{start_at + n:04d}DE",
            first_name="Test",
            last_name=f"Resident {start_at + n}",
            date_of_birth=date(1980, 1, 1),
            admitted_on=date(2025, 1, 1),
        )
        for n in range(count)
    )
    bulk_create_with_history(
        [
            JobHolding(
                job=job,
                resident=r,
                from_on=date(2025, 2, 1) + timedelta(days=n % 100),
                filled_by="election",
                recorded_by=cast.tm_a,
            )
            for n, (job, r) in enumerate(zip(jobs, residents, strict=True))
        ],
        JobHolding,
    )


def test_query_count_is_bounded_at_10_and_1000_jobs_and_holdings(
    client, django_assert_max_num_queries, cast
):
    JobHoldingFactory(job=CommunityJobFactory(community=cast.a))
    url = reverse("community:job_list", args=[cast.a.pk])
    client.force_login(cast.tm_a)
    client.get(url)
    make_holdings(cast, 10, 1000)
    with django_assert_max_num_queries(BOUND):
        assert client.get(url).status_code == 200
    make_holdings(cast, 990, 2000)
    with django_assert_max_num_queries(BOUND):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["jobs"]) == 1001


def test_the_residents_page_shows_the_jobs_they_hold_and_have_held(client, cast, chair, resident):
    secretary = services.job_create(community=cast.a, name="Secretary", by=cast.tm_a)
    held = start(secretary, resident, cast.tm_a, from_on=date(2025, 2, 1), filled_by="appointed")
    services.job_holding_end(holding=held, to_on=date(2025, 5, 31), by=cast.tm_a)
    start(chair, resident, cast.tm_a, from_on=date(2025, 6, 1))
    client.force_login(cast.clinician_a)
    page = client.get(reverse("residents:detail", args=[resident.pk])).content.decode()
    jobs = page[page.index('data-testid="jobs-held"') :]
    assert jobs.index("Chair: elected by the community, from 1 June 2025") < jobs.index(
        "Secretary: appointed by staff, from 1 February 2025 to 31 May 2025"
    )


def test_a_resident_with_no_job_says_so(client, cast, resident):
    client.force_login(cast.clinician_a)
    page = client.get(reverse("residents:detail", args=[resident.pk])).content.decode()
    assert "Sam" in page and "has held no community job." in page


def test_the_case_study_tells_the_jobs_held_among_the_events(cast, chair, resident):
    from audit.case_study import content

    held = start(chair, resident, cast.tm_a, from_on=date(2025, 3, 3))
    services.job_holding_end(holding=held, to_on=date(2025, 9, 1), by=cast.tm_a)
    events = [(e.on, e.what) for e in content(resident, today=date(2025, 12, 1))["events"]]
    assert (
        date(2025, 3, 3),
        "Took up the community job of Chair (elected by the community)",
    ) in events
    assert (date(2025, 9, 1), "Last day as Chair") in events
