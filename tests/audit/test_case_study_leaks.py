"""The anonymisation check over the whole demo data: no demo resident's case study names
anyone the service holds, nor anything the demo wrote about a resident's life outside
(residents.demo.PLANTED: family, nicknames, officers, home towns, phone numbers,
postcodes), which the service does not hold and only detection takes out."""

import re

from django.utils import timezone

from audit import anonymise, case_study
from dtc.models import StaffProfile, User
from residents.demo import PLANTED
from residents.models import PlanGoal, Resident, TherapyReview
from tests.audit.test_case_studies import date_forms, pdf_text, words


def test_no_case_study_of_the_demo_data_names_anyone(demo_estate):
    """Every demo resident's case study is free of every demo person's name and of the
    resident's own prison number and date of birth."""
    people = {
        word
        for model in (Resident, User)
        for first, last in model.objects.values_list("first_name", "last_name")
        for word in words(f"{first} {last}")
        if len(word) >= 2
    }
    registrations = set(
        StaffProfile.objects.exclude(registration_number="").values_list(
            "registration_number", flat=True
        )
    )
    # What the demo planted is in its free text, and none of it is a name the service
    # holds: only detection can take it out.
    written = " ".join(
        [
            *TherapyReview.objects.values_list("summary", flat=True),
            *PlanGoal.objects.values_list("description", flat=True),
        ]
    )
    assert all(value in written for value in PLANTED)
    assert not anonymise.name_words(*PLANTED) & case_study.known_identifiers().names
    planted = [re.compile(rf"(?<!\w){re.escape(value)}(?!\w)") for value in PLANTED]

    tokens = set()
    today = timezone.localdate()
    residents = list(Resident.objects.select_related("community__establishment"))
    assert len(residents) > 50
    for resident in residents:
        text = pdf_text(case_study.render_pdf(resident, today=today)[0])
        found = words(text)
        assert anonymise.pseudonym(resident.pk) in text
        assert not found & people, (resident.pk, found & people)
        assert not found & {number.casefold() for number in registrations}
        assert resident.prison_number.casefold() not in found
        assert not re.search(r"\b[A-Z]\d{4}[A-Z]{2}\b", text)
        for written in date_forms(resident.date_of_birth):
            assert written not in text, (resident.pk, written)
        flat = " ".join(text.split())
        leaked = [pattern.pattern for pattern in planted if pattern.search(flat)]
        assert not leaked, (resident.pk, leaked)
        tokens |= set(re.findall(r"\[[a-z]+\]", flat))
    # The planted text reached the case studies, and went out of them.
    assert {"[name]", "[place]", "[phone]", "[postcode]"} <= tokens
