"""What the resident pages share: the staff-only gate and the form page."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse

from dtc import permissions


def require_any_access(user):
    # Identifiable resident pages are for the community's staff; auditors never see them.
    if not permissions.community_ids(user):
        raise PermissionDenied


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
