from django import forms

from dtc.forms import GovukDateField, GovukFormMixin, radios, text_area
from dtc.models import User
from dtc.params import RecordsChoiceField
from residents.models import SmallGroup

from ..models import CancellationCause, SlotKind, Weekday

__all__ = ["CancelForm", "SlotAddForm", "SlotChangeForm", "SlotEndForm"]


def _time_field(label):
    return forms.TimeField(
        label=label,
        help_text="In the 24-hour clock, for example 09:30",
        input_formats=["%H:%M", "%H.%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
        error_messages={
            "required": "Enter the start time",
            "invalid": "Enter the start time in the 24-hour clock, like 09:30",
        },
    )


class SlotForm(GovukFormMixin, forms.Form):
    """A session of the weekly timetable: what, which small group, when and who runs it."""

    kind = forms.ChoiceField(
        label="Session",
        choices=[("", "Choose a session"), *SlotKind.choices],
        error_messages={"required": "Choose the session"},
    )
    small_group = forms.ModelChoiceField(
        queryset=SmallGroup.objects.none(),
        required=False,
        label="Small group",
        help_text="For a small group only.",
        empty_label="Not a small group",
    )
    weekday = radios("Day of the week", Weekday.choices, "Choose the day of the week", coerce=int)
    starts_at = _time_field("Start time")
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        min_value=15,
        max_value=480,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter how long the session lasts, in minutes",
            "invalid": "Enter the length as a number of minutes, like 90",
            "min_value": "A session lasts at least 15 minutes",
            "max_value": "A session lasts no more than 480 minutes (8 hours)",
        },
    )
    facilitators = RecordsChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Facilitators",
        required=False,
    )

    def __init__(self, *args, staff, small_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = staff
        self.fields["small_group"].queryset = small_groups


class SlotAddForm(SlotForm):
    valid_from = GovukDateField(
        label="First day on the timetable", help_text="For example, 7 9 2026"
    )


class SlotChangeForm(SlotForm):
    from_on = GovukDateField(
        label="Change from",
        help_text="The weeks before keep the timetable as it was. For example, 7 9 2026",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What the session is stays: another session is a new slot.
        del self.fields["kind"]


class SlotEndForm(GovukFormMixin, forms.Form):
    last_on = GovukDateField(label="Last day on the timetable", help_text="For example, 7 9 2026")


class CancelForm(GovukFormMixin, forms.Form):
    cause = radios(
        "Why the session did not happen",
        CancellationCause.choices,
        "Choose why the session did not happen",
    )
    note = text_area(
        "Notes",
        "",
        rows=3,
        required=False,
        help_text="Needed when the cause is Other: say what happened.",
    )
