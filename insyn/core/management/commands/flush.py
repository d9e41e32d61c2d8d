"""Django's `flush`, working although Insyn's guard triggers are in the database.

This command shadows `django.core`'s (apps listed first in INSTALLED_APPS win), so Django's
TransactionTestCase, which calls `call_command("flush", ...)` after every test, uses it too.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as DjangoFlushCommand
from django.db import DEFAULT_DB_ALIAS, connections

from insyn.core.db_triggers import triggers_lifted


class Command(DjangoFlushCommand):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        with triggers_lifted(connection):
            super().handle(**options)
