"""The breach register in the Wagtail admin: the list with the 72-hour clock, the report form, the breach page
with its steps (describe, assess, notify the authority, decide on the subjects, close).

Reads through `insyn.privacy.selectors.breaches`, writes through `insyn.privacy.services.breaches`. There is
no delete view: every breach stays documented (Art. 33(5)). Another municipality's breach is a 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
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
from insyn.core.permissions import has_org_perm
from insyn.privacy.models import Breach, BreachRisk
from insyn.privacy.selectors import breaches as selectors
from insyn.privacy.services import breaches as services

VIEW = "privacy.view_breach"
ADD = "privacy.add_breach"
CHANGE = "privacy.change_breach"
_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_TEXT = {"maxlength": 20_000}


class ReportForm(forms.Form):
    controller: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Controller"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    discovered_at = forms.DateTimeField(label=gettext_lazy("Discovered"), widget=_DATETIME)
    occurred_at = forms.DateTimeField(label=gettext_lazy("Occurred"), widget=_DATETIME, required=False)
    reported_by = forms.CharField(label=gettext_lazy("Reported by"), max_length=200, required=False)
    description = forms.CharField(label=gettext_lazy("What happened"), widget=forms.Textarea(attrs=_TEXT))

    def __init__(self, *args: Any, controllers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["controller"].queryset = controllers  # type: ignore[attr-defined]


class DescribeForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    description = forms.CharField(label=gettext_lazy("What happened"), widget=forms.Textarea(attrs=_TEXT))
    occurred_at = forms.DateTimeField(label=gettext_lazy("Occurred"), widget=_DATETIME, required=False)
    subjects_count = forms.IntegerField(
        label=gettext_lazy("Approximate number of data subjects"), min_value=0, max_value=10**9, required=False
    )
    records_count = forms.IntegerField(
        label=gettext_lazy("Approximate number of records"), min_value=0, max_value=10**12, required=False
    )
    data_categories: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        queryset=None,
        label=gettext_lazy("Personal data affected"),
        required=False,
    )
    subject_categories: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        queryset=None,
        label=gettext_lazy("Data subjects affected"),
        required=False,
    )
    activities: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        queryset=None,
        label=gettext_lazy("Processing activities"),
        required=False,
    )

    def __init__(self, *args: Any, choices: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("data_categories", "subject_categories"):
            self.fields[name].queryset = choices["terms"]  # type: ignore[attr-defined]
        self.fields["activities"].queryset = choices["activities"]  # type: ignore[attr-defined]


class AssessForm(forms.Form):
    risk = forms.ChoiceField(label=gettext_lazy("Risk"), choices=[c for c in BreachRisk.choices if c[0]])
    risk_assessment = forms.CharField(label=gettext_lazy("Risk assessment"), widget=forms.Textarea(attrs=_TEXT))
    consequences = forms.CharField(
        label=gettext_lazy("Likely consequences"), widget=forms.Textarea(attrs=_TEXT), required=False
    )
    measures = forms.CharField(
        label=gettext_lazy("Measures taken or proposed"), widget=forms.Textarea(attrs=_TEXT), required=False
    )


class AuthorityForm(forms.Form):
    notified_at = forms.DateTimeField(label=gettext_lazy("Authority notified"), widget=_DATETIME, required=False)
    authority_reference = forms.CharField(label=gettext_lazy("Authority's reference"), max_length=100, required=False)
    late_reason = forms.CharField(
        label=gettext_lazy("Reasons for notifying after 72 hours"), widget=forms.Textarea(attrs=_TEXT), required=False
    )
    not_notified_reason = forms.CharField(
        label=gettext_lazy("Reasons for not notifying the authority"),
        widget=forms.Textarea(attrs=_TEXT),
        required=False,
    )


class SubjectsForm(forms.Form):
    notify = forms.TypedChoiceField(
        label=gettext_lazy("Data subjects"),
        choices=[("1", gettext_lazy("Notified")), ("0", gettext_lazy("Not notified"))],
        coerce=lambda v: v == "1",
    )
    notified_at = forms.DateTimeField(label=gettext_lazy("Notified on"), widget=_DATETIME, required=False)
    reason = forms.CharField(label=gettext_lazy("Reasons"), widget=forms.Textarea(attrs=_TEXT), required=False)


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _breach(request: HttpRequest, pk: Any) -> Breach:
    _require(request, VIEW)
    try:
        return selectors.access_breach(actor=request.user, pk=pk)
    except NotFoundError:
        raise Http404 from None


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return TemplateResponse(request, f"privacy/admin/{template}", context)


def _refused(form: forms.Form, exc: DomainError) -> None:
    if isinstance(exc, PermissionDeniedError):
        raise PermissionDenied(str(exc.message))
    detail = exc.detail if isinstance(exc.detail, dict) else {}
    for name in detail:
        if name in form.fields:
            form.add_error(name, str(exc.message))
            return
    form.add_error(None, str(exc.message))


def breach_list(request: HttpRequest) -> HttpResponse:
    _require(request, VIEW)
    status = request.GET.get("status", "open")
    status = status if status in ("open", "closed", "all") else "open"
    now = timezone.now()
    rows = [
        (b, selectors.clock(b, now))
        for b in selectors.breaches(actor=request.user, status=None if status == "all" else status)[:500]
    ]
    return _render(
        request,
        "breach_list.html",
        {
            "rows": rows,
            "status": status,
            "can_add": request.user.has_perm(ADD),
            "page_title": _("Personal data breaches"),
        },
    )


@require_http_methods(["GET", "POST"])
def breach_report(request: HttpRequest) -> HttpResponse:
    _require(request, ADD)
    controllers = selectors.breach_controllers(actor=request.user)
    form = ReportForm(request.POST or None, controllers=controllers, initial={"discovered_at": timezone.localtime()})
    if request.method == "POST" and form.is_valid():
        try:
            breach = services.breach_report(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Breach %(reference)s recorded.") % {"reference": breach.reference})
            return redirect("privacy_breach_detail", pk=breach.pk)
    return _render(
        request,
        "breach_form.html",
        {
            "form": form,
            "submit_label": _("Record the breach"),
            "cancel_url": reverse("privacy_breach_list"),
            "page_title": _("Report a personal data breach"),
        },
    )


_STEPS: dict[str, tuple[type[forms.Form], Any, Any]] = {
    "describe": (DescribeForm, services.breach_update, gettext_lazy("Describe the breach")),
    "assess": (AssessForm, services.breach_assess, gettext_lazy("Assess the risk")),
    "authority": (AuthorityForm, services.breach_notify_authority, gettext_lazy("Notify the authority")),
    "subjects": (SubjectsForm, services.breach_decide_subjects, gettext_lazy("Decide on telling the subjects")),
}


def _initial(breach: Breach, step: str) -> dict[str, Any]:
    if step == "describe":
        return {
            "title": breach.title,
            "description": breach.description,
            "occurred_at": breach.occurred_at,
            "subjects_count": breach.subjects_count,
            "records_count": breach.records_count,
            "data_categories": list(breach.data_categories.all()),
            "subject_categories": list(breach.subject_categories.all()),
            "activities": list(breach.activities.all()),
        }
    if step == "assess":
        return {
            "risk": breach.risk,
            "risk_assessment": breach.risk_assessment,
            "consequences": breach.consequences,
            "measures": breach.measures,
        }
    return {}


@require_http_methods(["GET", "POST"])
def breach_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in _STEPS:
        raise Http404
    breach = _breach(request, pk)
    _require(request, CHANGE)
    if not has_org_perm(request.user, CHANGE, breach.controller):
        raise PermissionDenied
    form_class, service, title = _STEPS[step]
    kwargs: dict[str, Any] = {}
    if form_class is DescribeForm:
        kwargs["choices"] = selectors.breach_choices(actor=request.user, breach=breach)
    form = form_class(request.POST or None, initial=_initial(breach, step), **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, breach=breach, **form.cleaned_data)
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Breach %(reference)s updated.") % {"reference": breach.reference})
            return redirect("privacy_breach_detail", pk=breach.pk)
    return _render(
        request,
        "breach_form.html",
        {
            "form": form,
            "breach": breach,
            "submit_label": _("Save"),
            "cancel_url": reverse("privacy_breach_detail", args=[breach.pk]),
            "page_title": f"{breach.reference}: {title}",
        },
    )


@require_http_methods(["POST"])
def breach_close(request: HttpRequest, pk: int) -> HttpResponse:
    breach = _breach(request, pk)
    _require(request, CHANGE)
    try:
        services.breach_close(actor=request.user, breach=breach)
    except PermissionDeniedError:
        raise PermissionDenied from None
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Breach %(reference)s closed.") % {"reference": breach.reference})
    return redirect("privacy_breach_detail", pk=breach.pk)


def breach_detail(request: HttpRequest, pk: int) -> HttpResponse:
    breach = _breach(request, pk)
    return _render(
        request,
        "breach_detail.html",
        {
            "breach": breach,
            "clock": selectors.clock(breach, timezone.now()),
            "can_change": has_org_perm(request.user, CHANGE, breach.controller) and breach.status == "open",
            "steps": [(key, str(label)) for key, (_form, _service, label) in _STEPS.items()],
            "page_title": f"{breach.reference} {breach.title}",
        },
    )


@hooks.register("register_admin_urls")
def register_breach_urls() -> list[URLPattern]:
    return [
        path("privacy/breaches/", breach_list, name="privacy_breach_list"),
        path("privacy/breaches/report/", breach_report, name="privacy_breach_report"),
        path("privacy/breaches/<int:pk>/", breach_detail, name="privacy_breach_detail"),
        path("privacy/breaches/<int:pk>/close/", breach_close, name="privacy_breach_close"),
        path("privacy/breaches/<int:pk>/<slug:step>/", breach_step, name="privacy_breach_step"),
    ]


class _BreachesMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return bool(request.user.has_perm(VIEW))


@hooks.register("register_privacy_menu_item")
def register_breaches_menu_item() -> MenuItem:
    return _BreachesMenuItem(
        gettext_lazy("Personal data breaches"), reverse("privacy_breach_list"), icon_name="warning", order=60
    )
