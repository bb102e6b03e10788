from django import forms

from dtc.forms import GovukDateField, GovukFormMixin, radios, text_area
from dtc.models import User
from dtc.params import RecordsChoiceField
from residents.models import Resident
from residents.selectors import community_staff

from ..models.staff_meetings import MINUTES_LENGTH, NOTES_LENGTH, MeetingKind

__all__ = ["ResidentDiscussedForm", "StaffMeetingActionForm", "StaffMeetingForm"]


class StaffMeetingForm(GovukFormMixin, forms.Form):
    kind = radios("Kind of meeting", MeetingKind.choices, "Choose the kind of meeting")
    held_on = GovukDateField(label="Date of the meeting", help_text="For example, 27 3 2026")
    start_time = forms.TimeField(
        required=False,
        label="Start time (optional)",
        help_text="In the 24-hour clock, for example 14:30",
        input_formats=["%H:%M", "%H.%M", "%H:%M:%S"],
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
        error_messages={"invalid": "Enter the start time in the 24-hour clock, like 14:30"},
    )
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        min_value=10,
        max_value=480,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter how long the meeting lasted, in minutes",
            "invalid": "Enter the length as a number of minutes, like 60",
            "min_value": "A meeting lasts at least 10 minutes",
            "max_value": "A meeting lasts no more than 480 minutes (8 hours)",
        },
    )
    staff_present = RecordsChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Staff present",
        error_messages={"required": "Choose who was at the meeting"},
    )
    # The whole staff team reads the minutes: what is said about a resident is recorded
    # with that resident, so that a restricted resident's discussion stays with the staff
    # named on the restriction.
    minutes = text_area(
        "Minutes",
        "Enter the minutes of the meeting",
        rows=12,
        max_length=MINUTES_LENGTH,
        help_text="What was discussed and decided, for the community's whole staff team. "
        "Do not write about individual residents here: once the meeting is saved, add each "
        "resident discussed in the residents discussed section.",
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_present"].queryset = community_staff(community)


class StaffMeetingActionForm(GovukFormMixin, forms.Form):
    description = forms.CharField(
        max_length=300,
        label="Action agreed",
        error_messages={"required": "Enter the action that was agreed"},
    )
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Who will do it",
        error_messages={"required": "Choose who will do the action"},
    )
    due_on = GovukDateField(
        label="Due by",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date the action is due by"},
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = community_staff(community)


class ResidentDiscussedForm(GovukFormMixin, forms.Form):
    resident = forms.ModelChoiceField(
        queryset=Resident.objects.none(),
        label="Resident",
        error_messages={
            "required": "Choose the resident who was discussed",
            "invalid_choice": "Choose a resident from the list",
        },
    )
    notes = text_area(
        "What was said about them",
        "Enter what the meeting said about the resident",
        rows=6,
        max_length=NOTES_LENGTH,
        help_text="Only staff who may see this resident can read this.",
    )

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents
