"""What the resident pages share: the form page."""

from django.urls import reverse

from dtc import pages


def form_page(request, resident, form, title, *, intro="", button="Save"):
    return pages.form_page(
        request,
        form,
        title,
        caption=resident,
        cancel=reverse("residents:detail", args=[resident.pk]),
        intro=intro,
        button=button,
    )
