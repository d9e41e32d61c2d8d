"""`insyn privacy …`: one command, a subcommand per part (each in `insyn/privacy/cli/<name>.py`).

A part module exposes `HELP: str`, `READ_ONLY: bool`, `add_arguments(parser)` and
`handle(command, actor, options) -> None`; data-changing parts require `--user` (test_cli_actor).
"""

from __future__ import annotations

import importlib
from typing import Any

from django.core.management.base import CommandError

from insyn.core.exceptions import DomainError
from insyn.core.management.commands._base import ActorCommand

PARTS = ("register", "notice", "search", "extract", "requests", "breaches")


class Command(ActorCommand):
    help = "Data protection: register, notices, subject search and extracts, requests, breaches."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="part", required=True)
        for name in PARTS:
            module = importlib.import_module(f"insyn.privacy.cli.{name}")
            part = sub.add_parser(name, help=module.HELP)
            self.add_actor_argument(part)
            module.add_arguments(part)

    def handle(self, *args: Any, **options: Any) -> None:
        module = importlib.import_module(f"insyn.privacy.cli.{options['part']}")
        actor = self.get_actor(options["user"])
        try:
            module.handle(self, actor, options)
        except DomainError as exc:
            raise self.fail(exc) from exc
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
