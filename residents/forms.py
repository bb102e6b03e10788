from django import forms

from dtc import limits
from dtc.forms import CleanTextMixin, GovukDateField, GovukFormMixin, text_area
from dtc.models import User
from dtc.params import RecordsChoiceField

from .models import (
    AttendanceStatus,
    DecisionKind,
    DocumentKind,
    IncidentKind,
    Intervention,
    LeavingType,
    NeedArea,
    ReviewOutcome,
    RiskLevel,
    Seriousness,
    SmallGroup,
)
from .services import Mark


def _hours_field(label):
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_value=40,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter the expected hours of therapy a week",
            "invalid": "Enter the hours as a number, like 12.5",
            "min_value": "The hours cannot be negative",
            "max_value": "Enter 40 hours a week or fewer",
            "max_decimal_places": "Enter the hours to one decimal place, like 12.5",
        },
    )


class AllocationForm(GovukFormMixin, forms.Form):
    key_worker = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label="Key worker", empty_label="None"
    )
    small_group = forms.ModelChoiceField(
        queryset=SmallGroup.objects.none(),
        required=False,
        label="Small group",
        help_text="A change of group takes effect today.",
        empty_label="None",
    )

    def __init__(self, *args, staff, small_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_worker"].queryset = staff
        self.fields["small_group"].queryset = small_groups


class PhaseForm(GovukFormMixin, forms.Form):
    phase = forms.ChoiceField(
        label="Move to",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the phase to move to"},
    )

    def __init__(self, *args, phases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = phases


class RestrictForm(GovukFormMixin, forms.Form):
    staff = RecordsChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Staff who may see this person's records",
        help_text="You are always on the list. Everyone else will not see the person at all.",
    )
    reason = forms.CharField(
        max_length=100,
        label="Why the record is restricted",
        error_messages={"required": "Enter why the record is restricted"},
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff


class PlanForm(GovukFormMixin, forms.Form):
    expected_weekly_hours = _hours_field("Expected hours of therapy a week")
    review_on = GovukDateField(label="Review date", help_text="For example, 27 3 2027")
    formulation = text_area(
        "Risk formulation",
        "",
        required=False,
        help_text="How the goals relate to the resident's risk and criminogenic needs.",
        max_length=limits.NARRATIVE,
    )


class GoalForm(GovukFormMixin, forms.Form):
    need_area = forms.ChoiceField(
        label="Need area",
        choices=NeedArea.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the need area the goal addresses"},
    )
    description = text_area("Goal", "Enter the goal", rows=3)
    interventions = forms.MultipleChoiceField(
        label="Interventions that serve this goal",
        choices=Intervention.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one intervention for the goal"},
    )


class GroupSessionForm(GovukFormMixin, forms.Form):
    group_type = forms.ChoiceField(
        label="Type of group",
        choices=Intervention.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of group"},
    )
    small_group = forms.ModelChoiceField(
        queryset=SmallGroup.objects.none(),
        required=False,
        label="Small group",
        help_text="For a small group only: its members are on the register.",
        empty_label="Not a small group",
    )
    held_on = GovukDateField(label="Date of the group", help_text="For example, 27 3 2026")
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        min_value=15,
        max_value=480,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter how long the group lasted, in minutes",
            "invalid": "Enter the length as a number of minutes, like 90",
            "min_value": "A group lasts at least 15 minutes",
            "max_value": "A group lasts no more than 480 minutes (8 hours)",
        },
    )
    facilitators = RecordsChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Facilitators",
        error_messages={"required": "Choose who facilitated the group"},
    )
    # Shown with the warning that the group is already recorded on the day.
    confirm_same_day = forms.BooleanField(
        required=False,
        widget=forms.HiddenInput,
        label="Yes, record another session of this group on this day",
    )

    def __init__(self, *args, staff, small_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = staff
        self.fields["small_group"].queryset = small_groups

    def add_error(self, field, error):
        if field == "confirm_same_day":
            self.fields[field].widget = forms.CheckboxInput(
                attrs={"class": "govuk-checkboxes__input"}
            )
        super().add_error(field, error)


class RegisterForm(CleanTextMixin, forms.Form):
    """Per resident on the register: their mark (resident-<id>), the minutes missed when
    late or leaving early (resident-<id>-minutes), the reason for an excused absence
    (resident-<id>-reason). Every mark is optional: a draft may leave residents unmarked."""

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.residents = [resident for resident, _ in residents]
        for resident in self.residents:
            name = f"{resident.first_name} {resident.last_name}"
            self.fields[f"resident-{resident.pk}"] = forms.ChoiceField(
                choices=AttendanceStatus.choices, required=False, label=name
            )
            self.fields[f"resident-{resident.pk}-minutes"] = forms.IntegerField(
                required=False,
                min_value=1,
                max_value=480,
                label=f"Minutes {name} missed",
                error_messages={
                    "invalid": f"Enter the minutes {name} missed as a number, like 10",
                    "min_value": f"Enter the minutes {name} missed, 1 or more",
                    "max_value": f"Enter the minutes {name} missed, 480 or fewer",
                },
            )
            self.fields[f"resident-{resident.pk}-reason"] = forms.CharField(
                required=False,
                max_length=200,
                label=f"Why {name} was excused",
                error_messages={
                    "max_length": f"Enter why {name} was excused in 200 characters or fewer"
                },
            )

    def marks(self, *, everyone_present=False, marked=frozenset()) -> dict[int, Mark]:
        """The marks given; with `everyone_present`, each resident neither marked on the
        form nor already (`marked` ids) is marked present."""
        marks = {}
        for resident in self.residents:
            status = self.cleaned_data.get(f"resident-{resident.pk}")
            if not status and everyone_present and resident.pk not in marked:
                status = AttendanceStatus.PRESENT
            if status:
                marks[resident.pk] = Mark(
                    status,
                    self.cleaned_data.get(f"resident-{resident.pk}-minutes"),
                    self.cleaned_data.get(f"resident-{resident.pk}-reason") or "",
                )
        return marks


class AttendanceCorrectForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="Corrected mark",
        choices=AttendanceStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the corrected mark"},
    )
    minutes_missed = forms.IntegerField(
        label="Minutes missed",
        help_text="When late or leaving early.",
        required=False,
        min_value=1,
        max_value=480,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "invalid": "Enter the minutes missed as a number, like 10",
            "min_value": "Enter the minutes missed, 1 or more",
            "max_value": "Enter the minutes missed, 480 or fewer",
        },
    )
    reason = forms.CharField(
        label="Reason for the excused absence",
        help_text="When excused.",
        required=False,
        max_length=200,
    )
    correction_reason = text_area(
        "Why the mark is being corrected", "Enter why the mark is being corrected", rows=3
    )


class ReviewForm(GovukFormMixin, forms.Form):
    held_on = GovukDateField(label="Date of the review")
    outcome = forms.ChoiceField(
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome of the review"},
    )
    summary = text_area("Summary", "Enter a summary of the review")


class IncidentForm(GovukFormMixin, forms.Form):
    occurred_on = GovukDateField(label="Date of the incident")
    kind = forms.ChoiceField(
        label="Kind",
        choices=IncidentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether this was an incident or a rule break"},
    )
    seriousness = forms.ChoiceField(
        choices=Seriousness.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how serious it was"},
    )
    description = text_area("What happened", "Enter what happened")


class RiskForm(GovukFormMixin, forms.Form):
    assessed_on = GovukDateField(label="Date of the assessment")
    level = forms.ChoiceField(
        label="Risk level",
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the risk level"},
    )
    narrative = text_area(
        "Narrative",
        "Enter how the resident's progress relates to their criminogenic factors",
        help_text="How the resident's progress relates to their criminogenic factors.",
        max_length=limits.NARRATIVE,
    )


class AcctOpenForm(GovukFormMixin, forms.Form):
    opened_on = GovukDateField(label="Date the ACCT was opened")
    reason = text_area("Reason", "Enter why the ACCT was opened", rows=3)


class AcctCloseForm(GovukFormMixin, forms.Form):
    closed_on = GovukDateField(label="Date the ACCT was closed")


class DocumentForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Kind of document",
        choices=DocumentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of document"},
    )
    title = forms.CharField(
        max_length=200, error_messages={"required": "Enter a title for the document"}
    )
    due_on = GovukDateField(
        label="Due date",
        required=False,
        help_text="Leave empty if the document has no deadline.",
    )
    body = text_area("Text", "Enter the text of the document", rows=12, max_length=limits.DOCUMENT)


class DocumentChangeForm(DocumentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]


class AmendmentForm(GovukFormMixin, forms.Form):
    text = text_area("Amended text", "Enter the amended text", rows=12, max_length=limits.DOCUMENT)
    reason = text_area("Why it is being amended", "Enter why the document is being amended", rows=3)


class ReturnForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        max_length=100,
        label="What the author needs to change",
        error_messages={"required": "Enter what the author needs to change"},
    )


class DecisionForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Decision",
        choices=DecisionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision"},
    )
    decided_on = GovukDateField(label="Date of the decision")
    weekly_hours = _hours_field("New expected hours a week")
    rationale = text_area("Rationale", "Enter the rationale for the decision")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weekly_hours"].required = False
        self.fields["weekly_hours"].help_text = "For a change of dosage only."

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == DecisionKind.DOSAGE and cleaned.get("weekly_hours") is None:
            self.add_error("weekly_hours", "Enter the new expected hours a week")
        return cleaned


class LeavingForm(GovukFormMixin, forms.Form):
    leaving_type = forms.ChoiceField(
        label="How the resident left",
        choices=LeavingType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the resident left"},
    )
    left_on = GovukDateField(label="Date of leaving")
    reason = text_area("Notes", "", rows=4, required=False)


# Small groups ---------------------------------------------------------------------------


class SmallGroupForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        max_length=40,
        label="Name of the group",
        help_text="For example, Group 2 or Oak",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
        error_messages={"required": "Enter the name of the small group"},
    )
    facilitators = RecordsChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Facilitators",
        required=False,
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = staff


class SmallGroupCloseForm(GovukFormMixin, forms.Form):
    closed_on = GovukDateField(label="Date the group closed", help_text="For example, 27 3 2026")


class SmallGroupJoinForm(GovukFormMixin, forms.Form):
    resident = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Resident",
        empty_label="Choose a resident",
        error_messages={"required": "Choose the resident joining the group"},
    )
    joined_on = GovukDateField(
        label="Date they joined",
        help_text="Their current group, if any, ends the day before. For example, 27 3 2026",
    )

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents
        self.fields["resident"].label_from_instance = lambda resident: resident.name


class SmallGroupLeaveForm(GovukFormMixin, forms.Form):
    left_on = GovukDateField(label="Last day in the group", help_text="For example, 27 3 2026")
