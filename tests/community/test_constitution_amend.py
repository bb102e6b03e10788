"""constitution_amend: a new version each time, the old one never changed; and the amend
page, form → check your answers → save."""

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from community import selectors
from community.models import Clause, Constitution
from tests.community.constitution_factories import CORE_RULES, amend, with_clause


def test_the_first_version_is_version_1_with_its_clauses_and_rules(cast):
    version = amend(cast.a, cast.tm_a, quorum_percent=40, staff_vote="counted_separately")
    assert version.version == 1
    assert version.made_by == cast.tm_a
    assert [c.title for c in version.clauses.all()] == ["No violence", "No drugs", "No sex"]
    assert version.quorum_percent == 40
    assert version.staff_vote == "counted_separately"
    assert version.needs_ratification("vote_out")
    assert not version.needs_ratification("job_election")
    assert version.history.count() == 1


def test_an_amendment_makes_a_new_version_and_keeps_the_old_one_unchanged(cast):
    first = amend(cast.a, cast.tm_a, in_force_from=date(2025, 1, 1))
    before = list(first.clauses.values_list("number", "title", "text", "is_core_rule"))
    changed = [dict(c) for c in CORE_RULES]
    changed[1]["text"] = "No drugs, alcohol or hooch."
    second = amend(
        cast.a,
        cast.tm_a,
        clauses=with_clause(changed, "4", "Visits"),
        in_force_from=date(2025, 6, 1),
        quorum_percent=60,
    )
    first.refresh_from_db()
    assert second.version == 2
    assert first.quorum_percent == 50
    assert list(first.clauses.values_list("number", "title", "text", "is_core_rule")) == before
    assert first.history.count() == 1
    assert Clause.history.filter(constitution_id=first.pk, history_type="~").count() == 0
    assert second.clauses.count() == 4


def test_a_version_cannot_come_into_force_before_the_latest(cast):
    amend(cast.a, cast.tm_a, in_force_from=date(2025, 6, 1))
    with pytest.raises(ValidationError) as refused:
        amend(cast.a, cast.tm_a, in_force_from=date(2025, 5, 31), quorum_percent=70)
    assert "in_force_from" in refused.value.error_dict
    assert "before version 1" in str(refused.value)


def test_an_amendment_that_changes_nothing_is_refused(cast):
    amend(cast.a, cast.tm_a)
    with pytest.raises(ValidationError, match="same as version 1"):
        amend(cast.a, cast.tm_a, in_force_from=date(2025, 2, 1))
    assert Constitution.objects.filter(community=cast.a).count() == 1


@pytest.mark.parametrize(
    ("clauses", "message"),
    [
        ([], "Enter at least one clause"),
        (with_clause(CORE_RULES, "1", "Again"), "Clause number 1 is used twice"),
        (with_clause(CORE_RULES, "one", "Words"), "numbers and points"),
        ([{**c, "is_core_rule": False} for c in CORE_RULES], "Mark the core rules"),
    ],
    ids=["none", "twice", "not a number", "no core rule"],
)
def test_clauses_that_do_not_make_a_constitution_are_refused(cast, clauses, message):
    with pytest.raises(ValidationError, match=message):
        amend(cast.a, cast.tm_a, clauses=clauses)
    assert not Constitution.objects.exists()


def test_only_the_therapy_manager_and_the_hop_amend(cast):
    with pytest.raises(PermissionDenied):
        amend(cast.a, cast.clinician_a)
    assert amend(cast.a, cast.hop).made_by == cast.hop


def test_the_comparison_tells_clauses_added_changed_and_removed_and_rules_changed(cast):
    first = amend(cast.a, cast.tm_a, clauses=with_clause(CORE_RULES, "4", "Visits"))
    changed = [dict(c) for c in CORE_RULES]
    changed[0]["title"] = "No violence or threats"
    second = amend(
        cast.a,
        cast.tm_a,
        clauses=with_clause(changed, "5", "Phones"),
        in_force_from=date(2025, 3, 1),
        majority="two_thirds",
    )
    changes = selectors.constitution_changes(first, second)
    assert [c.number for c in changes.added] == ["5"]
    assert [(b.title, a.title) for b, a in changes.changed] == [
        ("No violence", "No violence or threats")
    ]
    assert [c.number for c in changes.removed] == ["4"]
    assert changes.rules == [("Majority", "Simple majority", "Two-thirds majority")]


def test_the_comparison_page_shows_the_changes(client, cast):
    amend(cast.a, cast.tm_a, clauses=with_clause(CORE_RULES, "4", "Visits"))
    second = amend(cast.a, cast.tm_a, in_force_from=date(2025, 3, 1))
    client.force_login(cast.officer_a)
    response = client.get(reverse("community:constitution_compare", args=[second.pk]))
    page = response.content.decode()
    assert "What version 2 changed from version 1" in page
    assert "Clauses removed" in page and "4. Visits" in page
    assert "Clauses added" not in page


# The amend page ------------------------------------------------------------------------


def token_on(response) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', response.content.decode()).group(1)


def answers(clauses=CORE_RULES, **overrides):
    data = {
        "rows": str(len(clauses) + 5),
        "quorum_percent": "50",
        "majority": "simple",
        "staff_vote": "none",
        "ratification_required_for": ["vote_out", "return_to_community"],
        "in_force_from_day": "1",
        "in_force_from_month": "3",
        "in_force_from_year": "2025",
        "amendment_note": "Carried at the community meeting of 1 March.",
    }
    for row, clause in enumerate(clauses, start=1):
        data[f"clause_{row}_number"] = clause["number"]
        data[f"clause_{row}_title"] = clause["title"]
        data[f"clause_{row}_text"] = clause["text"]
        if clause["is_core_rule"]:
            data[f"clause_{row}_is_core_rule"] = "on"
    return {**data, **overrides}


def test_the_form_starts_from_the_latest_version(client, cast):
    amend(cast.a, cast.tm_a, clauses=with_clause(CORE_RULES, "4", "Visits"), quorum_percent=35)
    client.force_login(cast.tm_a)
    response = client.get(reverse("community:constitution_amend", args=[cast.a.pk]))
    form = response.context["form"]
    assert form.initial["clause_4_title"] == "Visits"
    assert form.initial["quorum_percent"] == 35
    assert form.row_count == 4 + 5


def test_the_first_version_starts_from_the_core_rules(client, cast):
    client.force_login(cast.tm_a)
    response = client.get(reverse("community:constitution_amend", args=[cast.a.pk]))
    assert response.context["form"].initial["clause_3_title"] == "No sex"
    assert b"Write the constitution" in response.content


def test_an_amendment_goes_through_check_your_answers_and_is_saved_once(client, cast):
    amend(cast.a, cast.tm_a)
    url = reverse("community:constitution_amend", args=[cast.a.pk])
    client.force_login(cast.tm_a)
    token = token_on(client.get(url))
    posted = answers(with_clause(CORE_RULES, "4", "Visits", "Visits are booked a week ahead."))

    check = client.post(url, {**posted, "form_token": token})
    page = check.content.decode()
    assert "Check your answers" in page
    assert "Version 2, amending version 1" in page
    assert "4. Visits" in page
    assert "Title of clause 5" not in page  # the empty rows are left out
    assert Constitution.objects.filter(community=cast.a).count() == 1

    saved = client.post(url, {**posted, "form_token": token, "confirm": "1"})
    second = Constitution.objects.get(community=cast.a, version=2)
    assert saved.status_code == 302
    assert saved["Location"] == reverse("community:constitution_version", args=[second.pk])
    assert second.ratification_required_for == ["vote_out", "return_to_community"]
    assert second.in_force_from == date(2025, 3, 1)
    assert [c.number for c in second.clauses.all()] == ["1", "2", "3", "4"]

    client.post(url, {**posted, "form_token": token, "confirm": "1"})
    assert Constitution.objects.filter(community=cast.a).count() == 2


def test_emptying_a_row_removes_its_clause(client, cast):
    amend(cast.a, cast.tm_a, clauses=with_clause(CORE_RULES, "4", "Visits"))
    client.force_login(cast.tm_a)
    posted = answers(with_clause(CORE_RULES, "4", "Visits"))
    for part in ("number", "title", "text"):
        posted[f"clause_4_{part}"] = ""
    client.post(
        reverse("community:constitution_amend", args=[cast.a.pk]), {**posted, "confirm": "1"}
    )
    assert Constitution.objects.get(version=2).clauses.count() == 3


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"clause_2_title": ""}, "clause_2_title", "Enter the title of clause 2"),
        ({"clause_2_number": "1"}, "clause_2_number", "Clause number 1 is used more than once"),
        ({"clause_3_number": "3a"}, "clause_3_number", "Enter the number of clause 3 as numbers"),
        ({"clause_1_text": "x" * 2001}, "clause_1_text", "Text of clause 1 must be 2,000 char"),
        ({"quorum_percent": "150"}, "quorum_percent", "Quorum must be 100 or"),
        ({"quorum_percent": ""}, "quorum_percent", "Enter the quorum"),
        ({"majority": ""}, "majority", "Select the majority needed to carry a motion"),
        ({"in_force_from_day": "31", "in_force_from_month": "2"}, "in_force_from", "real date"),
        ({"amendment_note": ""}, "amendment_note", "Enter what the amendment changes and why"),
    ],
)
def test_validation_messages_name_their_field(client, cast, overrides, field, message):
    client.force_login(cast.tm_a)
    response = client.post(
        reverse("community:constitution_amend", args=[cast.a.pk]), answers(**overrides)
    )
    errors = response.context["form"].errors
    assert field in errors
    assert message in errors[field][0]
    assert not Constitution.objects.exists()


def test_the_services_refusal_shows_on_the_form(client, cast):
    amend(cast.a, cast.tm_a, in_force_from=date(2025, 6, 1))
    client.force_login(cast.tm_a)
    response = client.post(
        reverse("community:constitution_amend", args=[cast.a.pk]),
        {**answers(quorum_percent="70"), "confirm": "1"},
    )
    assert "before version 1" in response.context["form"].errors["in_force_from"][0]
    assert Constitution.objects.count() == 1
