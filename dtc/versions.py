"""A version number per community, moved on whenever a record that figures about the
community are computed from changes, so that such figures (KPIs, supervision
compliance) can be cached until then.

Each app says, in its AppConfig.ready(), which of its models count and which
communities a row of each touches (`track`). Versions move on commit: a reading that
raced the change was stored under the old version, which no one asks for again.
Changes reach the versions through the save and delete signals (and m2m_changed where
an app connects it), so nothing that counts may be written with bulk_create or
QuerySet.update(); the apps write those models one row at a time through their
services, and bulk loads (seed_scale) start from an empty cache."""

import hashlib
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

ALL = "all"  # a version every cached figure depends on: organisation-wide settings
TIMEOUT = 6 * 60 * 60

_TRACKED: dict[type, Callable] = {}


def _key(community_id) -> str:
    return f"dtc:version:{community_id}"


def changed(community_ids: Iterable) -> None:
    """Move on the versions of these communities (or ALL) once the change commits."""
    ids = {pk for pk in community_ids if pk is not None}
    if ids:
        transaction.on_commit(lambda: _bump(ids))


def _bump(ids) -> None:
    lost = []
    for community_id in ids:
        # add() does nothing when the key exists; incr() is atomic on Redis.
        cache.add(_key(community_id), 0, None)
        if cache.incr(_key(community_id)) is None:  # Redis unreachable (its errors are ignored)
            lost.append(community_id)
    if lost:
        # Else figures cached before the outage would be read again once Redis is back:
        # the versions are moved on then, by a job that waits in the outbox until it is.
        from . import jobs, tasks

        jobs.dispatch(tasks.move_versions_on, *sorted(lost, key=str))


def move_on(ids) -> None:
    """Move on the versions of these communities (or ALL) now."""
    _bump(set(ids))


def track(model, communities_of: Callable) -> None:
    """Count saves and deletes of `model`; `communities_of(row)` names the communities."""
    _TRACKED[model] = communities_of
    uid = f"dtc-versions-{model._meta.label}"
    post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}-save")
    post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}-delete")


def _on_change(sender, instance, **kwargs):
    changed(_TRACKED[sender](instance))


def cached(name: str, community_ids: Iterable, compute: Callable, *parts):
    """compute(), from the cache while none of the communities (nor ALL) has changed.
    `parts` complete the key: the date, the period, whatever else the result depends on."""
    keys = [_key(ALL)] + [_key(pk) for pk in sorted(set(community_ids))]
    versions = cache.get_many(keys)
    stamp = ",".join(f"{key}={versions.get(key, 0)}" for key in keys)
    digest = hashlib.sha256(f"{parts}:{stamp}".encode()).hexdigest()
    key = f"dtc:cached:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
