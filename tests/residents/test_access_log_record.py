"""access_log_record: every view of an identifiable resident page is logged — who, which
page and when — in an append-only log."""

from django.utils import timezone

from residents import services
from residents.models import AccessLogEntry
from tests.factories import ResidentFactory


def test_a_view_is_logged_with_who_viewed_which_page_and_when(cast):
    resident = ResidentFactory(community=cast.a)
    before = timezone.now()
    entry = services.access_log_record(resident=resident, page="record", by=cast.clinician_a)
    entry = AccessLogEntry.objects.get(pk=entry.pk)
    assert (entry.resident, entry.user, entry.page) == (resident, cast.clinician_a, "record")
    assert before <= entry.viewed_at <= timezone.now()


def test_each_view_adds_an_entry_and_the_newest_reads_first(cast):
    resident = ResidentFactory(community=cast.a)
    other = ResidentFactory(community=cast.a)
    for user, page in [(cast.clinician_a, "record"), (cast.tm_a, "timeline")]:
        services.access_log_record(resident=resident, page=page, by=user)
    services.access_log_record(resident=resident, page="record", by=cast.clinician_a)
    services.access_log_record(resident=other, page="record", by=cast.officer_a)
    assert list(resident.access_log.values_list("user__username", "page")) == [
        ("clinician_a", "record"),
        ("tm_a", "timeline"),
        ("clinician_a", "record"),
    ]
