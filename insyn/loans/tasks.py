from __future__ import annotations

import datetime as dt

from django_tasks import task

from insyn.loans.services import loans_send_reminders


@task()
def loan_reminders_daily(run_date: str | None = None) -> dict[str, int]:
    return loans_send_reminders(today=dt.date.fromisoformat(run_date) if run_date else None)
