"""Daily jobs of the privacy app: thin, safe to run twice."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from insyn.core.actor import SYSTEM


def _day(run_date: str | None) -> dt.date:
    # The scheduler names the day it enqueued the job for: a run caught up later still acts for that day.
    return dt.date.fromisoformat(run_date) if run_date else timezone.localdate()


@task()
def register_reviews_daily(run_date: str | None = None) -> int:
    from insyn.privacy.services.register import register_review_reminders

    return register_review_reminders(actor=SYSTEM, today=_day(run_date))


@task()
def request_deadlines_daily(run_date: str | None = None) -> int:
    from insyn.privacy.services.requests import request_deadline_reminders

    return request_deadline_reminders(actor=SYSTEM, today=_day(run_date))


@task()
def breach_clock_hourly(run_date: str | None = None) -> int:
    """The 72-hour clock: the 48-hour e-mail to the DPO must not wait for a daily run."""
    from insyn.privacy.services.breaches import breach_reminders

    return breach_reminders(actor=SYSTEM, now=timezone.now())


@task()
def extracts_disposal_daily(run_date: str | None = None) -> int:
    """Register extracts are kept for the plan's period (seed 003: full extracts 3 months), then disposed of."""
    from insyn.privacy.services.extracts import extracts_dispose_due

    return extracts_dispose_due(actor=SYSTEM, today=_day(run_date))


@task()
def requests_disposal_daily(run_date: str | None = None) -> int:
    """Closed requests are kept for the plan's period (seed 003: 1 year), then disposed of."""
    from insyn.privacy.services.requests import requests_dispose_due

    return requests_dispose_due(actor=SYSTEM, today=_day(run_date))
