"""KPIs kept in the cache until a record they are computed from changes.

Each community has a version number in the cache; a cached table is stored under the
versions of all its communities (and the version of the default targets), so a
change anywhere in one community makes the next reading of any table that includes it
compute afresh, while the other communities' figures stay cached. Versions move on
commit: a reading that raced the change was stored under the old version, which no one
asks for again.

The sources are every model compute() reads. A change reaches them through the save
and delete signals, and through m2m_changed for the supervisees of a session; nothing
in the apps writes them in bulk (bulk_create and update() send no signals)."""

import hashlib
from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from dtc.models import Community, RoleAssignment
from referrals.models import Referral
from residents.models import Attendance, ClinicalDocument, GroupSession, Resident, TherapyReview
from supervision.models import SupervisionRequirement, SupervisionSession

from . import kpis
from .models import KpiTarget

TIMEOUT = 6 * 60 * 60
ALL = "all"  # the version every table depends on: default targets


def _version_key(community_id) -> str:
    return f"kpis:version:{community_id}"


def compute(communities, period: kpis.Period, *, today: date) -> list[kpis.CommunityKpis]:
    """kpis.compute(), from the cache while none of the communities has changed."""
    communities = list(communities)
    keys = [_version_key(ALL)] + [_version_key(c.pk) for c in communities]
    versions = cache.get_many(keys)
    stamp = ",".join(f"{key}={versions.get(key, 0)}" for key in keys)
    key = (
        "kpis:table:"
        + hashlib.sha256(
            f"{period.kind}:{period.start}:{period.as_of(today)}:{stamp}".encode()
        ).hexdigest()
    )
    rows = cache.get(key)
    if rows is None:
        rows = kpis.compute(communities, period, today=today)
        cache.set(key, rows, TIMEOUT)
    return rows


def changed(community_ids) -> None:
    """Invalidate the figures of these communities (or ALL) once the change commits."""
    ids = set(community_ids)
    if ids:
        transaction.on_commit(lambda: _bump(ids))


def _bump(ids) -> None:
    for community_id in ids:
        key = _version_key(community_id)
        # add() is a no-op when the key exists; incr() is atomic on Redis.
        cache.add(key, 0, None)
        cache.incr(key)


def _communities_of_people(user_ids) -> set[int]:
    """The teams whose supervision compliance counts these people."""
    return set(
        RoleAssignment.objects.active()
        .filter(user_id__in=user_ids, community__isnull=False)
        .values_list("community_id", flat=True)
    )


# model -> the communities a change to one of its rows touches.
SOURCES = {
    Community: lambda row: {row.pk},
    Resident: lambda row: {row.community_id},
    Referral: lambda row: {row.community_id},
    GroupSession: lambda row: {row.community_id},
    Attendance: lambda row: {row.session.community_id},
    ClinicalDocument: lambda row: {row.resident.community_id},
    TherapyReview: lambda row: {row.resident.community_id},
    RoleAssignment: lambda row: {row.community_id} if row.community_id else set(),
    SupervisionRequirement: lambda row: _communities_of_people([row.user_id]),
    SupervisionSession: lambda row: _communities_of_people(
        row.supervisees.values_list("pk", flat=True)
    ),
    KpiTarget: lambda row: {row.community_id or ALL},
}


def _on_change(sender, instance, **kwargs):
    changed(SOURCES[sender](instance))


def _on_supervisees_changed(sender, instance, action, pk_set, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        people = set(pk_set or ()) | set(instance.supervisees.values_list("pk", flat=True))
        changed(_communities_of_people(people) if action != "post_clear" else {ALL})


def connect() -> None:
    for model in SOURCES:
        post_save.connect(_on_change, sender=model, dispatch_uid=f"kpis-{model.__name__}-save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"kpis-{model.__name__}-delete")
    m2m_changed.connect(
        _on_supervisees_changed,
        sender=SupervisionSession.supervisees.through,
        dispatch_uid="kpis-supervisees",
    )
