"""Readable change history from django-simple-history records: who changed what, when."""

from dataclasses import dataclass, field
from datetime import date, datetime

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass
class Entry:
    when: datetime
    who: object
    action: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _display(record, field_name: str, value) -> str:
    model_field = record.instance._meta.get_field(field_name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if value in (None, ""):
        return "–"
    if model_field.is_relation and not model_field.many_to_many:
        # The history keeps the id of a related record: show the record.
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return f"{value:%-d %B %Y, %H:%M}"
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    return str(value)


def changes(record, previous, exclude: frozenset[str] = frozenset()) -> list[tuple[str, str, str]]:
    """What changed from the history row `previous` to `record`, as (field label, old
    value, new value), in the words of the fields' verbose names."""
    result = []
    for change in record.diff_against(previous).changes:
        if change.field in exclude:
            continue
        model_field = record.instance._meta.get_field(change.field)
        result.append(
            (
                str(model_field.verbose_name).capitalize(),
                _display(record, change.field, change.old),
                _display(record, change.field, change.new),
            )
        )
    return result


def entries(history, exclude: frozenset[str] = frozenset()) -> list[Entry]:
    """Entries newest first; each change as (field label, old value, new value).
    `history` is a model's history queryset; it is read in one query."""
    records = list(history.select_related("history_user").order_by("history_date", "history_id"))
    result = []
    previous = None
    for record in records:
        entry = Entry(
            when=record.history_date, who=record.history_user, action=ACTIONS[record.history_type]
        )
        if previous is not None:
            entry.changes = changes(record, previous, exclude)
        if entry.changes or previous is None:
            result.append(entry)
        previous = record
    return list(reversed(result))


def save_with_history(instance, by, *, validate_constraints: bool = True, update_fields=None):
    """Validate and save a record, its history row naming `by`: the one way every
    service writes, so that who made a change is recorded the same with or without a
    request (a task, a command). `validate_constraints=False` leaves a constraint that
    full_clean cannot judge (a unique key with a null member) to the database;
    `update_fields` validates and writes those fields alone (a counter, a time stamp)."""
    instance._history_user = by
    if update_fields is None:
        instance.full_clean(validate_constraints=validate_constraints)
        instance.save()
    else:
        others = [f.name for f in instance._meta.concrete_fields if f.name not in update_fields]
        instance.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
        instance.save(update_fields=update_fields)
    return instance
