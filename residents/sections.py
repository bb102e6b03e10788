"""What other apps show on the resident's page, so that residents imports none of them
(dependencies point one way: community -> residents). An app registers a function in
its AppConfig.ready(); the page calls each with the request and the resident, already
read as the user may see them, and shows the section it returns (or none)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    template: str
    context: dict


_SECTIONS: list[Callable] = []


def register(provider: Callable) -> Callable:
    if provider not in _SECTIONS:
        _SECTIONS.append(provider)
    return provider


def for_resident(request, resident) -> list[Section]:
    return [
        section for provider in _SECTIONS if (section := provider(request, resident)) is not None
    ]
