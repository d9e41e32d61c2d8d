"""`insyn check` warns when no worker has finished a task in the last hour (issue 8, item 6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from insyn.core import health
from insyn.core.heartbeat import HEARTBEAT_EVERY, heartbeat_if_due, worker_heartbeat
from insyn.core.models.jobs import ScheduledJobRun

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_backend(settings: Any) -> None:
    settings.TASKS = DATABASE


def _heartbeats() -> Any:
    return DBTaskResult.objects.filter(task_path=worker_heartbeat.module_path)


def _finished(at: dt.datetime) -> None:
    worker_heartbeat.enqueue()
    _heartbeats().update(status=TaskResultStatus.SUCCESSFUL, started_at=at, finished_at=at)


@pytest.mark.usefixtures("database_backend")
def test_check_warns_when_no_worker_has_ever_finished_a_task(db: Any) -> None:
    result = health._worker()
    assert result.status == "warn"
    assert "no worker has finished a task in the last hour (never)" in result.message


@pytest.mark.usefixtures("database_backend")
def test_check_warns_when_the_last_finished_task_is_over_an_hour_old(db: Any) -> None:
    _finished(timezone.now() - dt.timedelta(hours=1, minutes=5))
    ScheduledJobRun.objects.create(job_name="audit_head_daily", run_date=timezone.localdate())
    result = health._worker()
    assert result.status == "warn"
    assert "in the last hour (last on" in result.message


@pytest.mark.usefixtures("database_backend")
def test_check_is_ok_when_a_task_finished_within_the_hour(db: Any) -> None:
    _finished(timezone.now() - dt.timedelta(minutes=50))
    ScheduledJobRun.objects.create(job_name="audit_head_daily", run_date=timezone.localdate())
    assert health._worker().status == "ok"


@pytest.mark.usefixtures("database_backend")
def test_heartbeat_is_queued_only_when_the_worker_has_been_idle(db: Any) -> None:
    now = timezone.now()
    _finished(now - HEARTBEAT_EVERY + dt.timedelta(minutes=1))
    assert heartbeat_if_due(now=now) is False  # something finished recently: no heartbeat needed

    assert heartbeat_if_due(now=now + dt.timedelta(minutes=2)) is True
    assert _heartbeats().filter(status=TaskResultStatus.READY).count() == 1
    assert heartbeat_if_due(now=now + dt.timedelta(minutes=3)) is False  # one is waiting already
    assert _heartbeats().filter(status=TaskResultStatus.READY).count() == 1


def test_no_heartbeat_without_the_database_backend(db: Any) -> None:
    # The test settings run tasks at once (immediate backend): there is no worker to watch.
    assert heartbeat_if_due() is False


@pytest.mark.django_db(transaction=True)  # the worker opens its own transactions, as in production
@pytest.mark.usefixtures("database_backend")
def test_idle_worker_beats_and_check_sees_it_keeping_one_heartbeat_row() -> None:
    assert health._worker().status == "warn"

    call_command("insyn_worker", "--once", verbosity=0)
    assert _heartbeats().filter(status=TaskResultStatus.SUCCESSFUL).count() == 1
    ScheduledJobRun.objects.get_or_create(job_name="audit_head_daily", run_date=timezone.localdate())
    assert health._worker().status == "ok"

    # Idle for longer than HEARTBEAT_EVERY: the next run beats again, and the older heartbeat goes.
    past = timezone.now() - HEARTBEAT_EVERY - dt.timedelta(minutes=1)
    DBTaskResult.objects.update(finished_at=past)
    call_command("insyn_worker", "--once", verbosity=0)
    assert _heartbeats().count() == 1
    assert _heartbeats().get().finished_at > past
