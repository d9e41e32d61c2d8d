"""Who is acting: a login, an anonymous visitor, or the explicit system actor.

Every service and selector takes `actor: Actor` (keyword-only). The system actor is never
implied: tasks and the demo loader pass `SYSTEM`, and the CLI only with `--user system`.
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AbstractUser, AnonymousUser

from insyn.core.permissions import SYSTEM, SystemActor

Actor: TypeAlias = AbstractUser | AnonymousUser | SystemActor

__all__ = ["SYSTEM", "Actor", "SystemActor"]
