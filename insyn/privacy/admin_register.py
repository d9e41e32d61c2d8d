"""The register of processing activities in the Wagtail admin: the "Data protection" menu, the register list
and page (activities with their warnings, approval, versions and their diff), the activity form, the IT systems.

Reads go through `insyn.privacy.selectors.register` (`access_register`, `access_activity`, …) and writes
through `insyn.privacy.services.register`; both are imported inside the views, so this module loads while
they are written. A missing object and another municipality's answer the same 404.

Other parts put their pages in the same menu with `@hooks.register("register_privacy_menu_item")` returning a
`MenuItem`, or with a viewset whose `menu_hook = PRIVACY_MENU_HOOK` (registered with `register_admin_viewset`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.base import ViewSetGroup

from insyn.core.actor import Actor
from insyn.core.admin_views import InsynModelViewSet, NoEditIndexView, not_available
from insyn.core.exceptions import DomainError, NotFoundError, PermissionDeniedError
from insyn.core.permissions import has_org_perm
from insyn.privacy.forms_register import (
    FORMSET_LABELS,
    ActivityForm,
    ApproveForm,
    CompareForm,
    RegisterForm,
    diff_rows,
    initial_from_data,
)
from insyn.privacy.models import ProcessingActivity, Register
from insyn.privacy.selectors import dashboard as counts

PRIVACY_MENU_HOOK = "register_privacy_menu_item"
VIEW_REGISTER = "privacy.view_register"
VIEW_ACTIVITY = "privacy.view_processingactivity"


def _registers(*, actor: Actor) -> QuerySet[Register]:
    from insyn.privacy.selectors.register import registers

    return registers(actor=actor)


def _activities(*, actor: Actor) -> QuerySet[ProcessingActivity]:
    return counts.visible_activities(actor=actor)


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _register(request: HttpRequest, pk: Any) -> Register:
    from insyn.privacy.selectors.register import access_register

    _require(request, VIEW_REGISTER)
    try:
        return access_register(actor=request.user, pk=pk)
    except NotFoundError:
        raise Http404 from None


def _activity(request: HttpRequest, pk: Any) -> ProcessingActivity:
    from insyn.privacy.selectors.register import access_activity

    _require(request, VIEW_ACTIVITY)
    try:
        return access_activity(actor=request.user, pk=pk)
    except NotFoundError:
        raise Http404 from None


def _refused(request: HttpRequest, form: Any, exc: DomainError) -> None:
    """The service's refusal on the form: its message, and what it lists as missing."""
    if isinstance(exc, PermissionDeniedError):
        raise PermissionDenied(str(exc.message))
    detail = exc.detail if isinstance(exc.detail, dict) else {}
    placed = False
    for field, errors in detail.items():  # ValidationFailed's {field: [messages]}
        if field in form.fields:
            for message in errors if isinstance(errors, list) else [errors]:
                form.add_error(field, str(message))
                placed = True
    if not placed:
        form.add_error(None, str(exc.message))


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return TemplateResponse(request, f"privacy/admin/{template}", {"header_icon": "doc-full", **context})


def _warnings(actor: Actor, register: Register) -> dict[int | None, list[Any]]:
    from insyn.privacy.selectors.register import register_warnings

    return register_warnings(actor=actor, register=register)


# --- The register --------------------------------------------------------------------------------------------


def register_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from insyn.privacy.selectors.register import activities, register_versions

    register = _register(request, pk)
    actor = request.user
    warnings = _warnings(actor, register)
    rows = [{"activity": a, "warnings": warnings.get(a.pk, [])} for a in activities(actor=actor, register=register)]
    register_wide = warnings.get(None, [])
    versions = list(register_versions(actor=actor, register=register))
    context = {
        "register": register,
        "rows": rows,
        "register_warnings": register_wide,
        "warning_count": sum(len(items) for items in warnings.values()),
        "versions": versions,
        "compare_form": CompareForm(initial=_latest_pair(versions)),
        "can_change": has_org_perm(actor, "privacy.change_register", register.controller),
        "can_add_activity": has_org_perm(actor, "privacy.add_processingactivity", register.controller),
        "can_approve": has_org_perm(actor, "privacy.approve_register", register.controller),
        "approve_form": ApproveForm(),
        "page_title": register.title,
    }
    return _render(request, "register_detail.html", context)


def _latest_pair(versions: list[Any]) -> dict[str, int]:
    numbers = sorted(version.number for version in versions)
    if len(numbers) < 2:
        return {}
    return {"a": numbers[-2], "b": numbers[-1]}


@require_http_methods(["GET", "POST"])
def register_create(request: HttpRequest) -> HttpResponse:
    from insyn.privacy.services.register import register_create as create

    _require(request, "privacy.add_register")
    form = RegisterForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            register = create(
                actor=request.user,
                controller=form.cleaned_data["controller"],
                kind=form.cleaned_data["kind"],
                **form.service_fields(),
            )
        except DomainError as exc:
            _refused(request, form, exc)
        else:
            messages.success(request, _("The register is created as a draft."))
            return redirect("privacy_register_detail", pk=register.pk)
    return _render(request, "register_form.html", {"form": form, "page_title": _("New processing register")})


@require_http_methods(["GET", "POST"])
def register_edit(request: HttpRequest, pk: int) -> HttpResponse:
    from insyn.privacy.services.register import register_update

    register = _register(request, pk)
    _require(request, "privacy.change_register")
    fields = ("title", "review_date", "dpo_name", "dpo_email", "dpo_phone", "contact_email", "contact_address")
    initial = {name: getattr(register, name) for name in fields}
    form = RegisterForm(request.POST or None, actor=request.user, register=register, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            register_update(actor=request.user, register=register, **form.service_fields())
        except DomainError as exc:
            _refused(request, form, exc)
        else:
            messages.success(request, _("The register is saved."))
            return redirect("privacy_register_detail", pk=register.pk)
    context = {"form": form, "register": register, "page_title": _("Edit %(title)s") % {"title": register.title}}
    return _render(request, "register_form.html", context)


@require_POST
def register_approve(request: HttpRequest, pk: int) -> HttpResponse:
    from insyn.privacy.services.register import register_approve as approve

    register = _register(request, pk)
    _require(request, "privacy.approve_register")
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            approve(actor=request.user, register=register, note=form.cleaned_data["note"])
        except DomainError as exc:
            if isinstance(exc, PermissionDeniedError):
                raise PermissionDenied(str(exc.message)) from exc
            messages.error(request, _refusal_text(exc))
        else:
            messages.success(request, _("The register is approved."))
    return redirect("privacy_register_detail", pk=register.pk)


def _refusal_text(exc: DomainError) -> str:
    # ApprovalRefused names the missing fields in its message.
    return str(exc.message)


def register_compare(request: HttpRequest, pk: int) -> HttpResponse:
    from insyn.privacy.selectors.register import register_versions, version_diff

    register = _register(request, pk)
    form = CompareForm(request.GET or None)
    diff: list[dict[str, Any]] = []
    if form.is_valid():
        try:
            diff = version_diff(
                actor=request.user, register=register, a=form.cleaned_data["a"], b=form.cleaned_data["b"]
            )
        except NotFoundError:
            raise Http404 from None
    context = {
        "register": register,
        "form": form,
        "versions": list(register_versions(actor=request.user, register=register)),
        "diff_rows": diff_rows(diff),
        "page_title": _("Versions of %(title)s") % {"title": register.title},
    }
    return _render(request, "register_compare.html", context)


def it_systems(request: HttpRequest) -> HttpResponse:
    """The IT systems (information carriers) of the actor's municipalities and the activities that use them."""
    _require(request, VIEW_ACTIVITY)
    context = {"systems": counts.it_systems_in_use(actor=request.user), "page_title": _("IT systems")}
    return _render(request, "register_systems.html", context)


# --- The activity --------------------------------------------------------------------------------------------


def _activity_page(
    request: HttpRequest, register: Register, form: ActivityForm, activity: ProcessingActivity | None
) -> HttpResponse:
    warnings = _warnings(request.user, register).get(activity.pk, []) if activity else []
    placed, other = form.place_warnings(warnings)
    fields = [{"field": form[name], "warnings": placed.get(name, [])} for name in form.fields]
    formsets = [
        {"name": name, "label": FORMSET_LABELS[name], "formset": formset, "warnings": placed.get(name, [])}
        for name, formset in form.formsets.items()
    ]
    title = _("Edit %(name)s") % {"name": activity.name} if activity else _("New processing activity")
    context = {
        "register": register,
        "activity": activity,
        "form": form,
        "fields": fields,
        "formsets": formsets,
        "other_warnings": other,
        "can_save": has_org_perm(
            request.user,
            "privacy.change_processingactivity" if activity else "privacy.add_processingactivity",
            register.controller,
        ),
        "can_approve": activity is not None
        and has_org_perm(request.user, "privacy.approve_register", register.controller),
        "page_title": title,
    }
    return _render(request, "activity_form.html", context)


def _save_activity(
    request: HttpRequest, register: Register, form: ActivityForm, activity: ProcessingActivity | None
) -> HttpResponse | None:
    from insyn.privacy.services.register import activity_save

    if not form.is_valid():
        return None
    try:
        saved = activity_save(actor=request.user, register=register, data=form.activity_data(), activity=activity)
    except DomainError as exc:
        _refused(request, form, exc)
        return None
    messages.success(request, _("The processing activity is saved."))
    return redirect("privacy_activity_edit", pk=saved.pk)


@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    register = _register(request, pk)
    _require(request, "privacy.add_processingactivity")
    form = ActivityForm(request.POST or None, actor=request.user, register=register)
    if request.method == "POST":
        response = _save_activity(request, register, form, None)
        if response is not None:
            return response
    return _activity_page(request, register, form, None)


@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    from insyn.privacy.register_data import activity_as_data

    activity = _activity(request, pk)
    register = activity.register
    if request.method == "POST":  # those who may only read see the same page without "Save"
        _require(request, "privacy.change_processingactivity")
    initial = initial_from_data(activity_as_data(activity))
    form = ActivityForm(request.POST or None, actor=request.user, register=register, initial=initial)
    if request.method == "POST":
        response = _save_activity(request, register, form, activity)
        if response is not None:
            return response
    return _activity_page(request, register, form, activity)


@require_POST
def activity_approve(request: HttpRequest, pk: int) -> HttpResponse:
    from insyn.privacy.services.register import activity_approve as approve

    activity = _activity(request, pk)
    _require(request, "privacy.approve_register")
    try:
        approve(actor=request.user, activity=activity)
    except DomainError as exc:
        if isinstance(exc, PermissionDeniedError):
            raise PermissionDenied(str(exc.message)) from exc
        messages.error(request, _refusal_text(exc))
        return redirect("privacy_activity_edit", pk=activity.pk)
    messages.success(request, _("The processing activity is approved."))
    return redirect("privacy_register_detail", pk=activity.register_id)


@require_http_methods(["GET", "POST"])
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    from insyn.privacy.services.register import activity_delete as delete

    activity = _activity(request, pk)
    _require(request, "privacy.delete_processingactivity")
    if request.method == "POST":
        register_id = activity.register_id
        try:
            delete(actor=request.user, activity=activity)
        except DomainError as exc:
            if isinstance(exc, PermissionDeniedError):
                raise PermissionDenied(str(exc.message)) from exc
            messages.error(request, str(exc.message))
            return redirect("privacy_activity_edit", pk=activity.pk)
        messages.success(request, _("The processing activity is deleted."))
        return redirect("privacy_register_detail", pk=register_id)
    context = {"activity": activity, "page_title": _("Delete %(name)s") % {"name": activity.name}}
    return _render(request, "activity_delete.html", context)


# --- Lists, menu and URLs ---------------------------------------------------------------------------------------


def _redirect_to(url_name: str) -> Callable[..., HttpResponse]:
    def view(request: HttpRequest, pk: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
        return redirect(url_name, pk=pk)

    return view


class RegisterIndexView(NoEditIndexView):
    selector_list = staticmethod(_registers)
    add_perm = ""

    _warning_counts: dict[int, int] | None = None

    def _count_warnings(self, page: list[Register]) -> dict[int, int]:
        from insyn.privacy.selectors.register import register_warning_counts

        return register_warning_counts(actor=self.request.user, page=page)

    def get_table(self, object_list: Any) -> Any:
        # The whole page's counts at once: one register's warnings read all its activities and their rows.
        self._warning_counts = self._count_warnings(list(object_list))
        return super().get_table(object_list)

    def warning_count(self, register: Register) -> int:
        counts = self._warning_counts
        if counts is None or register.pk not in counts:
            counts = self._warning_counts = {**(counts or {}), **self._count_warnings([register])}
        return counts.get(register.pk, 0)

    @cached_property
    def columns(self) -> list[Any]:
        return [
            TitleColumn(
                "title",
                label=gettext_lazy("Register"),
                get_url=lambda register: reverse("privacy_register_detail", args=[register.pk]),
                sort_key="title",
            ),
            Column("controller", label=gettext_lazy("Controller"), accessor="controller"),
            Column("kind", label=gettext_lazy("Kind"), accessor="get_kind_display", sort_key="kind"),
            Column("status", label=gettext_lazy("Status"), accessor="get_status_display", sort_key="status"),
            Column("version", label=gettext_lazy("Approved version"), accessor="version", sort_key="version"),
            Column("review_date", label=gettext_lazy("Next review"), accessor="review_date", sort_key="review_date"),
            Column("warnings", label=gettext_lazy("Warnings"), accessor=self.warning_count),
        ]

    def get_add_url(self) -> str | None:
        return reverse("privacy_register_create") if self.request.user.has_perm("privacy.add_register") else None


class RegisterViewSet(InsynModelViewSet):
    scope_selector = staticmethod(_registers)
    model = Register
    name = "privacy_registers"
    url_prefix = "privacy/registers"
    icon = "doc-full"
    menu_label = gettext_lazy("Registers")
    menu_order = 10
    index_view_class = RegisterIndexView
    replaced_views = {
        "add": lambda request, *args, **kwargs: redirect("privacy_register_create"),
        "edit": _redirect_to("privacy_register_edit"),
        "inspect": _redirect_to("privacy_register_detail"),
    }
    list_filter = ["status", "kind"]
    search_fields = ["title", "controller__name"]
    ordering = ["controller__path", "kind"]
    list_per_page = 50
    form_fields: list[str] = []


def _bases(activity: ProcessingActivity) -> str:
    return ", ".join(basis.article for basis in activity.legal_bases.all())


class ActivityIndexView(NoEditIndexView):
    selector_list = staticmethod(_activities)

    def get_base_queryset(self) -> QuerySet[Any]:
        return super().get_base_queryset().prefetch_related("legal_bases")

    @cached_property
    def columns(self) -> list[Any]:
        return [
            TitleColumn(
                "name",
                label=gettext_lazy("Processing activity"),
                get_url=lambda activity: reverse("privacy_activity_edit", args=[activity.pk]),
                sort_key="name",
            ),
            Column("register", label=gettext_lazy("Register"), accessor="register.title", sort_key="register__title"),
            Column("legal_bases", label=gettext_lazy("Legal bases"), accessor=_bases),
            Column("status", label=gettext_lazy("Status"), accessor="get_status_display", sort_key="status"),
        ]

    def get_add_url(self) -> None:
        return None  # an activity is added on its register's page


class ActivityViewSet(InsynModelViewSet):
    scope_selector = staticmethod(_activities)
    model = ProcessingActivity
    name = "privacy_activities"
    url_prefix = "privacy/activities"
    icon = "list-ul"
    menu_label = gettext_lazy("Processing activities")
    menu_order = 20
    index_view_class = ActivityIndexView
    replaced_views = {"add": not_available, "edit": _redirect_to("privacy_activity_edit")}
    list_filter = ["status"]
    search_fields = ["name", "description", "register__title"]
    ordering = ["register", "position", "id"]
    list_per_page = 50
    form_fields: list[str] = []


class PrivacyGroup(ViewSetGroup):
    menu_label = gettext_lazy("Data protection")
    menu_icon = "lock"
    menu_order = 330
    items = (RegisterViewSet, ActivityViewSet)
    submenu_hook = PRIVACY_MENU_HOOK


@hooks.register("register_admin_viewset")
def register_viewsets() -> list[Any]:
    return [PrivacyGroup()]


class _SystemsMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return bool(request.user.has_perm(VIEW_ACTIVITY))


@hooks.register(PRIVACY_MENU_HOOK)
def register_systems_menu_item() -> MenuItem:
    return _SystemsMenuItem(gettext_lazy("IT systems"), reverse("privacy_it_systems"), icon_name="code", order=25)


@hooks.register("register_admin_urls")
def register_urls() -> list[URLPattern]:
    return [
        path("privacy/register/new/", register_create, name="privacy_register_create"),
        path("privacy/register/<int:pk>/", register_detail, name="privacy_register_detail"),
        path("privacy/register/<int:pk>/edit/", register_edit, name="privacy_register_edit"),
        path("privacy/register/<int:pk>/approve/", register_approve, name="privacy_register_approve"),
        path("privacy/register/<int:pk>/versions/", register_compare, name="privacy_register_compare"),
        path("privacy/register/<int:pk>/activity/new/", activity_create, name="privacy_activity_create"),
        path("privacy/activity/<int:pk>/", activity_edit, name="privacy_activity_edit"),
        path("privacy/activity/<int:pk>/approve/", activity_approve, name="privacy_activity_approve"),
        path("privacy/activity/<int:pk>/delete/", activity_delete, name="privacy_activity_delete"),
        path("privacy/systems/", it_systems, name="privacy_it_systems"),
    ]
