from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from insyn.core.exceptions import NotFoundError
from insyn.core.permissions import organisation_q
from insyn.loans.models import Device, Kit, Loan, LoanRuleSet, LoanStatus


def device_list(*, actor: Any) -> QuerySet[Device]:
    return Device.objects.filter(organisation_q(actor, "loans.view_device", prefix="municipality__")).select_related(
        "kit"
    )


def kit_list(*, actor: Any) -> QuerySet[Kit]:
    return Kit.objects.filter(organisation_q(actor, "loans.view_kit", prefix="municipality__")).prefetch_related(
        "devices"
    )


def loan_list(*, actor: Any, status: str | None = None) -> QuerySet[Loan]:
    """Staff see their municipality's loans; an official sees their own."""
    own = Q(person__user_id=getattr(actor, "pk", None)) if getattr(actor, "pk", None) else Q(pk__in=[])
    qs = Loan.objects.filter(organisation_q(actor, "loans.view_loan", prefix="kit__municipality__") | own)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("kit", "person", "rule_set", "rule_set__document")


def loan_get(*, actor: Any, pk: Any) -> Loan:
    try:
        return loan_list(actor=actor).get(pk=pk)
    except (Loan.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def rule_set_in_force(*, municipality_id: int, on: dt.date) -> LoanRuleSet | None:
    return (
        LoanRuleSet.objects.filter(document__organisation__municipality_id=municipality_id, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("-valid_from")
        .select_related("document")
        .first()
    )


# Organ types whose members may borrow under 22KS572 (the chart shows where the equipment is).
LENDING_ORGAN_TYPES = ("kommunfullmaktige", "kommunstyrelse", "namnd", "kommunalt_bolag")


def loan_dashboard(*, actor: Any, today: dt.date | None = None) -> dict[str, Any]:
    """The staff panels: on loan, due within 30 days, overdue, lost/stolen, and loans by organ."""
    today = today or timezone.localdate()
    loans = loan_list(actor=actor)
    active = loans.filter(status=LoanStatus.ACTIVE)
    # Loans by the organ of each borrower's current memberships that give the right to borrow.
    current = Q(person__memberships__start_date__isnull=True) | Q(person__memberships__start_date__lte=today)
    still = Q(person__memberships__end_date__isnull=True) | Q(person__memberships__end_date__gte=today)
    by_organ = (
        active.filter(current, still, person__memberships__organisation__organ_type__in=LENDING_ORGAN_TYPES)
        .values("person__memberships__organisation_id", "person__memberships__organisation__name")
        .annotate(count=Count("pk", distinct=True))
        .order_by("-count", "person__memberships__organisation__name")
    )
    return {
        "on_loan": active.count(),
        "due_30": active.filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=30)).count(),
        "overdue": active.filter(due_date__lt=today).count(),
        "lost_or_stolen": loans.filter(status__in=[LoanStatus.LOST, LoanStatus.STOLEN]).count(),
        "by_organ": [(row["person__memberships__organisation__name"], row["count"]) for row in by_organ],
        "overdue_loans": list(active.filter(due_date__lt=today).order_by("due_date")[:10]),
    }
