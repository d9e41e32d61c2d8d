"""Every data-changing `insyn` command names its actor (`--user NAME` or `--user system`).

The commands and subcommands are enumerated from the app registry and the commands' own parsers,
so a new command is held to the rule without anyone remembering to add it here.
"""

from __future__ import annotations

import argparse
from typing import Any

import pytest
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError

from insyn.core.registry import cli_commands

# Commands that change nothing, or that exist before any user does; each with its reason.
EXEMPT = {
    "check": "reads configuration and health only",
    "worker": "runs the queued tasks, each of which names its own actor",
    "serve": "starts the web server",
    "ensure_admin": "creates the first administrator: no user exists yet to act as",
    "flush": "development only; Django's own flush asks for confirmation and empties everything",
}
# Subcommands that only read, or only read a file and print.
READ_ONLY = {
    ("audit", "verify"),
    ("audit", "head"),
    ("records", "parse-retention"),
    # without --user these read as an anonymous visitor: published plans only
    ("records", "list"),
    ("records", "export"),
    ("records", "diff"),
    ("loans", "eligibility"),
}
ALIASES = {"check": "insyn_check", "worker": "insyn_worker"}


def _app_of(command: str) -> str:
    from django.core.management import get_commands

    return get_commands()[ALIASES.get(command, command)]


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _user_option(parser: argparse.ArgumentParser) -> argparse.Action | None:
    return next((a for a in parser._actions if "--user" in a.option_strings), None)


def _cases() -> list[tuple[str, str | None]]:
    cases: list[tuple[str, str | None]] = []
    for name in cli_commands():
        if name in EXEMPT:
            continue
        command = load_command_class(_app_of(name), ALIASES.get(name, name))
        subs = _subparsers(command.create_parser("insyn", name))
        if not subs:
            cases.append((name, None))
        for sub in subs:
            if (name, sub) not in READ_ONLY:
                cases.append((name, sub))
    return cases


def test_the_registry_lists_the_commands_we_check() -> None:
    names = set(cli_commands())
    assert {"records", "officials", "documents", "organisations", "roles", "demo"} <= names
    assert set(EXEMPT) <= names


@pytest.mark.parametrize(("command", "sub"), _cases())
def test_every_data_changing_command_requires_user(command: str, sub: str | None) -> None:
    parser = load_command_class(_app_of(command), ALIASES.get(command, command)).create_parser("insyn", command)
    target = _subparsers(parser)[sub] if sub else parser
    option = _user_option(target)
    assert option is not None, f"`insyn {command} {sub or ''}` has no --user"
    assert option.required, f"`insyn {command} {sub or ''}` runs without --user"


@pytest.mark.django_db
@pytest.mark.parametrize(("command", "sub"), _cases())
def test_without_user_the_command_stops_before_it_writes(command: str, sub: str | None) -> None:
    from insyn.core.models import AuditEntry

    before = AuditEntry.objects.count()
    args: list[Any] = [sub] if sub else []
    with pytest.raises((CommandError, SystemExit)):
        call_command(ALIASES.get(command, command), *args)
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_system_is_named_not_implied(capsys: Any) -> None:
    from insyn.core.actor import SYSTEM
    from insyn.core.management.commands._base import ActorCommand

    assert ActorCommand().get_actor("system") is SYSTEM
    with pytest.raises(CommandError):
        ActorCommand().get_actor("no-such-user")


@pytest.mark.django_db
def test_a_login_named_system_is_not_silently_shadowed() -> None:
    from django.contrib.auth import get_user_model

    from insyn.core.management.commands._base import ActorCommand

    get_user_model().objects.create_user(username="system", password="x" * 16)
    with pytest.raises(CommandError, match="rename it"):
        ActorCommand().get_actor("system")
