"""The elected official's own pages ("Mina sidor"): memberships, loans and receipts, loss reports, broadband.

Everything is the logged-in official's own: loans come from `loan_list` narrowed to the borrower's login
(so a staff member who also borrows sees only their own here), and every action is a service call.
A chair also finds here the requests for mobile broadband that are theirs to decide.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from insyn.core.exceptions import DomainError, NotFoundError
from insyn.loans import selectors, services
from insyn.loans.admin_views import receipt_for, receipt_response
from insyn.loans.forms import BroadbandDecisionForm, BroadbandRequestForm, IncidentForm, ReceiptAcceptForm
from insyn.loans.models import BroadbandStatus, Loan
from insyn.loans.selectors import own_person, requests_to_decide


def _own_loan(request: HttpRequest, pk: int, *, open_only: bool = True) -> Loan:
    try:
        return selectors.access_own_loan(actor=request.user, pk=pk, open_only=open_only)
    except NotFoundError:
        raise Http404 from None


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    person = own_person(request.user)
    context: dict[str, Any] = {"person": person, "today": timezone.localdate()}
    if person is not None:
        context["memberships"] = selectors.own_memberships(person=person)
        loans = list(selectors.own_loans(actor=request.user))
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
def receipt_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    return receipt_response(
        request, receipt_for(actor=request.user, pk=pk, loans=selectors.own_loans(actor=request.user))
    )


def receipt_media(request: HttpRequest, name: str) -> HttpResponseBase:
    """A receipt asked for by its stored path (INSYN_MEDIA_OWNERS): for the borrower and staff who see the loan."""
    try:
        receipt = selectors.receipt_by_file(actor=request.user, name=name)
    except NotFoundError:
        raise Http404 from None
    return receipt_response(request, receipt)


@login_required
@require_POST
def receipt_accept(request: HttpRequest, pk: int) -> HttpResponse:
    receipt = receipt_for(actor=request.user, pk=pk, loans=selectors.own_loans(actor=request.user))
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
    form = IncidentForm(request.POST or None, devices=selectors.incident_devices(loan=loan))
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
        broadband = selectors.access_request_to_decide(actor=request.user, pk=pk)
    except NotFoundError:
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
