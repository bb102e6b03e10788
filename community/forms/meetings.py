from django import forms

from dtc import limits
from dtc.forms import GovukFormMixin, radios, text_area
from dtc.models import User
from residents.models import Resident

from ..models import AgendaKind

__all__ = ["AgendaItemForm", "CommunityMeetingForm"]


def _people(model, label, *, required=False, message=""):
    return forms.ModelChoiceField(
        queryset=model.objects.none(),
        label=label,
        required=required,
        error_messages={"required": message, "invalid_choice": "Choose someone from the list"},
    )


class CommunityMeetingForm(GovukFormMixin, forms.Form):
    chair = _people(Resident, "Chair (a resident holding the job)")
    chair_staff = _people(
        User,
        "Or a member of staff as chair",
    )
    vice_chair = _people(Resident, "Vice-chair (a resident holding the job, optional)")
    vice_chair_staff = _people(User, "Or a member of staff as vice-chair")
    minute_taker = _people(
        User, "Minute-taker", required=True, message="Choose who took the minutes"
    )

    def __init__(self, *args, chairs, vice_chairs, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = chairs
        self.fields["vice_chair"].queryset = vice_chairs
        for name in ("chair_staff", "vice_chair_staff", "minute_taker"):
            self.fields[name].queryset = staff
        for name in ("chair_staff", "vice_chair_staff"):
            self.fields[name].help_text = "Only when no resident holds the job on the day."


class AgendaItemForm(GovukFormMixin, forms.Form):
    kind = radios("Kind of item", AgendaKind.choices, "Choose the kind of item")
    title = forms.CharField(
        label="Title",
        max_length=limits.TITLE,
        error_messages={"required": "Enter the title of the item"},
    )
    raised_by_resident = _people(Resident, "Raised by a resident")
    raised_by_staff = _people(User, "Or raised by a member of staff")
    about = _people(Resident, "Resident it is about (optional)")
    minutes = text_area(
        "Minutes", "Enter the minutes of the item", rows=8, max_length=limits.NARRATIVE
    )
    decision = text_area(
        "Decision taken (optional)", "", rows=3, required=False, max_length=limits.NOTE
    )

    def __init__(self, *args, residents, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raised_by_resident"].queryset = residents
        self.fields["about"].queryset = residents
        self.fields["raised_by_staff"].queryset = staff

    def clean(self):
        data = super().clean()
        if not data.get("raised_by_resident") and not data.get("raised_by_staff"):
            if "raised_by_resident" not in self.errors:
                self.add_error(
                    "raised_by_resident",
                    "Choose who raised the item: a resident or a member of staff",
                )
        elif data.get("raised_by_resident") and data.get("raised_by_staff"):
            self.add_error(
                "raised_by_staff", "Choose a resident or a member of staff who raised it, not both"
            )
        return data
