from django import forms

from dtc.forms import GovukDateField, GovukFormMixin, radios, text_area

from ..models import FilledBy


class JobForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="Name of the job",
        max_length=80,
        help_text="For example, chair, secretary or induction buddy.",
    )
    description = text_area(
        "What the job involves", "", rows=3, required=False, help_text="Optional."
    )
    term_months = forms.IntegerField(
        label="Term in months",
        min_value=1,
        max_value=60,
        required=False,
        help_text="How long a holder serves before the next election. Leave empty if the "
        "job has no set term.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )
    holders = forms.IntegerField(
        label="Residents who may hold it at once",
        min_value=1,
        max_value=40,
        initial=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )


class JobChangeForm(JobForm):
    is_active = forms.BooleanField(
        label="The job is in use",
        required=False,
        help_text="A job out of use stays in the history but cannot be taken up.",
    )


class HoldingStartForm(GovukFormMixin, forms.Form):
    resident = forms.ModelChoiceField(
        queryset=None,
        label="Resident",
        error_messages={"required": "Select the resident who takes up the job"},
    )
    from_on = GovukDateField(label="Date the job starts", help_text="For example, 27 3 2026")
    filled_by = radios("How the job was filled", FilledBy.choices, "Select how the job was filled")

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents
        self.fields["resident"].label_from_instance = lambda resident: str(resident)


class HoldingEndForm(GovukFormMixin, forms.Form):
    to_on = GovukDateField(label="Date the job ends", help_text="For example, 27 3 2026")
