"""acct_open / acct_close: the staff team opens an ACCT (self-harm care) period on a
resident and closes it; only one may be open at a time."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from dtc.models import Role
from residents import services
from residents.models import AcctPeriod, Phase, Resident, ResidentAccess
from tests.factories import ResidentFactory
from tests.residents.factories import AcctPeriodFactory

TODAY = timezone.localdate()
REASON = "Low mood after a family visit was cancelled"

RECORDING_ROLES = [
    (Role.THERAPY_MANAGER, True),
    (Role.CLINICIAN, True),
    (Role.OFFICER, True),
    (Role.TRAINEE, True),
    (Role.HEAD_OF_PSYCHOTHERAPY, False),
    (Role.AUDITOR, False),
]


@pytest.fixture
def resident(cast):
    return ResidentFactory(community=cast.a)


@pytest.fixture
def open_acct(cast, resident):
    return AcctPeriodFactory(
        resident=resident, opened_on=TODAY - timedelta(days=3), opened_by=cast.officer_a
    )


def _open(resident, by, opened_on=TODAY, reason=REASON):
    return services.acct_open(resident=resident, opened_on=opened_on, reason=reason, by=by)


def _acct_open(resident) -> bool:
    return Resident.objects.with_acct_open().get(pk=resident.pk).acct_open


# Opening ----------------------------------------------------------------------------


def test_an_acct_opens_with_its_reason_and_who_opened_it(cast, resident):
    period = _open(resident, cast.officer_a, opened_on=TODAY - timedelta(days=1))
    period.refresh_from_db()
    assert (period.opened_on, period.reason, period.opened_by, period.closed_on) == (
        TODAY - timedelta(days=1),
        REASON,
        cast.officer_a,
        None,
    )
    assert period.history.get().history_user == cast.officer_a
    assert _acct_open(resident)


def test_a_second_acct_is_refused_while_one_is_open(cast, resident, open_acct):
    with pytest.raises(ValidationError) as refused:
        _open(resident, cast.tm_a)
    assert refused.value.messages == ["An ACCT is already open for this resident."]
    assert resident.acct_periods.count() == 1


def test_a_new_acct_may_open_once_the_last_is_closed(cast, resident, open_acct):
    services.acct_close(resident=resident, closed_on=TODAY, by=cast.officer_a)
    _open(resident, cast.officer_a)
    assert resident.acct_periods.filter(closed_on__isnull=True).count() == 1
    assert resident.acct_periods.count() == 2


def test_an_acct_needs_its_reason(cast, resident):
    with pytest.raises(ValidationError) as refused:
        _open(resident, cast.officer_a, reason="")
    assert "reason" in refused.value.message_dict
    assert not resident.acct_periods.exists()


def test_an_acct_opened_in_the_future_is_refused(cast, resident):
    with pytest.raises(ValidationError) as refused:
        _open(resident, cast.officer_a, opened_on=TODAY + timedelta(days=1))
    assert "opened_on" in refused.value.message_dict
    assert not resident.acct_periods.exists()


def test_no_acct_opens_for_a_resident_who_has_left(cast):
    # An open ACCT passes to the wing the resident went to; the community's record is closed.
    resident = ResidentFactory(community=cast.a, phase=Phase.LEFT, left_on=TODAY)
    with pytest.raises(ValidationError):
        _open(resident, cast.officer_a)
    assert not resident.acct_periods.exists()


@pytest.mark.parametrize(("role", "allowed"), RECORDING_ROLES)
def test_who_may_open_an_acct(cast, resident, role, allowed):
    by = cast.by_role(role)
    if allowed:
        assert _open(resident, by).opened_by == by
    else:
        with pytest.raises(PermissionDenied):
            _open(resident, by)
    assert _acct_open(resident) is allowed


def test_staff_of_another_community_may_not_open_an_acct(cast, resident):
    with pytest.raises(PermissionDenied):
        _open(resident, cast.clinician_b)


def test_staff_not_named_on_a_restriction_do_not_find_the_resident(cast):
    resident = ResidentFactory(community=cast.a, is_restricted=True)
    ResidentAccess.objects.create(resident=resident, user=cast.tm_a, granted_by=cast.tm_a)
    with pytest.raises(Http404):
        _open(resident, cast.officer_a)
    assert _open(resident, cast.tm_a).pk


# Closing ----------------------------------------------------------------------------


def test_closing_records_the_day_and_who_closed_it(cast, resident, open_acct):
    period = services.acct_close(resident=resident, closed_on=TODAY, by=cast.clinician_a)
    assert period.pk == open_acct.pk
    open_acct.refresh_from_db()
    assert (open_acct.closed_on, open_acct.closed_by, open_acct.opened_by) == (
        TODAY,
        cast.clinician_a,
        cast.officer_a,
    )
    assert open_acct.history.first().history_user == cast.clinician_a
    assert not _acct_open(resident)


def test_an_acct_may_close_on_the_day_it_opened(cast, resident, open_acct):
    services.acct_close(resident=resident, closed_on=open_acct.opened_on, by=cast.officer_a)
    open_acct.refresh_from_db()
    assert open_acct.closed_on == open_acct.opened_on


def test_closing_only_touches_the_open_period(cast, resident):
    earlier = AcctPeriodFactory(
        resident=resident,
        opened_on=TODAY - timedelta(days=60),
        closed_on=TODAY - timedelta(days=50),
        closed_by=cast.tm_a,
        opened_by=cast.tm_a,
    )
    current = AcctPeriodFactory(resident=resident, opened_by=cast.officer_a)
    services.acct_close(resident=resident, closed_on=TODAY, by=cast.officer_a)
    earlier.refresh_from_db()
    current.refresh_from_db()
    assert (earlier.closed_on, earlier.closed_by) == (TODAY - timedelta(days=50), cast.tm_a)
    assert (current.closed_on, current.closed_by) == (TODAY, cast.officer_a)


def test_there_must_be_an_open_acct_to_close(cast, resident):
    with pytest.raises(ValidationError) as refused:
        services.acct_close(resident=resident, closed_on=TODAY, by=cast.officer_a)
    assert refused.value.messages == ["There is no open ACCT to close."]


def test_an_acct_cannot_close_before_it_opened(cast, resident, open_acct):
    with pytest.raises(ValidationError) as refused:
        services.acct_close(
            resident=resident, closed_on=open_acct.opened_on - timedelta(days=1), by=cast.tm_a
        )
    assert "closed_on" in refused.value.message_dict
    open_acct.refresh_from_db()
    assert open_acct.closed_on is None


def test_an_acct_closed_in_the_future_is_refused(cast, resident, open_acct):
    with pytest.raises(ValidationError) as refused:
        services.acct_close(resident=resident, closed_on=TODAY + timedelta(days=1), by=cast.tm_a)
    assert "closed_on" in refused.value.message_dict
    assert _acct_open(resident)


@pytest.mark.parametrize(("role", "allowed"), RECORDING_ROLES)
def test_who_may_close_an_acct(cast, resident, open_acct, role, allowed):
    by = cast.by_role(role)
    if allowed:
        assert services.acct_close(resident=resident, closed_on=TODAY, by=by).closed_by == by
    else:
        with pytest.raises(PermissionDenied):
            services.acct_close(resident=resident, closed_on=TODAY, by=by)
    assert AcctPeriod.objects.get(pk=open_acct.pk).closed_on == (TODAY if allowed else None)


def test_staff_of_another_community_may_not_close_an_acct(cast, resident, open_acct):
    with pytest.raises(PermissionDenied):
        services.acct_close(resident=resident, closed_on=TODAY, by=cast.tm_b)
