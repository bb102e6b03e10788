"""Auditors never read identifiers in text staff wrote: every free text the audit module
shows an auditor is redacted as a case study is; the community's staff read it as written."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.template import Context, Template, VariableDoesNotExist
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit import selectors, services
from audit.anonymise import AS_WRITTEN
from audit.models import AuditTemplate, Rating, RecordKind, StandardCriterion
from tests.factories import ResidentFactory
from tests.referrals.factories import ReferralFactory
from tests.residents.factories import TreatmentPlanFactory

# A resident of community A, as staff write about him.
FIRST, LAST, NUMBER = "Quentin", "Zabriskie", "Q9876ZZ"
BORN = ["1 January 1990", "01/01/1990"]
EVIDENCE = (
    f"{FIRST} {LAST} ({NUMBER}), born {BORN[0]} ({BORN[1]}), chaired the community "
    "meeting; minutes sampled."
)
# A prisoner referred to community A, never admitted.
REFERRED = "Ulysses Vantongeren"
WRITTEN = [FIRST, LAST, NUMBER, *BORN, *REFERRED.split()]


@pytest.fixture
def resident(cast):
    return ResidentFactory(
        community=cast.a,
        first_name=FIRST,
        last_name=LAST,
        prison_number=NUMBER,
        date_of_birth=date(1990, 1, 1),
    )


@pytest.fixture
def cycle(cast, resident):
    ReferralFactory(community=cast.a, first_name="Ulysses", last_name="Vantongeren")
    cycle = services.cycle_open(community=cast.a, title=f"Review after {LAST} left", by=cast.tm_a)
    met, not_met = StandardCriterion.objects.filter(retired=False).order_by("pk")[:2]
    services.criterion_rate(
        cycle=cycle, criterion=met, rating=Rating.MET, evidence=EVIDENCE, by=cast.tm_a
    )
    services.criterion_rate(
        cycle=cycle,
        criterion=not_met,
        rating=Rating.NOT_MET,
        evidence=f"Referral of {REFERRED} waited too long.",
        action_description=f"Ask {FIRST} {LAST} ({NUMBER}) to brief the new members.",
        action_owner=cast.tm_a,
        action_due=timezone.localdate() + timedelta(days=30),
        by=cast.tm_a,
    )
    return cycle


def page(client, user, path) -> str:
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def leaks(html: str) -> list[str]:
    return [written for written in WRITTEN if written in html]


def test_an_auditor_reads_the_review_cycle_without_identifiers(client, cast, cycle):
    html = page(client, cast.auditor_a, reverse("audit:cycle", args=[cycle.pk]))
    assert leaks(html) == []
    assert "[name] [name] ([identifier]), born [date] ([date]), chaired the community" in html
    assert "Referral of [name] [name] waited too long." in html
    assert "Ask [name] [name] ([identifier]) to brief" in html
    assert "Review after [name] left" in html


@pytest.mark.parametrize("role", ["tm_a", "hop"])
def test_the_communitys_staff_read_the_evidence_as_written(client, cast, cycle, role):
    html = page(client, getattr(cast, role), reverse("audit:cycle", args=[cycle.pk]))
    assert f"{FIRST} {LAST} ({NUMBER}), born {BORN[0]} ({BORN[1]}), chaired the community" in html
    assert f"Referral of {REFERRED} waited too long." in html
    assert f"Ask {FIRST} {LAST} ({NUMBER}) to brief" in html
    assert f"Review after {LAST} left" in html
    assert "[name]" not in html


def test_an_auditor_reads_the_audit_index_without_identifiers(client, cast, cycle):
    html = page(client, cast.auditor_a, reverse("audit:index"))
    assert "Review after [name] left" in html
    assert "Ask [name] [name] ([identifier]) to brief" in html
    assert leaks(html) == []
    staff = page(client, cast.tm_a, reverse("audit:index"))
    assert f"Ask {FIRST} {LAST} ({NUMBER}) to brief" in staff


def test_an_auditors_home_readiness_is_redacted_and_the_tms_is_not(client, cast, cycle):
    # Both hold community A only: the home card's cached copy is kept apart for each.
    assert "Review after [name] left" in page(client, cast.auditor_a, reverse("home"))
    assert f"Review after {LAST} left" in page(client, cast.tm_a, reverse("home"))
    assert "Review after [name] left" in page(client, cast.auditor_a, reverse("home"))


def test_a_resident_admitted_after_the_home_card_was_cached_is_redacted(
    client, cast, django_capture_on_commit_callbacks
):
    # A name that is also a word, where its capital tells nothing: only the residents
    # the service holds make it a name.
    services.cycle_open(community=cast.a, title="Will to chair the review", by=cast.tm_a)
    assert "Will to chair the review" in page(client, cast.auditor_a, reverse("home"))
    with django_capture_on_commit_callbacks(execute=True):
        ResidentFactory(community=cast.a, first_name="Will")
    assert "[name] to chair the review" in page(client, cast.auditor_a, reverse("home"))


@pytest.fixture
def withdrawn_run(cast, resident):
    template = services.audit_template_save(
        template=AuditTemplate(title="Plans audit", record_kind=RecordKind.TREATMENT_PLAN),
        questions=["Is the plan signed off?"],
        by=cast.hop,
    )
    TreatmentPlanFactory(resident=resident)
    run = services.audit_run_start(template=template, community=cast.a, sample_size=1, by=cast.tm_a)
    return services.audit_run_withdraw(
        run=run, reason=f"Started before {FIRST} {LAST}'s plan was signed off", by=cast.tm_a
    )


def test_an_auditor_reads_why_an_audit_was_withdrawn_without_identifiers(
    client, cast, withdrawn_run
):
    path = reverse("audit:clinical_run", args=[withdrawn_run.pk])
    html = page(client, cast.auditor_a, path)
    assert "Started before [name] [name] plan was signed off" in html
    assert leaks(html) == []
    assert f"Started before {FIRST} {LAST}&#x27;s plan" in page(client, cast.tm_a, path)


def test_an_auditor_reads_the_catalogue_through_the_same_redaction(client, cast, resident):
    criterion = StandardCriterion.objects.filter(retired=False).first()
    criterion.text = f"Residents such as {LAST} are reviewed"
    criterion.save()
    html = page(client, cast.auditor_a, reverse("audit:standards"))
    assert "Residents such as [name] are reviewed" in html
    assert LAST in page(client, cast.hop, reverse("audit:standards"))


def test_the_redaction_is_read_once_per_page_not_per_text(client, cast, cycle):
    client.force_login(cast.auditor_a)
    path = reverse("audit:cycle", args=[cycle.pk])
    client.get(path)
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    for criterion in StandardCriterion.objects.filter(retired=False).order_by("pk")[2:12]:
        services.criterion_rate(
            cycle=cycle, criterion=criterion, rating=Rating.MET, evidence=EVIDENCE, by=cast.tm_a
        )
    with CaptureQueriesContext(connection) as many:
        html = client.get(path).content.decode()
    assert html.count("[name] [name] ([identifier]), born [date]") == 11
    assert len(many) == len(few)


def test_staff_pay_no_query_for_the_redaction(cast):
    assert selectors.redaction_for(cast.tm_a, [cast.a.pk]).redacts is False
    assert selectors.redaction_for(cast.tm_a, [cast.a.pk]) is AS_WRITTEN
    assert selectors.redaction_for(cast.hop, [cast.a.pk, cast.b.pk]) is AS_WRITTEN


def test_an_auditor_pays_for_the_redaction_only_when_a_text_needs_it(cast, resident):
    redaction = selectors.redaction_for(cast.auditor_a, [cast.a.pk])
    assert redaction.redacts
    with CaptureQueriesContext(connection) as none:
        assert redaction("") == ""
    with CaptureQueriesContext(connection) as once:
        redaction(FIRST)
        redaction(LAST)
    assert (len(none), len(once)) == (0, 2)  # residents, referrals


def test_the_redaction_knows_only_the_prisoners_of_the_pages_communities(cast, resident):
    ResidentFactory(community=cast.b, first_name="Will", last_name="Okonkwo-Hale")
    redaction = selectors.redaction_for(cast.auditor_a, [cast.a.pk])
    assert redaction(f"Will met {FIRST}") == "Will met [name]"


def test_a_page_that_forgets_its_redaction_fails_rather_than_shows_the_text():
    template = Template("{% load redaction %}{{ text|redacted:redaction }}")
    with pytest.raises((TypeError, VariableDoesNotExist)):
        template.render(Context({"text": EVIDENCE}))
    assert template.render(Context({"text": "ok", "redaction": AS_WRITTEN})) == "ok"
