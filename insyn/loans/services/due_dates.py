"""Due dates: they follow the borrower's memberships (the last qualifying one + the rule set's return days)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from insyn.core.actor import Actor
from insyn.core.audit import audit_change, snapshot
from insyn.loans.eligibility import Eligibility, evaluate
from insyn.loans.models import Loan, LoanStatus
from insyn.loans.selectors import membership_facts, person_eligibility
from insyn.officials.models import Person


def due_date(eligibility: Eligibility, loan: Loan | None = None) -> dt.date | None:
    """The earlier of "the right to borrow ends + return days" and "asked back + return days"."""
    candidates = [eligibility.return_due]
    if loan is not None and loan.return_requested_on:
        candidates.append(loan.return_requested_on + dt.timedelta(days=loan.rule_set.return_days))
    dates = [d for d in candidates if d is not None]
    return min(dates) if dates else None


def loan_eligibility(*, loan: Loan, person: Person, on: dt.date) -> Eligibility:
    """The rules in force decide; when none is (the instruction has expired), the version the loan was made under.

    Without the fallback every due date would be wiped the day the instruction expires.
    """
    eligibility, rule_set = person_eligibility(person=person, on=on)
    if rule_set is None:
        return evaluate(
            membership_facts(person=person), on=on, rules=loan.rule_set.rules, return_days=loan.rule_set.return_days
        )
    return eligibility


@transaction.atomic
def loans_recompute_due_dates(*, actor: Actor, person: Person, on: dt.date | None = None) -> list[Loan]:
    """After a membership changes: the due date follows the last qualifying membership (+14 days).

    Called by the `membership_changed` receiver (`insyn.loans.receivers`) with the actor who changed the
    membership (or the system actor): no permission of its own, the membership change was the decision.
    """
    on = on or timezone.localdate()
    changed = []
    for loan in (
        Loan.objects.select_for_update().filter(person=person, status=LoanStatus.ACTIVE).select_related("rule_set")
    ):
        due = due_date(loan_eligibility(loan=loan, person=person, on=on), loan)
        if due != loan.due_date:
            before = snapshot(loan)
            loan.due_date = due
            loan.save(update_fields=["due_date"])
            audit_change(
                actor=actor,
                instance=loan,
                before=before,
                organisation=person.municipality_id,
                reason="membership changed",
            )
            changed.append(loan)
    return changed
