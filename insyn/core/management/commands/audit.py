from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from insyn.core.audit import audit_verify
from insyn.core.models import AuditEntry


class Command(BaseCommand):
    help = (
        "Audit trail tools. `audit verify` checks the whole hash chain and names the first broken entry; "
        "`audit head` prints the newest entry's id and hash, to be kept outside the database as an anchor."
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
        sub.add_parser("head", help="print ID:HASH of the newest entry")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "head":
            last = AuditEntry.objects.order_by("-id").first()
            self.stdout.write(f"{last.pk}:{last.entry_hash}" if last else "0:" + "0" * 64)
            return
        checked, problem = audit_verify()
        if problem is not None:
            raise CommandError(
                f"Audit trail broken at entry #{problem.entry_id}: {problem.problem} "
                f"({checked} entries before it are intact)."
            )
        if options.get("anchor"):
            anchor_id, _, anchor_hash = options["anchor"].partition(":")
            entry = AuditEntry.objects.filter(pk=int(anchor_id)).first() if anchor_id.isdigit() else None
            if int(anchor_id or 0) and (entry is None or entry.entry_hash != anchor_hash):
                raise CommandError(f"Audit trail does not contain anchor entry #{anchor_id} with the recorded hash.")
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {checked} entries verified."))
