"""List pages read a fixed number of queries whatever the number of sessions."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervision.models import SessionType, SupervisionSession


def make_sessions(cast, count):
    sessions = SupervisionSession.objects.bulk_create(
        SupervisionSession(
            community=cast.a,
            session_type=SessionType.GROUP,
            supervisor=cast.tm_a,
            held_on=date.today() - timedelta(days=n % 180),
            duration_minutes=60,
            recorded_by=cast.tm_a,
        )
        for n in range(count)
    )
    through = SupervisionSession.supervisees.through
    through.objects.bulk_create(
        through(supervisionsession_id=s.pk, user_id=u.pk)
        for s in sessions
        for u in (cast.clinician_a, cast.officer_a)
    )


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url_name", ["supervision:session_list", "supervision:compliance", "supervision:record", "home"]
)
def test_query_count_does_not_grow_with_sessions(client, cast, url_name):
    client.force_login(cast.tm_a)
    args = [cast.clinician_a.pk] if url_name == "supervision:record" else []
    url = reverse(url_name, args=args)
    client.get(url)  # the first request after sign-in also touches the session
    make_sessions(cast, 10)
    at_ten = queries(client, url)
    make_sessions(cast, 990)
    assert queries(client, url) == at_ten
    assert at_ten <= 25


def test_the_home_card_is_cached_until_a_team_changes(
    client, cast, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    from datetime import date

    from supervision.models import SessionType
    from tests.supervision.factories import SupervisionSessionFactory

    def compliance_of_a():
        page = client.get(reverse("home")).content.decode()
        return page.split(f'data-testid="supervision-card-{cast.a.pk}">')[1].split(" ")[0]

    client.force_login(cast.hop)
    assert compliance_of_a() == "0%"
    with django_capture_on_commit_callbacks(execute=True):
        SupervisionSessionFactory(
            community=cast.b,  # held in another community: counts for the officer's team in a
            session_type=SessionType.GROUP,
            held_on=date.today(),
            supervisees=[cast.officer_a],
        )
    assert compliance_of_a() not in {"0%", "–"}
