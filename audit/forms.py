from django import forms
from django.db.models import Q

from dtc import limits
from dtc.forms import GovukDateField, GovukFormMixin, PrisonNumberField
from dtc.models import Role, RoleAssignment, User
from dtc.params import MAX_ID

from .models import ActionStatus, Answer, AuditTemplate, Rating, RecordKind, StandardCriterion
from .services import MAX_SAMPLE


class CycleOpenForm(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="Name of the review cycle",
        help_text="For example, Accreditation review 2026 to 2027",
        max_length=120,
        error_messages={"required": "Enter a name for the review cycle"},
    )


class CaseStudyRequestForm(GovukFormMixin, forms.Form):
    """The resident picked from the list; the view looks them up within its scope."""

    resident = forms.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        widget=forms.HiddenInput,
        error_messages={
            key: "Choose a resident from the list"
            for key in ("required", "invalid", "min_value", "max_value")
        },
    )


class CaseStudyRedactionForm(GovukFormMixin, forms.Form):
    phrase = forms.CharField(
        label="Word or phrase to redact",
        help_text="As it is written in the original texts. It is redacted wherever it "
        "appears, in whole words. A redaction cannot be removed.",
        max_length=200,
        error_messages={"required": "Enter the word or phrase to redact"},
    )


class RatingForm(GovukFormMixin, forms.Form):
    rating = forms.ChoiceField(
        label="Rating",
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the criterion is met, partly met or not met"},
    )
    evidence = forms.CharField(
        label="Evidence",
        help_text="What shows the rating: records, figures, observations. Do not name residents.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the evidence for the rating"},
    )
    action_description = forms.CharField(
        label="Action to meet the criterion",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the criterion is not met.",
    )
    action_owner = forms.ModelChoiceField(
        label="Owner of the action",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose a member of staff",
    )
    action_due = GovukDateField(label="Action due by", required=False)
    met_despite_figure = forms.BooleanField(
        label="The criterion is met although its evidence figure reads 0%",
        help_text="Say in the evidence why the figure does not show it.",
        required=False,
    )

    def __init__(self, *args, community, figure=None, **kwargs):
        super().__init__(*args, **kwargs)
        # "Met" against a figure of none at all is a claim the figure contradicts.
        self.figure_is_zero = bool(figure and figure.denominator and not figure.numerator)
        # Owners come from the community's team and the Heads of Psychotherapy over it.
        team = (
            RoleAssignment.objects.active()
            .exclude(role=Role.AUDITOR)
            .filter(
                Q(community=community)
                | Q(establishment=community.establishment_id)
                | Q(cluster=community.establishment.cluster_id)
            )
        )
        self.fields["action_owner"].queryset = User.objects.filter(
            pk__in=team.values("user")
        ).order_by("last_name", "first_name")

    def clean(self):
        cleaned = super().clean()
        confirmed = cleaned.pop("met_despite_figure", False)
        if cleaned.get("rating") == Rating.MET and self.figure_is_zero and not confirmed:
            self.add_error(
                "met_despite_figure",
                "Confirm the criterion is met although its evidence figure reads 0%, "
                "or choose another rating",
            )
        if cleaned.get("rating") == Rating.NOT_MET:
            messages = {
                "action_description": "Enter the action that will meet the criterion",
                "action_owner": "Choose who owns the action",
                "action_due": "Enter the date the action is due by",
            }
            for field, message in messages.items():
                if not cleaned.get(field) and field not in self.errors:
                    self.add_error(field, message)
        return cleaned


class ActionStatusForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a status"},
    )


class CriterionForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = StandardCriterion
        fields = ["section", "text", "weight"]
        labels = {"text": "Criterion", "weight": "Weight"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "weight": forms.RadioSelect}
        error_messages = {
            "text": {"required": "Enter the criterion"},
            "weight": {"required": "Choose the criterion's weight"},
        }


class KpiTargetForm(GovukFormMixin, forms.Form):
    """A KPI's default target and, for each community, its own where it differs."""

    def __init__(self, *args, kpi, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.communities = list(communities)
        unit = {"percent": "%", "days": "days", "hours": "hours a week"}.get(kpi.unit, "")
        self.fields["default"] = self._field(
            f"Default target{f' ({unit})' if unit else ''}",
            "Leave empty for no target.",
        )
        for community in self.communities:
            self.fields[f"community_{community.pk}"] = self._field(
                f"{community.name}, {community.establishment.name}",
                "Leave empty to use the default.",
            )

    @staticmethod
    def _field(label, help_text):
        return forms.DecimalField(
            label=label,
            help_text=help_text,
            required=False,
            min_value=0,
            max_digits=7,
            decimal_places=1,
            error_messages={
                "invalid": "Enter the target as a number, like 90 or 6.5",
                "min_value": "Enter a target of 0 or more",
                "max_decimal_places": "Enter the target with at most one decimal place",
                "max_digits": "Enter a target below 1,000,000",
            },
        )

    def targets(self):
        """(community or None, value or None) for each field."""
        yield None, self.cleaned_data["default"]
        for community in self.communities:
            yield community, self.cleaned_data[f"community_{community.pk}"]


# Clinical audits ----------------------------------------------------------------------


class AuditTemplateForm(GovukFormMixin, forms.ModelForm):
    questions = forms.CharField(
        label="Questions",
        help_text="Write each question on its own line, so it can be answered yes, no or "
        "not applicable about one record.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=limits.NARRATIVE,
        error_messages={"required": "Enter at least one question"},
    )

    class Meta:
        model = AuditTemplate
        fields = ["title", "record_kind"]
        labels = {"title": "Name of the audit", "record_kind": "Kind of record audited"}
        widgets = {"record_kind": forms.RadioSelect}
        error_messages = {
            "title": {"required": "Enter a name for the audit"},
            "record_kind": {"required": "Choose the kind of record the audit looks at"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_kind"].choices = RecordKind.choices  # No blank radio.
        if self.instance.pk:
            self.initial["questions"] = "\n".join(q.text for q in self.instance.questions.all())
        if self.instance.pk and self.instance.runs.exists():
            # Answers refer to these: a used template keeps its kind and questions.
            self.fields["record_kind"].disabled = True
            self.fields["questions"].disabled = True

    def question_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["questions"].splitlines()]

    def clean_questions(self):
        questions = self.cleaned_data["questions"]
        if any(len(line.strip()) > 300 for line in questions.splitlines()):
            raise forms.ValidationError("Each question must be 300 characters or fewer")
        return questions


class AuditRunStartForm(GovukFormMixin, forms.Form):
    template = forms.ModelChoiceField(
        label="Audit",
        queryset=AuditTemplate.objects.filter(retired=False),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the audit to run"},
    )
    sample_size = forms.IntegerField(
        label="Number of records to sample",
        help_text=f"Between 1 and {MAX_SAMPLE}. The records are drawn at random.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the number of records to sample",
            "invalid": "Enter the number of records as a whole number, like 10",
        },
    )
    period_from = GovukDateField(
        label="Records from (optional)",
        required=False,
        help_text="Leave the dates empty to sample from every record. For example, 1 4 2026",
    )
    period_to = GovukDateField(label="Records to (optional)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].label_from_instance = lambda template: (
            f"{template.title} ({template.get_record_kind_display().lower()})"
        )

    def clean_sample_size(self):
        size = self.cleaned_data["sample_size"]
        if size < 1:
            raise forms.ValidationError("Enter a number of records of 1 or more")
        if size > MAX_SAMPLE:
            raise forms.ValidationError(f"Sample {MAX_SAMPLE} records or fewer")
        return size

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_from"), cleaned.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", "The end of the period must be on or after its start")
        return cleaned


class AuditAnswersForm(GovukFormMixin, forms.Form):
    """One radio group (yes / no / not applicable) and an optional note per question."""

    def __init__(self, *args, questions, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            given = answers.get(question.pk)
            self.fields[f"answer_{question.pk}"] = forms.ChoiceField(
                label=f"{question.number}. {question.text}",
                choices=Answer.choices,
                widget=forms.RadioSelect(attrs={"inline": True, "small": True}),
                initial=given.answer if given else None,
                error_messages={
                    "required": f"Answer question {question.number}: yes, no or not applicable"
                },
            )
            self.fields[f"note_{question.pk}"] = forms.CharField(
                label=f"Note on question {question.number} (optional)",
                required=False,
                # Fields added after GovukFormMixin.__init__ name their own class.
                widget=forms.Textarea(attrs={"rows": 2, "class": "govuk-textarea"}),
                initial=given.note if given else "",
            )

    def rows(self):
        """(answer field, note field) per question, for the template."""
        return [(self[f"answer_{q.pk}"], self[f"note_{q.pk}"]) for q in self.questions]

    def answers(self) -> dict:
        return {
            q: (self.cleaned_data[f"answer_{q.pk}"], self.cleaned_data[f"note_{q.pk}"])
            for q in self.questions
        }


class AuditRunWithdrawForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why is the audit withdrawn?",
        help_text="For example, it was started with the wrong template or period.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why the audit is withdrawn",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )


class SubjectAccessForm(GovukFormMixin, forms.Form):
    prison_number = PrisonNumberField()
    reason = forms.CharField(
        label="Reason or reference",
        help_text="Why the records are being exported, or the reference of the request, "
        "for example the data protection team's case number.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter the reason for the export or the request's reference",
            "max_length": "The reason must be 1,000 characters or fewer",
        },
    )
