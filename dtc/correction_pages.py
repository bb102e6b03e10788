"""The two correction flows (dtc.corrections), the same pages in every app: correct an
entry (its own create form, filled in with its answers, plus the reason for the
correction) and mark an entry as entered in error (the reason). Each goes form → check
your answers → save. An app's view finds the record in the user's scope (404 outside
it) and passes what the page needs: the form, the caption and where to go back to."""

from collections.abc import Callable
from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.shortcuts import redirect

from . import corrections, pages, permissions
from .forms import GovukFormMixin

REASON_LABEL = "Reason for the correction"


class EnteredInErrorForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why was this entered in error?",
        help_text="For example, recorded on the wrong resident, or it did not happen.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the entry was made in error"},
    )


def _with_reason(form_class):
    """The record's create form with the reason for the correction at the end."""
    reason = forms.CharField(
        label=REASON_LABEL,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for the correction"},
    )
    return type(f"Correct{form_class.__name__}", (form_class,), {"correction_reason": reason})


def _model_fields(record, form_class):
    """(name, form field, model field) for each question the record holds an answer to."""
    for name, form_field in form_class.base_fields.items():
        try:
            yield name, form_field, record._meta.get_field(name)
        except FieldDoesNotExist:
            continue


def answers_of(record, form_class) -> dict:
    """The record's values for the form's questions, to fill it in."""
    initial = {}
    for name, _form_field, field in _model_fields(record, form_class):
        if field.many_to_many:
            initial[name] = list(getattr(record, name).values_list("pk", flat=True))
        elif field.is_relation:
            initial[name] = getattr(record, field.attname)
        else:
            initial[name] = getattr(record, name)
    return initial


def facts_of(record, form_class) -> list[tuple[str, str]]:
    """(question, answer as recorded) for each of the form's questions."""
    facts = []
    for name, form_field, field in _model_fields(record, form_class):
        if field.many_to_many:
            value = ", ".join(str(item) for item in getattr(record, name).all())
        elif field.choices:
            value = getattr(record, f"get_{name}_display")()
        else:
            value = getattr(record, name)
            value = f"{value:%-d %B %Y}" if isinstance(value, date) else value
        label = form_field.label or name.replace("_", " ").capitalize()
        facts.append((label, str(value) if value not in (None, "") else "None"))
    return facts


def _refused(request, record, back):
    if not record.in_effect:
        messages.error(
            request,
            "This entry was marked as entered in error: it cannot be corrected."
            if record.entered_in_error
            else "This entry has already been corrected: correct the latest version instead.",
        )
        return redirect(back)
    return None


def amend(
    request,
    *,
    record,
    form_class,
    make_form: Callable | None = None,
    caption,
    back: str,
    what: str,
):
    """Correct `record`: `make_form(form_class, data, initial)` builds its create form
    (by default `form_class(data, initial=initial)`); `what` names the entry ("the
    incident"); `back` is the page it is shown on."""
    permissions.require_correct(request.user, record)
    if refused := _refused(request, record, back):
        return refused
    form_class = _with_reason(form_class)
    make_form = make_form or (lambda cls, data, initial: cls(data, initial=initial))
    form = make_form(form_class, request.POST or None, answers_of(record, form_class))
    title = f"Correct {what}"
    if pages.unconfirmed(form):
        return pages.check_answers(
            request,
            form=form,
            title=title,
            button="Save the correction",
            caption=caption,
            intro=f"{title}. The entry as it was first recorded is kept, marked as corrected.",
            cancel=back,
        )

    def save(data):
        changes = {name: value for name, value in data.items() if name != "correction_reason"}
        return corrections.record_amend(
            record=record, changes=changes, reason=data["correction_reason"], by=request.user
        )

    if pages.submit(form, save):
        messages.success(request, "Correction saved. The entry as first recorded is kept.")
        return redirect(back)
    return _form_page(request, form, title=title, caption=caption, back=back)


def entered_in_error(request, *, record, form_class, caption, back: str, what: str):
    """Mark `record` as entered in error; the questions of its create form, `form_class`,
    show what it says."""
    permissions.require_correct(request.user, record)
    if refused := _refused(request, record, back):
        return refused
    facts = facts_of(record, form_class)
    form = EnteredInErrorForm(request.POST or None)
    title = f"Mark {what} as entered in error"
    if pages.unconfirmed(form):
        return pages.check_answers(
            request,
            form=form,
            facts=facts,
            title=title,
            button="Mark as entered in error",
            caption=caption,
            warning="The entry stays on the record, marked as entered in error, and no longer "
            "counts in lists or figures. This cannot be undone.",
            cancel=back,
        )
    if pages.submit(
        form,
        lambda data: corrections.record_mark_entered_in_error(
            record=record, reason=data["reason"], by=request.user
        ),
    ):
        messages.success(
            request, "The entry is marked as entered in error. It is kept on the record."
        )
        return redirect(back)
    return _form_page(
        request,
        form,
        title=title,
        caption=caption,
        back=back,
        intro="The entry stays on the record, marked as entered in error.",
    )


def _form_page(request, form, *, title, caption, back, intro=""):
    return pages.form_page(
        request, form, title, caption=caption, cancel=back, intro=intro, button="Continue"
    )
