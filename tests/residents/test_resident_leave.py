import re
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.urls import reverse

from residents import services
from residents.models import LeavingType, Phase, Resident
from tests.factories import ResidentFactory
from tests.residents.factories import AcctPeriodFactory

TODAY = date.today()


def _admitted_months_ago(cast, months, days=0):
    return ResidentFactory(
        community=cast.a, admitted_on=TODAY - relativedelta(months=months, days=days)
    )


def test_completion_is_refused_a_day_before_the_minimum_stay(cast):
    cast.a.minimum_stay_months = 18
    cast.a.save()
    # Fixed dates: counted back from today, a month end can make "18 months less a day"
    # the very day the stay ends (31 May + 18 months is 30 November).
    resident = ResidentFactory(community=cast.a, admitted_on=date(2025, 1, 15))
    with pytest.raises(ValidationError) as refused:
        services.resident_leave(
            resident=resident,
            leaving_type=LeavingType.COMPLETED,
            left_on=date(2026, 7, 14),
            reason="",
            by=cast.tm_a,
        )
    assert "minimum stay of 18 months" in str(refused.value)
    resident.refresh_from_db()
    assert resident.phase != Phase.LEFT


def test_completion_is_allowed_on_the_day_the_minimum_stay_ends(cast):
    cast.a.minimum_stay_months = 18
    cast.a.save()
    resident = ResidentFactory(community=cast.a, admitted_on=date(2025, 1, 15))
    services.resident_leave(
        resident=resident,
        leaving_type=LeavingType.COMPLETED,
        left_on=date(2026, 7, 15),
        reason="",
        by=cast.tm_a,
    )
    resident.refresh_from_db()
    assert (resident.phase, resident.leaving_type) == (Phase.LEFT, LeavingType.COMPLETED)


def test_leaving_frees_the_bed_and_closes_an_open_acct(cast):
    resident = _admitted_months_ago(cast, 3)
    AcctPeriodFactory(resident=resident, opened_by=cast.officer_a)
    beds = Resident.objects.filter(community=cast.a).current().count()
    services.resident_leave(
        resident=resident,
        leaving_type=LeavingType.SELF_DESELECTED,
        left_on=TODAY,
        reason="Asked to return to the main wing",
        by=cast.tm_a,
    )
    assert Resident.objects.filter(community=cast.a).current().count() == beds - 1
    assert resident.acct_periods.get().closed_on == TODAY
    assert resident.history.first().history_user == cast.tm_a


def test_a_resident_who_has_left_cannot_leave_again(cast):
    resident = _admitted_months_ago(cast, 3)
    kwargs = dict(leaving_type=LeavingType.RELEASED, left_on=TODAY, reason="", by=cast.tm_a)
    services.resident_leave(resident=resident, **kwargs)
    with pytest.raises(ValidationError):
        services.resident_leave(resident=resident, **kwargs)


def test_leaving_is_checked_with_a_change_link_to_each_answer(client, cast):
    resident = _admitted_months_ago(cast, 3)
    client.force_login(cast.tm_a)
    url = reverse("residents:resident_leave", args=[resident.pk])
    answers = {
        "leaving_type": LeavingType.SELF_DESELECTED,
        "left_on_day": TODAY.day,
        "left_on_month": TODAY.month,
        "left_on_year": TODAY.year,
        "reason": "Asked to return to the main wing",
    }

    check = client.post(url, answers).content.decode()
    assert "Check your answers" in check and "Self-deselected" in check
    for question in ("id_leaving_type_0", "id_left_on_0", "id_reason"):
        assert f'name="change" value="1" formaction="#{question}"' in check
    assert '<input type="hidden" name="reason" value="Asked to return to the main wing">' in check

    again = client.post(url, answers | {"change": "1"}).content.decode()
    assert "Check your answers" not in again and "There is a problem" not in again
    assert re.search(r'value="self_deselected"[^>]* checked', again)
    assert re.search(r"<textarea [^>]*>\s*Asked to return to the main wing</textarea>", again)
    resident.refresh_from_db()
    assert resident.phase != Phase.LEFT

    done = client.post(url, answers | {"confirm": "1"})
    assert done.status_code == 302
    resident.refresh_from_db()
    assert resident.leaving_type == LeavingType.SELF_DESELECTED
