from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dtc.params import search_param

from . import home as home_cards
from . import permissions, selectors, services, versions
from .models import Community, Role, RoleAssignment


def home(request):
    user = request.user
    in_scope = permissions.community_ids(user) | permissions.community_ids(user, "view_audit")
    accessible_ids = permissions.community_ids(user)
    today = timezone.localdate()
    return render(
        request,
        "dtc/home.html",
        {
            "queue": home_cards.home_queue(request, today=today),
            "today": today,
            "roles": selectors.active_roles(user),
            # Beds and staff change with residents and roles, which move the versions on.
            # The HTML is kept, not only the figures: the HoP's fifty communities took
            # longer to render than to read.
            "communities": versions.cached(
                "communities-overview-html",
                in_scope,
                lambda: render_to_string(
                    "dtc/includes/communities_overview.html",
                    {
                        "communities": list(selectors.communities_overview(user)),
                        "accessible_ids": accessible_ids,
                    },
                ),
                sorted(accessible_ids),
            ),
            "cards": home_cards.cards(request),
        },
    )


def work_queue(request):
    """Everything in the user's work queue, where the home page shows the first lines."""
    today = timezone.localdate()
    return render(
        request,
        "dtc/work_queue.html",
        {
            "queue": home_cards.queue(request, today=today),
            "today": today,
            "per_kind": home_cards.PER_KIND,
        },
    )


def community_detail(request, pk):
    community = permissions.get_visible_or_404(request.user, Community, pk=pk)
    overview = selectors.communities_overview(request.user).get(pk=community.pk)
    return render(
        request,
        "dtc/community_detail.html",
        {
            "community": overview,
            "team": selectors.community_team(community)
            if permissions.can(request.user, "view_team", community)
            else None,
        },
    )


def staff(request):
    permissions.require_any(request.user, "view_team")
    query = search_param(request.GET)
    assignments = (
        RoleAssignment.objects.active()
        .filter(community_id__in=permissions.community_ids(request.user, "view_team"))
        .exclude(role=Role.AUDITOR)
        .select_related("user__profile", "community__establishment")
        .order_by("user__last_name", "user__first_name", "community__name")
    )
    if query:
        assignments = assignments.filter(
            Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
            | Q(user__profile__registration_number__icontains=query)
        )
    page = Paginator(assignments, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "dtc/staff.html",
        {
            "page": page,
            "query": query,
        },
    )


def notifications(request):
    page = Paginator(selectors.notifications_for(request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "dtc/notifications.html", {"page": page})


@require_POST
def notifications_read(request):
    count = services.notifications_mark_read(user=request.user)
    if count:
        messages.success(
            request, f"{count} notification{'s' if count != 1 else ''} marked as read."
        )
    return redirect("notifications")


def profile(request):
    return render(
        request,
        "dtc/profile.html",
        {
            "profile": getattr(request.user, "profile", None),
            "roles": selectors.active_roles(request.user),
        },
    )


@require_POST
def sign_out_everywhere(request):
    services.user_sign_out_everywhere(user=request.user)
    logout(request)
    messages.success(request, "You have been signed out on every device.")
    return redirect("login")


@login_not_required
@never_cache
def healthz(request):
    """Liveness for load balancers and compose: the database and, when configured, Redis."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {type(error).__name__}"
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(
                settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
            ).ping()
            checks["redis"] = "ok"
        except Exception as error:  # noqa: BLE001
            checks["redis"] = f"error: {type(error).__name__}"
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
