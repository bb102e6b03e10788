"""What other apps add to the home page, so that dtc imports none of them: cards, and
the lines of the user's work queue.

An app registers a function in its AppConfig.ready(); the home view calls each with
the request, in the order of INSTALLED_APPS, and shows the card it returns (or none),
then the queue gathered from every queue function."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta


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


# The work queue ------------------------------------------------------------------------

COMING_DAYS = 14  # "Coming up" looks this far ahead
CAP = 25  # lines shown per section on the home page; the full list has the rest
# Lines of one kind read at most, the most pressing first: the kind's own list (the
# referrals, the registers not taken, the overrides) has the rest. The queue's cost is
# then bounded whatever the estate's size or history.
PER_KIND = 50


@dataclass(frozen=True)
class QueueItem:
    """One thing that needs the user: what, about whom or what, by when, and where to do it.
    Undated items need the user now."""

    due: date | None
    what: str
    about: str
    url: str


@dataclass(frozen=True)
class Queue:
    due: list[QueueItem]  # "What needs you": due on or before today, newest due first
    coming: list[QueueItem]  # "Coming up": due within COMING_DAYS, soonest first

    @property
    def due_more(self) -> int:
        return max(0, len(self.due) - CAP)

    @property
    def coming_more(self) -> int:
        return max(0, len(self.coming) - CAP)


_QUEUE: list[Callable[..., Iterable[QueueItem]]] = []


def register_queue(fn: Callable[..., Iterable[QueueItem]]) -> Callable:
    """Add `fn(request, *, today)`, which returns the QueueItems of one app."""
    if fn not in _QUEUE:
        _QUEUE.append(fn)
    return fn


def now_or_earlier(day: date | None, today: date) -> date:
    """The due date of something waiting for the user now: today, or its own date if
    that has passed (it is then overdue)."""
    return min(day, today) if day else today


def queue(request, *, today: date) -> Queue:
    """The user's work queue from every registered app, in sections."""
    items = list(dict.fromkeys(item for fn in _QUEUE for item in fn(request, today=today)))
    horizon = today + timedelta(days=COMING_DAYS)
    due = [item for item in items if item.due is None or item.due <= today]
    due.sort(key=lambda item: (item.what, item.about))
    due.sort(key=lambda item: item.due or date.min, reverse=True)  # undated last
    due.sort(key=lambda item: item.due is None)
    coming = sorted(
        (item for item in items if item.due is not None and today < item.due <= horizon),
        key=lambda item: (item.due, item.what, item.about),
    )
    return Queue(due=due, coming=coming)
