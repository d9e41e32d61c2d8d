from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from insyn.core.management.commands._base import ActorCommand
from insyn.core.permissions import SYSTEM
from insyn.core.registry import demo_loaders

# Rendering the demo's PDF receipts and plans makes WeasyPrint and fontTools warn about each font they
# subset (dozens of lines), which would bury the demo users and the administrator's password.
QUIET_LOGGERS = ("weasyprint", "fontTools")


@contextmanager
def quiet_pdf_warnings() -> Iterator[None]:
    """Only errors from the PDF libraries while the block runs; their levels are restored afterwards."""
    loggers = [logging.getLogger(name) for name in QUIET_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(ActorCommand):
    help = (
        "Load the demo data built from the seed documents: municipalities, organs, users per role, "
        "governing documents. Idempotent."
    )

    def add_arguments(self, parser: Any) -> None:
        # Demo users, municipalities and passwords: only the installation administrator (`--user system`) or a
        # superuser may create them.
        self.add_actor_argument(parser)
        parser.add_argument(
            "--migrate", action="store_true", help="apply the migrations first (one process instead of two)"
        )
        parser.add_argument(
            "--ensure-admin",
            action="store_true",
            help="then create the administrator when there is none, and print its password last",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        actor = self.get_actor(options["user"])
        if actor is not SYSTEM and not getattr(actor, "is_superuser", False):
            raise CommandError(_("Only the installation administrator (--user system) or a superuser loads the demo."))
        result: dict[str, Any] = {}
        with quiet_pdf_warnings():
            for path in demo_loaders():
                # The loaders create municipalities and users of every role: they act as the system, audited as such
                # and attributed below to whoever asked.
                result.update(import_string(path)(actor=SYSTEM))
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready ({result['documents_created']} new governing documents).")
        )
        if settings.DEBUG:
            self.stdout.write("Demo users (shown because DEBUG is on):")
            for municipality, role, username, password in result["users"]:
                self.stdout.write(f"  {username:<32} {password:<20} {role}, {municipality}")
            self.stdout.write(
                _(
                    "Each demo user has one role in one municipality: it sees that municipality and changes only "
                    "what its role allows (README.md, 'Demo users')."
                )
            )
        else:
            self.stdout.write(f"{len(result['users'])} demo users exist; their passwords are shown only with DEBUG on.")
        if options["ensure_admin"]:
            self.stdout.write("")
            call_command("ensure_admin", stdout=self.stdout)
