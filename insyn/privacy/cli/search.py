from __future__ import annotations

from typing import Any

HELP = "search"
READ_ONLY = False


def add_arguments(parser: Any) -> None:
    pass


def handle(command: Any, actor: Any, options: Any) -> None:
    raise NotImplementedError
