import re

from django.http import QueryDict

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
