"""Logins and failed logins go on the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from insyn.core.audit import audit_record
from insyn.core.log_actions import AUDIT_ENTRY_KEY
from insyn.core.models.audit import AuditAction


@receiver(user_logged_in)
def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=AuditAction.LOGIN, obj=user, object_label=user.get_username())


@receiver(user_login_failed)
def _on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        object_type="auth.user",
        object_label=username,
        changes={"ip": request.META.get("REMOTE_ADDR", "") if request is not None else ""},
    )


@receiver(post_save, sender="wagtailcore.APIToken")
def _on_token_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    # Tokens are created and revoked by Wagtail's own views; the audit trail still hears of it.
    event = "created" if created else ("revoked" if instance.revoked_at else "changed")
    audit_record(
        actor=instance.user, action=AuditAction.TOKEN, obj=instance, changes={"event": event, "prefix": instance.prefix}
    )


_WAGTAIL_ACTIONS = {
    "wagtail.create": AuditAction.CREATE,
    "wagtail.edit": AuditAction.UPDATE,
    "wagtail.delete": AuditAction.DELETE,
}
# Insyn's own models are audited by their services (which also write their Wagtail log entries); a Wagtail
# log entry about them would be a double.
_AUDITED_BY_SERVICES = {"core", "records", "officials", "loans", "privacy", "publishing"}


def _on_wagtail_log_entry(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """Changes made in Wagtail's own admin views (users, groups, sites, collections, pages, workflows …)
    are logged by Wagtail; each one goes on Insyn's audit trail as well."""
    if not created or AUDIT_ENTRY_KEY in (instance.data or {}):
        return  # written from the audit trail by `audit_record`: already there
    content_type = instance.content_type
    if content_type is None or content_type.app_label in _AUDITED_BY_SERVICES:
        return
    action = _WAGTAIL_ACTIONS.get(instance.action, AuditAction.SYSTEM)
    audit_record(
        actor=instance.user,
        action=action,
        object_type=f"{content_type.app_label}.{content_type.model}",
        object_id=str(instance.object_id),
        object_label=str(instance.label)[:300],
        changes={"wagtail_action": instance.action},
    )


post_save.connect(_on_wagtail_log_entry, sender="wagtailcore.ModelLogEntry", dispatch_uid="insyn_wagtail_model_log")
post_save.connect(_on_wagtail_log_entry, sender="wagtailcore.PageLogEntry", dispatch_uid="insyn_wagtail_page_log")
