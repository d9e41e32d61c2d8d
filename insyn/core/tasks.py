"""Background tasks: thin wrappers over services, safe to run twice."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from insyn.core.services.documents import governing_documents_expire_and_notify


@task()
def governing_documents_daily(run_date: str | None = None) -> dict[str, int]:
    today = dt.date.fromisoformat(run_date) if run_date else None
    return governing_documents_expire_and_notify(today=today)
