"""What each Insyn app brings, declared on its `AppConfig` and found by one loop.

A new app subclasses `InsynAppConfig` and lists its daily jobs, demo loader, API routers and
`insyn` commands there; nothing else needs to be told (settings, `insyn.api.api`, `insyn.cli`,
`insyn demo` and the scheduler all read this module). Dotted paths keep `django.setup()` light:
nothing is imported until it is used.
"""

from __future__ import annotations

import importlib
from typing import ClassVar

from django.apps import AppConfig, apps


class InsynAppConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    # (name, dotted path of a django-tasks task, hour of the day in TIME_ZONE)
    daily_jobs: ClassVar[list[tuple[str, str, int]]] = []
    # dotted path of `load_demo(*, stdout) -> None`, run by `insyn demo` in INSTALLED_APPS order
    demo_loader: ClassVar[str | None] = None
    # (URL prefix under /api/v1, dotted path of a ninja Router)
    api_routers: ClassVar[list[tuple[str, str]]] = []
    # `insyn <command>` → one line of help; plain text, read before Django is set up
    commands: ClassVar[dict[str, str]] = {}
    # dotted paths of `search(*, actor, query, limit) -> list[SearchHit]`, asked by the admin search
    search_providers: ClassVar[list[str]] = []


def import_string(dotted: str) -> object:
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def insyn_apps() -> list[InsynAppConfig]:
    return [config for config in apps.get_app_configs() if isinstance(config, InsynAppConfig)]


def daily_jobs() -> list[tuple[str, str, int]]:
    return [job for config in insyn_apps() for job in config.daily_jobs]


def demo_loaders() -> list[str]:
    return [config.demo_loader for config in insyn_apps() if config.demo_loader]


def api_routers() -> list[tuple[str, str]]:
    return [router for config in insyn_apps() for router in config.api_routers]


def search_providers() -> list[str]:
    return [provider for config in insyn_apps() for provider in config.search_providers]


def cli_commands() -> dict[str, str]:
    """The commands of every Insyn app, read without settings or `django.setup()` (a fast `insyn --help`)."""
    import pkgutil

    import insyn

    commands: dict[str, str] = {}
    names = sorted(info.name for info in pkgutil.iter_modules(insyn.__path__) if info.ispkg)
    for name in sorted(names, key=lambda n: n != "core"):
        try:
            module = importlib.import_module(f"insyn.{name}.apps")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, InsynAppConfig) and value is not InsynAppConfig:
                commands.update(value.commands)
    return commands
