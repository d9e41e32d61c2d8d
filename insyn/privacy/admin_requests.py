"""Data-subject requests in the Wagtail admin: the list with deadline states, registration, the case page.

Reads through `insyn.privacy.selectors.requests`, writes through `insyn.privacy.services.requests`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from insyn.core.exceptions import DomainError, NotFoundError, PermissionDeniedError
from insyn.privacy.forms_requests import ExtendForm, OutcomeForm, RegisterRequestForm, StaffIdentityForm
from insyn.privacy.models import SubjectRequest
from insyn.privacy.selectors import requests as selectors
from insyn.privacy.services import requests as services

STATES = ("open", "on_time", "due_soon", "overdue", "closed")


def _staff(request: HttpRequest) -> None:
    if not selectors.is_staff_in_scope(request.user):
        raise PermissionDenied


def _get(request: HttpRequest, pk: int) -> SubjectRequest:
    _staff(request)
    try:
        return selectors.access_request(actor=request.user, pk=pk)
    except NotFoundError:
        raise Http404 from None


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return TemplateResponse(request, f"privacy/admin/{template}", context)


def _error(request: HttpRequest, form: Any, exc: DomainError) -> None:
    if isinstance(exc, PermissionDeniedError):
        raise PermissionDenied(str(exc.message))
    field = exc.detail.get("field") if isinstance(exc.detail, dict) else None
    if form is not None and field in getattr(form, "fields", {}):
        form.add_error(field, str(exc.message))
    elif form is not None:
        form.add_error(None, str(exc.message))
    else:
        messages.error(request, str(exc.message))


def request_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    state = str(request.GET.get("state", "open"))[:20]
    state = state if state in STATES else "open"
    today = timezone.localdate()
    rows = [
        {"request": r, "state": selectors.deadline_state(r, today)}
        for r in selectors.requests(actor=request.user, state=state, today=today)[:500]
    ]
    context = {
        "rows": rows,
        "state": state,
        "states": [(s, s.replace("_", " ")) for s in STATES],
        "counts": selectors.requests_by_deadline_state(actor=request.user, today=today),
        "per_month": selectors.requests_per_month(actor=request.user, months=12, today=today),
        "can_register": selectors.registrable_controllers(actor=request.user).exists(),
        "page_title": _("Data-subject requests"),
    }
    return _render(request, "request_list.html", context)


@require_http_methods(["GET", "POST"])
def request_register_view(request: HttpRequest) -> HttpResponse:
    _staff(request)
    controllers = [(c.pk, str(c)) for c in selectors.registrable_controllers(actor=request.user)]
    if not controllers:
        raise PermissionDenied
    form = RegisterRequestForm(request.POST or None, controllers=controllers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        description = data["description"]
        try:
            created = services.request_register(
                actor=request.user,
                controller=data["controller"],
                kind=data["kind"],
                received_at=data["received_at"],
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                postal_address=data["postal_address"],
                national_id=data["national_id"],
                other_names=data["other_names"],
                description=f"[{data['channel_note']}] {description}".strip(),
                protected_identity=data["protected_identity"],
            )
        except DomainError as exc:
            _error(request, form, exc)
        else:
            messages.success(request, _("Request %(ref)s registered.") % {"ref": created.reference})
            return redirect("privacy_request_detail", pk=created.pk)
    context = {"form": form, "page_title": _("Register a data-subject request"), "submit_label": _("Register")}
    return _render(request, "request_form.html", context)


@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subject_request = _get(request, pk)
    can_handle = selectors.can_handle(actor=request.user, request=subject_request)
    forms: dict[str, Any] = {
        "extend": ExtendForm(prefix="extend"),
        "complete": OutcomeForm(prefix="complete"),
        "refuse": OutcomeForm(prefix="refuse"),
        "identity": StaffIdentityForm(prefix="identity"),
    }
    post_code = ""
    form: Any = None
    if request.method == "POST":
        if not can_handle:
            raise PermissionDenied
        action = str(request.POST.get("action", ""))[:20]
        try:
            if action == "extend":
                form = forms["extend"] = ExtendForm(request.POST, prefix="extend")
                if form.is_valid():
                    services.request_extend(
                        actor=request.user,
                        request=subject_request,
                        reason=form.cleaned_data["reason"],
                        notified_on=form.cleaned_data["notified_on"],
                    )
                    return redirect("privacy_request_detail", pk=pk)
            elif action in ("complete", "refuse"):
                form = forms[action] = OutcomeForm(request.POST, prefix=action)
                if form.is_valid():
                    service = services.request_complete if action == "complete" else services.request_refuse
                    service(actor=request.user, request=subject_request, outcome=form.cleaned_data["outcome"])
                    return redirect("privacy_request_detail", pk=pk)
            elif action == "in_person":
                form = forms["identity"] = StaffIdentityForm(request.POST, prefix="identity")
                if form.is_valid():
                    services.identity_confirm(
                        actor=request.user,
                        request=subject_request,
                        in_person=True,
                        national_id=form.cleaned_data["national_id"],
                    )
                    return redirect("privacy_request_detail", pk=pk)
            elif action == "post_code":
                form = None
                post_code = services.identity_start(
                    actor=request.user,
                    request=subject_request,
                    method="post",
                    national_id=request.POST.get("national_id", "")[:20],
                ).post_code
            elif action == "withdraw":
                form = None
                services.request_withdraw(actor=request.user, request=subject_request)
                return redirect("privacy_request_detail", pk=pk)
            else:
                form = None
        except DomainError as exc:
            _error(request, form, exc)
        subject_request = _get(request, pk)
    today = timezone.localdate()
    context = {
        "r": subject_request,
        "state": selectors.deadline_state(subject_request, today),
        "national_id": selectors.national_id_for(actor=request.user, request=subject_request),
        "extracts": selectors.request_extracts(actor=request.user, request=subject_request),
        "erasure_items": list(subject_request.erasure_items.all()),
        "forms": forms,
        "post_code": post_code,
        "can_handle": can_handle,
        "is_open": subject_request.status in ("received", "in_progress"),
        "page_title": _("Request %(ref)s") % {"ref": subject_request.reference},
    }
    # --- Subject search, dry-run erasure plan, restrictions (insyn/privacy/admin_subject.py) ---
    from insyn.privacy.admin_subject import request_subject_context

    context.update(request_subject_context(request, subject_request))
    # --- end of the subject blocks ---
    return _render(request, "request_detail.html", context)


@hooks.register("register_admin_urls")
def register_urls() -> list[URLPattern]:
    return [
        path("privacy/requests/", request_list, name="privacy_request_list"),
        path("privacy/requests/register/", request_register_view, name="privacy_request_register"),
        path("privacy/requests/<int:pk>/", request_detail, name="privacy_request_detail"),
    ]


class _RequestsMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return selectors.is_staff_in_scope(request.user)


@hooks.register("register_privacy_menu_item")  # under "Data protection" (admin_register.PRIVACY_MENU_HOOK)
def register_menu_item() -> MenuItem:
    return _RequestsMenuItem(
        gettext_lazy("Data-subject requests"), reverse("privacy_request_list"), icon_name="user", order=50
    )
