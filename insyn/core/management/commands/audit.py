from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from insyn.core.audit import audit_verify


class Command(BaseCommand):
    help = "Audit trail tools. `audit verify` checks the whole hash chain and names the first broken entry."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="verify the hash chain of the whole audit trail")

    def handle(self, *args: Any, **options: Any) -> None:
        checked, problem = audit_verify()
        if problem is not None:
            raise CommandError(
                f"Audit trail broken at entry #{problem.entry_id}: {problem.problem} "
                f"({checked} entries before it are intact)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {checked} entries verified."))
