"""Every read of equipment loans that a door shows: lists, access helpers, eligibility and the dashboard.

One access helper per entity (`access_loan`, `access_kit`, `access_device`, `access_incident`,
`access_receipt`, `access_broadband_request`), keyword-only `actor` and `pk`: one error,
`NotFoundError`, for "there is no such id" and "it is not yours", so that ids cannot be probed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_read
from insyn.core.exceptions import NotFoundError
from insyn.core.permissions import organisation_q
from insyn.loans.eligibility import Eligibility, MembershipFacts, evaluate
from insyn.loans.models import (
    BroadbandRequest,
    BroadbandStatus,
    Device,
    DeviceStatus,
    Incident,
    Kit,
    Loan,
    LoanRuleSet,
    LoanStatus,
    Receipt,
)
from insyn.loans.rules import return_checklist
from insyn.officials.models import Membership, Person
from insyn.officials.selectors import chaired_organisation_ids

# Organs whose chair decides on an official's mobile broadband (instruction 22KS572).
BROADBAND_DECIDING_ORGANS = ("kommunstyrelse", "namnd", "kommunalt_bolag")
# Organ types whose members may borrow under 22KS572 (the chart shows where the equipment is).
LENDING_ORGAN_TYPES = ("kommunfullmaktige", "kommunstyrelse", "namnd", "kommunalt_bolag")
# The windows of the dashboard panels, also the loan list's "Due" filter.
DUE_SOON_DAYS = 30

_BAD_ID = (ValueError, TypeError, OverflowError)


# --- Devices and kits ----------------------------------------------------------------------------


def device_list(*, actor: Actor, status: str | None = None) -> QuerySet[Device]:
    qs = Device.objects.filter(organisation_q(actor, "loans.view_device", prefix="municipality__")).select_related(
        "kit"
    )
    return qs.filter(status=status) if status else qs


def access_device(*, actor: Actor, pk: Any, loan: Loan | None = None) -> Device:
    """A device the actor sees; with `loan` (already accessed), one of the items lent in it."""
    scope = loan.kit.devices.all() if loan is not None else device_list(actor=actor)
    try:
        return scope.get(pk=pk)
    except (Device.DoesNotExist, *_BAD_ID):
        raise NotFoundError(_("No such device.")) from None


def devices_by_ids(*, actor: Actor, ids: list[int]) -> list[Device]:
    """The devices with these ids, all of them seen by the actor, or NotFoundError (a kit's items)."""
    devices = list(device_list(actor=actor).filter(pk__in=ids))
    if len(devices) != len(set(ids)):
        raise NotFoundError(_("No such device."))
    return devices


def devices_without_kit(*, actor: Actor) -> QuerySet[Device]:
    """Items in stock that are in no kit yet: what a new kit is made of."""
    return device_list(actor=actor).filter(kit__isnull=True, status=DeviceStatus.IN_STOCK)


def kit_list(*, actor: Actor) -> QuerySet[Kit]:
    return Kit.objects.filter(organisation_q(actor, "loans.view_kit", prefix="municipality__")).prefetch_related(
        "devices"
    )


def access_kit(*, actor: Actor, pk: Any) -> Kit:
    try:
        return kit_list(actor=actor).get(pk=pk)
    except (Kit.DoesNotExist, *_BAD_ID):
        raise NotFoundError(_("No such kit.")) from None


def kit_availability_list(*, actor: Actor) -> QuerySet[Kit]:
    """The actor's kits with `on_loan` (an open loan) and `blocked` (an item not in stock)."""
    active = Loan.objects.filter(kit=OuterRef("pk"), status=LoanStatus.ACTIVE)
    blocked = Device.objects.filter(kit=OuterRef("pk")).exclude(status=DeviceStatus.IN_STOCK)
    return kit_list(actor=actor).annotate(on_loan=Exists(active), blocked=Exists(blocked))


def checkout_kits(*, actor: Actor) -> QuerySet[Kit]:
    """The actor's kits for the checkout form, the ones that can be lent first."""
    return kit_availability_list(actor=actor).order_by("on_loan", "blocked", "label")


# --- Loans ---------------------------------------------------------------------------------------


def loan_list(*, actor: Actor, status: str | None = None) -> QuerySet[Loan]:
    """Staff see their municipality's loans; an official sees their own."""
    own = Q(person__user_id=getattr(actor, "pk", None)) if getattr(actor, "pk", None) else Q(pk__in=[])
    qs = Loan.objects.filter(organisation_q(actor, "loans.view_loan", prefix="kit__municipality__") | own)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("kit", "person", "rule_set", "rule_set__document")


def access_loan(*, actor: Actor, pk: Any) -> Loan:
    try:
        return loan_list(actor=actor).get(pk=pk)
    except (Loan.DoesNotExist, *_BAD_ID):
        raise NotFoundError(_("No such loan.")) from None


def loans_with_receipts(*, actor: Actor, status: str | None = None) -> QuerySet[Loan]:
    """The API's loan list: each loan with its receipts."""
    return loan_list(actor=actor, status=status).prefetch_related("receipts")


def filter_due(loans: QuerySet[Loan], window: str, *, today: dt.date | None = None) -> QuerySet[Loan]:
    """Open loans in a due window: "overdue" (past the due date) or "30" (due within 30 days)."""
    today = today or timezone.localdate()
    active = loans.filter(status=LoanStatus.ACTIVE)
    if window == "overdue":
        return active.filter(due_date__lt=today)
    if window == str(DUE_SOON_DAYS):
        return active.filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
    return loans


def person_loans(*, actor: Actor, person: Person) -> QuerySet[Loan]:
    """The loans of one official that the actor sees, newest first (the person page's panel)."""
    return loan_list(actor=actor).filter(person=person).order_by("-checked_out_at")


def own_loans(*, actor: Actor) -> QuerySet[Loan]:
    """The borrower's own loans for "Mina sidor": only those of the actor's login, even for staff who see more."""
    actor_pk = getattr(actor, "pk", None)
    if actor_pk is None:
        return Loan.objects.none()
    return (
        loan_list(actor=actor)
        .filter(person__user_id=actor_pk)
        .prefetch_related(
            Prefetch("receipts", queryset=Receipt.objects.order_by("created_at")),
            "kit__devices",
            "incidents__device",
            "broadband_requests",
        )
        .order_by("-checked_out_at")
    )


def access_own_loan(*, actor: Actor, pk: Any, open_only: bool = True) -> Loan:
    """One of the borrower's own loans (by default an open one); NotFoundError otherwise."""
    try:
        loan: Loan = own_loans(actor=actor).get(pk=pk)
    except (Loan.DoesNotExist, *_BAD_ID):
        raise NotFoundError(_("No such loan.")) from None
    if open_only and loan.status != LoanStatus.ACTIVE:
        raise NotFoundError(_("No such loan."))
    return loan


def loan_devices(*, loan: Loan) -> list[Device]:
    """The items of a loan the caller has already accessed, in the receipt's order."""
    return list(loan.kit.devices.order_by("device_type", "serial_number"))


def loan_return_checklist(*, loan: Loan) -> tuple[str, ...]:
    """The checklist items this loan's return asks for, by the device types in its kit (no Find My for a laptop)."""
    return return_checklist(Device.objects.filter(kit_id=loan.kit_id).values_list("device_type", flat=True))


def loan_page(*, loan: Loan) -> dict[str, Any]:
    """What the staff's loan page shows of a loan the caller has already accessed."""
    return {
        "devices": loan_devices(loan=loan),
        "receipts": list(loan.receipts.order_by("created_at")),
        "incidents": list(loan.incidents.select_related("device").order_by("-reported_at")),
        "broadband_requests": list(loan.broadband_requests.select_related("decided_by")),
    }


def incident_devices(*, loan: Loan) -> QuerySet[Device]:
    """The items of the loan that can still go missing, the main device first."""
    devices = loan.kit.devices.exclude(status__in=[DeviceStatus.LOST, DeviceStatus.STOLEN])
    main_first = Case(When(device_type=loan.kit.kind, then=Value(0)), default=Value(1))
    return devices.annotate(main_first=main_first).order_by("main_first", "device_type", "serial_number")


# --- Receipts ------------------------------------------------------------------------------------


def access_receipt(*, actor: Actor, pk: Any, loans: QuerySet[Loan] | None = None, loan: Loan | None = None) -> Receipt:
    """A receipt of a loan the actor sees (or of `loans`, already narrowed from `loan_list`, or of one `loan`)."""
    scope = loans if loans is not None else loan_list(actor=actor)
    qs = Receipt.objects.select_related("loan", "loan__kit").filter(loan__in=scope)
    if loan is not None:
        qs = qs.filter(loan_id=loan.pk)
    try:
        return qs.get(pk=pk)
    except (Receipt.DoesNotExist, *_BAD_ID):
        raise NotFoundError(_("No such receipt.")) from None


def receipt_by_file(*, actor: Actor, name: str) -> Receipt:
    """A receipt asked for by its stored path (`INSYN_MEDIA_OWNERS`), if its loan is one the actor sees."""
    receipt = Receipt.objects.filter(pdf=name, loan__in=loan_list(actor=actor)).select_related("loan__kit").first()
    if receipt is None:
        raise NotFoundError(_("No such receipt."))
    return receipt


def receipt_file(*, actor: Actor, receipt: Receipt) -> FieldFile:
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


# --- Incidents -----------------------------------------------------------------------------------


def incident_list(*, actor: Actor) -> QuerySet[Incident]:
    """Losses and thefts of the municipalities where the actor sees incidents."""
    return Incident.objects.filter(
        organisation_q(actor, "loans.view_incident", prefix="loan__kit__municipality__")
    ).select_related("loan", "loan__kit", "loan__person", "device")


def access_incident(*, actor: Actor, pk: Any) -> Incident:
    try:
        return incident_list(actor=actor).get(pk=pk)
    except (Incident.DoesNotExist, *_BAD_ID):
        raise NotFoundError(_("No such loss or theft.")) from None


# --- Eligibility ---------------------------------------------------------------------------------


def rule_set_in_force(*, municipality_id: int, on: dt.date) -> LoanRuleSet | None:
    return (
        LoanRuleSet.objects.filter(document__organisation__municipality_id=municipality_id, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("-valid_from")
        .select_related("document")
        .first()
    )


def membership_facts(*, person: Person) -> list[MembershipFacts]:
    """Every membership of the person (past, current and coming): `evaluate` decides which count on a day."""
    return [
        MembershipFacts(
            role=m.role,
            organ_type=m.organisation.organ_type,
            organ_name=m.organisation.name,
            is_external=m.is_external,
            start_date=m.start_date,
            end_date=m.end_date,
        )
        for m in Membership.objects.filter(person=person).select_related("organisation")
    ]


def person_eligibility(*, person: Person, on: dt.date) -> tuple[Eligibility, LoanRuleSet | None]:
    """What the person may borrow on `on` under the instruction in force, and that instruction's rule set.

    `person` comes from an access helper (`insyn.officials.selectors.access_person`, or a loan the actor sees).
    """
    rule_set = rule_set_in_force(municipality_id=person.municipality_id, on=on)
    if rule_set is None:
        return Eligibility(False, [], [_("No loan instruction is in force.")]), None
    return (
        evaluate(membership_facts(person=person), on=on, rules=rule_set.rules, return_days=rule_set.return_days),
        rule_set,
    )


# --- Dashboard -----------------------------------------------------------------------------------


def loan_dashboard(*, actor: Actor, today: dt.date | None = None) -> dict[str, Any]:
    """The staff panels: on loan, due within 30 days, overdue, lost/stolen, and loans by organ."""
    today = today or timezone.localdate()
    loans = loan_list(actor=actor)
    active = loans.filter(status=LoanStatus.ACTIVE)
    # Loans by the organ of each borrower's current memberships that give the right to borrow.
    lending = Membership.objects.current(today).filter(organisation__organ_type__in=LENDING_ORGAN_TYPES)
    by_organ = (
        active.filter(person__memberships__in=lending)
        .values("person__memberships__organisation_id", "person__memberships__organisation__name")
        .annotate(count=Count("pk", distinct=True))
        .order_by("-count", "person__memberships__organisation__name")
    )
    return {
        "on_loan": active.count(),
        "due_30": filter_due(loans, str(DUE_SOON_DAYS), today=today).count(),
        "overdue": filter_due(loans, "overdue", today=today).count(),
        "lost_or_stolen": loans.filter(status__in=[LoanStatus.LOST, LoanStatus.STOLEN]).count(),
        "by_organ": [(row["person__memberships__organisation__name"], row["count"]) for row in by_organ],
        "overdue_loans": list(filter_due(loans, "overdue", today=today).order_by("due_date")[:10]),
    }


# --- The official's own pages and mobile broadband ----------------------------------------------


def own_person(user: Actor) -> Person | None:
    """The official whose login this is."""
    user_pk = getattr(user, "pk", None)
    if user_pk is None:
        return None
    return Person.objects.filter(user_id=user_pk).select_related("municipality").first()


def own_memberships(*, person: Person) -> QuerySet[Membership]:
    """The official's own memberships for "Mina sidor", newest first (`person` is `own_person`'s)."""
    return person.memberships.select_related("organisation").order_by("-start_date")


def chair_decides_for(*, chair: Person, borrower_id: int, on: dt.date) -> bool:
    """Whether `chair` chairs, on `on`, an organ (nämnd, kommunstyrelse, company board) where the borrower sits.

    A chair never decides on their own subscription.
    """
    if chair.pk == borrower_id:
        return False
    chaired = chaired_organisation_ids(person=chair, on=on, organ_types=BROADBAND_DECIDING_ORGANS)
    return bool(chaired) and (
        Membership.objects.current(on).filter(person_id=borrower_id, organisation_id__in=chaired).exists()
    )


def _chaired_requests(person: Person | None, on: dt.date) -> QuerySet[BroadbandRequest]:
    """Broadband requests, whatever their state, of officials sitting in an organ `person` chairs (never their own)."""
    chaired = chaired_organisation_ids(person=person, on=on, organ_types=BROADBAND_DECIDING_ORGANS)
    if person is None or not chaired:
        return BroadbandRequest.objects.none()
    members = Membership.objects.current(on).filter(organisation_id__in=chaired).values("person_id")
    return BroadbandRequest.objects.filter(loan__person_id__in=members).exclude(loan__person=person)


def requests_to_decide(person: Person | None) -> QuerySet[BroadbandRequest]:
    """Open broadband requests of officials in the nämnder and boards this person chairs today (never their own).

    The service (`broadband_decide`) checks the same again; this only finds what to show.
    """
    return (
        _chaired_requests(person, timezone.localdate())
        .filter(status=BroadbandStatus.REQUESTED, loan__status=LoanStatus.ACTIVE)
        .select_related("loan__person", "loan__kit")
        .order_by("requested_at")
    )


def access_request_to_decide(*, actor: Actor, pk: Any) -> BroadbandRequest:
    """An open request the actor (a chair) is to decide on "Mina sidor"; NotFoundError otherwise."""
    try:
        return requests_to_decide(own_person(actor)).get(pk=pk)
    except (BroadbandRequest.DoesNotExist, *_BAD_ID):
        raise NotFoundError(_("No such request for mobile broadband.")) from None


def access_broadband_request(*, actor: Actor, pk: Any) -> BroadbandRequest:
    """A broadband request the actor may see: staff of its municipality, or the chair of the borrower's organ.

    One answer for "no such request" and "not yours" (404), so that ids cannot be probed.
    """
    staff = BroadbandRequest.objects.filter(
        organisation_q(actor, "loans.view_broadbandrequest", prefix="loan__kit__municipality__")
    )
    chaired = _chaired_requests(own_person(actor), timezone.localdate())
    try:
        return (
            BroadbandRequest.objects.filter(Q(pk__in=staff.values("pk")) | Q(pk__in=chaired.values("pk")))
            .select_related("loan", "loan__person", "loan__kit")
            .get(pk=pk)
        )
    except (BroadbandRequest.DoesNotExist, *_BAD_ID):
        raise NotFoundError(_("No such request for mobile broadband.")) from None
