"""What the resident pages share: the form page and the check-your-answers values."""

from django.core.exceptions import ValidationError
from django.shortcuts import render


def save_or_show_errors(form, save) -> bool:
    """Run the service; a refusal shows its message on the form and changes nothing."""
    try:
        save()
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def form_page(request, resident, form, title, *, intro="", button="Save"):
    return render(
        request,
        "residents/form.html",
        {"resident": resident, "form": form, "title": title, "intro": intro, "button": button},
    )


def answers(form) -> list[tuple[str, str]]:
    """The cleaned values as a check-your-answers page shows them."""
    answers = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if hasattr(field, "choices") and value:
            value = dict(field.choices).get(value, value)
        elif hasattr(value, "strftime"):
            value = f"{value:%-d %B %Y}"
        answers.append((field.label or name.replace("_", " ").capitalize(), value or "None"))
    return answers


def posted(request):
    return [
        (key, value)
        for key, values in request.POST.lists()
        if key not in ("csrfmiddlewaretoken", "confirm", "change")
        for value in values
    ]
