"""Cards that other apps add to the home page, so that dtc imports none of them.

An app registers a function in its AppConfig.ready(); the home view calls each with
the request, in the order of INSTALLED_APPS, and shows the card it returns (or none)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Card:
    template: str
    context: dict


_PROVIDERS: list[Callable] = []


def register(provider: Callable) -> Callable:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def cards(request) -> list[Card]:
    return [card for provider in _PROVIDERS if (card := provider(request)) is not None]
