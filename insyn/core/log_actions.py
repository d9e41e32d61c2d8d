"""Insyn's audit trail, copied into Wagtail's log so that every History view shows it.

Decision: the audit trail stays the one record of what happened, and `audit_record` writes a
Wagtail `ModelLogEntry` in the same transaction as each audited change of a model instance.
The other way round (History views reading `AuditEntry`) would fix only the views we override:
Wagtail's site history, its filters and exports, the dashboard's "recent edits" and any Wagtail
view added later all read the log models. One write keeps all of them true.

Reads of sensitive data, logins and API-token events are not changes of the object, so they stay
on the audit trail only (Wagtail logs API tokens itself).
"""

from __future__ import annotations

from typing import Any

from insyn.core.models.audit import AuditAction

WAGTAIL_ACTIONS: dict[str, str] = {
    AuditAction.CREATE: "wagtail.create",
    AuditAction.UPDATE: "wagtail.edit",
    AuditAction.DELETE: "wagtail.delete",
}
NOT_IN_WAGTAIL_LOG = {AuditAction.READ, AuditAction.LOGIN, AuditAction.LOGIN_FAILED, AuditAction.TOKEN}
# Marks a log entry written from the audit trail, so that the bridge the other way
# (insyn/core/signals.py: Wagtail's log → audit trail) does not audit it a second time.
AUDIT_ENTRY_KEY = "insyn_audit_entry"


def wagtail_action(action: str) -> str | None:
    """The Wagtail log action for an audit action, or None when it stays on the audit trail only."""
    if action in NOT_IN_WAGTAIL_LOG or action not in AuditAction.values:
        return None
    return WAGTAIL_ACTIONS.get(action, f"insyn.{action}")


def audit_action(log_action: str) -> str:
    """The audit action a Wagtail log action was written for (the reverse of `wagtail_action`)."""
    for audit, wagtail in WAGTAIL_ACTIONS.items():
        if wagtail == log_action:
            return audit
    return log_action.removeprefix("insyn.")


def register_insyn_log_actions(actions: Any) -> None:
    """`register_log_actions` hook: every other audit action as `insyn.<action>`, with its translated label."""
    for value, label in AuditAction.choices:
        if value in WAGTAIL_ACTIONS or value in NOT_IN_WAGTAIL_LOG:
            continue
        actions.register_action(f"insyn.{value}", label, label)
