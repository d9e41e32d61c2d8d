"""Staff's loan pages in the Wagtail admin: the loan page and the actions that are not a plain model form.

Reads go through `insyn.loans.selectors` (and `person_view` for the borrower), writes through
`insyn.loans.services`; a refused action comes back as an error on the form with the service's message
(and, for an incomplete return checklist, one error by each unticked item).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from insyn.core.actor import Actor
from insyn.core.exceptions import DomainError, NotFoundError, PermissionDeniedError
from insyn.core.files import serve_protected_file
from insyn.core.permissions import has_org_perm
from insyn.loans import selectors, services
from insyn.loans.forms import AssessForm, CheckoutForm, IncidentForm, RequestReturnForm, ReturnForm
from insyn.loans.models import Loan, LoanStatus, Receipt
from insyn.loans.rules import ACTIVATION_LOCK
from insyn.officials.selectors import person_view, persons_by_name

VIEW_LOAN = "loans.view_loan"
CHANGE_LOAN = "loans.change_loan"


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _loan(request: HttpRequest, pk: Any, perm: str = VIEW_LOAN) -> Loan:
    _require(request, perm)
    try:
        return selectors.access_loan(actor=request.user, pk=pk)
    except NotFoundError:
        raise Http404 from None


def receipt_for(*, actor: Actor, pk: Any, loans: QuerySet[Loan]) -> Receipt:
    try:
        return selectors.access_receipt(actor=actor, pk=pk, loans=loans)
    except NotFoundError:
        raise Http404 from None


def receipt_response(request: HttpRequest, receipt: Receipt) -> HttpResponseBase:
    """The receipt PDF through the protected file door; the read is audited (it holds personal data)."""
    filename = f"kvitto-lan-{receipt.loan_id}-{receipt.kind}.pdf"
    pdf = selectors.receipt_file(actor=request.user, receipt=receipt)
    return serve_protected_file(request, pdf, filename=filename, inline_ok=True)


def _apply_domain_error(form: Any, exc: DomainError) -> None:
    """The service's refusal on the form: its message once at the top, and each missing item by its field."""
    if isinstance(exc, PermissionDeniedError):
        raise PermissionDenied(str(exc.message))
    detail = exc.detail if isinstance(exc.detail, dict) else {}
    for name in detail.get("missing") or []:
        if name in form.fields:
            form.add_error(name, _("Required before the kit is taken back."))
    form.add_error(None, str(exc.message))


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return TemplateResponse(request, f"loans/admin/{template}", context)


# --- The loan page -------------------------------------------------------------------------


def loan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    loan = _loan(request, pk)
    today = timezone.localdate()
    eligibility, _rule_set = selectors.person_eligibility(person=loan.person, on=today)
    can_change = has_org_perm(request.user, "loans.change_loan", loan.kit.municipality)
    context = {
        "loan": loan,
        "borrower": person_view(actor=request.user, person=loan.person),
        **selectors.loan_page(loan=loan),
        "eligibility_now": eligibility,
        "is_open": loan.status == LoanStatus.ACTIVE,
        "can_change": can_change,
        "can_assess": has_org_perm(request.user, "loans.change_incident", loan.kit.municipality),
        "overdue": loan.status == LoanStatus.ACTIVE and loan.due_date is not None and loan.due_date < today,
        "page_title": _("Loan of %(kit)s") % {"kit": loan.kit.label},
    }
    return _render(request, "loan_detail.html", context)


def receipt_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    _require(request, VIEW_LOAN)
    return receipt_response(
        request, receipt_for(actor=request.user, pk=pk, loans=selectors.loan_list(actor=request.user))
    )


# --- Checkout ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def loan_checkout(request: HttpRequest) -> HttpResponse:
    _require(request, "loans.add_loan")
    actor = request.user
    initial = {key: request.GET[key] for key in ("kit", "person") if request.GET.get(key, "").isdigit()}
    form = CheckoutForm(
        request.POST or None,
        initial=initial,
        kits=selectors.checkout_kits(actor=actor),
        persons=persons_by_name(actor=actor),
    )
    if request.method == "POST" and form.is_valid():
        try:
            loan = services.loan_checkout(
                actor=actor,
                kit=form.cleaned_data["kit"],
                person=form.cleaned_data["person"],
                handover=form.handover(),
            )
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            messages.success(request, _("The kit is lent. The receipt is ready for the official to accept."))
            return redirect("loans_loan_detail", pk=loan.pk)
    return _render(request, "checkout.html", {"form": form, "page_title": _("Lend a kit")})


# --- Return --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def loan_request_return(request: HttpRequest, pk: int) -> HttpResponse:
    loan = _loan(request, pk, CHANGE_LOAN)
    form = RequestReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            loan = services.loan_request_return(
                actor=request.user, loan=loan, requested_on=form.cleaned_data["requested_on"]
            )
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Return requested. The kit is due back %(date)s.")
                % {"date": loan.due_date.isoformat() if loan.due_date else "–"},
            )
            return redirect("loans_loan_detail", pk=loan.pk)
    context = {"loan": loan, "form": form, "page_title": _("Ask for the kit back")}
    return _render(request, "request_return.html", context)


@require_http_methods(["GET", "POST"])
def loan_return(request: HttpRequest, pk: int) -> HttpResponse:
    loan = _loan(request, pk, CHANGE_LOAN)
    devices = selectors.loan_devices(loan=loan)
    form = ReturnForm(request.POST or None, items=selectors.loan_return_checklist(loan=loan))
    if request.method == "POST" and form.is_valid():
        try:
            services.loan_return(actor=request.user, loan=loan, checklist=form.checklist())
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            messages.success(request, _("The kit is returned and back in stock. The return receipt is made."))
            return redirect("loans_loan_detail", pk=loan.pk)
    context = {
        "loan": loan,
        "form": form,
        "devices": devices,
        "asks_find_my": ACTIVATION_LOCK in form.fields,
        "page_title": _("Take the kit back"),
    }
    return _render(request, "return.html", context)


# --- Loss, theft and liability ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def incident_report(request: HttpRequest, pk: int) -> HttpResponse:
    loan = _loan(request, pk, CHANGE_LOAN)
    form = IncidentForm(request.POST or None, devices=selectors.incident_devices(loan=loan))
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_report(actor=request.user, loan=loan, **form.cleaned_data)
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            messages.success(request, _("The loss is recorded. The item cannot be lent."))
            return redirect("loans_loan_detail", pk=loan.pk)
    return _render(request, "incident.html", {"loan": loan, "form": form, "page_title": _("Report a loss or theft")})


@require_http_methods(["GET", "POST"])
def incident_assess(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "loans.change_incident")
    try:
        incident = selectors.access_incident(actor=request.user, pk=pk)
    except NotFoundError:
        raise Http404 from None
    initial = {"liability": incident.liability, "note": incident.liability_note}
    form = AssessForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_assess(
                actor=request.user,
                incident=incident,
                liability=form.cleaned_data["liability"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            messages.success(request, _("The assessment is recorded."))
            return redirect("loans_loan_detail", pk=incident.loan_id)
    context = {
        "incident": incident,
        "loan": incident.loan,
        "form": form,
        "page_title": _("Assess liability"),
    }
    return _render(request, "assess.html", context)


def due_label(loan: Loan, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    if loan.due_date is None:
        return ""
    if loan.status == LoanStatus.ACTIVE and loan.due_date < today:
        return _("overdue since %(date)s") % {"date": loan.due_date.isoformat()}
    return loan.due_date.isoformat()
