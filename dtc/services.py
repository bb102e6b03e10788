"""State changes of the organisation: role assignments and the grants that follow
them, and in-app notifications."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from . import history, permissions
from .models import (
    Community,
    CommunityGroupObjectPermission,
    Notification,
    Role,
    RoleAssignment,
    StaffProfile,
    User,
)


@transaction.atomic
def role_assign(*, user, role: str, scope, by=None) -> RoleAssignment:
    """Give `user` a role over a community, establishment or cluster, and its grants."""
    assignment = RoleAssignment(user=user, role=role, assigned_by=by)
    setattr(assignment, type(scope).__name__.lower(), scope)
    history.save_with_history(assignment, by)
    grants_sync(user=user)
    return assignment


@transaction.atomic
def role_end(*, assignment: RoleAssignment, by=None, reason: str = "") -> RoleAssignment:
    """End a role assignment (kept, never deleted) and revoke what it granted."""
    if not assignment.is_active:
        return assignment
    assignment.ended_at = timezone.now()
    assignment.ended_by = by
    assignment.end_reason = reason
    history.save_with_history(assignment, by)
    grants_sync(user=assignment.user)
    return assignment


def role_group(community_id: int, role: str) -> Group:
    group, created = Group.objects.get_or_create(
        name=permissions.role_group_name(community_id, role)
    )
    if created:
        _grant_role_permissions(group, community_id, role)
    return group


def grants_sync(*, user) -> None:
    """Make the user's role-group memberships match their active role assignments."""
    wanted = set()
    for assignment in RoleAssignment.objects.active().filter(user=user):
        for community_id in assignment.communities().values_list("pk", flat=True):
            wanted.add((community_id, assignment.role))
    wanted_names = {permissions.role_group_name(*pair) for pair in wanted}
    held = {group.name: group for group in user.groups.filter(name__startswith="dtc:")}
    user.groups.remove(*[group for name, group in held.items() if name not in wanted_names])
    user.groups.add(
        *[role_group(*pair) for pair in wanted if permissions.role_group_name(*pair) not in held]
    )
    permissions.forget(user)


def community_grants_sync(*, community: Community) -> None:
    """A new community joins the scope of every Head of Psychotherapy over its
    establishment or cluster."""
    heads = RoleAssignment.objects.active().filter(role=Role.HEAD_OF_PSYCHOTHERAPY)
    for assignment in heads.filter(establishment_id=community.establishment_id) | heads.filter(
        cluster_id=community.establishment.cluster_id
    ):
        grants_sync(user=assignment.user)


def _community_permissions() -> dict[str, Permission]:
    return {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="dtc",
            content_type__model="community",
            codename__in=permissions.ACTIONS,
        )
    }


def _grant_role_permissions(group: Group, community_id: int, role: str) -> None:
    by_codename = _community_permissions()
    CommunityGroupObjectPermission.objects.bulk_create(
        CommunityGroupObjectPermission(
            group=group, permission=by_codename[codename], content_object_id=community_id
        )
        for codename in permissions.ROLE_PERMISSIONS[role]
    )


@transaction.atomic
def role_permissions_sync() -> None:
    """Bring every role group's grants in line with ROLE_PERMISSIONS (run after migrate,
    so a change to the policy table reaches the groups that already exist)."""
    by_codename = _community_permissions()
    if len(by_codename) < len(permissions.ACTIONS):
        return  # the permissions themselves are created later in the same migrate
    for group in Group.objects.filter(name__startswith="dtc:"):
        _, community_id, role = group.name.split(":")
        wanted = {by_codename[c].pk for c in permissions.ROLE_PERMISSIONS[role]}
        held = CommunityGroupObjectPermission.objects.filter(
            group=group, content_object_id=community_id
        )
        held.exclude(permission_id__in=wanted).delete()
        missing = wanted - set(held.values_list("permission_id", flat=True))
        CommunityGroupObjectPermission.objects.bulk_create(
            CommunityGroupObjectPermission(
                group=group, permission_id=pk, content_object_id=community_id
            )
            for pk in missing
        )


def notify_all(notifications) -> int:
    """Send in-app notifications, each once: one whose recipient already has its key is
    skipped, so a reminder task can run again safely. Written in bulk with their history
    rows, in the same few statements however many there are (on PostgreSQL); returns how
    many were sent."""
    pending = {}
    for notification in notifications:
        pending.setdefault((notification.recipient_id, notification.key), notification)
    for attempt in range(2):
        sent_before = _already_sent(list(pending))
        new = [n for pair, n in pending.items() if pair not in sent_before]
        try:
            with transaction.atomic():
                # No batch size: one INSERT of the rows and one of their history on
                # PostgreSQL; Django splits them where the database limits parameters.
                bulk_create_with_history(new, Notification)
        except IntegrityError:
            if attempt:
                raise
            continue  # a run alongside sent some first: read again and send the rest
        return len(new)


def _already_sent(pairs) -> set[tuple[int, str]]:
    """Which of these (recipient id, key) pairs have been notified."""
    # One read on PostgreSQL, where each list is one array parameter (__one_of); SQLite
    # takes a limited number of parameters a statement, and reads in chunks.
    size = max(1, len(pairs)) if connection.vendor == "postgresql" else 500
    sent = set()
    for start in range(0, len(pairs), size):
        chunk = pairs[start : start + size]
        sent.update(
            Notification.objects.filter(
                recipient_id__one_of={recipient for recipient, _ in chunk},
                key__one_of={key for _, key in chunk},
            ).values_list("recipient_id", "key")
        )
    return sent


def notifications_mark_read(*, user, notification_ids=None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    now = timezone.now()
    count = 0
    for notification in unread:
        notification.read_at = now
        history.save_with_history(notification, user, update_fields=["read_at"])
        count += 1
    return count


def registration_renewal_reminders(*, today: date) -> int:
    """Notify staff whose professional registration lapses within the notice period
    (or has lapsed). Keyed by the renewal date, so each date is notified once."""
    horizon = today + timedelta(days=settings.REGISTRATION_RENEWAL_NOTICE_DAYS)
    profiles = StaffProfile.objects.filter(
        registration_renewal_date__lte=horizon, user__is_active=True
    ).select_related("user")
    notifications = []
    for profile in profiles:
        renewal = profile.registration_renewal_date
        if renewal < today:
            message = f"Your {profile.professional_body} registration lapsed on {renewal:%-d %B %Y}. Renew it now."
        else:
            message = f"Your {profile.professional_body} registration is due for renewal by {renewal:%-d %B %Y}."
        notifications.append(
            Notification(
                recipient=profile.user,
                key=f"registration-renewal:{profile.professional_body}:{profile.registration_number}:{renewal.isoformat()}",
                message=message,
                url=reverse("profile"),
            )
        )
    return notify_all(notifications)


@transaction.atomic
def user_sign_out_everywhere(*, user) -> None:
    """End every session of `user`, on every device: the session auth hash changes."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.session_generation += 1
    history.save_with_history(user, user, update_fields=["session_generation"])


# Restriction follows the person (see dtc.permissions): every record about a prison
# number carries the same restriction and the same named staff.


@transaction.atomic
def person_restrict(*, prison_number: str, named, reason: str, by) -> None:
    """Restrict every record about the person to the named staff. The caller has checked
    that `by` may restrict and that the names are of the team (and named `by`)."""
    people = {person.pk: person for person in named}
    for source in permissions.RESTRICTING:
        records = source.model._default_manager.select_for_update().filter(
            prison_number=prison_number
        )
        for record in records:
            _access_list_set(source, record, people, by)
            if not record.is_restricted:
                record.is_restricted = True
                record._change_reason = reason.strip()[:100]
                history.save_with_history(record, by)


@transaction.atomic
def person_unrestrict(*, prison_number: str, reason: str, by) -> None:
    """Lift the restriction from every record about the person; the lists are kept."""
    for source in permissions.RESTRICTING:
        records = source.model._default_manager.select_for_update().filter(
            prison_number=prison_number, is_restricted=True
        )
        for record in records:
            record.is_restricted = False
            record._change_reason = reason.strip()[:100]
            history.save_with_history(record, by)


def person_restriction_carry(*, prison_number: str, by) -> None:
    """A new record about a restricted person (a re-referral, an admission) takes the
    person's restriction and named staff: those named on every restricted record."""
    named = None
    for source in permissions.RESTRICTING:
        restricted = source.model._default_manager.filter(
            prison_number=prison_number, is_restricted=True
        )
        for record_id in restricted.values_list("pk", flat=True):
            users = set(
                source.access._default_manager.filter(
                    **{source.record_field: record_id}
                ).values_list("user_id", flat=True)
            )
            named = users if named is None else named & users
    if named is None:
        return
    person_restrict(
        prison_number=prison_number,
        named=User.objects.filter(pk__in=named),
        reason="Restriction carried to a new record",
        by=by,
    )


def _access_list_set(source, record, people: dict, by) -> None:
    entries = source.access._default_manager.filter(**{source.record_field: record})
    for entry in entries.exclude(user_id__in=people):
        # Taking someone off the list is recorded in the access list's history.
        entry._history_user = by
        entry.delete()
    existing = set(entries.values_list("user_id", flat=True))
    for person in people.values():
        if person.pk not in existing:
            entry = source.access(user=person, granted_by=by, **{source.record_field: record})
            history.save_with_history(entry, by)
