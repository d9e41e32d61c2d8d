"""The worker's heartbeat: `insyn check` warns when no worker has finished a task for an hour.

The evidence is the database task backend's own table (django_tasks_db `DBTaskResult.finished_at`):
any finished task counts. So that an idle worker still shows it is alive, the worker's scheduler
thread (and `insyn worker --once`) queues the tiny `worker_heartbeat` task whenever nothing has
finished for `HEARTBEAT_EVERY`; the worker runs it like any other task, which proves that both the
scheduler and the queue loop work. Each heartbeat deletes the finished heartbeats before it, so the
table holds at most one.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus

HEARTBEAT_EVERY = dt.timedelta(minutes=10)
WORKER_SILENT_AFTER = dt.timedelta(hours=1)


def uses_database_backend() -> bool:
    return "django_tasks_db" in settings.TASKS["default"]["BACKEND"]


def last_task_finished_at() -> dt.datetime | None:
    """When a worker last finished a task (successfully or not), or None if never."""
    from django_tasks_db.models import DBTaskResult

    finished: dt.datetime | None = DBTaskResult.objects.filter(finished_at__isnull=False).aggregate(
        last=Max("finished_at")
    )["last"]
    return finished


@task()
def worker_heartbeat() -> str:
    """Nothing but a finished task: `insyn check` reads its time. Drops the heartbeats finished before it."""
    from django_tasks_db.models import DBTaskResult

    if uses_database_backend():
        DBTaskResult.objects.filter(task_path=worker_heartbeat.module_path, finished_at__isnull=False).delete()
    return timezone.now().isoformat()


def heartbeat_if_due(*, now: dt.datetime | None = None) -> bool:
    """Queue a heartbeat unless a task finished within HEARTBEAT_EVERY or a heartbeat waits; True if queued."""
    if not uses_database_backend():
        return False
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    last = last_task_finished_at()
    if last is not None and last >= now - HEARTBEAT_EVERY:
        return False
    waiting = DBTaskResult.objects.filter(
        task_path=worker_heartbeat.module_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    )
    if waiting.exists():
        return False
    worker_heartbeat.enqueue()
    return True
