"""Ids, dates and search text from a request. A value that is not one reads as absent
(or, posted, as an unknown choice), so a mistyped or tampered link shows the unfiltered
page rather than a server error; control characters never reach a view's query string."""

import re
from datetime import date

from django import forms
from django.http import QueryDict

# The largest id either database holds (ids are bigint); SQLite raises OverflowError past it.
MAX_ID = 2**63 - 1
# Years the figures can be computed for (retention looks 18 months back from the start).
EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)


def int_param(params, name: str) -> int | None:
    """The id in `params[name]`, or None when absent, not a whole number, or out of range."""
    value = params.get(name) or ""
    # isdecimal() alone accepts other scripts' digits, which the databases do not.
    if not (value.isascii() and value.isdecimal()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def date_param(params, name: str) -> date | None:
    """The ISO date (2026-07-01) in `params[name]`, or None when absent, invalid or outside
    the years the service computes with."""
    try:
        day = date.fromisoformat(params.get(name) or "")
    except ValueError:
        return None
    return day if EARLIEST <= day <= LATEST else None


# Longer than any name or number searched for; SQLite refuses LIKE patterns past 50,000 bytes.
SEARCH_LENGTH = 100


def search_param(params, name: str = "q") -> str:
    """The search text in `params[name]`, trimmed, and cut to a length worth searching for."""
    return (params.get(name) or "").strip()[:SEARCH_LENGTH]


class RecordsChoiceField(forms.ModelMultipleChoiceField):
    """Records chosen by id (checkboxes). An id larger than any database holds is refused
    as an unknown one is, where SQLite would raise OverflowError on it."""

    def clean(self, value):
        for pk in value if isinstance(value, (list, tuple)) else ():
            if str(pk).strip().isdecimal() and int(pk) > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)


# Control characters other than tab, newline and carriage return: no one types them,
# and PostgreSQL refuses a NUL in a query parameter outright.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class QueryStringCleaningMiddleware:
    """Removes control characters from the query string's names and values before any
    view reads them, so a search for "a\\x00b" is a search for "ab", not a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            CONTROL_CHARACTERS.search(key) or CONTROL_CHARACTERS.search(value)
            for key, values in request.GET.lists()
            for value in values
        ):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(
                    CONTROL_CHARACTERS.sub("", key),
                    [CONTROL_CHARACTERS.sub("", value) for value in values],
                )
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
