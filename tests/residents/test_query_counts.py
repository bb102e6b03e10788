"""The lists and the resident page read the same number of queries at 10 and 500
residents with 200 group sessions."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from residents.models import (
    Attendance,
    AttendanceStatus,
    GroupSession,
    Resident,
    SmallGroupMembership,
)
from tests.factories import ResidentFactory, small_group_named

BOUND = 30


def make_residents(cast, count, start):
    groups = [small_group_named(cast.a, f"Group {n}") for n in range(4)]
    residents = Resident.objects.bulk_create(
        Resident(
            community=cast.a,
            prison_number=f"A{start + n:04d}BC",
            first_name="Test",
            last_name=f"Resident {start + n}",
            date_of_birth=date(1980, 1, 1),
            admitted_on=date.today() - timedelta(days=400),
            next_review_on=date.today() - timedelta(days=n % 3),
            key_worker=cast.clinician_a,
        )
        for n in range(count)
    )
    SmallGroupMembership.objects.bulk_create(
        SmallGroupMembership(group=groups[n % 4], resident=resident, joined_on=resident.admitted_on)
        for n, resident in enumerate(residents)
    )
    return residents


def make_sessions(cast, resident, count):
    sessions = GroupSession.objects.bulk_create(
        GroupSession(
            community=cast.a,
            group_type="small_group",
            held_on=date.today() - timedelta(days=n),
            duration_minutes=90,
            recorded_by=cast.tm_a,
        )
        for n in range(count)
    )
    bulk_create_with_history(
        [
            Attendance(
                session=s, resident=resident, status=AttendanceStatus.PRESENT, recorded_by=cast.tm_a
            )
            for s in sessions
        ],
        Attendance,
    )


@pytest.mark.parametrize(
    "url_name",
    ["residents:resident_list", "residents:caseload", "residents:session_list", "residents:detail"],
)
def test_query_count_is_bounded_at_10_and_500_residents(
    client, django_assert_max_num_queries, cast, url_name
):
    subject = ResidentFactory(community=cast.a, key_worker=cast.clinician_a)
    args = [subject.pk] if url_name == "residents:detail" else []
    url = reverse(url_name, args=args)
    client.force_login(cast.clinician_a)
    client.get(url)
    make_residents(cast, 10, 1000)
    make_sessions(cast, subject, 20)
    with django_assert_max_num_queries(BOUND):
        assert client.get(url).status_code == 200
    make_residents(cast, 490, 2000)
    make_sessions(cast, subject, 180)
    with django_assert_max_num_queries(BOUND):
        assert client.get(url).status_code == 200
