"""The `insyn` console script: Django's management commands, with Insyn's names first.

`insyn demo`, `insyn audit verify`, `insyn check`, `insyn worker`,
`insyn organisations …`, `insyn documents …`; any other Django command passes through.
"""

from __future__ import annotations

import os
import sys

# Insyn names that would clash with Django's own commands.
ALIASES = {"check": "insyn_check", "worker": "insyn_worker"}

# Django's system checks import every URL (the API with all its schemas) and every template library before
# a command runs: half a second that Insyn's data commands (`loans eligibility`, `records list` …) don't
# need, so they get `--skip-checks`. These keep them, as do Django's own (`migrate`, `runserver`).
KEEP_CHECKS = {"insyn_check", "insyn_worker", "serve"}


def _help(prog: str) -> str:
    lines = [f"usage: {prog} COMMAND [options]", "", "Insyn commands:"]
    from insyn.core.registry import cli_commands

    lines += [f"  {name:<15} {text}" for name, text in cli_commands().items()]
    lines += [
        "",
        f"Every Django command works too (`{prog} migrate`, `{prog} runserver` …);",
        f"`{prog} COMMAND --help` tells more.",
    ]
    return "\n".join(lines)


def _insyn_commands() -> set[str]:
    from insyn.core.registry import cli_commands

    return set(cli_commands())


def _runs_system_checks(name: str) -> bool:
    """Whether Django's command `name` runs the system checks (and so takes `--skip-checks`)."""
    import django
    from django.core.management import get_commands, load_command_class

    django.setup()
    app = get_commands().get(name)
    return bool(app and load_command_class(app, name).requires_system_checks)


def main(argv: list[str] | None = None, prog: str = "insyn") -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not argv or (argv[0] in {"-h", "--help", "help"} and len(argv) == 1):
        print(_help(prog))
        return 0
    if argv[0] == "django-check":
        argv[0] = "check"
    else:
        insyn_command = argv[0] in _insyn_commands()
        argv[0] = ALIASES.get(argv[0], argv[0])
        skip = insyn_command and argv[0] not in KEEP_CHECKS and "--skip-checks" not in argv
        if skip and _runs_system_checks(argv[0]):
            argv.insert(1, "--skip-checks")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line([prog, *argv])
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
