"""The audit trail: append-only, each entry hash-chained to the one before.

Every service that changes state calls `audit_record`; every selector that
reveals sensitive personal data calls `audit_read`. Nothing else writes here.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from insyn.core.actor import Actor
from insyn.core.models.audit import AuditAction, AuditEntry
from insyn.core.personal_data import is_sensitive_field

GENESIS_HASH = "0" * 64
MASKED = "***"


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID | float):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return str(value)


class Snapshot(dict[str, Any]):
    """Field values with the sensitive ones masked. In memory only, it also keeps a digest of each masked
    value, so that a change from one masked value to another (a new personnummer) is still a change."""

    masked_digests: dict[str, str]


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> Snapshot:
    """The concrete field values of `instance`, as JSON-safe values (foreign keys by id)."""
    wanted = set(fields) if fields is not None else None
    data = Snapshot()
    data.masked_digests = {}
    for field in instance._meta.concrete_fields:
        if wanted is not None and field.name not in wanted:
            continue
        if field.name in {"created_at", "updated_at"}:
            continue
        value = getattr(instance, field.attname)
        if is_sensitive_field(type(instance), field.name) and value not in (None, ""):
            data.masked_digests[field.name] = hashlib.sha256(repr(value).encode()).hexdigest()
            value = MASKED
        data[field.name] = _jsonable(value)
    return data


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Changed fields as {field: [old, new]}."""
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def entry_digest(
    *,
    previous_hash: str,
    created_at: dt.datetime,
    actor_id: int | None,
    actor_label: str,
    organisation_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    object_label: str,
    changes: Any,
    reason: str,
) -> str:
    payload = json.dumps(
        {
            "previous_hash": previous_hash,
            "created_at": created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "actor_id": actor_id,
            "actor_label": actor_label,
            "organisation_id": organisation_id,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "object_label": object_label,
            "changes": changes,
            "reason": reason,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(f"{previous_hash}{payload}".encode()).hexdigest()


def _lock_chain() -> None:
    # Two writers must not both read the same tail hash. SQLite serialises
    # writers already (IMMEDIATE transactions); PostgreSQL needs a lock.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(727274)")


def _actor_label(actor: Actor | None) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "system"
    return str(actor.get_username())


def _log_to_wagtail(entry: AuditEntry, obj: models.Model) -> None:
    """Copy an audited change of `obj` into Wagtail's log, so the object's History view shows it
    (insyn/core/log_actions.py says why the audit trail is the source)."""
    from insyn.core.log_actions import AUDIT_ENTRY_KEY, wagtail_action

    action = wagtail_action(entry.action)
    if action is None or obj.pk is None:
        return
    from wagtail.log_actions import registry

    log_model = registry.get_log_model_for_instance(obj)
    if log_model is None:
        return
    # The user is the audited actor and nobody else: not Wagtail's request context (a system job run
    # inside a request is still "system"). No uuid: every audited change is its own line in History.
    log_model.objects.log_action(
        obj,
        action,
        user_id=entry.actor_id,
        title=entry.object_label or None,
        timestamp=entry.created_at,
        data={"changes": entry.changes, "reason": entry.reason, AUDIT_ENTRY_KEY: entry.pk},
        content_changed=entry.action in {AuditAction.CREATE, AuditAction.UPDATE},
        deleted=entry.action == AuditAction.DELETE,
    )


def audit_record(
    *,
    actor: Actor | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    object_label: str | None = None,
    organisation: Any = None,
    changes: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one entry to the chain; a change of a model instance also goes to Wagtail's log
    (same transaction), so History views show it. `actor=None` only where nobody is known (a failed login)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id if object_id is not None else str(obj.pk or "")
        object_label = object_label if object_label is not None else str(obj)[:300]
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    organisation_id = getattr(organisation, "pk", organisation)
    fields = {
        "created_at": timezone.now(),
        "actor_id": actor_id,
        "actor_label": _actor_label(actor)[:200],
        "organisation_id": organisation_id,
        "action": action,
        "object_type": object_type or "",
        "object_id": object_id or "",
        "object_label": (object_label or "")[:300],
        "changes": _jsonable(dict(changes or {})),
        "reason": reason or "",
    }
    with transaction.atomic():
        _lock_chain()
        last = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        previous_hash = last or GENESIS_HASH
        entry_hash = entry_digest(previous_hash=previous_hash, **fields)
        entry = AuditEntry.objects.create(previous_hash=previous_hash, entry_hash=entry_hash, **fields)
        if obj is not None:
            _log_to_wagtail(entry, obj)
        return entry


def audit_change(
    *,
    actor: Actor,
    instance: models.Model,
    before: Mapping[str, Any] | None,
    organisation: Any = None,
    reason: str = "",
) -> AuditEntry | None:
    """Record a create (before is None), update or nothing (no field changed)."""
    after = snapshot(instance)
    if before is None:
        return audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=instance,
            organisation=organisation,
            changes={k: [None, v] for k, v in after.items() if v not in (None, "")},
            reason=reason,
        )
    changes = diff(before, after)
    before_digests = getattr(before, "masked_digests", {})
    for name, digest in after.masked_digests.items():
        if name not in changes and name in before_digests and before_digests[name] != digest:
            changes[name] = [MASKED, MASKED]  # changed, and still not shown
    if not changes:
        return None
    return audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=instance, organisation=organisation, changes=changes, reason=reason
    )


def audit_delete(*, actor: Actor, instance: models.Model, organisation: Any = None, reason: str = "") -> None:
    """Record the deletion of `instance` with its last field values, then delete it.

    The caller holds the transaction and has checked the permission; the entry and the delete
    commit or roll back together."""
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=instance,
        organisation=organisation,
        changes=snapshot(instance),
        reason=reason,
    )
    instance.delete()


def audit_read(
    *, actor: Actor, obj: models.Model, fields: Iterable[str], organisation: Any = None, reason: str = ""
) -> AuditEntry:
    """Record that `actor` saw the unmasked value of sensitive `fields` of `obj`."""
    return audit_record(
        actor=actor,
        action=AuditAction.READ,
        obj=obj,
        organisation=organisation,
        changes={"fields": sorted(fields)},
        reason=reason,
    )


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int
    problem: str


def entry_digest_of(entry: AuditEntry, **overrides: Any) -> str:
    """The digest of a stored entry (with some fields replaced, to show what a forger would compute)."""
    fields: dict[str, Any] = {
        "previous_hash": entry.previous_hash,
        "created_at": entry.created_at,
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "organisation_id": entry.organisation_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_label": entry.object_label,
        "changes": entry.changes,
        "reason": entry.reason,
    }
    fields.update(overrides)
    return entry_digest(**fields)


def audit_verify(*, batch_size: int = 2000) -> tuple[int, ChainProblem | None]:
    """Walk the whole chain in id order; return (entries checked, first problem or None)."""
    previous_hash = GENESIS_HASH
    checked = 0
    last_id = 0
    while True:
        batch = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            return checked, None
        for entry in batch:
            if entry.previous_hash != previous_hash:
                return checked, ChainProblem(entry.pk, "previous_hash does not match the entry before it")
            expected = entry_digest_of(entry)
            if expected != entry.entry_hash:
                return checked, ChainProblem(entry.pk, "content does not match its hash")
            previous_hash = entry.entry_hash
            checked += 1
            last_id = entry.pk
