"""Background tasks: thin wrappers over services, safe to run twice."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from insyn.core.services.documents import governing_documents_expire_and_notify


@task()
def governing_documents_daily(run_date: str | None = None) -> dict[str, int]:
    today = dt.date.fromisoformat(run_date) if run_date else None
    return governing_documents_expire_and_notify(today=today)


@task()
def audit_head_daily(run_date: str | None = None) -> dict[str, object]:
    """Publish the audit trail's head outside the database (log, INSYN_AUDIT_HEAD_FILE, INSYN_AUDIT_HEAD_URL)."""
    from insyn.core.audit_anchors import audit_head_publish

    today = dt.date.fromisoformat(run_date) if run_date else None
    return audit_head_publish(today=today)


@task()
def import_pending_cleanup_daily(run_date: str | None = None) -> int:
    """Remove import-preview and kept-upload files older than INSYN_IMPORT_PENDING_HOURS (a day); safe to run
    twice. The previews of every app (plans, officials, governing documents' kept uploads) live there."""
    from insyn.core.pending import pending_cleanup

    return pending_cleanup()
