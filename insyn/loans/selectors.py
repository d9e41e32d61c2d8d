from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from insyn.core.audit import audit_read
from insyn.core.exceptions import NotFoundError
from insyn.core.permissions import organisation_q
from insyn.loans.models import (
    BroadbandRequest,
    BroadbandStatus,
    Device,
    Incident,
    Kit,
    Loan,
    LoanRuleSet,
    LoanStatus,
    Receipt,
)
from insyn.officials.models import Membership, Person

# Organs whose chair decides on an official's mobile broadband (instruction 22KS572).
BROADBAND_DECIDING_ORGANS = ("kommunstyrelse", "namnd", "kommunalt_bolag")


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


def incident_list(*, actor: Any) -> QuerySet[Incident]:
    """Losses and thefts of the municipalities where the actor sees incidents."""
    return Incident.objects.filter(
        organisation_q(actor, "loans.view_incident", prefix="loan__kit__municipality__")
    ).select_related("loan", "loan__kit", "loan__person", "device")


def loan_get(*, actor: Any, pk: Any) -> Loan:
    try:
        return loan_list(actor=actor).get(pk=pk)
    except (Loan.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def receipt_get(*, actor: Any, pk: Any, loans: QuerySet[Loan] | None = None) -> Receipt:
    """A receipt of a loan the actor sees (or of `loans`, already narrowed from `loan_list`)."""
    scope = loans if loans is not None else loan_list(actor=actor)
    try:
        return Receipt.objects.select_related("loan", "loan__kit").get(pk=pk, loan__in=scope)
    except (Receipt.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def receipt_file(*, actor: Any, receipt: Receipt) -> FieldFile:
    """The receipt's PDF: it holds the borrower's name, e-mail, serial numbers and IMEI, so every read is audited."""
    audit_read(
        actor=actor,
        obj=receipt,
        fields=["pdf"],
        organisation=receipt.loan.kit.municipality_id,
        reason="receipt downloaded",  # stored in one language, shown as is
    )
    pdf: FieldFile = receipt.pdf
    return pdf


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


def own_person(user: Any) -> Person | None:
    """The official whose login this is."""
    if getattr(user, "pk", None) is None:
        return None
    return Person.objects.filter(user_id=user.pk).select_related("municipality").first()


def _current(on: dt.date) -> tuple[Q, Q]:
    return Q(start_date__isnull=True) | Q(start_date__lte=on), Q(end_date__isnull=True) | Q(end_date__gte=on)


def requests_to_decide(person: Person | None) -> QuerySet[BroadbandRequest]:
    """Open broadband requests of officials in the nämnder and boards this person chairs today (never their own).

    The service (`broadband_decide`) checks the same again; this only finds what to show.
    """
    if person is None:
        return BroadbandRequest.objects.none()
    today = timezone.localdate()
    chaired = Membership.objects.filter(
        *_current(today),
        person=person,
        role="ordforande",
        organisation__organ_type__in=BROADBAND_DECIDING_ORGANS,
    ).values("organisation_id")
    members = Membership.objects.filter(*_current(today), organisation_id__in=chaired).values("person_id")
    return (
        BroadbandRequest.objects.filter(
            status=BroadbandStatus.REQUESTED, loan__status=LoanStatus.ACTIVE, loan__person_id__in=members
        )
        .exclude(loan__person=person)
        .select_related("loan__person", "loan__kit")
        .order_by("requested_at")
    )


def broadband_request_get(*, actor: Any, pk: Any) -> BroadbandRequest:
    """A broadband request the actor may see: staff of its municipality, or the chair who is to decide it.

    One answer for "no such request" and "not yours" (404), so that ids cannot be probed.
    """
    staff = BroadbandRequest.objects.filter(
        organisation_q(actor, "loans.view_broadbandrequest", prefix="loan__kit__municipality__")
    )
    to_decide = requests_to_decide(own_person(actor))
    try:
        return (
            BroadbandRequest.objects.filter(Q(pk__in=staff.values("pk")) | Q(pk__in=to_decide.values("pk")))
            .select_related("loan", "loan__person", "loan__kit")
            .get(pk=pk)
        )
    except (BroadbandRequest.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None
