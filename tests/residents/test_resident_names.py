"""A resident is "First Surname" on every page, through Resident.name; the resident
list says how many residents it holds."""

from datetime import date, timedelta

from django.urls import reverse

from tests.factories import ResidentFactory
from tests.residents.factories import GroupSessionFactory


def test_a_resident_is_named_first_name_then_surname(db, cast):
    resident = ResidentFactory(community=cast.a, first_name="Aaron", last_name="Ashby")
    assert resident.name == "Aaron Ashby"
    assert str(resident) == f"Aaron Ashby ({resident.prison_number})"


def test_the_resident_list_and_the_register_name_residents_the_same_way(client, cast):
    resident = ResidentFactory(
        community=cast.a, first_name="Aaron", last_name="Ashby", small_group=""
    )
    session = GroupSessionFactory(
        community=cast.a, held_on=date.today() - timedelta(days=1), recorded_by=cast.tm_a
    )
    client.force_login(cast.tm_a)
    pages = [
        client.get(reverse("residents:resident_list")).content.decode(),
        client.get(reverse("residents:attendance_record", args=[session.pk])).content.decode(),
    ]
    for page in pages:
        assert "Aaron Ashby" in page
        assert "Ashby, Aaron" not in page
    assert resident.prison_number in pages[0]


def test_the_resident_list_counts_its_residents(client, cast):
    for _ in range(27):
        ResidentFactory(community=cast.a)
    client.force_login(cast.tm_a)
    page = client.get(reverse("residents:resident_list")).content.decode()
    assert "27 residents" in page
