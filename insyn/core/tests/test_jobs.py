from __future__ import annotations

import datetime as dt
import zoneinfo

from insyn.core.models import ScheduledJobRun
from insyn.core.scheduler import schedule_due_jobs

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def test_daily_job_is_enqueued_once_per_day(db):
    morning = dt.datetime(2026, 11, 21, 7, 0, tzinfo=STOCKHOLM)
    assert schedule_due_jobs(now=morning) == ["governing_documents_daily"]
    assert schedule_due_jobs(now=morning + dt.timedelta(hours=3)) == []
    assert schedule_due_jobs(now=morning + dt.timedelta(days=1)) == ["governing_documents_daily"]
    assert ScheduledJobRun.objects.count() == 2


def test_daily_job_waits_for_its_hour(db):
    assert schedule_due_jobs(now=dt.datetime(2026, 11, 21, 3, 0, tzinfo=STOCKHOLM)) == []
    assert not ScheduledJobRun.objects.exists()


def test_enqueued_job_runs_the_service(two_municipalities):
    from django.core import mail
    from django.utils import timezone

    from insyn.core.tests.factories import make_document

    pitea, _ = two_municipalities
    make_document(pitea.board, owner=pitea.registrar, valid_until=timezone.localdate() + dt.timedelta(days=10))
    # The test settings use django-tasks' immediate backend: enqueue runs the task.
    schedule_due_jobs(now=timezone.localtime().replace(hour=8))
    assert len(mail.outbox) == 1
