from django import forms

from dtc import limits
from dtc.forms import GovukDateField, GovukFormMixin, text_area
from residents.models import Resident

from ..models import ABOUT_A_RESIDENT, MOST_VOTES, CommunityJob, MotionKind
from .constitution import ConstitutionForm

__all__ = ["AmendmentMotionForm", "MotionForm", "SetAsideForm"]

TALLY = (
    "residents_for",
    "residents_against",
    "residents_abstain",
    "staff_for",
    "staff_against",
    "staff_abstain",
)


def _votes(label, help_text=""):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MOST_VOTES,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "invalid": f"Enter {label.lower()} as a whole number, like 12",
            "min_value": f"{label} cannot be fewer than 0",
            "max_value": f"{label} cannot be more than {MOST_VOTES}",
        },
    )


class MotionForm(GovukFormMixin, forms.Form):
    """A motion of one kind: what it is about, the day, the tally. Its questions are
    the model's fields, so that the correction pages fill them in (dtc.correction_pages)."""

    held_on = GovukDateField(label="Date of the vote", help_text="For example, 27 3 2026")
    resident = forms.ModelChoiceField(
        queryset=Resident.objects.none(),
        label="Resident the motion is about",
        error_messages={
            "required": "Select the resident the motion is about",
            "invalid_choice": "Select a resident from the list",
        },
    )
    job = forms.ModelChoiceField(
        queryset=CommunityJob.objects.none(),
        label="Job the election is for",
        error_messages={
            "required": "Select the job the election is for",
            "invalid_choice": "Select a job from the list",
        },
    )
    wording = text_area(
        "The motion",
        "Enter the motion that was put to the vote",
        rows=3,
        required=False,
        max_length=limits.NOTE,
        help_text="As it was put to the community.",
    )
    residents_for = _votes("Residents for")
    residents_against = _votes("Residents against")
    residents_abstain = _votes("Residents abstaining")
    staff_for = _votes("Staff for", "Leave the staff votes empty when staff do not vote.")
    staff_against = _votes("Staff against")
    staff_abstain = _votes("Staff abstaining")
    notes = text_area("Notes (optional)", "", rows=3, required=False)

    def __init__(self, *args, kind, residents, jobs, **kwargs):
        super().__init__(*args, **kwargs)
        if kind in ABOUT_A_RESIDENT:
            self.fields["resident"].queryset = residents
        else:
            del self.fields["resident"]
        if kind == MotionKind.JOB_ELECTION:
            self.fields["resident"].label = "Resident elected (the candidate)"
            self.fields["job"].queryset = jobs
        else:
            del self.fields["job"]
        if kind == MotionKind.OTHER:
            self.fields["wording"].required = True

    def clean(self):
        data = super().clean()
        for name in TALLY:
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        return data

    def service_answers(self) -> dict:
        """The answers as motion_record takes them."""
        names = ["held_on", "resident", "job", "wording", *TALLY, "notes"]
        return {name: self.cleaned_data[name] for name in names if name in self.fields}


class AmendmentMotionForm(MotionForm, ConstitutionForm):
    """A motion to amend the constitution: the tally, and the new version's clauses and
    rules as the amendment puts them (in force from the day the motion takes effect)."""

    in_force_from = None

    def service_answers(self) -> dict:
        data = self.cleaned_data
        return {
            **super().service_answers(),
            "amendment": {
                "clauses": data["clauses"],
                "quorum_percent": data["quorum_percent"],
                "majority": data["majority"],
                "staff_vote": data["staff_vote"],
                "ratification_required_for": list(data["ratification_required_for"]),
                "note": data["amendment_note"],
            },
        }


class SetAsideForm(GovukFormMixin, forms.Form):
    reason = text_area(
        "Why the decision is set aside",
        "Enter why the decision is set aside",
        rows=5,
        help_text="The community and the record will read this reason.",
    )
