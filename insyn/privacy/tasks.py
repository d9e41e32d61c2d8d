"""Daily jobs of the privacy app: thin, safe to run twice."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from insyn.core.actor import SYSTEM


@task()
def register_reviews_daily() -> int:
    from insyn.privacy.services.register import register_review_reminders

    return register_review_reminders(actor=SYSTEM, today=timezone.localdate())


@task()
def request_deadlines_daily() -> int:
    from insyn.privacy.services.requests import request_deadline_reminders

    return request_deadline_reminders(actor=SYSTEM, today=timezone.localdate())


@task()
def breach_clock_hourly() -> int:
    """The 72-hour clock: the 48-hour e-mail to the DPO must not wait for a daily run."""
    from insyn.privacy.services.breaches import breach_reminders

    return breach_reminders(actor=SYSTEM, now=timezone.now())


@task()
def extracts_disposal_daily() -> int:
    """Register extracts are kept for the plan's period (seed 003: full extracts 3 months), then disposed of."""
    from insyn.privacy.services.extracts import extracts_dispose_due

    return extracts_dispose_due(actor=SYSTEM, today=timezone.localdate())


@task()
def requests_disposal_daily() -> int:
    """Closed requests are kept for the plan's period (seed 003: 1 year), then disposed of."""
    from insyn.privacy.services.requests import requests_dispose_due

    return requests_dispose_due(actor=SYSTEM, today=timezone.localdate())
