"""`insyn privacy requests list|remind|dispose`: the request register on the command line.

insyn privacy requests list [--state open|on_time|due_soon|overdue|closed] --user U
insyn privacy requests remind [--date YYYY-MM-DD] --user system     (the daily job, by hand)
insyn privacy requests dispose [--date YYYY-MM-DD] [--dry-run] --user system
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from insyn.privacy.selectors import requests as selectors
from insyn.privacy.services import requests as services

HELP = "data-subject requests: list, deadline reminders, disposal of closed requests"
READ_ONLY = False


def add_arguments(parser: Any) -> None:
    parser.add_argument("action", choices=["list", "remind", "dispose"])
    parser.add_argument("--state", default="open", choices=["open", "on_time", "due_soon", "overdue", "closed"])
    parser.add_argument("--date", type=dt.date.fromisoformat, default=None, help="the day to act as (default today)")
    parser.add_argument("--dry-run", action="store_true", help="dispose: only count what would go")


def handle(command: Any, actor: Any, options: Any) -> None:
    today = options.get("date") or timezone.localdate()
    action = options["action"]
    if action == "list":
        for request in selectors.requests(actor=actor, state=options["state"], today=today)[:1000]:
            state = selectors.deadline_state(request, today)
            command.stdout.write(
                f"{request.reference}\t{request.kind}\t{request.controller.name}\t"
                f"{request.effective_due_on.isoformat()}\t{state}\t{request.status}"
            )
    elif action == "remind":
        command.stdout.write(f"{services.request_deadline_reminders(actor=actor, today=today)} e-mails sent")
    elif options.get("dry_run"):
        due = selectors.requests(actor=actor, state="closed").filter(dispose_after__lt=today).count()
        command.stdout.write(f"{due} requests would be disposed of (dry run)")
    else:
        command.stdout.write(f"{services.requests_dispose_due(actor=actor, today=today)} requests disposed of")
