from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from insyn.core.health import run_checks


class Command(BaseCommand):
    help = "Check configuration, database, storage, mail and the background worker; exit 1 if any check fails."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--send-test-mail", metavar="ADDRESS", help="also send a test e-mail to ADDRESS")

    def handle(self, *args: Any, **options: Any) -> None:
        results = run_checks(test_mail_to=options.get("send_test_mail"))
        failed = 0
        for result in results:
            mark = {
                "ok": self.style.SUCCESS("ok  "),
                "warn": self.style.WARNING("warn"),
                "fail": self.style.ERROR("FAIL"),
            }[result.status]
            self.stdout.write(f"{mark} {result.name:<14} {result.message}")
            failed += result.status == "fail"
        if failed:
            raise CommandError(f"{failed} check(s) failed.")
