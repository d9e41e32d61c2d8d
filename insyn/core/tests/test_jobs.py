from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from insyn.core.models import ScheduledJobRun
from insyn.core.scheduler import schedule_due_jobs

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


CLOCK = "privacy_breach_clock_"  # the breach register's 72-hour clock: one job per hour of the day


def _daily(names: list[str]) -> list[str]:
    return sorted(name for name in names if not name.startswith(CLOCK))


def test_daily_job_is_enqueued_once_per_day(db):
    morning = dt.datetime(2026, 11, 21, 6, 30, tzinfo=STOCKHOLM)
    # Every job whose hour has come (clean-ups run from 03:00, the documents and register reviews from 06:00).
    assert _daily(schedule_due_jobs(now=morning)) == [
        "governing_documents_daily",
        "import_pending_cleanup_daily",
        "privacy_extracts_disposal_daily",
        "privacy_register_reviews_daily",
        "privacy_requests_disposal_daily",
    ]
    assert _daily(schedule_due_jobs(now=morning + dt.timedelta(hours=1))) == [
        "loan_reminders_daily",
        "privacy_request_deadlines_daily",
    ]
    assert _daily(schedule_due_jobs(now=morning + dt.timedelta(hours=3))) == []
    assert _daily(schedule_due_jobs(now=morning + dt.timedelta(days=1, hours=2))) == [
        "governing_documents_daily",
        "import_pending_cleanup_daily",
        "loan_reminders_daily",
        "privacy_extracts_disposal_daily",
        "privacy_register_reviews_daily",
        "privacy_request_deadlines_daily",
        "privacy_requests_disposal_daily",
    ]
    assert ScheduledJobRun.objects.exclude(job_name__startswith=CLOCK).count() == 14


def test_the_breach_clock_runs_every_hour(db):
    morning = dt.datetime(2026, 11, 21, 6, 30, tzinfo=STOCKHOLM)
    # Started at 06:30, the hours already past are caught up once; then one run an hour.
    assert sorted(n for n in schedule_due_jobs(now=morning) if n.startswith(CLOCK)) == [
        f"{CLOCK}{hour:02d}" for hour in range(7)
    ]
    later = schedule_due_jobs(now=morning + dt.timedelta(hours=1))
    assert [n for n in later if n.startswith(CLOCK)] == [f"{CLOCK}07"]


def test_daily_job_waits_for_its_hour(db):
    assert _daily(schedule_due_jobs(now=dt.datetime(2026, 11, 21, 2, 0, tzinfo=STOCKHOLM))) == []
    assert not ScheduledJobRun.objects.exclude(job_name__startswith=CLOCK).exists()


def test_enqueued_job_runs_the_service(two_municipalities):
    from django.core import mail
    from django.utils import timezone

    from insyn.core.tests.factories import make_document

    pitea, _ = two_municipalities
    make_document(pitea.board, owner=pitea.registrar, valid_until=timezone.localdate() + dt.timedelta(days=10))
    # The test settings use django-tasks' immediate backend: enqueue runs the task.
    schedule_due_jobs(now=timezone.localtime().replace(hour=8))
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)  # the worker opens its own transactions, as in production
def test_worker_once_runs_queued_jobs_with_the_database_backend(two_municipalities, settings):
    from django.core import mail
    from django.core.management import call_command
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from insyn.core.tests.factories import make_document

    pitea, _ = two_municipalities
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_document(pitea.board, owner=pitea.registrar, valid_until=timezone.localdate() + dt.timedelta(days=3))
    schedule_due_jobs(now=timezone.localtime().replace(hour=8))
    assert mail.outbox == []  # queued, not run
    DBTaskResult.objects.exclude(task_path__endswith="governing_documents_daily").delete()
    ours = DBTaskResult.objects.filter(task_path__endswith="governing_documents_daily")
    assert ours.filter(status="READY").count() == 1
    call_command("insyn_worker", "--once", verbosity=0)
    assert ours.filter(status="SUCCESSFUL").count() == 1
    assert len(mail.outbox) == 1
    call_command("insyn_worker", "--once", verbosity=0)  # nothing left, nothing sent twice
    assert len(mail.outbox) == 1
