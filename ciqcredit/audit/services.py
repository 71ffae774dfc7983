"""Writing the audit trail. Call inside the transaction of the change it records."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.context import current_request_id
from ciqcredit.audit.models import AuditEntry
from ciqcredit.sql import insert_rows


def target_key(target: models.Model) -> tuple[str, str, str]:
    meta = target._meta
    return f"{meta.app_label}.{meta.model_name}", str(target.pk), str(target)[:200]


def _entry(
    actor: Actor,
    action: str,
    target: models.Model,
    old: dict | None,
    new: dict | None,
    organization_id: int | None,
    at=None,
    request_id: str | None = None,
) -> AuditEntry:
    target_type, target_id, target_label = target_key(target)
    return AuditEntry(
        at=at or clock.now(),
        actor=actor.user,
        actor_label=actor.label,
        organization_id=organization_id if organization_id is not None else actor.organization_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        old=old,
        new=new,
        request_id=current_request_id() if request_id is None else request_id,
    )


def audit_log(
    *,
    actor: Actor,
    action: str,
    target: models.Model,
    old: dict | None = None,
    new: dict | None = None,
    organization_id: int | None = None,
) -> AuditEntry:
    entry = _entry(actor, action, target, old, new, organization_id)
    entry.save(force_insert=True)
    return entry


def audit_log_many(
    *,
    actor: Actor,
    action: str,
    changes: Iterable[tuple[models.Model, dict | None, dict | None]],
    organization_id: int | None = None,
    batch_size: int = 5000,
) -> int:
    """One audit row per (target, old, new), written in bulk: for imports and batch jobs."""
    at, request_id = clock.now(), current_request_id()  # one bulk write is one moment of one request
    rows = [_entry(actor, action, target, old, new, organization_id, at, request_id) for target, old, new in changes]
    AuditEntry.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


def audit_log_rows(
    *,
    actor: Actor,
    action: str,
    model: type[models.Model],
    changes: Iterable[tuple[int, str, dict | None, dict | None, int | None]],
) -> int:
    """`audit_log` for the bulk paths that hold no model instances: one row per (target id, target label, old,
    new, organization id or None for the actor's), written with `insert_rows` (COPY on PostgreSQL). The rows
    are those `audit_log` writes, with one timestamp for the bulk write."""
    common = {
        "at": clock.now(),
        "actor_id": actor.user.pk if actor.user is not None else None,
        "actor_label": actor.label,
        "action": action,
        "target_type": f"{model._meta.app_label}.{model._meta.model_name}",
        "request_id": current_request_id(),
    }
    rows = [
        {
            **common,
            "organization_id": organization_id if organization_id is not None else actor.organization_id,
            "target_id": str(pk),
            "target_label": label[:200],
            "old": old,
            "new": new,
        }
        for pk, label, old, new, organization_id in changes
    ]
    return insert_rows(AuditEntry, rows)


def diff(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields that differ, as (old values, new values)."""
    changed = [key for key in new if old.get(key) != new.get(key)]
    return {k: old.get(k) for k in changed}, {k: new.get(k) for k in changed}
