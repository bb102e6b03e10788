"""How a form page runs, the same in every app. `submit` validates the posted form, calls
the service and shows the service's refusal on the form. An action recorded against the
user's name shows check-your-answers first: `unconfirmed` says when, `check_answers`
renders it (templates/check_answers.html), and its buttons post the answers back, with
`confirm` to save them or with `change` to show the form again, filled in."""

from datetime import date, time

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render

from . import form_tokens
from .forms import anchor

# The check-your-answers page's buttons: save the answers, or go back to change them.
BUTTONS = frozenset({"confirm", "change"})
# What a posted form carries besides the answers.
NOT_ANSWERS = BUTTONS | {"csrfmiddlewaretoken", form_tokens.FIELD}


def submit(form, save):
    """`save(form.cleaned_data)` for a valid posted form, returning what it returns (the
    object the service wrote). None when nothing was saved: the form not posted or not
    valid, its answers sent back from check-your-answers to change, or the service
    refusing them with a ValidationError, which then shows on the form. The form's
    one-time token is claimed in the save's transaction: a form submitted again after it
    saved raises dtc.form_tokens.AlreadySaved and saves nothing."""
    if not form.is_bound or "change" in form.data or not form.is_valid():
        return None
    try:
        with form_tokens.claimed(form.data):
            return save(form.cleaned_data)
    except ValidationError as refusal:
        show_refusal(form, refusal)
        return None


def show_refusal(form, refusal: ValidationError) -> None:
    """A message about a field the form has goes beside that field; a message about no
    field, or about one the form does not show, goes in the error summary."""
    by_field = refusal.error_dict if hasattr(refusal, "error_dict") else {None: refusal}
    for name, errors in by_field.items():
        form.add_error(name if name in form.fields else None, errors)


def unconfirmed(form) -> bool:
    """Valid answers posted from the form step, to show on check-your-answers before they
    are saved (neither confirmed there yet nor sent back to change)."""
    return form.is_bound and not BUTTONS & set(form.data) and form.is_valid()


def form_page(request, form, title, *, caption="", cancel="", intro="", button="Save"):
    """The page of one form (templates/form_page.html): its caption, heading, intro, the
    fields, the button and the Cancel link back to `cancel`."""
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": title,
            "caption": caption,
            "cancel": cancel,
            "intro": intro,
            "button": button,
        },
    )


def check_answers(
    request, *, title, button, form=None, facts=(), template="check_answers.html", **context
):
    """The check-your-answers page: `facts` [(label, value)] first, then each of the form's
    answers with a Change link back to its question. Without a form it is a confirmation
    page of facts alone. `context` goes to the template (caption, warning, cancel, …)."""
    rows = [(label, value, None) for label, value in facts]
    posted = []
    if form is not None:
        rows += answers(form)
        posted = [
            (name, value)
            for name, values in request.POST.lists()
            if name not in NOT_ANSWERS
            for value in values
        ]
    return render(
        request,
        template,
        {"title": title, "button": button, "rows": rows, "posted": posted, **context},
    )


def answers(form) -> list[tuple[str, str, str]]:
    """(label, answer as the page shows it, anchor of the question) for each field."""
    rows = []
    for name, field in form.fields.items():
        label = field.label or name.replace("_", " ").capitalize()
        rows.append((label, _shown(field, form.cleaned_data.get(name)), anchor(form[name])))
    return rows


def _shown(field, value) -> str:
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(field.label_from_instance(item) for item in value) or "None"
    if value in ("", None, []):
        return "None"
    if isinstance(field, forms.ModelChoiceField):
        return field.label_from_instance(value)
    if isinstance(field, forms.MultipleChoiceField):
        labels = dict(field.choices)
        return ", ".join(str(labels.get(item, item)) for item in value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(field, forms.BooleanField):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, time):
        return f"{value:%H:%M}"
    return str(value)
