"""Readable change history from django-simple-history records: who changed what, when."""

from dataclasses import dataclass, field
from datetime import datetime

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
    return str(value)


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
            for change in record.diff_against(previous).changes:
                if change.field in exclude:
                    continue
                label = record.instance._meta.get_field(change.field).verbose_name
                entry.changes.append(
                    (
                        label.capitalize(),
                        _display(record, change.field, change.old),
                        _display(record, change.field, change.new),
                    )
                )
        if entry.changes or previous is None:
            result.append(entry)
        previous = record
    return list(reversed(result))


def save_with_history(instance, by):
    """Validate and save a tracked record, its history row naming `by` (there is no
    request to name them in a task or a command)."""
    instance._history_user = by
    instance.full_clean()
    instance.save()
    return instance
