"""The elected official's own pages ("Mina sidor"): memberships, loans and receipts, loss reports, broadband.

Everything is the logged-in official's own: loans come from `loan_list` narrowed to the borrower's login
(so a staff member who also borrows sees only their own here), and every action is a service call.
A chair also finds here the requests for mobile broadband that are theirs to decide.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from insyn.core.exceptions import DomainError
from insyn.loans import selectors, services
from insyn.loans.admin_views import incident_devices, receipt_for, receipt_response
from insyn.loans.forms import BroadbandDecisionForm, BroadbandRequestForm, IncidentForm, ReceiptAcceptForm
from insyn.loans.models import BroadbandRequest, BroadbandStatus, Loan, LoanStatus, Receipt
from insyn.officials.models import Membership, Person


def own_person(user: Any) -> Person | None:
    """The official whose login this is (`insyn.officials.selectors` has no read for one's own record yet)."""
    return Person.objects.filter(user_id=user.pk).select_related("municipality").first()


def own_loans(user: Any) -> QuerySet[Loan]:
    return (
        selectors.loan_list(actor=user)
        .filter(person__user_id=user.pk)
        .prefetch_related(
            Prefetch("receipts", queryset=Receipt.objects.order_by("created_at")),
            "kit__devices",
            "incidents__device",
            "broadband_requests",
        )
        .order_by("-checked_out_at")
    )


def _own_loan(request: HttpRequest, pk: int, *, open_only: bool = True) -> Loan:
    try:
        loan: Loan = own_loans(request.user).get(pk=pk)
    except (Loan.DoesNotExist, ValueError):
        raise Http404 from None
    if open_only and loan.status != LoanStatus.ACTIVE:
        raise Http404
    return loan


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
        organisation__organ_type__in=services.BROADBAND_DECIDING_ORGANS,
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


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    person = own_person(request.user)
    context: dict[str, Any] = {"person": person, "today": timezone.localdate()}
    if person is not None:
        context["memberships"] = person.memberships.select_related("organisation").order_by("-start_date")
        loans = list(own_loans(request.user))
        for loan in loans:
            loan.has_open_broadband = any(  # type: ignore[attr-defined]
                bb.status in {BroadbandStatus.REQUESTED, BroadbandStatus.APPROVED}
                for bb in loan.broadband_requests.all()
            )
        context["loans"] = loans
        context["accept_form"] = ReceiptAcceptForm()
        context["to_decide"] = list(requests_to_decide(person))
    return TemplateResponse(request, "loans/self_service/overview.html", context)


@login_required
def receipt_pdf(request: HttpRequest, pk: int) -> FileResponse:
    return receipt_response(receipt_for(actor=request.user, pk=pk, loans=own_loans(request.user)))


@login_required
@require_POST
def receipt_accept(request: HttpRequest, pk: int) -> HttpResponse:
    receipt = receipt_for(actor=request.user, pk=pk, loans=own_loans(request.user))
    form = ReceiptAcceptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm that you have received the items and read the instruction."))
        return redirect("loans:overview")
    try:
        services.receipt_accept(actor=request.user, receipt=receipt)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Thank you. The receipt is accepted."))
    return redirect("loans:overview")


@login_required
@require_http_methods(["GET", "POST"])
def report_incident(request: HttpRequest, pk: int) -> HttpResponse:
    loan = _own_loan(request, pk)
    form = IncidentForm(request.POST or None, devices=incident_devices(loan))
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_report(actor=request.user, loan=loan, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Thank you. The loss is reported and the item is blocked."))
            return redirect("loans:overview")
    return TemplateResponse(request, "loans/self_service/incident.html", {"loan": loan, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def request_broadband(request: HttpRequest, pk: int) -> HttpResponse:
    loan = _own_loan(request, pk)
    form = BroadbandRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.broadband_request(actor=request.user, loan=loan, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Your request is sent to the chair of your organ."))
            return redirect("loans:overview")
    return TemplateResponse(request, "loans/self_service/broadband.html", {"loan": loan, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def decide_broadband(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        broadband = requests_to_decide(own_person(request.user)).get(pk=pk)
    except (BroadbandRequest.DoesNotExist, ValueError):
        raise Http404 from None
    form = BroadbandDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.broadband_decide(
                actor=request.user,
                request=broadband,
                approve=form.cleaned_data["approve"],
                monthly_allowance_gb=form.cleaned_data["monthly_allowance_gb"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Your decision is recorded."))
            return redirect("loans:overview")
    return TemplateResponse(request, "loans/self_service/decide.html", {"broadband": broadband, "form": form})
