"""A small periodic scheduler for daily jobs, run inside the worker process.

django-tasks has no cron; this enqueues each registered daily job at most once
per date (guarded by a unique row), so any number of workers may run it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone

from insyn.core.heartbeat import heartbeat_if_due
from insyn.core.models.jobs import ScheduledJobRun

logger = logging.getLogger(__name__)

# job name -> (task, hour of day in local time from which it may run)
DAILY_JOBS: dict[str, tuple[Any, int]] = {}


def register_daily(name: str, task: Any, hour: int = 6) -> None:
    DAILY_JOBS[name] = (task, hour)


def _load_jobs() -> None:
    from django.utils.module_loading import import_string

    from insyn.core.registry import daily_jobs

    for name, path, hour in daily_jobs():
        register_daily(name, import_string(path), hour=hour)


def schedule_due_jobs(*, now: dt.datetime | None = None) -> list[str]:
    """Enqueue every daily job due now and not yet enqueued today; return their names."""
    if not DAILY_JOBS:
        _load_jobs()
    local_now = timezone.localtime(now or timezone.now())
    enqueued = []
    for name, (task, hour) in DAILY_JOBS.items():
        if local_now.hour < hour:
            continue
        try:
            with transaction.atomic():
                run = ScheduledJobRun.objects.create(job_name=name, run_date=local_now.date())
                result = task.enqueue(run_date=local_now.date().isoformat())
                run.task_result_id = str(result.id)
                run.save(update_fields=["task_result_id"])
        except IntegrityError:
            continue
        enqueued.append(name)
        logger.info("scheduled %s for %s", name, local_now.date())
    return enqueued


def run_forever(stop: threading.Event, interval: float = 60.0, on_tick: Callable[[], None] | None = None) -> None:
    while not stop.is_set():
        try:
            schedule_due_jobs()
            heartbeat_if_due()  # an idle worker still finishes a task now and then: `insyn check` looks
        except Exception:  # the scheduler must outlive a database hiccup
            logger.exception("scheduler tick failed")
        finally:
            close_old_connections()
        if on_tick:
            on_tick()
        stop.wait(interval)
