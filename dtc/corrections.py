"""Corrections, never deletion: the two ways a recorded entry (a dtc.models.Correctable)
is put right, the same in every app. Marking it entered in error keeps it, with who,
when and why; an amendment is a new row copying the original with the changes, and the
original is kept, superseded. Both are written with their history.

Each app registers the kinds it records (AppConfig.ready): `prepare(amendment, related)`
checks the amended copy as the kind's create service checks a new one (`related`: the
many-to-many answers, name -> list), and may fill in what follows from the answers (a
vote's outcome); `after(original, amendment, by)` keeps
consistent what the record caused elsewhere (a review sets the next review date), with
amendment None when the original was marked entered in error."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from . import permissions
from .history import save_with_history


@dataclass(frozen=True)
class Kind:
    prepare: Callable | None = None
    after: Callable | None = None


KINDS: dict[type[models.Model], Kind] = {}

# A record's correction state (dtc.models.Correctable): told in the correction's own words
# where the record is shown (templates/includes/correction.html), not as changed fields.
CORRECTION_FIELDS = frozenset(
    {
        "entered_in_error_at",
        "entered_in_error_by",
        "entered_in_error_reason",
        "corrects",
        "superseded",
        "amendment_reason",
    }
)
# What an amendment does not take from the original: its identity and correction state.
NOT_COPIED = CORRECTION_FIELDS | {"id"}


def register(model, *, prepare=None, after=None) -> None:
    """Declare `model` correctable here, with the checks and effects of its corrections."""
    KINDS[model] = Kind(prepare=prepare, after=after)


def _locked(record):
    return type(record)._default_manager.select_for_update().get(pk=record.pk)


def _refuse_unless_in_effect(record) -> None:
    if record.entered_in_error:
        raise ValidationError("This entry was marked as entered in error: it cannot be corrected.")
    if record.superseded:
        raise ValidationError(
            "This entry has already been corrected: correct the latest version instead."
        )


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


@transaction.atomic
def record_mark_entered_in_error(*, record, reason: str, by):
    """Mark a recorded entry as entered in error: it stays on the record, out of every
    list and figure."""
    record = _locked(record)
    permissions.require_correct(by, record)
    _refuse_unless_in_effect(record)
    record.entered_in_error_reason = _reason(reason, "Enter why the entry was made in error")
    record.entered_in_error_at = timezone.now()
    record.entered_in_error_by = by
    save_with_history(
        record,
        by,
        update_fields=["entered_in_error_at", "entered_in_error_by", "entered_in_error_reason"],
    )
    kind = KINDS.get(type(record), Kind())
    if kind.after:
        kind.after(record, None, by)
    return record


def _current(record, name: str):
    field = record._meta.get_field(name)
    if field.many_to_many:
        return set(getattr(record, name).values_list("pk", flat=True))
    if field.is_relation:
        return getattr(record, field.attname)
    return getattr(record, name)


def _proposed(record, name: str, value):
    field = record._meta.get_field(name)
    if field.many_to_many:
        return {getattr(item, "pk", item) for item in value}
    if field.is_relation:
        return getattr(value, "pk", value)
    return value


def changed(record, changes: dict) -> dict:
    """The answers in `changes` that differ from the record's."""
    return {
        name: value
        for name, value in changes.items()
        if _proposed(record, name, value) != _current(record, name)
    }


@transaction.atomic
def record_amend(*, record, changes: dict, reason: str, by):
    """Correct a recorded entry by an amendment: a new row with the changes, which
    `corrects` the original; the original is kept, superseded. Returns the amendment."""
    original = _locked(record)
    permissions.require_correct(by, original)
    _refuse_unless_in_effect(original)
    reason = _reason(reason, "Enter the reason for the correction")
    changes = changed(original, changes)
    if not changes:
        raise ValidationError("Change at least one answer, or cancel: nothing was changed.")
    model = type(original)
    many = {f.name for f in model._meta.many_to_many}

    amendment = model()
    for field in model._meta.concrete_fields:
        if field.name not in NOT_COPIED:
            setattr(amendment, field.attname, getattr(original, field.attname))
    for name, value in changes.items():
        if name not in many:
            setattr(amendment, name, value)
    amendment.corrects = original
    amendment.amendment_reason = reason
    related = {
        name: list(changes[name]) if name in changes else list(getattr(original, name).all())
        for name in many
    }
    kind = KINDS.get(model, Kind())
    if kind.prepare:
        kind.prepare(amendment, related)

    # The original steps aside first, so that a rule about the records in effect (one
    # open ACCT at a time) sees the amendment alone.
    original.superseded = True
    save_with_history(original, by, update_fields=["superseded"])
    save_with_history(amendment, by)
    for name, items in related.items():
        getattr(amendment, name).set(items)
    if kind.after:
        kind.after(original, amendment, by)
    return amendment


def correction_of(record):
    """The amendment that replaced a superseded record (None if it was not replaced)."""
    if not record.superseded:
        return None
    return type(record)._default_manager.filter(corrects=record).order_by("-pk").first()
