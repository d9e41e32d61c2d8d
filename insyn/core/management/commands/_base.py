from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from insyn.core.actor import SYSTEM, Actor
from insyn.core.exceptions import DomainError

SYSTEM_USERNAME = "system"


class ActorCommand(BaseCommand):
    """A command that acts as a named user, so the CLI obeys the same permissions as admin and API."""

    def add_actor_argument(self, parser: Any) -> None:
        parser.add_argument(
            "--user",
            required=True,
            help="act as this user (user name; permissions apply), or `system` for the installation administrator",
        )

    def get_actor(self, username: str) -> Actor:
        # The system actor is never a default: it is named on the command line, by whoever administers the
        # installation (shell access to the server), and every change it makes is audited as "system".
        if username == SYSTEM_USERNAME:
            if get_user_model().objects.filter(username=SYSTEM_USERNAME).exists():
                # A login of that name would be shadowed, and scripts meant for it would run with every right.
                raise CommandError(
                    "A login named 'system' exists: rename it, since --user system names the system actor."
                )
            return SYSTEM
        try:
            user = get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No active user named {username!r}.") from None
        return user

    def emit(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))

    def fail(self, exc: DomainError) -> CommandError:
        return CommandError(f"{exc.code}: {exc.message}")
