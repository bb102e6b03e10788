"""`__one_of` reads as `__in` does, sent as one array on PostgreSQL; links.path_to
builds the path reverse() would; the work queue writes its due dates once a day."""

from datetime import date

import pytest
from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from dtc import links
from dtc.home import QueueItem
from dtc.models import Community
from residents.models import Resident
from tests.factories import ResidentFactory


@pytest.fixture
def residents(cast):
    return [
        ResidentFactory(community=cast.a, prison_number="A1111AA"),
        ResidentFactory(community=cast.b, prison_number="B2222BB"),
        ResidentFactory(community=cast.c, prison_number="C3333CC"),
    ]


def pks(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_one_of_keeps_the_rows_in_keeps_and_drops_the_rest(cast, residents):
    for values in ([cast.a.pk], [cast.a.pk, cast.c.pk], {cast.b.pk}, [cast.a.pk, cast.a.pk]):
        assert pks(Resident.objects.filter(community_id__one_of=values)) == pks(
            Resident.objects.filter(community_id__in=values)
        )
    assert pks(Community.objects.filter(pk__one_of=frozenset([cast.b.pk]))) == {cast.b.pk}


def test_one_of_an_empty_list_keeps_nothing_and_its_negation_everything(residents):
    assert not Resident.objects.filter(community_id__one_of=[]).exists()
    assert pks(Resident.objects.filter(~Q(prison_number__one_of=[]))) == {r.pk for r in residents}


def test_one_of_negated_leaves_out_the_values_and_ignores_none(residents):
    kept = Resident.objects.filter(~Q(prison_number__one_of=["A1111AA", None, "C3333CC"]))
    assert pks(kept) == {residents[1].pk}


def test_one_of_on_a_relation_reads_through_the_join(cast, residents):
    from residents.models import ClinicalDocument
    from tests.residents.factories import ClinicalDocumentFactory

    document = ClinicalDocumentFactory(resident=residents[1])
    ClinicalDocumentFactory(resident=residents[0])
    found = ClinicalDocument.objects.filter(resident__community_id__one_of=[cast.b.pk])
    assert pks(found) == {document.pk}


def test_path_to_is_the_path_reverse_builds():
    for pk in (1, 7, 987654, 2**40):
        assert links.path_to("residents:detail", pk) == reverse("residents:detail", args=[pk])
        assert links.path_to("referrals:detail", pk) == reverse("referrals:detail", args=[pk])


def test_path_to_refuses_a_route_without_a_record_id_and_an_id_that_is_not_one():
    with pytest.raises((ValueError, NoReverseMatch)):
        links.path_to("home", 1)
    with pytest.raises(ValueError):
        links.path_to("residents:detail", "1/../../admin")


def test_a_queue_line_writes_its_due_date_in_full():
    line = QueueItem(due=date(2026, 12, 4), what="Document due", about="x", url="/")
    assert line.due_text == "4 December 2026"
    assert QueueItem(due=None, what="Referral", about="x", url="/").due_text == ""
