"""Reading ids, dates and search text from a query string: a value that is not one reads
as absent."""

from datetime import date

import pytest
from django.http import QueryDict

from dtc.params import date_param, int_param, search_param


@pytest.mark.parametrize(
    "value, expected",
    [
        ("42", 42),
        ("", None),
        ("abc", None),
        ("-1", None),
        ("0", None),
        ("4.2", None),
        ("²", None),  # str.isdigit() says yes, int() says no
        ("٤٢", None),  # Arabic-Indic digits: int() reads them, the databases do not
        ("99999999999999999999", None),  # past the largest bigint
        (" 42", None),
    ],
)
def test_int_param(value, expected):
    assert int_param({"community": value}, "community") == expected


def test_int_param_absent():
    assert int_param(QueryDict(), "community") is None


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-07-01", date(2026, 7, 1)),
        ("1900-01-01", date(1900, 1, 1)),
        ("1899-12-31", None),
        ("0001-01-01", None),
        ("9999-12-31", None),
        ("0000-00-00", None),
        ("2026-02-30", None),
        ("not a date", None),
        ("", None),
    ],
)
def test_date_param(value, expected):
    assert date_param({"start": value}, "start") == expected


def test_search_param_is_trimmed_and_cut_to_a_searchable_length():
    assert search_param({"q": "  Okonkwo "}) == "Okonkwo"
    assert len(search_param({"q": "x" * 100_000})) == 100
    assert search_param({}) == ""
