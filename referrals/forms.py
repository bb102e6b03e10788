from datetime import date

from django import forms
from django.utils import timezone

from dtc.forms import (
    CleanTextMixin,
    GovukDateField,
    GovukFormMixin,
    PrisonNumberField,
    radios,
    text_area,
)
from dtc.models import Role, RoleAssignment, User
from dtc.params import SEARCH_LENGTH

from .models import (
    INDETERMINATE,
    CriterionKind,
    Outcome,
    Priority,
    RecommendationChoice,
    Referral,
    RiskLevel,
    SentenceType,
    Source,
)
from .services import OVERRIDE_RATIONALE_MIN_LENGTH


class ReferralForm(GovukFormMixin, forms.ModelForm):
    prison_number = PrisonNumberField()
    date_of_birth = GovukDateField(
        label="Date of birth", error_messages={"required": "Enter the date of birth"}
    )
    referred_on = GovukDateField(
        label="Date of referral", help_text="The date the referral was made."
    )
    sentence_expiry_date = GovukDateField(label="Sentence expiry date", required=False)
    tariff_or_parole_date = GovukDateField(
        label="Parole eligibility or tariff expiry date",
        required=False,
        help_text="For life and IPP sentences, the tariff expiry date.",
    )
    conditional_release_date = GovukDateField(
        label="Conditional release date", required=False, help_text="Where it applies."
    )
    # Shown only with the warning that the person is already known (see the template).
    known_person_confirmed = forms.BooleanField(
        label="Yes, make this referral anyway", required=False
    )

    class Meta:
        model = Referral
        fields = [
            "prison_number",
            "first_name",
            "last_name",
            "date_of_birth",
            "sentence_type",
            "sentence_expiry_date",
            "tariff_or_parole_date",
            "conditional_release_date",
            "risk_level",
            "source",
            "reason",
            "referred_on",
        ]
        labels = {
            "prison_number": "Prison number",
            "first_name": "First name",
            "last_name": "Last name",
            "sentence_type": "Sentence type",
            "risk_level": "Risk of serious harm",
            "source": "Referred by",
            "reason": "Reason for the referral",
        }
        help_texts = {
            "prison_number": "One letter, four numbers and two letters, for example A1234BC."
        }
        widgets = {
            "prison_number": forms.TextInput(
                attrs={"class": "govuk-input--width-10", "spellcheck": "false"}
            ),
            "sentence_type": forms.RadioSelect,
            "risk_level": forms.RadioSelect,
            "source": forms.RadioSelect,
            "reason": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {
            "prison_number": {"required": "Enter the prison number"},
            "first_name": {"required": "Enter the first name"},
            "last_name": {"required": "Enter the last name"},
            "sentence_type": {"required": "Choose the sentence type"},
            "risk_level": {"required": "Choose the risk of serious harm level"},
            "source": {"required": "Choose who made the referral"},
            "reason": {"required": "Enter the reason for the referral"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sentence_type"].choices = SentenceType.choices
        self.fields["risk_level"].choices = RiskLevel.choices
        self.fields["source"].choices = Source.choices
        self.fields["referred_on"].initial = timezone.localdate()

    def clean_referred_on(self):
        referred_on = self.cleaned_data["referred_on"]
        if referred_on > timezone.localdate():
            raise forms.ValidationError("The date of referral must be today or in the past")
        return referred_on

    def clean(self):
        cleaned = super().clean()
        born, referred = cleaned.get("date_of_birth"), cleaned.get("referred_on")
        if born and referred:
            age = (
                referred.year
                - born.year
                - ((referred.month, referred.day) < (born.month, born.day))
            )
            if age < 18:
                self.add_error(
                    "date_of_birth", "The person must be 18 or over on the date of referral"
                )
        sentence = cleaned.get("sentence_type")
        if sentence in INDETERMINATE and not cleaned.get("tariff_or_parole_date"):
            self.add_error(
                "tariff_or_parole_date", "Enter the tariff expiry date for a life or IPP sentence"
            )
        if sentence and sentence not in INDETERMINATE and not cleaned.get("sentence_expiry_date"):
            self.add_error("sentence_expiry_date", "Enter the sentence expiry date")
        return cleaned


class CommunityChoiceForm(GovukFormMixin, forms.Form):
    community = forms.ModelChoiceField(
        queryset=None,
        label="Community",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the community the referral is to"},
    )

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


class NoteForm(GovukFormMixin, forms.Form):
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        help_text="It is kept on the referral's timeline.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(GovukFormMixin, forms.Form):
    note = text_area("Reason", "Enter the reason", rows=4)


class InterviewForm(GovukFormMixin, forms.Form):
    held_on = GovukDateField(label="Date of the interview")
    assessor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Assessor",
        empty_label="Choose the assessor",
        error_messages={"required": "Choose who held the interview"},
    )
    summary = text_area("Summary", "Enter a summary of the interview", rows=6)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        clinical = RoleAssignment.objects.active().filter(
            community=community, role__in=[Role.THERAPY_MANAGER, Role.CLINICIAN, Role.TRAINEE]
        )
        self.fields["assessor"].queryset = User.objects.filter(
            pk__in=clinical.values("user")
        ).order_by("last_name")

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError("The interview date must be today or in the past")
        return held_on


class RecommendationForm(GovukFormMixin, forms.Form):
    recommendation = radios(
        "Your recommendation", RecommendationChoice.choices, "Choose accept, defer or decline"
    )
    reasons = text_area(
        "Reasons",
        "Enter the reasons for the recommendation",
        rows=6,
        help_text="What the Therapy Manager should weigh: the assessment, the interview, "
        "the criteria.",
    )


class OverrideReviewForm(GovukFormMixin, forms.Form):
    reason = text_area(
        "Why the override should be reviewed",
        "Enter why the override should be reviewed",
        help_text="The Therapy Manager who made the override is told, with this reason.",
    )


class OverrideFilterForm(GovukFormMixin, forms.Form):
    """The overrides list's filters: a community and the days the overrides were made."""

    community = forms.TypedChoiceField(label="Community", required=False, coerce=int)
    made_from = GovukDateField(
        label="Made from",
        required=False,
        error_messages={
            "invalid": "Enter the made from date as a real date, for example 27 3 2026"
        },
    )
    made_to = GovukDateField(
        label="Made to",
        required=False,
        error_messages={"invalid": "Enter the made to date as a real date, for example 27 3 2026"},
    )

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [
            ("", "All your communities"),
            *[(c.pk, str(c)) for c in communities],
        ]

    def clean(self):
        cleaned = super().clean()
        made_from, made_to = cleaned.get("made_from"), cleaned.get("made_to")
        if made_from and made_to and made_to < made_from:
            self.add_error(
                "made_to", "The made to date must be the same as or after the made from date"
            )
        return cleaned


class OutcomeForm(GovukFormMixin, forms.Form):
    outcome = radios("Outcome", Outcome.choices, "Choose met, not met or unknown")
    evidence = text_area(
        "Evidence",
        "Enter the evidence for the outcome",
        rows=4,
        help_text="What the finding rests on: records seen, reports, the interview.",
    )


class AcceptForm(GovukFormMixin, forms.Form):
    priority = forms.TypedChoiceField(
        label="Priority on the waiting list",
        choices=Priority.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the priority on the waiting list"},
    )
    rationale = forms.CharField(
        label="Clinical rationale for the override",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"Why the community should accept this person despite the criteria above. At least {OVERRIDE_RATIONALE_MIN_LENGTH} characters.",
    )

    def __init__(self, *args, needs_override: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_override = needs_override
        if not needs_override:
            del self.fields["rationale"]

    def clean_rationale(self):
        rationale = self.cleaned_data.get("rationale", "").strip()
        if self.needs_override and len(rationale) < OVERRIDE_RATIONALE_MIN_LENGTH:
            raise forms.ValidationError(
                f"Write a clinical rationale of at least {OVERRIDE_RATIONALE_MIN_LENGTH} characters"
                f" (you have written {len(rationale)})"
            )
        return rationale


class DeferForm(GovukFormMixin, forms.Form):
    rereview_on = GovukDateField(label="Date to look at the referral again")
    note = text_area(
        "What needs to change before then",
        "Enter what needs to change before the re-review",
        rows=4,
    )

    def clean_rereview_on(self):
        rereview_on = self.cleaned_data["rereview_on"]
        if rereview_on <= timezone.localdate():
            raise forms.ValidationError("The re-review date must be in the future")
        return rereview_on


class AdmitForm(GovukFormMixin, forms.Form):
    admitted_on = GovukDateField(label="Date of admission")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["admitted_on"].initial = timezone.localdate()

    def clean_admitted_on(self):
        admitted_on: date = self.cleaned_data["admitted_on"]
        if admitted_on > timezone.localdate():
            raise forms.ValidationError("The date of admission must be today or in the past")
        return admitted_on


class CriterionForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label="Criterion", max_length=300, error_messages={"required": "Enter the criterion"}
    )
    kind = forms.ChoiceField(
        label="How it is assessed",
        choices=CriterionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the criterion is assessed"},
    )
    threshold = forms.IntegerField(
        label="Number it must reach",
        required=False,
        min_value=1,
        max_value=600,
        help_text="For a computed criterion: months left to serve, or years of age.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") in {
            CriterionKind.TIME_TO_SERVE,
            CriterionKind.AGE,
        } and not cleaned.get("threshold"):
            self.add_error("threshold", "Enter the number the computed criterion must reach")
        return cleaned


class ReferralFilterForm(CleanTextMixin, forms.Form):
    """The list's filters; invalid values are ignored rather than shown as errors. Its
    fields are laid out by the list's template, not GovukFormMixin, but the search is
    cleaned as any answer is: a soft hyphen typed into a name still finds the name."""

    q = forms.CharField(required=False)
    status = forms.ChoiceField(required=False)
    risk = forms.ChoiceField(required=False, choices=[("", "Any risk level"), *RiskLevel.choices])
    community = forms.TypedChoiceField(required=False, coerce=int)
    stuck = forms.BooleanField(required=False)

    def __init__(self, *args, communities, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [
            ("", "All your communities"),
            *[(c.pk, str(c)) for c in communities],  # "Alder, HMP Ashdown": names repeat
        ]
        self.fields["status"].choices = [("", "Any status"), *statuses]

    def clean_q(self):
        # As the other lists' searches (dtc.params.search_param): cut, not refused.
        return self.cleaned_data["q"][:SEARCH_LENGTH]
