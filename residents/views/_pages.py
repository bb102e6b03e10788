"""What the resident pages share: the form page."""

from django.shortcuts import render
from django.urls import reverse


def form_page(request, resident, form, title, *, intro="", button="Save"):
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": title,
            "caption": resident,
            "intro": intro,
            "button": button,
            "cancel": reverse("residents:detail", args=[resident.pk]),
        },
    )
