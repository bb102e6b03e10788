"""Ids, dates and search text from a request. A value that is not one reads as absent
(or, posted, as an unknown choice), so a mistyped or tampered link shows the unfiltered
page rather than a server error (dtc.middleware keeps control characters out of the
query string)."""

from datetime import date

from django import forms

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
