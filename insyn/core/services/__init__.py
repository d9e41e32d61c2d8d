"""Core services: every write of organisations, roles and governing documents.

Every service is keyword-only and takes `actor: Actor` and typed parameters. An update's parameters
default to `UNCHANGED`: only those given change (other apps may use the same sentinel).
"""

from __future__ import annotations

import enum
from typing import Any, Final


class Unchanged(enum.Enum):
    """An update parameter left out: the field keeps its value."""

    UNCHANGED = "unchanged"


UNCHANGED: Final = Unchanged.UNCHANGED


def changed_fields(**values: Any) -> dict[str, Any]:
    """The parameters that were given (not `UNCHANGED`), by name."""
    return {name: value for name, value in values.items() if value is not UNCHANGED}
