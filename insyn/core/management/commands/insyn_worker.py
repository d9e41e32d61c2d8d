from __future__ import annotations

import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from insyn.core.heartbeat import heartbeat_if_due
from insyn.core.scheduler import run_forever, schedule_due_jobs


class Command(BaseCommand):
    help = "Run the background worker (django-tasks database backend) with the daily scheduler."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="schedule due jobs, run every queued task, exit")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between queue polls")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            for name in schedule_due_jobs():
                self.stdout.write(f"scheduled {name}")
            heartbeat_if_due()
            call_command("db_worker", "--batch", "--no-reload", verbosity=options["verbosity"])
            return
        stop = threading.Event()
        scheduler = threading.Thread(target=run_forever, args=(stop,), name="insyn-scheduler", daemon=True)
        scheduler.start()
        try:
            # No autoreload: the reloader would re-run this command, scheduler thread and all, in a child.
            call_command(
                "db_worker", "--interval", str(options["interval"]), "--no-reload", verbosity=options["verbosity"]
            )
        finally:
            stop.set()
