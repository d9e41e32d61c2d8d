"""The loans module's erasure blockers (registered in `LoansConfig.ready`, read by the privacy module).

A kit not yet returned needs its borrower reachable and its receipts intact: erasing the loan, its receipts,
incidents, broadband decisions or the borrower would leave the municipality unable to get the kit back.
"""

from __future__ import annotations

from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from insyn.loans.models import Loan, LoanStatus

OPEN_LOAN = "open_loan"


def _explain(loan: Loan) -> tuple[str, str]:
    since = formats.date_format(loan.checked_out_at.date(), "Y-m-d")
    if loan.due_date:
        text = _("open loan: %(kit)s lent since %(since)s, due %(due)s") % {
            "kit": loan.kit.label,
            "since": since,
            "due": formats.date_format(loan.due_date, "Y-m-d"),
        }
    else:
        text = _("open loan: %(kit)s lent since %(since)s") % {"kit": loan.kit.label, "since": since}
    return OPEN_LOAN, text


def _open(loan: Loan | None) -> tuple[str, str] | None:
    if loan is None or loan.status != LoanStatus.ACTIVE:
        return None
    return _explain(loan)


def loan_blocker(loan: Loan) -> tuple[str, str] | None:
    return _open(loan)


def loan_part_blocker(instance: Any) -> tuple[str, str] | None:
    """A receipt, incident or broadband decision of an open loan."""
    return _open(getattr(instance, "loan", None))


def person_blocker(person: Any) -> tuple[str, str] | None:
    """The borrower of a kit not yet returned: the first open loan explains it."""
    loan = (
        Loan.objects.filter(person_id=person.pk, status=LoanStatus.ACTIVE)
        .select_related("kit")
        .order_by("checked_out_at")
        .first()
    )
    return _open(loan)
