"""The admin search's hits among loans (`insyn.core.search`): by kit label or borrower's name."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.search import SearchHit
from insyn.loans import selectors


def search(*, actor: Actor, query: str, limit: int) -> list[SearchHit]:
    """Loans the actor sees (staff: their municipality's; an official: their own) whose kit or borrower matches."""
    words = Q()
    for word in query.split():
        words &= (
            Q(kit__label__icontains=word)
            | Q(person__given_name__icontains=word)
            | Q(person__family_name__icontains=word)
        )
    loans = selectors.loan_list(actor=actor).filter(words).order_by("-checked_out_at")[:limit]
    kind = _("Loans")
    return [
        SearchHit(
            kind=kind,
            title=f"{loan.kit.label} → {loan.person.name}",
            url=reverse("loans_loan_detail", args=[loan.pk]),
            description=f"{loan.get_status_display()} · {timezone.localdate(loan.checked_out_at):%Y-%m-%d}",
        )
        for loan in loans
    ]
