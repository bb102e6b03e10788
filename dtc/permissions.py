"""The permission policy: the one place that answers who may see and do what.

A role held over a community is a membership of that community's role group
(`dtc:<community id>:<role>`); each group holds guardian object permissions on its
community, as listed in ROLE_PERMISSIONS. Views and services ask:

    can(user, "override_criteria", referral)   -> bool
    require(user, "sign_off", document)        -> raises PermissionDenied
    holds_any(user, "supervise_team")          -> bool, in at least one community
    require_any(user, "view_audit")            -> raises PermissionDenied
    communities(user, "access_community")      -> the communities a user may see
    visible(user, Referral)                    -> the rows of a model in scope
    get_visible_or_404(user, Referral, pk=1)   -> one row in scope, or 404
    require_in_scope(user, "view_audit", case) -> as require, 404 outside the user's scope

Objects are placed in a community by their `community` foreign key; an object
outside every community the user holds answers 404, an action the user's role
does not allow there answers 403.
"""

import itertools
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.http import Http404
from django.utils import timezone

from .models import Community, Role, RoleAssignment, StaffProfile, User

ACCESS = "access_community"

_TEAM = {"access_community", "view_team"}
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.HEAD_OF_PSYCHOTHERAPY: frozenset(
        _TEAM
        | {
            "progress_referral",
            "decide_referral",
            "override_criteria",
            "manage_criteria",
            "admit_resident",
            "sign_off",
            "decide_therapy",
            "view_access_log",
            "supervise_team",
            "view_audit",
            "manage_audit",
            "keep_timetable",
            "ratify_motion",
            "edit_constitution",
            "assign_jobs",
            "release_case_study",
        }
    ),
    Role.THERAPY_MANAGER: frozenset(
        _TEAM
        | {
            "submit_referral",
            "progress_referral",
            "decide_referral",
            "override_criteria",
            "manage_criteria",
            "admit_resident",
            "record_attendance",
            "write_clinical",
            "sign_off",
            "decide_therapy",
            "restrict_resident",
            "view_access_log",
            "supervise_team",
            "view_audit",
            "manage_audit",
            "keep_timetable",
            "minute_meeting",
            "record_motion",
            "ratify_motion",
            "edit_constitution",
            "assign_jobs",
            "release_case_study",
        }
    ),
    # The wing's staff minute its meetings and record its votes; the clinical veto
    # (ratify), the constitution, the jobs and the timetable are the managers'.
    Role.CLINICIAN: frozenset(
        _TEAM
        | {
            "submit_referral",
            "progress_referral",
            "record_attendance",
            "write_clinical",
            "minute_meeting",
            "record_motion",
        }
    ),
    Role.OFFICER: frozenset(
        _TEAM | {"submit_referral", "record_attendance", "minute_meeting", "record_motion"}
    ),
    Role.TRAINEE: frozenset(_TEAM | {"record_attendance", "write_clinical", "minute_meeting"}),
    # Auditors see the audit module only: never an identifiable resident record.
    Role.AUDITOR: frozenset({"view_audit"}),
}

ACTIONS = frozenset(codename for codename, _label in Community._meta.permissions)


def role_group_name(community_id: int, role: str) -> str:
    return f"dtc:{community_id}:{role}"


def community_ids(user, action: str = ACCESS) -> frozenset[int]:
    """Ids of the communities where the user's roles allow `action`.

    All of a user's grants are read at once and kept on the user object, which
    lives for one request, so a page asks the database once however many
    actions it checks."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    grants = user.__dict__.get("_dtc_grants")
    if grants is None:
        grants = user.__dict__["_dtc_grants"] = _load_grants(user)
    return grants.get(action, frozenset())


def _load_grants(user) -> dict[str, frozenset[int]]:
    # Group grants (role groups) and any direct user grants, in one query. Only
    # object permissions count: a model-wide permission never opens a community.
    from .models import CommunityGroupObjectPermission, CommunityUserObjectPermission

    rows = (
        CommunityGroupObjectPermission.objects.filter(group__user=user)
        .values_list("permission__codename", "content_object_id")
        .union(
            CommunityUserObjectPermission.objects.filter(user=user).values_list(
                "permission__codename", "content_object_id"
            )
        )
    )
    grants: dict[str, set[int]] = {}
    for codename, community_id in rows:
        grants.setdefault(codename, set()).add(community_id)
    return {codename: frozenset(ids) for codename, ids in grants.items()}


def held_roles(user) -> list[RoleAssignment]:
    """The user's active role assignments with where each is held. Kept on the user
    object for the request, as the grants are (see forget)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if "_dtc_roles" not in user.__dict__:
        user.__dict__["_dtc_roles"] = list(
            RoleAssignment.objects.active()
            .filter(user=user)
            .select_related("community__establishment", "establishment", "cluster")
        )
    return user.__dict__["_dtc_roles"]


def is_head_of_psychotherapy(user) -> bool:
    """Organisation-wide duties (the standards catalogue) belong to the HoP role."""
    return any(held.role == Role.HEAD_OF_PSYCHOTHERAPY for held in held_roles(user))


def require_head_of_psychotherapy(user) -> None:
    """Raise PermissionDenied unless the user is a Head of Psychotherapy."""
    if not is_head_of_psychotherapy(user):
        raise PermissionDenied


def forget(user) -> None:
    """Drop the user's cached grants after their roles change."""
    user.__dict__.pop("_dtc_grants", None)
    user.__dict__.pop("_dtc_roles", None)
    user.__dict__.pop("_dtc_headed", None)
    user.__dict__.pop("_dtc_communities", None)


def holds_any(user, action: str = ACCESS) -> bool:
    """Whether the user holds `action` in at least one community: the test of a page or
    link that is about no one community (a list, the choice of a community, the menu)."""
    return bool(community_ids(user, action))


def require_any(user, action: str = ACCESS) -> None:
    """Raise PermissionDenied unless the user holds `action` in at least one community."""
    if not holds_any(user, action):
        raise PermissionDenied


def communities(user, action: str = ACCESS) -> models.QuerySet:
    return Community.objects.filter(pk__one_of=community_ids(user, action))


def communities_by_id(user) -> dict[int, Community]:
    """The communities the user has access to, by id: one query, kept on the user object
    for the request as the grants are. Lists that name each line's community (the work
    queue) read the names here instead of joining the community into every query."""
    if "_dtc_communities" not in user.__dict__:
        user.__dict__["_dtc_communities"] = {
            community.pk: community for community in communities(user).order_by()
        }
    return user.__dict__["_dtc_communities"]


def community_of(obj) -> int:
    if isinstance(obj, Community):
        return obj.pk
    community_id = getattr(obj, "community_id", None)
    if community_id is None:
        raise TypeError(f"{type(obj).__name__} is not placed in a community")
    return community_id


def can(user, action: str, obj) -> bool:
    if community_of(obj) not in community_ids(user, action):
        return False
    return _is_visible(user, obj)


def _is_visible(user, obj) -> bool:
    # A record may narrow access below its community (a restricted person is seen only
    # by named staff): it says so with is_visible_to(user). A row read through
    # get_visible_or_404 for this user has already been narrowed.
    if obj.__dict__.get("_dtc_visible_to") == user.pk:
        return True
    is_visible_to = getattr(obj, "is_visible_to", None)
    return is_visible_to(user) if is_visible_to else True


def require(user, action: str, obj) -> None:
    """Raise PermissionDenied unless the user may do `action` on `obj`; Http404 when the
    record is hidden from them, as a 403 would tell that it exists."""
    if not can(user, action, obj):
        if not _is_visible(user, obj):
            raise Http404
        raise PermissionDenied


def require_in_scope(user, action: str, obj) -> None:
    """`require` for a record read by its id alone, not through the user's scope: Http404
    when it lies in no community the user may enter or holds `action` in, as a 403 would
    tell that it exists; PermissionDenied when it is in one of theirs but their role there
    does not allow `action`."""
    if community_of(obj) not in community_ids(user) | community_ids(user, action):
        raise Http404
    require(user, action, obj)


def scoped(user, queryset: models.QuerySet, action: str = ACCESS) -> models.QuerySet:
    """Narrow `queryset` to the communities where the user holds `action`."""
    ids = community_ids(user, action)
    if queryset.model is Community:
        return queryset.filter(pk__one_of=ids)
    queryset = queryset.filter(community_id__one_of=ids)
    # The queryset counterpart of is_visible_to: a model's QuerySet may narrow further.
    narrow = getattr(queryset, "visible_to", None)
    return narrow(user) if narrow else queryset


def visible(user, model: type[models.Model], action: str = ACCESS) -> models.QuerySet:
    """Rows of `model` in the communities where the user holds `action`."""
    return scoped(user, model._default_manager.all(), action)


def get_visible_or_404(user, model_or_queryset, action: str = ACCESS, **lookup):
    """One object in the user's scope; 404 whether it is missing or out of scope."""
    if isinstance(model_or_queryset, models.QuerySet):
        queryset = scoped(user, model_or_queryset, action)
    else:
        queryset = visible(user, model_or_queryset, action)
    try:
        found = queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None
    return read_as_visible(user, [found])[0]


def read_as_visible(user, rows):
    """Marks rows read through a queryset already narrowed to what the user may see
    (get_visible_or_404's row, a list read through person_visible): can() asks no more
    of each."""
    for row in rows:
        row.__dict__["_dtc_visible_to"] = user.pk
    return rows


# Overrides ----------------------------------------------------------------------------


def heads_of_psychotherapy_over(community) -> models.QuerySet:
    """The users holding the Head of Psychotherapy role over `community` (through its
    establishment or its cluster)."""
    return User.objects.filter(
        is_active=True,
        pk__in=RoleAssignment.objects.active()
        .filter(role=Role.HEAD_OF_PSYCHOTHERAPY)
        .filter(
            Q(establishment_id=community.establishment_id)
            | Q(cluster_id=community.establishment.cluster_id)
        )
        .values("user_id"),
    )


def communities_headed(user) -> frozenset[int]:
    """The communities the user heads as Head of Psychotherapy (through an establishment
    or a cluster). Kept on the user object for the request, as the grants are."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if "_dtc_headed" not in user.__dict__:
        held = RoleAssignment.objects.active().filter(user=user, role=Role.HEAD_OF_PSYCHOTHERAPY)
        user.__dict__["_dtc_headed"] = frozenset(
            Community.objects.filter(
                Q(establishment_id__in=held.values("establishment_id"))
                | Q(establishment__cluster_id__in=held.values("cluster_id"))
            ).values_list("pk", flat=True)
        )
    return user.__dict__["_dtc_headed"]


def may_answer_override(user, override) -> bool:
    """An override is the Head of Psychotherapy's to acknowledge or send back for review:
    a HoP over its community who holds override_criteria there and may see the person."""
    return override.community_id in communities_headed(user) and can(
        user, "override_criteria", override
    )


def require_may_answer_override(user, override) -> None:
    """Raise as `require` for override_criteria, and PermissionDenied for anyone but the HoP."""
    require(user, "override_criteria", override)
    if not may_answer_override(user, override):
        raise PermissionDenied


# Trainees -----------------------------------------------------------------------------


def is_trainee(user) -> bool:
    """Whether the user holds a trainee role in any community (their supervised hours
    count toward registration)."""
    return (
        getattr(user, "is_authenticated", False)
        and RoleAssignment.objects.active().filter(user=user, role=Role.TRAINEE).exists()
    )


def is_trainee_here(user, obj) -> bool:
    """Whether the user writes about `obj` as a trainee: a trainee in its community and
    not also a clinician or Therapy Manager there. Being qualified in another community
    does not count here."""
    community_id = community_of(obj)
    return (
        community_id in community_ids(user, "write_clinical")
        and RoleAssignment.objects.active()
        .filter(user=user, community_id=community_id, role=Role.TRAINEE)
        .exists()
        and not RoleAssignment.objects.active()
        .filter(
            user=user,
            community_id=community_id,
            role__in=[Role.CLINICIAN, Role.THERAPY_MANAGER],
        )
        .exists()
    )


def may_change_draft(user, document) -> bool:
    """Only its author changes or submits a clinical document's draft, while they may
    write in its community. `document` has author_id and the resident it is about."""
    return document.author_id == user.pk and can(user, "write_clinical", document.resident)


def require_author(user, document) -> None:
    """Raise as `require` when the user may not write about the document's resident, and
    PermissionDenied when they are not its author."""
    require(user, "write_clinical", document.resident)
    if not may_change_draft(user, document):
        raise PermissionDenied


def may_countersign(user, document) -> bool:
    """A qualified member of the team (not a trainee there, not the author) countersigns
    a clinical document that needs it. `document` has needs_countersignature, author_id
    and the resident it is about."""
    return (
        document.needs_countersignature
        and document.author_id != user.pk
        and can(user, "write_clinical", document.resident)
        and not is_trainee_here(user, document.resident)
    )


# Professional registration ------------------------------------------------------------
# A clinician whose registration with their professional body has lapsed may not sign
# off or countersign clinical records until it is renewed.


def lapsed_registration(user, *, today: date) -> tuple[str, date] | None:
    """(professional body, renewal date) when the user's registration lapsed before
    `today`; None when it is current or they have none."""
    lapsed = (
        StaffProfile.objects.filter(user_id=user.pk, registration_renewal_date__lt=today)
        .values_list("professional_body", "registration_renewal_date")
        .order_by("pk")
        .first()
    )
    return tuple(lapsed) if lapsed else None


def registration_lapsed_message(body: str, lapsed_on: date) -> str:
    return (
        f"Your {body} registration lapsed on {lapsed_on:%-d %B %Y}. "
        "You cannot sign off or countersign clinical documents until it is renewed."
    )


def require_current_registration(user) -> None:
    """Raise ValidationError naming the body and date when the user's registration has lapsed."""
    lapsed = lapsed_registration(user, today=timezone.localdate())
    if lapsed is not None:
        raise ValidationError(registration_lapsed_message(*lapsed))


# Supervision --------------------------------------------------------------------------
# A session's notes are confidential to its supervisor, its supervisees and their line
# of supervision: whoever holds supervise_team over the session's community (the
# session's is_visible_to). Which roles are supervised is the supervision app's to say
# (supervision.models.SUPERVISED_ROLES); it passes them in.


def may_manage_agreed_actions(user, session) -> bool:
    """The supervisor of a session and its line of supervision agree its actions."""
    return user.pk == session.supervisor_id or can(user, "supervise_team", session)


def may_complete_agreed_action(user, action) -> bool:
    """An agreed action is marked done by its owner or by whoever manages its session's actions."""
    return user.pk == action.owner_id or may_manage_agreed_actions(user, action.session)


def supervised_staff(user, roles) -> models.QuerySet:
    """The role assignments of the staff in the user's line of supervision: everyone else
    holding one of `roles` in a community whose team the user supervises."""
    return (
        RoleAssignment.objects.active()
        .filter(community_id__in=community_ids(user, "supervise_team"), role__in=roles)
        .exclude(user_id=user.pk)
    )


def in_line_of_supervision(user, person, roles) -> bool:
    """Whether the user oversees `person`'s supervision (see supervised_staff)."""
    return supervised_staff(user, roles).filter(user_id=person.pk).exists()


def require_line_of_supervision(user, person, roles) -> None:
    """Raise PermissionDenied unless the user oversees `person`'s supervision."""
    if not in_line_of_supervision(user, person, roles):
        raise PermissionDenied


# Case studies -------------------------------------------------------------------------
# What leaves the prison is released by a person: a case study's auditors read it once a
# Therapy Manager or the HoP over its community (release_case_study) has reviewed its
# redactions and released it; its reviewers read its drafts too. An auditor is never told
# that a draft exists. `case_study` has community_id and released_at.

RELEASE_CASE_STUDY = "release_case_study"


def require_case_study_readable(user, case_study) -> None:
    """require_in_scope for view_audit, and Http404 for a case study never released to
    anyone who may not review it."""
    require_in_scope(user, "view_audit", case_study)
    if case_study.released_at is None and not can(user, RELEASE_CASE_STUDY, case_study):
        raise Http404


def case_studies_readable(user) -> Q:
    """A filter of case studies keeping the released ones and, where the user reviews
    them, the drafts (the rows are already narrowed to view_audit)."""
    return Q(released_at__isnull=False) | Q(
        community_id__one_of=community_ids(user, RELEASE_CASE_STUDY)
    )


# Restriction follows the person -------------------------------------------------------
# A person is known by their prison number. A restricted record about them (a referral
# before admission, a resident) hides every record about that prison number, in every
# app and community, from anyone it does not name — the HoP included. Each app that can
# restrict a person registers its model here; the apps keep the named lists of all a
# person's records the same (dtc.services.person_restrict). Bed occupancy and figures
# read the tables directly: a bed is occupied whoever is in it.


@dataclass(frozen=True)
class Restricting:
    model: type[models.Model]  # has prison_number and is_restricted
    access: type[models.Model]  # one row per named member of staff: (record, user, granted_by)
    record_field: str  # the access row's foreign key to the record


RESTRICTING: list[Restricting] = []


def restricts_people(model, *, access, record_field: str) -> None:
    """Register `model` as a record whose restriction hides its person (AppConfig.ready)."""
    RESTRICTING.append(Restricting(model, access, record_field))
    for sender in (model, access):
        uid = f"dtc-restrictions-{sender._meta.label}"
        post_save.connect(_restrictions_changed, sender=sender, dispatch_uid=f"{uid}-save")
        post_delete.connect(_restrictions_changed, sender=sender, dispatch_uid=f"{uid}-delete")


# Moved on by every save or delete of a restricting record or a named list in this
# process: what a user object keeps (restricted_from) is read again after such a change,
# as a service that restricts someone and then reads a list, in one request or task,
# must see the restriction. Another process's changes reach the next request, which
# has a user object of its own.
_generation = itertools.count()
_restrictions_generation = next(_generation)


def _restrictions_changed(sender, **kwargs):
    global _restrictions_generation
    _restrictions_generation = next(_generation)


def restricted_from(user) -> frozenset[str]:
    """The prison numbers of the people restricted from `user` (everyone restricted when
    there is no signed-in user): one query, kept on the user object for the request, as
    the grants are. Restriction is rare (tens of people in an estate of thousands), so
    the filters below name them rather than join the restricting tables into every list."""
    if not getattr(user, "is_authenticated", False):
        return _restricted_from(None)
    generation, hidden = user.__dict__.get("_dtc_restricted_from", (None, None))
    if generation != _restrictions_generation:
        generation = _restrictions_generation
        hidden = _restricted_from(user)
        user.__dict__["_dtc_restricted_from"] = (generation, hidden)
    return hidden


def _restricted_from(user) -> frozenset[str]:
    parts = []
    for source in RESTRICTING:
        rows = source.model._default_manager.filter(is_restricted=True)
        if user is not None:
            named = source.access._default_manager.filter(user_id=user.pk).values(
                source.record_field
            )
            rows = rows.exclude(pk__in=named)
        parts.append(rows.order_by().values_list("prison_number", flat=True))
    if not parts:
        return frozenset()
    return frozenset(parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0])


def person_visible(user, field: str = "prison_number") -> Q:
    """A filter keeping the rows whose person (the prison number at `field`) is not
    restricted from `user`. With user=None it keeps only people restricted from no one."""
    hidden = restricted_from(user)
    # With no one hidden, a condition that keeps every row, not an empty Q(): an empty Q
    # drops out of an OR ("about no one | about someone visible") and would narrow it.
    return ~Q(**{f"{field}__one_of": sorted(hidden)}) if hidden else ~Q(pk__in=[])


def person_is_visible(user, prison_number: str) -> bool:
    """Whether `user` may see records about this person."""
    return prison_number not in restricted_from(user)


def person_is_restricted(prison_number: str) -> bool:
    """Whether any record restricts this person (from anyone at all)."""
    return not person_is_visible(None, prison_number)


# Corrections --------------------------------------------------------------------------
# A recorded entry is corrected (amended, or marked entered in error) by whoever may
# write that kind of record about its subject: the action its create service requires.
# Keyed by the model's label, as the core does not import the apps.

CORRECTED_BY: dict[str, tuple[str, str]] = {
    # model label: (action, the field naming what the record is about)
    "residents.incident": ("record_attendance", "resident"),
    "residents.acctperiod": ("record_attendance", "resident"),
    "residents.therapyreview": ("write_clinical", "resident"),
    "residents.riskassessment": ("write_clinical", "resident"),
    "residents.therapydecision": ("decide_therapy", "resident"),
    "referrals.interview": ("progress_referral", "referral"),
    # Staff meetings are about the team, not one resident: whoever minutes the meetings.
    "community.staffmeeting": ("minute_meeting", "community"),
    "community.constitutionagreement": ("record_attendance", "resident"),
    "community.jobholding": ("assign_jobs", "resident"),
    # A motion is the community's decision: whoever records its motions corrects them
    # (the motion is read through its resident's restriction first).
    "community.motion": ("record_motion", "community"),
    "community.agendaitem": ("minute_meeting", "community"),
}


def _corrected_about(record):
    action, subject = CORRECTED_BY[record._meta.label_lower]
    return action, getattr(record, subject)


def may_correct(user, record) -> bool:
    """Whether the user may correct a recorded entry: for a supervision session, its
    supervisor or their line of supervision (as for its agreed actions); for the others,
    whoever holds the action of the record's create service over its subject."""
    if record._meta.label_lower == "supervision.supervisionsession":
        return may_manage_agreed_actions(user, record)
    action, subject = _corrected_about(record)
    return can(user, action, subject)


def require_correct(user, record) -> None:
    """Raise PermissionDenied unless the user may correct the record; Http404 when it is
    hidden from them."""
    if record._meta.label_lower == "supervision.supervisionsession":
        if not record.is_visible_to(user):
            raise Http404
        if not may_correct(user, record):
            raise PermissionDenied
        return
    action, subject = _corrected_about(record)
    require_in_scope(user, action, subject)
