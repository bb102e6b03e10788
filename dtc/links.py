"""The path of a record's page at the cost of a string replace, for lists that link
every line to its record (the work queue reads up to 25 lines of each kind).

`path_to(name, pk)` is `reverse(name, args=[pk])` for a route whose one argument is a
record's id: the route is reversed once per process with a stand-in id, and the id put
in its place. reverse() walks the URL resolver each time; a page of a few hundred links
spent more time there than in some of its queries."""

from django.urls import get_script_prefix, reverse

_STAND_IN = 987654321012  # an id no route's path holds otherwise
_PATTERNS: dict[tuple[str, str], tuple[str, str]] = {}


def path_to(name: str, pk: int) -> str:
    key = (get_script_prefix(), name)
    parts = _PATTERNS.get(key)
    if parts is None:
        before, stand_in, after = reverse(name, args=[_STAND_IN]).partition(str(_STAND_IN))
        if not stand_in:
            raise ValueError(f"The route {name} does not take a record's id")
        parts = _PATTERNS[key] = (before, after)
    return f"{parts[0]}{int(pk)}{parts[1]}"
