from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from insyn.core.permissions import SYSTEM
from insyn.core.registry import demo_loaders


class Command(BaseCommand):
    help = (
        "Load the demo data built from the seed documents: municipalities, organs, users per role, "
        "governing documents. Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result: dict[str, Any] = {}
        for path in demo_loaders():
            result.update(import_string(path)(actor=SYSTEM))
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready ({result['documents_created']} new governing documents).")
        )
        if settings.DEBUG:
            self.stdout.write("Demo users (shown because DEBUG is on):")
            for municipality, role, username, password in result["users"]:
                self.stdout.write(f"  {username:<32} {password:<20} {role}, {municipality}")
        else:
            self.stdout.write(f"{len(result['users'])} demo users exist; their passwords are shown only with DEBUG on.")
