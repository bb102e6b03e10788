from django import forms

from dtc import limits
from dtc.forms import GovukDateField, GovukFormMixin, radios, text_area
from dtc.params import RecordsChoiceField, int_param

from ..models import CLAUSE_NUMBER, Majority, MotionKind, StaffVote

# Rows for new clauses below the ones there are; a version holds at most MAX_CLAUSES.
SPARE_ROWS = 5
MAX_CLAUSES = 100
CLAUSE_PARTS = ("number", "title", "text", "is_core_rule")
# The first version starts from the core rules every community has.
CORE_RULES = [
    ("1", "No violence", "No violence or threats of violence, to anyone."),
    ("2", "No drugs", "No drugs or alcohol, and no dealing in them."),
    ("3", "No sex", "No sexual relationships on the community."),
]


class ConstitutionForm(GovukFormMixin, forms.Form):
    """A new version of the constitution: its clauses, one row each (a row left empty
    adds nothing; emptying a clause's row removes it), and its democratic rules."""

    quorum_percent = forms.IntegerField(
        label="Quorum",
        min_value=0,
        max_value=100,
        help_text="The percentage of current residents who must vote for a decision to "
        "count. Enter 0 if any number may decide.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )
    majority = radios(
        "Majority needed to carry a motion",
        Majority.choices,
        "Select the majority needed to carry a motion",
    )
    staff_vote = radios("Whether staff vote", StaffVote.choices, "Select whether staff vote")
    ratification_required_for = forms.MultipleChoiceField(
        label="Decisions that need the Therapy Manager's ratification",
        choices=MotionKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The Therapy Manager ratifies or sets aside these decisions once carried.",
    )
    in_force_from = GovukDateField(
        label="Date this version comes into force", help_text="For example, 27 3 2026"
    )
    amendment_note = text_area(
        "What the amendment changes and why",
        "Enter what the amendment changes and why",
        rows=3,
        help_text="For example, the motion carried at the community meeting of 4 March.",
    )

    def __init__(self, *args, clauses=(), **kwargs):
        """`clauses` fill in the rows: the clauses of the version being amended."""
        super().__init__(*args, **kwargs)
        clauses = list(clauses)
        posted = int_param(self.data, "rows") if self.is_bound else None
        self.row_count = min(max(len(clauses) + SPARE_ROWS, posted or 0), MAX_CLAUSES)
        rows = {}
        # Fields added after GovukFormMixin.__init__ name their own class.
        for row in range(1, self.row_count + 1):
            rows[f"clause_{row}_number"] = forms.CharField(
                label=f"Number of clause {row}",
                required=False,
                max_length=15,
                widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5"}),
            )
            rows[f"clause_{row}_title"] = forms.CharField(
                label=f"Title of clause {row}",
                required=False,
                max_length=limits.TITLE,
                widget=forms.TextInput(attrs={"class": "govuk-input"}),
            )
            rows[f"clause_{row}_text"] = forms.CharField(
                label=f"Text of clause {row}",
                required=False,
                max_length=limits.NOTE,
                widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}),
            )
            rows[f"clause_{row}_is_core_rule"] = forms.BooleanField(
                label=f"Clause {row} is a core rule (no violence, no drugs, no sex)",
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
            )
        for row, clause in enumerate(clauses, start=1):
            for part in CLAUSE_PARTS:
                self.initial.setdefault(f"clause_{row}_{part}", clause[part])
        # The clauses come first on the page, then the rules.
        self.fields = {**rows, **self.fields}

    def rows(self):
        """Each clause row's bound fields, for the page to lay out in a fieldset each."""
        return [
            (row, [self[f"clause_{row}_{part}"] for part in CLAUSE_PARTS])
            for row in range(1, self.row_count + 1)
        ]

    def clean(self):
        data = super().clean()
        clauses, numbers = [], set()
        for row in range(1, self.row_count + 1):
            values = {part: data.get(f"clause_{row}_{part}") for part in CLAUSE_PARTS}
            if not any(values.values()):
                continue
            number = values["number"] or ""
            if not number:
                self.add_error(f"clause_{row}_number", f"Enter the number of clause {row}")
            elif not CLAUSE_NUMBER.match(number):
                self.add_error(
                    f"clause_{row}_number",
                    f"Enter the number of clause {row} as numbers and points, like 2 or 2.3",
                )
            elif number in numbers:
                self.add_error(
                    f"clause_{row}_number", f"Clause number {number} is used more than once"
                )
            numbers.add(number)
            if not values["title"]:
                self.add_error(f"clause_{row}_title", f"Enter the title of clause {row}")
            if not values["text"]:
                self.add_error(f"clause_{row}_text", f"Enter the text of clause {row}")
            clauses.append({**values, "is_core_rule": bool(values["is_core_rule"])})
        if not clauses and not self.errors:
            self.add_error("clause_1_number", "Enter at least one clause")
        data["clauses"] = clauses
        return data

    def drop_empty_rows(self) -> None:
        """Leaves out of check-your-answers the rows left empty."""
        for row in range(1, self.row_count + 1):
            names = [f"clause_{row}_{part}" for part in CLAUSE_PARTS]
            if not any(self.cleaned_data.get(name) for name in names):
                for name in names:
                    del self.fields[name]

    def service_answers(self) -> dict:
        """The answers as constitution_amend takes them."""
        data = self.cleaned_data
        return {
            "clauses": data["clauses"],
            "quorum_percent": data["quorum_percent"],
            "majority": data["majority"],
            "staff_vote": data["staff_vote"],
            "ratification_required_for": data["ratification_required_for"],
            "in_force_from": data["in_force_from"],
            "note": data["amendment_note"],
        }


def clauses_of(constitution) -> list[dict]:
    """A version's clauses as the form's rows take them."""
    if constitution is None:
        return [
            {"number": number, "title": title, "text": text, "is_core_rule": True}
            for number, title, text in CORE_RULES
        ]
    return [
        {part: getattr(clause, part) for part in CLAUSE_PARTS}
        for clause in constitution.clauses.all()
    ]


def rules_of(constitution) -> dict:
    """A version's rules, to fill in the form for its amendment."""
    if constitution is None:
        return {}
    return {
        "quorum_percent": constitution.quorum_percent,
        "majority": constitution.majority,
        "staff_vote": constitution.staff_vote,
        "ratification_required_for": constitution.ratification_required_for,
    }


class IncidentClausesForm(GovukFormMixin, forms.Form):
    clauses = RecordsChoiceField(
        queryset=None,
        label="Clauses broken",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the clauses that were broken"},
    )

    def __init__(self, *args, clauses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clauses"].queryset = clauses


class ConfirmForm(GovukFormMixin, forms.Form):
    """A confirmation with no questions: posting it claims the page's form token."""


class AgreementForm(forms.Form):
    """What an agreement records, as the correction pages show it (it is made with no
    questions: the version in force, today, witnessed by whoever records it)."""

    constitution = forms.ModelChoiceField(queryset=None, label="Version agreed to")
    agreed_on = forms.DateField(label="Agreed on")
    witnessed_by = forms.ModelChoiceField(queryset=None, label="Witnessed by")
