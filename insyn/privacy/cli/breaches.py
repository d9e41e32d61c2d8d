"""`insyn privacy breaches list|report|notify-authority … --user U`: the breach register on the command line.

    insyn privacy breaches list [--status open|closed] --user dpo
    insyn privacy breaches report --controller "Piteå kommun/Kommunstyrelsen" --title T --discovered-at ISO \
        --description TEXT [--occurred-at ISO] [--reported-by NAME] --user dpo
    insyn privacy breaches notify-authority --breach PUI-12-2026-0001 (--notified-at ISO [--authority-reference R]
        [--late-reason TEXT] | --not-notified-reason TEXT) --user dpo

Times without an offset are read in the installation's time zone. Output is JSON.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from insyn.privacy.models import Breach
from insyn.privacy.selectors import breaches as selectors
from insyn.privacy.services import breaches as services

HELP = "the breach register: list, report, notify-authority"
READ_ONLY = False
_MAX_TEXT = 20_000


def _datetime(value: str) -> dt.datetime:
    if len(value) > 40:
        raise ValueError("date and time too long")
    parsed = dt.datetime.fromisoformat(value)
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _text(value: str) -> str:
    if len(value) > _MAX_TEXT:
        raise ValueError(f"text longer than {_MAX_TEXT} characters")
    return value


def add_arguments(parser: Any) -> None:
    parser.add_argument("action", choices=("list", "report", "notify-authority"))
    parser.add_argument("--status", choices=("open", "closed"))
    parser.add_argument("--controller", help='"MUNICIPALITY/ORGAN"')
    parser.add_argument("--title", type=_text)
    parser.add_argument("--discovered-at", type=_datetime)
    parser.add_argument("--occurred-at", type=_datetime)
    parser.add_argument("--description", type=_text)
    parser.add_argument("--reported-by", type=_text, default="")
    parser.add_argument("--breach", help="the breach's reference (PUI-12-2026-0001)")
    parser.add_argument("--notified-at", type=_datetime)
    parser.add_argument("--authority-reference", default="")
    parser.add_argument("--late-reason", type=_text, default="")
    parser.add_argument("--not-notified-reason", type=_text, default="")


def _out(breach: Breach) -> dict[str, Any]:
    state = selectors.clock(breach, timezone.now())
    return {
        "reference": breach.reference,
        "controller": breach.controller.name,
        "title": breach.title,
        "status": breach.status,
        "discovered_at": breach.discovered_at.isoformat(),
        "authority": breach.authority,
        "authority_notified_at": breach.authority_notified_at.isoformat() if breach.authority_notified_at else None,
        "deadline": state.deadline.isoformat(),
        "remaining_seconds": state.remaining_seconds,
        "clock": state.state,
        "risk": breach.risk,
        "subject_notification": breach.subject_notification,
    }


def _required(options: Any, *names: str) -> None:
    missing = [f"--{n.replace('_', '-')}" for n in names if not options.get(n)]
    if missing:
        raise ValueError(f"{options['action']} needs {', '.join(missing)}")


def handle(command: Any, actor: Any, options: Any) -> None:
    action = options["action"]
    if action == "list":
        command.emit([_out(b) for b in selectors.breaches(actor=actor, status=options.get("status"))[:1000]])
        return
    if action == "report":
        _required(options, "controller", "title", "discovered_at", "description")
        controller = selectors.controller_by_path(actor=actor, label=options["controller"])
        breach = services.breach_report(
            actor=actor,
            controller=controller,
            title=options["title"],
            discovered_at=options["discovered_at"],
            occurred_at=options.get("occurred_at"),
            reported_by=options.get("reported_by") or "",
            description=options["description"],
        )
        command.emit(_out(breach))
        return
    _required(options, "breach")
    breach = selectors.breach_by_reference(actor=actor, reference=options["breach"])
    breach = services.breach_notify_authority(
        actor=actor,
        breach=breach,
        notified_at=options.get("notified_at"),
        authority_reference=options.get("authority_reference") or "",
        late_reason=options.get("late_reason") or "",
        not_notified_reason=options.get("not_notified_reason") or "",
    )
    command.emit(_out(breach))
