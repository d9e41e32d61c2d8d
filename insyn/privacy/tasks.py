"""Daily jobs of the privacy app: thin, safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def register_reviews_daily() -> int:
    return 0


@task()
def request_deadlines_daily() -> int:
    return 0
