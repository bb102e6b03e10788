"""What other apps add to the home page, so that dtc imports none of them: cards, and
the lines of the user's work queue.

An app registers a function in its AppConfig.ready(); the home view calls each with
the request, in the order of INSTALLED_APPS, and shows the card it returns (or none),
then the queue gathered from every queue function."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from django.utils import dateformat, translation


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
CAP = 10  # lines shown per section on the home page; the work queue page has the rest
# Lines of one kind read at most on the work queue page, the most pressing first: the
# kind's own list (the referrals, the registers not taken, the overrides) has the rest.
# The home page reads CAP + 1 of each kind: enough for its CAP lines of a section and to
# know whether there are more. The queue's cost is then bounded whatever the estate's
# size or history.
PER_KIND = 25


@dataclass(frozen=True)
class QueueItem:
    """One thing that needs the user: what, about whom or what, by when, and where to do it.
    Undated items need the user now."""

    due: date | None
    what: str
    about: str
    url: str

    @property
    def due_text(self) -> str:
        """The due date as the queue writes it ("4 December 2026")."""
        return _long_date(self.due, translation.get_language()) if self.due else ""


@lru_cache(maxsize=1024)
def _long_date(day: date, language: str) -> str:
    # A queue of a hundred lines names a few dozen days: each is formatted once (in the
    # language active when it is first asked for, part of the key).
    return dateformat.format(day, "j F Y")


@dataclass(frozen=True)
class Queue:
    due: list[QueueItem]  # "What needs you": due on or before today, newest due first
    coming: list[QueueItem]  # "Coming up": due within COMING_DAYS, soonest first

    # On the home page, whether a section had more than CAP lines (the first CAP shown).
    due_cut: bool = False
    coming_cut: bool = False

    def capped(self) -> "Queue":
        """The first CAP lines of each section, as the home page shows them."""
        return Queue(
            due=self.due[:CAP],
            coming=self.coming[:CAP],
            due_cut=len(self.due) > CAP,
            coming_cut=len(self.coming) > CAP,
        )


_QUEUE: list[Callable[..., Iterable[QueueItem]]] = []


def register_queue(fn: Callable[..., Iterable[QueueItem]]) -> Callable:
    """Add `fn(request, *, today, limit)`, which returns the QueueItems of one app, at
    most `limit` of each kind."""
    if fn not in _QUEUE:
        _QUEUE.append(fn)
    return fn


def now_or_earlier(day: date | None, today: date) -> date:
    """The due date of something waiting for the user now: today, or its own date if
    that has passed (it is then overdue)."""
    return min(day, today) if day else today


def queue(request, *, today: date, limit: int = PER_KIND) -> Queue:
    """The user's work queue from every registered app, in sections, reading at most
    `limit` lines of each kind."""
    items = list(
        dict.fromkeys(item for fn in _QUEUE for item in fn(request, today=today, limit=limit))
    )
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


def home_queue(request, *, today: date) -> Queue:
    """The home page's queue: CAP lines a section, and whether a section had more."""
    return queue(request, today=today, limit=CAP + 1).capped()
