"""The resident record's lines of the home page's work queue (dtc.home): registers to
take, reviews and documents due on the user's caseload, their drafts and the drafts
returned to them, and for whoever signs off (Therapy Manager, HoP) the plans and
documents waiting for it and the residents past their review date."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q

from dtc import links, permissions
from dtc.home import COMING_DAYS, QueueItem, now_or_earlier

from . import selectors
from .models import (
    ClinicalDocument,
    DocumentStatus,
    PlanGoal,
    PlanStatus,
    Resident,
    TreatmentPlan,
)


def work(request, *, today, limit):
    user = request.user
    if not permissions.holds_any(user):
        return []
    horizon = today + timedelta(days=COMING_DAYS)
    signs_off = permissions.community_ids(user, "sign_off")
    return [
        *_registers(user, today, limit),
        *_reviews(user, today, horizon, signs_off, limit),
        *_documents(user, today, horizon, signs_off, limit),
        *_plans(user, today, signs_off, limit),
    ]


def _registers(user, today, limit):
    takes = permissions.community_ids(user, "record_attendance")
    if not takes:
        return []
    sessions = (
        selectors.registers_not_taken(user, today=today)
        .filter(community_id__one_of=takes)
        .select_related(None)
        .select_related("small_group")[:limit]
    )
    communities = permissions.communities_by_id(user)
    return [
        QueueItem(
            due=session.held_on,
            what="Take the register",
            about=f"{session}, {communities[session.community_id].name}",
            url=links.path_to("residents:attendance_record", session.pk),
        )
        for session in sessions
    ]


def _reviews(user, today, horizon, signs_off, limit):
    # The caseload's reviews due soon, and every resident past their review date where
    # the user signs off: one query.
    residents = (
        permissions.visible(user, Resident)
        .current()
        .filter(
            Q(key_worker_id=user.pk, next_review_on__lte=horizon)
            | Q(community_id__one_of=signs_off, next_review_on__lt=today)
        )
        .order_by("next_review_on", "pk")[:limit]
    )
    return [
        QueueItem(
            due=resident.next_review_on,
            what="Therapy review overdue"
            if resident.next_review_on < today
            else "Therapy review due",
            about=str(resident),
            url=links.path_to("residents:detail", resident.pk),
        )
        for resident in residents
    ]


def _documents(user, today, horizon, signs_off, limit):
    # Narrowed through the join to the resident (as permissions.visible would narrow the
    # residents), not by a semi-join on every visible resident: the planner can then walk
    # the documents' index in due order and stop at the first `limit`.
    readable = ClinicalDocument.objects.filter(
        permissions.person_visible(user, "resident__prison_number")
    ).defer("body")
    documents = readable.filter(resident__community_id__one_of=permissions.community_ids(user))
    # Two queries, each read from indexes: the user's own (their caseload's documents and
    # their drafts, a union of two parts each found by its own index) and the documents
    # waiting for their sign-off (read in due order from the status index, and stopped at
    # `limit` however many are waiting across the communities).
    in_hand = documents.exclude(status=DocumentStatus.SIGNED_OFF).order_by()
    own = (
        # The caseload's documents due soon, whoever writes them.
        in_hand.filter(resident__key_worker_id=user.pk, due_on__lte=horizon)
        .select_related("resident")
        .union(
            # The user's own drafts (returned ones among them) due soon or undated.
            in_hand.filter(author_id=user.pk, status=DocumentStatus.DRAFT)
            .filter(Q(due_on__isnull=True) | Q(due_on__lte=horizon) | Q(submitted_at__isnull=False))
            .select_related("resident")
        )
        .order_by("due_on", "pk")[:limit]
    )
    to_sign_off = (
        # The communities where the user signs off are among those they see: narrowed
        # to those alone (said twice, the planner would count the residents too few).
        readable.filter(resident__community_id__one_of=signs_off, status=DocumentStatus.SUBMITTED)
        .filter(Q(needs_countersignature=False) | Q(countersigned_by__isnull=False))
        .select_related("resident")
        .order_by("due_on", "pk")[:limit]
        if signs_off
        else []
    )
    items = {}
    for document in [*own, *to_sign_off]:
        url = links.path_to("residents:document", document.pk)
        about = f"{document.title}, {document.resident}"
        mine = document.author_id == user.pk
        if mine and document.status == DocumentStatus.DRAFT and document.submitted_at:
            # A draft that was submitted once has been returned for changes.
            what, due = "Draft returned to you", now_or_earlier(document.due_on, today)
        elif (
            document.status == DocumentStatus.SUBMITTED
            and document.resident.community_id in signs_off
        ):
            what, due = "Document to sign off", now_or_earlier(document.due_on, today)
        elif mine and document.status == DocumentStatus.DRAFT:
            what, due = "Your draft", document.due_on
        else:
            overdue = document.due_on < today
            what, due = ("Document overdue" if overdue else "Document due"), document.due_on
        # A caseload document waiting for the user's sign-off is read by both queries.
        items[document.pk] = QueueItem(due=due, what=what, about=about, url=url)
    return list(items.values())


def _plans(user, today, signs_off, limit):
    if not signs_off:
        return []
    # A draft with goals is ready for sign-off (plan_sign_off refuses one without).
    drafts = (
        TreatmentPlan.objects.filter(
            resident__in=permissions.visible(user, Resident, "sign_off").current(),
            status=PlanStatus.DRAFT,
        )
        .filter(Exists(PlanGoal.objects.filter(plan_id=OuterRef("pk"))))
        .select_related("resident")
        .order_by("pk")[:limit]
    )
    return [
        QueueItem(
            due=today,
            what="Treatment plan to sign off",
            about=f"Version {plan.version}, {plan.resident}",
            url=links.path_to("residents:plan", plan.pk),
        )
        for plan in drafts
    ]
