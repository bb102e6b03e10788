"""The audit module's lines of the home page's work queue (dtc.home): for whoever
releases case studies (Therapy Manager, HoP), the drafts waiting for their review."""

from django.utils import timezone

from dtc import links, permissions
from dtc.home import QueueItem, now_or_earlier

from . import selectors
from .models import RenderStatus


def work(request, *, today, limit):
    user = request.user
    if not permissions.holds_any(user, permissions.RELEASE_CASE_STUDY):
        return []
    return [
        QueueItem(
            # Waiting since it was rendered (or requested, while it renders).
            due=now_or_earlier(
                timezone.localdate(case_study.rendered_at or case_study.requested_at), today
            ),
            what="Case study to render again"
            if case_study.status == RenderStatus.FAILED
            else "Case study to review and release",
            about=f"{case_study.pseudonym}, {case_study.community.name}",
            url=links.path_to("audit:case_study", case_study.pk),
        )
        for case_study in selectors.case_studies_awaiting_release(user)[:limit]
    ]
