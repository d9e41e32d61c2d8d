from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from insyn.core.roles_sync import sync_roles


class Command(BaseCommand):
    help = "Create the administrator `admin` if no superuser exists and print its generated password once."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", default="admin")

    def handle(self, *args: Any, **options: Any) -> None:
        sync_roles()
        User = get_user_model()
        existing = User.objects.filter(is_superuser=True).order_by("pk").first()
        if existing is not None:
            self.stdout.write(f"Administrator: {existing.get_username()} (password printed when it was created)")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=options["username"], email="admin@example.org", password=password)
        self.stdout.write(
            self.style.SUCCESS(f"Administrator created: user name {options['username']}  password {password}")
        )
        self.stdout.write("The password is shown only this once.")
