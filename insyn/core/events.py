"""Facts one module tells the others, delivered after the transaction commits.

A module never imports a module above it (core ← officials ← loans, core ← records): it defines
its signals in its own `signals.py`, sends them with `send_after_commit`, and the interested
modules connect receivers in their `AppConfig.ready()`. A receiver runs after the commit, so it
never sees a change that was rolled back, and an error in it cannot undo the sender's change.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import Signal


def send_after_commit(signal: Signal, sender: Any, **kwargs: Any) -> None:
    """Send `signal` once the current transaction commits (at once when there is none)."""
    # robust: a failing listener is logged by Django and cannot turn a committed change into an error.
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs), robust=True)
