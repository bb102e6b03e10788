from django import forms
from django.db.models import Q

from dtc.forms import GovukDateField, GovukFormMixin
from dtc.models import Role, RoleAssignment, User
from dtc.params import RecordsChoiceField

from .models import (
    SUPERVISED_ROLES,
    ObservationRating,
    RequirementKind,
    SessionType,
    SupervisionTheme,
)


def team(community):
    """The community's staff who have supervision, by name."""
    return User.objects.filter(
        pk__in=RoleAssignment.objects.active()
        .filter(community=community, role__in=SUPERVISED_ROLES)
        .values("user_id")
    ).order_by("last_name", "first_name")


def supervisors(community, recorder):
    """Who may lead supervision: the community's Therapy Manager and clinicians, and the
    person recording it (the Head of Psychotherapy supervising a Therapy Manager)."""
    leads = (
        RoleAssignment.objects.active()
        .filter(community=community, role__in=[Role.THERAPY_MANAGER, Role.CLINICIAN])
        .values("user_id")
    )
    return User.objects.filter(Q(pk__in=leads) | Q(pk=recorder.pk)).order_by(
        "last_name", "first_name"
    )


class SessionDetailsForm(GovukFormMixin, forms.Form):
    """The fields every session has; the session and observation forms add their own."""

    supervisor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        error_messages={"required": "Choose who led the supervision"},
    )
    held_on = GovukDateField(label="Date of the session", help_text="For example, 27 3 2026")
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        min_value=10,
        max_value=480,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter how long the session lasted, in minutes",
            "invalid": "Enter the length as a number of minutes, like 60",
            "min_value": "A session lasts at least 10 minutes",
            "max_value": "A session lasts no more than 480 minutes (8 hours)",
        },
    )
    themes = RecordsChoiceField(
        queryset=SupervisionTheme.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Themes discussed",
    )
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Notes",
        help_text="Confidential: only the people in the session and their line of supervision can read them.",
    )

    def __init__(self, *args, community, recorder, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = supervisors(community, recorder)
        self.fields["supervisor"].initial = recorder.pk


class SessionForm(SessionDetailsForm):
    session_type = forms.ChoiceField(
        label="Type of supervision",
        choices=[(t.value, t.label) for t in SessionType if t != SessionType.OBSERVATION],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of supervision"},
    )
    supervisees = RecordsChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Who was supervised",
        error_messages={"required": "Choose who was supervised"},
    )
    field_order = ["session_type", "supervisor", "supervisees", "held_on", "duration_minutes"]

    def __init__(self, *args, community, recorder, **kwargs):
        super().__init__(*args, community=community, recorder=recorder, **kwargs)
        self.fields["supervisees"].queryset = team(community)


class ObservationForm(SessionDetailsForm):
    supervisee = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Whose practice was observed",
        error_messages={"required": "Choose whose practice was observed"},
    )
    activity_observed = forms.CharField(
        max_length=200,
        label="Activity observed",
        help_text="For example, small group therapy or a community meeting",
        error_messages={"required": "Enter the activity you observed"},
    )
    strengths = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the strengths you saw"},
    )
    areas_to_develop = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Areas to develop",
        error_messages={"required": "Enter the areas to develop"},
    )
    rating = forms.ChoiceField(
        choices=ObservationRating.choices,
        widget=forms.RadioSelect,
        label="Overall rating",
        error_messages={"required": "Choose an overall rating"},
    )
    field_order = [
        "supervisee",
        "supervisor",
        "held_on",
        "duration_minutes",
        "activity_observed",
        "strengths",
        "areas_to_develop",
        "rating",
    ]

    def __init__(self, *args, community, recorder, **kwargs):
        super().__init__(*args, community=community, recorder=recorder, **kwargs)
        self.fields["supervisor"].label = "Observed by"
        self.fields["supervisee"].queryset = team(community)


class ActionForm(GovukFormMixin, forms.Form):
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
    due_on = GovukDateField(label="Due by")

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            pk__in=[session.supervisor_id, *[p.pk for p in session.supervisees.all()]]
        ).order_by("last_name", "first_name")


class RequirementForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        choices=RequirementKind.choices,
        widget=forms.RadioSelect,
        label="Kind of supervision",
        error_messages={"required": "Choose the kind of supervision"},
    )
    interval_weeks = forms.IntegerField(
        label="Every how many weeks",
        min_value=1,
        max_value=13,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
        error_messages={
            "required": "Enter how many weeks may pass between sessions",
            "invalid": "Enter the number of weeks, like 4",
            "min_value": "Enter at least 1 week",
            "max_value": "Enter 13 weeks or fewer: supervision is needed at least quarterly",
        },
    )
    reason = forms.CharField(
        max_length=300,
        label="Why this person's requirement differs from their role's",
        error_messages={"required": "Enter why this person's requirement differs"},
    )


class TraineeTargetForm(GovukFormMixin, forms.Form):
    target_hours = forms.IntegerField(
        label="Supervised hours needed for registration",
        min_value=1,
        max_value=2000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter the supervised hours the trainee needs",
            "invalid": "Enter the hours as a whole number, like 150",
            "min_value": "Enter at least 1 hour",
            "max_value": "Enter 2000 hours or fewer",
        },
    )
    designated_supervisor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Designated supervisor",
        error_messages={"required": "Choose the trainee's designated supervisor"},
    )

    def __init__(self, *args, community, recorder, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["designated_supervisor"].queryset = supervisors(community, recorder)
