"""How a form page runs, the same in every app: `submit` validates the posted form, calls
the service and shows the service's refusal on the form."""

from django.core.exceptions import ValidationError


def submit(form, save):
    """`save(form.cleaned_data)` for a valid posted form, returning what it returns (the
    object the service wrote). None when nothing was saved: the form not posted or not
    valid, its answers sent back from check-your-answers to change, or the service
    refusing them with a ValidationError, which then shows on the form."""
    if not form.is_bound or "change" in form.data or not form.is_valid():
        return None
    try:
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
