from django import forms
from django.db.models import Q

from dtc.forms import GovukDateField, GovukFormMixin
from dtc.models import Role, RoleAssignment, User

from .models import ActionStatus, Rating, StandardCriterion


class CycleOpenForm(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="Name of the review cycle",
        help_text="For example, Accreditation review 2026 to 2027",
        max_length=120,
        error_messages={"required": "Enter a name for the review cycle"},
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

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
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
