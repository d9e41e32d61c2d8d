"""Test data built through the project's services, and the login every browser test starts with."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from playwright.sync_api import Page

from insyn.core.models import Organisation
from insyn.core.permissions import SYSTEM
from insyn.core.roles_sync import sync_roles
from insyn.core.services.organisations import organisation_create, role_assign

PASSWORD = "correct horse battery staple"


@dataclass
class Tenant:
    municipality: Organisation
    board: Organisation
    registrar: Any


def make_tenant(name: str, username: str, full_name: str) -> Tenant:
    """A municipality with its municipal board and a registrar for the whole municipality."""
    sync_roles()
    municipality = organisation_create(actor=SYSTEM, name=name, kind="municipality", parent=None)
    board = organisation_create(
        actor=SYSTEM, name="Kommunstyrelsen", kind="organ", organ_type="kommunstyrelse", parent=municipality
    )
    first_name, last_name = full_name.split(" ", 1)
    registrar = get_user_model().objects.create_user(
        username=username,
        email=f"{username}@example.org",
        password=PASSWORD,
        first_name=first_name,
        last_name=last_name,
    )
    role_assign(actor=SYSTEM, user=registrar, organisation=municipality, role_code="registrar")
    return Tenant(municipality=municipality, board=board, registrar=registrar)


def log_in(page: Page, user: Any) -> None:
    """Log in through Wagtail's own login form and land on the dashboard."""
    page.goto("/admin/login/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/admin/")


def save_screenshot(page: Page, name: str) -> None:
    """Save the viewport as `name` under $INSYN_SCREENSHOT_DIR (docs/img/ for the README); nothing when unset."""
    screenshot_dir = os.environ.get("INSYN_SCREENSHOT_DIR")
    if screenshot_dir:
        Path(screenshot_dir).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(screenshot_dir) / name))
