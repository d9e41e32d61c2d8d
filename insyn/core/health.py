"""`insyn check`: is this installation able to work?"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import get_connection, send_mail
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from insyn.core.heartbeat import WORKER_SILENT_AFTER, last_task_finished_at


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: str  # ok | warn | fail
    message: str


def _configuration() -> CheckResult:
    problems = []
    if not settings.DEBUG and "insecure" in settings.SECRET_KEY:
        problems.append("SECRET_KEY is the development key")
    if not settings.DEBUG and not settings.ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS is empty")
    try:
        call_command("check", "--fail-level", "ERROR", verbosity=0)
    except Exception as exc:  # noqa: BLE001 - any system-check failure is reported, not raised
        problems.append(str(exc))
    if problems:
        return CheckResult("configuration", "fail", "; ".join(problems))
    return CheckResult("configuration", "ok", f"DEBUG={settings.DEBUG}, language {settings.LANGUAGE_CODE}")


def _database() -> CheckResult:
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # noqa: BLE001
        return CheckResult("database", "fail", f"cannot connect: {exc}")
    if pending:
        return CheckResult("database", "fail", f"{len(pending)} migration(s) not applied: run `insyn migrate`")
    return CheckResult("database", "ok", f"{connection.vendor}, migrations applied")


def _storage() -> CheckResult:
    name = f"insyn-check/{uuid.uuid4().hex}.txt"
    try:
        saved = default_storage.save(name, ContentFile(b"insyn"))
        with default_storage.open(saved) as handle:
            ok = handle.read() == b"insyn"
        default_storage.delete(saved)
    except Exception as exc:  # noqa: BLE001
        return CheckResult("storage", "fail", f"{type(default_storage).__name__}: {exc}")
    return CheckResult("storage", "ok" if ok else "fail", f"{type(default_storage).__name__} writable")


def _mail(test_mail_to: str | None) -> CheckResult:
    backend = settings.EMAIL_BACKEND.rsplit(".", 1)[0].rsplit(".", 1)[-1]
    try:
        conn = get_connection()
        conn.open()
        conn.close()
        if test_mail_to:
            send_mail("Insyn: test", "Insyn can send e-mail.", settings.DEFAULT_FROM_EMAIL, [test_mail_to])
    except Exception as exc:  # noqa: BLE001
        return CheckResult("mail", "fail", f"{backend}: {exc}")
    status = "warn" if backend in {"console", "locmem", "dummy"} and not settings.DEBUG else "ok"
    return CheckResult("mail", status, f"{backend} backend reachable")


def _worker() -> CheckResult:
    from django_tasks_db.models import DBTaskResult

    from insyn.core.models.jobs import ScheduledJobRun

    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return CheckResult("worker", "warn", f"tasks backend {settings.TASKS['default']['BACKEND']}")
    stale = DBTaskResult.objects.filter(
        status="READY", enqueued_at__lt=timezone.now() - dt.timedelta(minutes=10)
    ).count()
    last = ScheduledJobRun.objects.order_by("-enqueued_at").first()
    if stale:
        return CheckResult("worker", "fail", f"{stale} task(s) waiting over 10 minutes: is `insyn worker` running?")
    # The worker finishes a heartbeat task at least every 10 minutes when idle (insyn.core.heartbeat).
    finished = last_task_finished_at()
    if finished is None or finished < timezone.now() - WORKER_SILENT_AFTER:
        since = f"last on {timezone.localtime(finished):%Y-%m-%d %H:%M}" if finished else "never"
        return CheckResult(
            "worker", "warn", f"no worker has finished a task in the last hour ({since}): start `insyn worker`"
        )
    if last is None:
        return CheckResult("worker", "warn", "the scheduler has not run yet: start `insyn worker`")
    return CheckResult("worker", "ok", f"queue drained; scheduler last enqueued {last.job_name} on {last.run_date}")


def run_checks(test_mail_to: str | None = None) -> list[CheckResult]:
    return [_configuration(), _database(), _storage(), _mail(test_mail_to), _worker()]
