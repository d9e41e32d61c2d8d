from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from insyn.core.audit import audit_verify
from insyn.core.audit_anchors import (
    Anchor,
    anchors_missing,
    audit_head,
    audit_head_publish,
    parse_anchor,
    read_anchors_file,
)
from insyn.core.management.commands._base import ActorCommand
from insyn.core.permissions import actor_scope


class Command(BaseCommand):
    help = (
        "Audit trail tools. `audit verify` checks the whole hash chain and names the first broken entry, "
        "and that every head recorded outside the database (INSYN_AUDIT_HEAD_FILE, --anchors-file, --anchor) "
        "is still there; `audit head` prints the newest entry's id and hash (--publish: also log it and send it "
        "to INSYN_AUDIT_HEAD_FILE / INSYN_AUDIT_HEAD_URL, as the daily job does)."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="verify the hash chain of the whole audit trail")
        verify.add_argument(
            "--anchor",
            metavar="ID:HASH",
            help="an earlier `audit head` output: also prove that this entry is still there, unchanged "
            "(detects removal of the newest entries, which the chain alone cannot)",
        )
        verify.add_argument(
            "--anchors-file",
            metavar="FILE",
            help="a file of recorded heads (`DATE ID:HASH` lines); default: INSYN_AUDIT_HEAD_FILE when set",
        )
        head = sub.add_parser("head", help="print ID:HASH of the newest entry")
        head.add_argument(
            "--publish", action="store_true", help="also log it and send it to INSYN_AUDIT_HEAD_FILE / _URL"
        )
        head.add_argument(
            "--user",
            help="with --publish (which writes outside the database): an installation administrator's user name, "
            "or `system`",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "head":
            if options.get("publish"):
                self._require_administrator(options.get("user"))
                self.stdout.write(str(audit_head_publish()["head"]))
            else:
                self.stdout.write(str(audit_head()))
            return
        checked, problem = audit_verify()
        if problem is not None:
            raise CommandError(
                f"Audit trail broken at entry #{problem.entry_id}: {problem.problem} "
                f"({checked} entries before it are intact)."
            )
        anchors, source = self._anchors(options)
        missing = anchors_missing(anchors)
        if missing:
            first = missing[0]
            recorded = f" recorded on {first.recorded_on}" if first.recorded_on else ""
            raise CommandError(
                f"Audit trail does not contain anchor entry #{first.entry_id}{recorded} with the recorded hash "
                f"({len(missing)} of {len(anchors)} recorded heads missing; source: {source}). "
                "The newest entries may have been removed."
            )
        suffix = f"; {len(anchors)} recorded heads present ({source})" if anchors else ""
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {checked} entries verified{suffix}."))

    def _require_administrator(self, username: str | None) -> None:
        """Publishing writes to the heads file and the URL: only an installation administrator, named."""
        if not username:
            raise CommandError("--user is required with --publish (an installation administrator, or `system`).")
        actor = ActorCommand().get_actor(username)
        if not actor_scope(actor).is_superuser:
            raise CommandError("permission_denied: only an installation administrator may publish the audit head.")

    def _anchors(self, options: dict[str, Any]) -> tuple[list[Anchor], str]:
        anchors: list[Anchor] = []
        sources = []
        if options.get("anchor"):
            try:
                anchors.append(parse_anchor(options["anchor"]))
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            sources.append("--anchor")
        path = options.get("anchors_file") or getattr(settings, "INSYN_AUDIT_HEAD_FILE", "")
        if path:
            if not Path(path).exists():
                if options.get("anchors_file"):
                    raise CommandError(f"Anchors file {path} does not exist.")
            else:
                try:
                    anchors += read_anchors_file(path)
                except ValueError as exc:
                    raise CommandError(str(exc)) from exc
                sources.append(str(path))
        return anchors, ", ".join(sources)
