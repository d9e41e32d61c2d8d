"""Loans listen to officials: a membership that changes moves the due dates of the person's loans.

Connected in `LoansConfig.ready()`. The signal comes after the commit (`insyn.core.events.send_after_commit`),
so a membership change that was rolled back moves nothing.
"""

from __future__ import annotations

from typing import Any

from insyn.core.actor import SYSTEM, Actor


def recompute_due_dates_on_membership_change(
    sender: Any, *, person_id: int, actor: Actor | None = None, **kwargs: Any
) -> None:
    # Imported here: `ready()` connects this receiver without loading the services (and WeasyPrint behind them).
    from insyn.loans.services import loans_recompute_due_dates
    from insyn.officials.models import Person

    person = Person.objects.filter(pk=person_id).first()
    if person is None:  # erased since
        return
    loans_recompute_due_dates(actor=actor if actor is not None else SYSTEM, person=person)
