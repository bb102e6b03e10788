"""A community's small groups: the list, a group with its members, and the pages that
add, change and close groups and move residents in and out of them."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from dtc import pages, permissions
from dtc.models import Community
from dtc.params import int_param

from .. import selectors, services
from ..forms import SmallGroupCloseForm, SmallGroupForm, SmallGroupJoinForm, SmallGroupLeaveForm
from ..models import Resident, SmallGroup, SmallGroupMembership

__all__ = [
    "small_group",
    "small_group_change",
    "small_group_close",
    "small_group_create",
    "small_group_join",
    "small_group_leave",
    "small_group_list",
]


def small_group_list(request):
    permissions.require_any(request.user)
    community_id = int_param(request.GET, "community")
    groups = selectors.small_groups_listed(request.user, community_id=community_id)
    page = Paginator(groups, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    communities = list(permissions.communities(request.user).select_related("establishment"))
    return render(
        request,
        "residents/small_group_list.html",
        {
            "page": page,
            "communities": communities,
            "community_id": community_id,
            "keeping": list(permissions.communities(request.user, "keep_timetable")),
        },
    )


def small_group_create(request, community_pk):
    community = permissions.get_visible_or_404(request.user, Community, pk=community_pk)
    permissions.require(request.user, "keep_timetable", community)
    form = SmallGroupForm(request.POST or None, staff=selectors.community_staff(community))
    if group := pages.submit(
        form,
        lambda data: services.small_group_create(community=community, by=request.user, **data),
    ):
        messages.success(request, f"Small group {group} added. Add its members now.")
        return redirect("residents:small_group", group.pk)
    return pages.form_page(
        request,
        form,
        "Add a small group",
        caption=community.name,
        cancel=reverse("residents:small_group_list"),
    )


def _group(request, pk, action=permissions.ACCESS) -> SmallGroup:
    return permissions.get_visible_or_404(
        request.user, SmallGroup.objects.select_related("community"), action, pk=pk
    )


def small_group(request, pk):
    group = _group(request, pk)
    memberships = list(selectors.small_group_members(request.user, group))
    return render(
        request,
        "residents/small_group.html",
        {
            "group": group,
            "facilitators": group.facilitators.order_by("first_name", "last_name"),
            "current": [m for m in memberships if m.left_on is None],
            "past": [m for m in memberships if m.left_on is not None],
            "sessions": group.sessions.order_by("-held_on", "-pk")[:10],
            "can_keep": permissions.can(request.user, "keep_timetable", group),
            "can_allocate": permissions.can(request.user, "decide_therapy", group.community),
        },
    )


def small_group_change(request, pk):
    group = _group(request, pk)
    permissions.require(request.user, "keep_timetable", group)
    form = SmallGroupForm(
        request.POST or None,
        staff=selectors.community_staff(group.community),
        initial={"name": group.name, "facilitators": list(group.facilitators.all())},
    )
    if pages.submit(
        form, lambda data: services.small_group_update(group=group, by=request.user, **data)
    ):
        messages.success(request, "Small group saved.")
        return redirect("residents:small_group", group.pk)
    return pages.form_page(
        request,
        form,
        f"Change {group}",
        caption=group.community.name,
        cancel=reverse("residents:small_group", args=[group.pk]),
    )


def small_group_close(request, pk):
    group = _group(request, pk)
    permissions.require(request.user, "keep_timetable", group)
    form = SmallGroupCloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if pages.unconfirmed(form):
        return pages.check_answers(
            request,
            form=form,
            title=f"Close {group}",
            button="Close the group",
            caption=group.community.name,
            warning="A closed group keeps its sessions and past members, and takes no more.",
            cancel=reverse("residents:small_group", args=[group.pk]),
        )
    if pages.submit(
        form, lambda data: services.small_group_close(group=group, by=request.user, **data)
    ):
        messages.success(request, f"{group} is closed.")
        return redirect("residents:small_group", group.pk)
    return pages.form_page(
        request,
        form,
        f"Close {group}",
        caption=group.community.name,
        cancel=reverse("residents:small_group", args=[group.pk]),
        button="Continue",
    )


def small_group_join(request, pk):
    group = _group(request, pk)
    permissions.require(request.user, "decide_therapy", group.community)
    residents = (
        permissions.visible(request.user, Resident)
        .current()
        .filter(community_id=group.community_id)
        .exclude(small_group_memberships__group=group, small_group_memberships__left_on=None)
        .order_by("last_name", "first_name", "pk")
    )
    form = SmallGroupJoinForm(
        request.POST or None, residents=residents, initial={"joined_on": timezone.localdate()}
    )
    if membership := pages.submit(
        form, lambda data: services.small_group_join(group=group, by=request.user, **data)
    ):
        messages.success(request, f"{membership.resident.name} is in {group}.")
        return redirect("residents:small_group", group.pk)
    return pages.form_page(
        request,
        form,
        f"Add a resident to {group}",
        caption=group.community.name,
        cancel=reverse("residents:small_group", args=[group.pk]),
    )


def small_group_leave(request, pk):
    membership = get_object_or_404(
        SmallGroupMembership.objects.select_related("group__community"), pk=pk, left_on=None
    )
    # The membership is seen as its resident is: 404 for a resident hidden from the user.
    resident = permissions.get_visible_or_404(request.user, Resident, pk=membership.resident_id)
    permissions.require(request.user, "decide_therapy", resident)
    group = membership.group
    form = SmallGroupLeaveForm(request.POST or None, initial={"left_on": timezone.localdate()})
    if pages.submit(
        form,
        lambda data: services.small_group_leave(resident=resident, by=request.user, **data),
    ):
        messages.success(request, f"{resident.name} has left {group}.")
        return redirect("residents:small_group", group.pk)
    return pages.form_page(
        request,
        form,
        f"{resident.name} leaves {group}",
        caption=group.community.name,
        cancel=reverse("residents:small_group", args=[group.pk]),
    )
