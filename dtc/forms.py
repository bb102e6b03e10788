"""GOV.UK Design System markup for Django forms.

Forms that mix in GovukFormMixin render with `{{ form }}`: an error summary at the
top that links to each field, then each field with its label, hint and error
message in GOV.UK markup. Widget templates live in templates/django/forms/."""

import re
from datetime import date

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.validators import MaxLengthValidator
from django.forms.renderers import TemplatesSetting

from . import limits, text

WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.RadioSelect: "govuk-radios__input",
    forms.CheckboxSelectMultiple: "govuk-checkboxes__input",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.FileInput: "govuk-file-upload",
}
ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


def widget_class(widget) -> str:
    for widget_type in type(widget).__mro__:
        if widget_type in WIDGET_CLASSES:
            return WIDGET_CLASSES[widget_type]
    return "govuk-input"


def text_area(label, required_message, *, rows=5, help_text="", required=True, max_length=None):
    """A free-text answer in a textarea. Without a max_length, GovukFormMixin holds it to
    limits.NOTE and gives it the character count."""
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message},
    )


def radios(label, choices, required_message, **kwargs):
    """One answer chosen from radios (`coerce` given, a TypedChoiceField)."""
    field = forms.TypedChoiceField if "coerce" in kwargs else forms.ChoiceField
    return field(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
        **kwargs,
    )


class GovukDateInput(forms.MultiWidget):
    """The GOV.UK date pattern: separate day, month and year boxes."""

    template_name = "django/forms/widgets/govuk_date.html"

    def __init__(self, attrs=None):
        super().__init__(
            [
                forms.TextInput(
                    attrs={
                        "inputmode": "numeric",
                        "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                    }
                ),
                forms.TextInput(
                    attrs={
                        "inputmode": "numeric",
                        "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                    }
                ),
                forms.TextInput(
                    attrs={
                        "inputmode": "numeric",
                        "class": "govuk-input govuk-date-input__input govuk-input--width-4",
                    }
                ),
            ],
            attrs,
        )
        self.widgets_names = ["_day", "_month", "_year"]

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        # A form shown again with errors passes back what was typed, as "year-month-day".
        if isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            return [day, month, year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        day, month, year = super().value_from_datadict(data, files, name)
        if not any([day, month, year]):
            return ""
        return f"{(year or '').strip()}-{(month or '').strip()}-{(day or '').strip()}"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = ["Day", "Month", "Year"]
        for subwidget, label in zip(context["widget"]["subwidgets"], labels, strict=True):
            subwidget["label"] = label
        return context


class GovukDateField(forms.DateField):
    """A date in the GOV.UK pattern. GovukFormMixin words its messages with the field's
    label ("Date of the incident must be a real date, for example 27 3 2007")."""

    widget = GovukDateInput
    default_error_messages = {
        "invalid": "The date must be a real date, for example 27 3 2007",
        "incomplete": "The date must include %(missing)s",
    }
    PARTS = ("a day", "a month", "a year")

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            missing = [
                part
                for part, given in zip(self.PARTS, (day, month, year), strict=True)
                if not given
            ]
            if missing:
                raise forms.ValidationError(
                    self.error_messages["incomplete"],
                    code="incomplete",
                    params={"missing": " and ".join(missing)},
                )
        return super().to_python(value)


class CleanTextMixin:
    """Every text field of the form cleans what was typed (dtc.text.clean_text) before its
    own checks, so an answer of invisible characters only is an empty answer. Fields are
    taken at validation, so those a form adds in its __init__ are cleaned too."""

    def full_clean(self):
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not hasattr(field.to_python, "cleans_text"):
                field.to_python = _cleaning_first(field)
        super().full_clean()


def _cleaning_first(field: forms.CharField):
    to_python = field.to_python
    # A password must match what was set, character for character: kept as typed, but a
    # lone surrogate (which cannot be hashed) is refused.
    as_typed = isinstance(field.widget, forms.PasswordInput)

    def cleaned_to_python(value):
        if isinstance(value, str):
            if as_typed:
                text.refuse_surrogates(value)
            else:
                value = text.clean_text(value)
        return to_python(value)

    cleaned_to_python.cleans_text = True
    return cleaned_to_python


def is_text_box(field) -> bool:
    return isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea)


def limit_length(field: forms.CharField, label: str) -> None:
    """Gives a text answer its longest length (dtc.limits), unless the form set its own,
    and a message that names the field. A text box gets the GOV.UK character count
    (templates/includes/field.html) in place of the browser's maxlength, which would cut
    off a pasted answer without a word."""
    one_line = type(field.widget) in (forms.TextInput, forms.Textarea)
    if field.max_length is None and one_line:
        field.max_length = limits.NOTE if is_text_box(field) else limits.TITLE
        field.validators.append(MaxLengthValidator(field.max_length))
    if field.max_length is None:
        return
    field.error_messages["max_length"] = f"{label} must be {field.max_length:,} characters or fewer"
    if is_text_box(field):
        field.widget.attrs.pop("maxlength", None)
        classes = field.widget.attrs.get("class", "").split()
        if "govuk-js-character-count" not in classes:
            field.widget.attrs["class"] = " ".join([*classes, "govuk-js-character-count"])


# A label that starts with one of these reads on after "Enter" or "Select" as it is
# ("Enter what happened"); any other takes "the" ("Select the risk level").
READS_ON = {"the", "a", "an", "any", "each", "every", "your", "their", "his", "her", "its"} | {
    "what",
    "why",
    "how",
    "when",
    "where",
    "who",
    "whom",
    "which",
    "whether",
    "if",
}


def in_a_sentence(label: str) -> str:
    """The label as it reads mid-sentence: "Risk level" is "the risk level", an
    abbreviation keeps its capitals ("the ACCT")."""
    words = label.split()
    if not words:
        return label
    first = words[0] if words[0][1:2].isupper() else words[0].lower()
    what = " ".join([first, *words[1:]])
    return what if first.lower() in READS_ON else f"the {what}"


def is_choice(field) -> bool:
    return isinstance(field, (forms.ChoiceField, forms.BooleanField, forms.FileField))


def django_defaults(field) -> dict[str, str]:
    """Django's own messages for the field's class, to tell them from a form's."""
    defaults = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    return {code: str(message) for code, message in defaults.items()}


def name_the_field(field: forms.Field, label: str) -> None:
    """Puts messages that name the field ("Enter the reason", "Beds must be 0 or more",
    "Select the community") where Django's own would show ("This field is required.",
    "Ensure this value is greater than or equal to 0.", "Select a valid choice."); a
    message the form wrote itself is kept."""
    what = in_a_sentence(label)
    ours = {
        "required": f"Select {what}" if is_choice(field) else f"Enter {what}",
        "invalid_choice": f"Select {what}",
        "invalid_list": f"Select {what}",
        "invalid_pk_value": f"Select {what}",
    }
    # A DecimalField and a FloatField are IntegerFields too.
    if isinstance(field, (forms.DecimalField, forms.FloatField)):
        ours["invalid"] = f"{label} must be a number"
    elif isinstance(field, forms.IntegerField):
        ours["invalid"] = f"{label} must be a whole number"
    if isinstance(field, forms.DateField):
        ours["invalid"] = f"{label} must be a real date, for example 27 3 2007"
        ours["incomplete"] = f"{label} must include %(missing)s"
    if isinstance(field, forms.EmailField):
        ours["invalid"] = "Enter an email address in the correct format, like name@example.com"
    defaults = django_defaults(field)
    for code, message in ours.items():
        if code in defaults and str(field.error_messages.get(code)) == defaults[code]:
            field.error_messages[code] = message
    # The limits' messages come from their validators, not the field: words of our own.
    if getattr(field, "min_value", None) is not None:
        field.error_messages.setdefault("min_value", f"{label} must be {field.min_value} or more")
    if getattr(field, "max_value", None) is not None:
        field.error_messages.setdefault("max_value", f"{label} must be {field.max_value} or less")
    if isinstance(field, forms.DecimalField):
        places = field.decimal_places
        field.error_messages.setdefault("max_digits", f"{label} is too long")
        field.error_messages.setdefault("max_whole_digits", f"{label} is too large")
        field.error_messages.setdefault(
            "max_decimal_places",
            f"{label} must have {places} decimal place{'' if places == 1 else 's'} or fewer",
        )


DASHES = "---------"


def no_dashes(field: forms.Field, label: str) -> None:
    """Django's "---------" empty choice: none among radios (leaving all unchosen says
    it), "Choose the …" in a drop-down."""
    radios = isinstance(field.widget, forms.RadioSelect)
    prompt = f"Choose {in_a_sentence(label)}"
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DASHES:
            field.empty_label = None if radios else prompt
    elif isinstance(field, forms.ChoiceField) and not callable(field.choices):
        choices = list(field.choices)
        if any(value == "" and str(name) == DASHES for value, name in choices):
            field.choices = [
                (value, prompt if value == "" and str(name) == DASHES else name)
                for value, name in choices
                if not (radios and value == "" and str(name) == DASHES)
            ]


class GovukFormMixin(CleanTextMixin):
    """Adds the GOV.UK classes to every widget and the error classes after validation;
    cleans every text answer (CleanTextMixin) and holds it to its longest length
    (limit_length); words Django's messages with the field's label (name_the_field) and
    shows one message a field, in the order of the page (error_summary)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            self._prepare(name, field)
            if isinstance(field.widget, GovukDateInput):
                continue
            classes = field.widget.attrs.get("class", "")
            base = widget_class(field.widget)
            if base not in classes.split():
                field.widget.attrs["class"] = f"{base} {classes}".strip()

    def __getitem__(self, name):
        # Fields a form adds in its own __init__ are prepared when first shown or checked.
        self._prepare(name, self.fields[name])
        return super().__getitem__(name)

    def full_clean(self):
        for name, field in self.fields.items():
            self._prepare(name, field)
        super().full_clean()

    def _prepare(self, name, field):
        if getattr(field, "govuk_prepared", False):
            return
        field.govuk_prepared = True
        label = label_of(field, name)
        name_the_field(field, label)
        no_dashes(field, label)
        if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
            limit_length(field, label)
            if is_text_box(field) and field.max_length:
                field.widget.attrs["aria-describedby"] = self.described_by(name)

    def described_by(self, name) -> str:
        """The ids of what describes a field's input: its hint, its character count and
        its error message."""
        bound = super().__getitem__(name)
        ids = []
        if self.fields[name].help_text:
            ids.append(f"{bound.auto_id}_helptext")
        if is_text_box(self.fields[name]) and self.fields[name].max_length:
            ids.append(f"{bound.auto_id}-info")
        if self._errors and name in self._errors:
            ids.append(f"{bound.auto_id}-error")
        return " ".join(ids)

    def add_error(self, field, error):
        # Errors come here from validation and from a service's refusal (dtc.pages) alike.
        super().add_error(field, error)
        self._mark_errors()

    def _mark_errors(self):
        for name, errors in self._errors.items():
            if name not in self.fields:
                continue
            # One message a field (GOV.UK): the first found, as a date's own check
            # comes before the form's.
            del errors.data[1:]
            widget = self.fields[name].widget
            if not self[name].use_fieldset:
                widget.attrs["aria-describedby"] = self.described_by(name)
            subwidgets = widget.widgets if isinstance(widget, forms.MultiWidget) else [widget]
            for subwidget in subwidgets:
                classes = subwidget.attrs.get("class", "").split()
                for base, error in ERROR_CLASSES.items():
                    if base in classes and error not in classes:
                        classes.append(error)
                subwidget.attrs["class"] = " ".join(classes)

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) for each error, the anchor being the first input of its field."""
        items = [("", error) for error in self.non_field_errors()]
        for name in self.fields:
            if name in self.errors:
                items.extend((anchor(self[name]), error) for error in self.errors[name])
        return items


def label_of(field: forms.Field, name: str) -> str:
    """The field's label as a message starts with it."""
    label = str(field.label or name.replace("_", " "))
    return label[:1].upper() + label[1:]


def anchor(field: forms.BoundField) -> str:
    """The id of a field's first input, for a link to the question."""
    return f"{field.auto_id}_0" if field.use_fieldset else field.auto_id


class SignInForm(GovukFormMixin, auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active. Ask your Therapy Manager to restore it.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Autofocus would carry keyboard and screen-reader users past the skip link
        # and the page's heading (GOV.UK advises against it).
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"

    def clean_username(self):
        username = self.cleaned_data["username"]
        # Django does not hold the username to its max_length here, and django-axes would
        # record the whole of a failed one (PostgreSQL refuses past 255 characters).
        if len(username) > self.fields["username"].max_length:
            raise self.get_invalid_login_error()
        return username


class PasswordChangeForm(GovukFormMixin, auth_forms.PasswordChangeForm):
    pass


# A NOMIS prison number: one letter, four numbers and two letters.
PRISON_NUMBER = re.compile(r"^[A-Z]\d{4}[A-Z]{2}$")


class PrisonNumberField(forms.CharField):
    """A prison number, upper-cased and without spaces, in the NOMIS format A1234BC."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Prison number")
        # Longer than a prison number, so a mistyped one gets the format message below.
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "help_text", "One letter, four numbers and two letters, for example A1234BC."
        )
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
        )
        kwargs["error_messages"] = {
            "required": "Enter the prison number",
            **kwargs.get("error_messages", {}),
        }
        super().__init__(**kwargs)

    def clean(self, value):
        number = super().clean(value).upper().replace(" ", "")
        if number and not PRISON_NUMBER.match(number):
            raise forms.ValidationError(
                "Enter the prison number in the format A1234BC", code="invalid"
            )
        return number
