"""Wagtail admin views that route every read through selectors and every write through services.

Wagtail gives every model viewset a set of generic views (edit, delete, copy, inspect, history,
usage). A generic view reads through the model's default manager and writes without a service, so
it sees every municipality and leaves no audit entry. `InsynModelViewSet` therefore serves only
views built on the classes below; any other view a viewset would register answers 404.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from insyn.core import selectors
from insyn.core.actor import Actor
from insyn.core.exceptions import DomainError, NotFoundError, PermissionDeniedError
from insyn.core.export_safety import SafeSpreadsheetExportMixin
from insyn.core.forms import label_organisation_choices
from insyn.core.models import Organisation

# --- Choices limited to what the actor may use -------------------------------------------------

_CHOICE_SCOPES: dict[type[Model], Callable[..., QuerySet[Any]]] = {}
# Models whose choices must never be offered unscoped: an unregistered one offers nothing.
_GUARDED_APPS = {"core", "records", "officials", "loans", "privacy", "publishing", "auth"}


def register_choice_scope(model: type[Model], selector: Callable[..., QuerySet[Any]]) -> None:
    """`selector(actor=…)` is what a form or filter may offer of `model` to that actor."""
    _CHOICE_SCOPES[model] = selector


def scope_choice_fields(fields: Iterable[forms.Field], actor: Actor) -> None:
    """Narrow every model choice to the actor's reach; fail closed for guarded models nobody scoped.
    Organisations are labelled with their municipality (three "Kommunstyrelsen" are three municipalities')."""
    for field in fields:
        queryset = getattr(field, "queryset", None)
        if not isinstance(queryset, QuerySet):
            continue
        model = queryset.model
        if issubclass(model, Organisation):
            label_organisation_choices(field)
        selector = _CHOICE_SCOPES.get(model)
        if selector is not None:
            field.queryset = queryset.filter(pk__in=selector(actor=actor).values("pk"))  # type: ignore[attr-defined]
        elif model._meta.app_label in _GUARDED_APPS:
            field.queryset = queryset.none()  # type: ignore[attr-defined]


def not_available(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Stands in for a generic view that would read or write around the selectors and services."""
    raise Http404


def _form_error(view: Any, form: Any, exc: DomainError) -> HttpResponse:
    if isinstance(exc, PermissionDeniedError):
        raise PermissionDenied(str(exc.message))
    detail = exc.detail if isinstance(exc.detail, dict) else {}
    placed = False
    for field, messages in detail.items():
        if field in form.fields:
            for message in messages if isinstance(messages, list) else [messages]:
                form.add_error(field, str(message))
                placed = True
    if not placed:
        form.add_error(None, str(exc.message))
    # Wagtail shows this as the banner above the form.
    view.produced_error_message = str(exc.message)
    response: HttpResponse = view.form_invalid(form)
    return response


class ScopedViewMixin:
    """Lists and fetches objects only through `selector_list(actor=…)`."""

    request: Any
    kwargs: dict[str, Any]
    model: Any
    selector_list: Callable[..., QuerySet[Any]]

    def get_base_queryset(self) -> QuerySet[Any]:
        return type(self).selector_list(actor=self.request.user)

    def get_object(self, queryset: Any = None) -> Model:
        pk = self.kwargs.get(getattr(self, "pk_url_kwarg", "pk"))
        try:
            obj: Model = type(self).selector_list(actor=self.request.user).get(pk=pk)
            return obj
        except (ValueError, TypeError, NotFoundError, self.model.DoesNotExist):
            raise Http404 from None


class ScopedIndexView(SafeSpreadsheetExportMixin, ScopedViewMixin, generic.IndexView):
    @property
    def filters(self) -> Any:
        # Wagtail builds list filters over the default manager: narrow their choices like a form's.
        # (Django's cached_property does not cache when reached through super(), so cache here.)
        if "_insyn_filters" not in self.__dict__:
            filterset = super().filters
            if filterset is not None:
                scope_choice_fields(filterset.form.fields.values(), self.request.user)
            self.__dict__["_insyn_filters"] = filterset
        return self.__dict__["_insyn_filters"]


class ScopedInspectView(ScopedViewMixin, generic.InspectView):
    pass


class ServiceFormMixin:
    """Create/edit views whose save goes through a service; domain errors become form errors."""

    request: Any
    form_field_querysets: dict[str, Callable[..., QuerySet[Any]]] = {}

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)  # type: ignore[misc]
        scope_choice_fields(form.fields.values(), self.request.user)
        for name, selector in self.form_field_querysets.items():
            if name in form.fields:
                form.fields[name].queryset = selector(actor=self.request.user)
        return form

    def service_data(self, form: Any) -> dict[str, Any]:
        model_fields = {f.name for f in form.instance._meta.get_fields()}
        data = {}
        for name, value in form.cleaned_data.items():
            if name not in model_fields:
                continue
            if value is False and name == "file":
                value = None  # "clear" ticked
            elif value is None and name == "file":
                continue  # nothing uploaded: keep the file
            data[name] = value
        return data

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            response: HttpResponse = super().form_valid(form)  # type: ignore[misc]
            return response
        except DomainError as exc:
            return _form_error(self, form, exc)


class ServiceCreateView(ServiceFormMixin, generic.CreateView):
    create_service: Callable[..., Model]

    def save_instance(self) -> Model:
        return type(self).create_service(actor=self.request.user, **self.service_data(self.form))


class ServiceEditView(ServiceFormMixin, ScopedViewMixin, generic.EditView):
    update_service: Callable[..., Model]
    instance_kwarg = "instance"

    def save_instance(self) -> Model:
        obj = type(self).update_service(
            actor=self.request.user, **{self.instance_kwarg: self.object}, **self.service_data(self.form)
        )
        self.form.instance = obj
        return obj


class ServiceDeleteView(ScopedViewMixin, generic.DeleteView):
    delete_service: Callable[..., None]
    instance_kwarg = "instance"

    def delete_action(self) -> None:
        try:
            type(self).delete_service(actor=self.request.user, **{self.instance_kwarg: self.object})
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc.message)) from exc


def log_entry_changes(entry: Any, hidden: frozenset[str] = frozenset()) -> str:
    """What an audited change did, for the History view: the reason and the table of field, old and new
    value, read as the audit trail's own view reads it (`audit_display`; sensitive values are stored masked)."""
    from insyn.core.audit_display import change_table
    from insyn.core.log_actions import audit_action
    from insyn.core.models.audit import AuditEntry

    data = entry.data if isinstance(entry.data, dict) else {}
    content_type = entry.content_type
    if not data.get("changes") or content_type is None:
        return format_html("<p>{}</p>", data["reason"]) if data.get("reason") else ""
    table = change_table(
        AuditEntry(  # not saved: the shape `change_table` reads
            object_type=f"{content_type.app_label}.{content_type.model}",
            action=audit_action(entry.action),
            changes=data["changes"],
        ),
        hidden=hidden,
    )
    rows = format_html_join(
        "", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", ((r.field, r.old, r.new) for r in table.rows)
    )
    html = format_html(
        '<table class="listing insyn-changes"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>'
        "<tbody>{}</tbody></table>",
        _("Field"),
        _("Old value"),
        _("New value"),
        rows,
    )
    return format_html("<p>{}</p>{}", data["reason"], html) if data.get("reason") else html


class ScopedHistoryView(HistoryView):
    """Wagtail's history of an object, found through the selector like every other read.

    Its entries are written by `audit_record` (every audited change), with the change set shown."""

    selector_list: Callable[..., QuerySet[Any]]

    def get_base_object_queryset(self) -> QuerySet[Any]:
        return type(self).selector_list(actor=self.request.user)

    @cached_property
    def hidden_fields(self) -> frozenset[str]:
        # Past values hide what the object's own page hides from this actor (a protected identity's contacts).
        from insyn.core.personal_data import hidden_fields

        return hidden_fields(self.request.user, getattr(self, "object", None))

    @cached_property
    def columns(self) -> list[Any]:
        columns: list[Any] = list(super().columns)
        columns.insert(
            1,
            Column("changes", label=_("Changes"), accessor=lambda entry: log_entry_changes(entry, self.hidden_fields)),
        )
        return columns


class ScopedUsageView(UsageView):
    selector_list: Callable[..., QuerySet[Any]]

    def get_base_object_queryset(self) -> QuerySet[Any]:
        return type(self).selector_list(actor=self.request.user)


def scoped_history(selector: Callable[..., QuerySet[Any]]) -> type[ScopedHistoryView]:
    return type("ScopedHistoryView", (ScopedHistoryView,), {"selector_list": staticmethod(selector)})


def scoped_usage(selector: Callable[..., QuerySet[Any]]) -> type[ScopedUsageView]:
    return type("ScopedUsageView", (ScopedUsageView,), {"selector_list": staticmethod(selector)})


# --- Permission policy and viewset ---------------------------------------------------------------


class ScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions from the role groups; an instance counts only when the selector returns it.

    Wagtail's own views that take an object id (editing sessions, choosers, usage) ask the registered
    policy about the instance, so another municipality's object is "not permitted" there too.
    """

    def __init__(self, model: type[Model], selector: Callable[..., QuerySet[Any]]) -> None:
        super().__init__(model)
        self.selector = selector

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        if not self.user_has_permission(user, action):
            return False
        return bool(self.selector(actor=user).filter(pk=instance.pk).exists())

    def user_has_any_permission_for_instance(self, user: Any, actions: Any, instance: Any) -> bool:
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_any_permission_for(self, user: Any, actions: Any) -> QuerySet[Any]:
        if not self.user_has_any_permission(user, actions):
            return self.selector(actor=user).none()
        return self.selector(actor=user)

    def instances_user_has_permission_for(self, user: Any, action: str) -> QuerySet[Any]:
        return self.instances_user_has_any_permission_for(user, [action])


INSYN_VIEW_BASES: tuple[type, ...] = (ScopedViewMixin, ServiceFormMixin, ScopedHistoryView, ScopedUsageView)


class InsynModelViewSet(ModelViewSet):
    """A model viewset that serves Insyn's scoped views only.

    `scope_selector(actor=…)` is every read of the model; it scopes history, usage, the permission
    policy and the choices other forms offer of this model. `replaced_views` maps a view name to a
    function view (a redirect to an Insyn page, say). Every other URL the viewset would register
    whose view is not built on an Insyn class answers 404.
    """

    scope_selector: Callable[..., QuerySet[Any]]
    replaced_views: dict[str, Callable[..., HttpResponse]] = {}
    copy_view_enabled = False
    policy_class: type[ScopedPermissionPolicy] = ScopedPermissionPolicy

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        selector = type(self).scope_selector
        if not issubclass(getattr(self, "history_view_class", object), ScopedHistoryView):
            self.history_view_class: type = scoped_history(selector)
        if not issubclass(getattr(self, "usage_view_class", object), ScopedUsageView):
            self.usage_view_class: type = scoped_usage(selector)
        register_choice_scope(self.model, selector)
        # Before any view is built, so that every view and Wagtail's own helpers ask the scoped policy.
        if not isinstance(policy_registry.get_by_type(self.model, fallback=False), ScopedPermissionPolicy):
            register_permission_policy(self.model, self.policy_class(self.model, selector), exact_class=True)

    def get_urlpatterns(self) -> list[Any]:
        patterns = []
        for pattern in super().get_urlpatterns():
            name = getattr(pattern, "name", "") or ""
            view: Callable[..., HttpResponse] | None = self.replaced_views.get(name)
            if view is None:
                view_class = getattr(pattern.callback, "view_class", None)
                if view_class is not None and issubclass(view_class, INSYN_VIEW_BASES):
                    patterns.append(pattern)
                    continue
                view = not_available
            patterns.append(path(str(pattern.pattern), view, name=name))
        return patterns


class NoEditIndexView(ScopedIndexView):
    """A scoped list without the generic copy and delete links (no service backs them).

    With `add_perm`, "Add" shows only to those who hold it for a whole municipality: someone whose role
    covers one organ cannot create a municipality's person, device or kit (the service would refuse).
    """

    add_perm: str = ""

    def get_add_url(self) -> str | None:
        if self.add_perm and not municipalities_for(actor=self.request.user, perm=self.add_perm).exists():
            return None
        url: str | None = super().get_add_url()
        return url

    def get_copy_url(self, instance: Any) -> None:
        return None

    def get_delete_url(self, instance: Any) -> None:
        return None


def municipalities_for(*, actor: Actor, perm: str) -> QuerySet[Organisation]:
    """Municipalities where the actor holds `perm` for the whole municipality (what a create service requires)."""
    return selectors.municipalities_for(actor=actor, perm=perm)


class MunicipalityFieldMixin:
    """The municipality a new object belongs to: one where the actor holds the right, hidden when only one."""

    request: Any
    municipality_perm: str

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)  # type: ignore[misc]
        if "municipality" in form.fields:
            field = form.fields["municipality"]
            field.queryset = municipalities_for(actor=self.request.user, perm=self.municipality_perm)
            if len(field.queryset) == 1:
                field.initial = field.queryset[0].pk
                field.widget = forms.HiddenInput()
        return form


def actor_organs(request: Any) -> QuerySet[Organisation]:
    """Organs of the actor's municipalities, for list filters."""
    return selectors.organ_list(actor=request.user)


@functools.cache
def _safe_log_entries_view() -> Any:
    """Wagtail's site history with formula-safe CSV/XLSX export (log labels are user text: token names …)."""
    from wagtail.admin.views.reports.audit_logging import LogEntriesView

    from insyn.core.export_safety import SafeSpreadsheetExportMixin

    return type("SafeLogEntriesView", (SafeSpreadsheetExportMixin, LogEntriesView), {})


def site_history(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Wagtail's site history lists every log entry of every model a user has any permission on, across
    municipalities, and names their users in its filter. Installation administrators keep it; everyone
    else reads the audit trail, which is scoped to their municipalities."""
    if not getattr(request.user, "is_superuser", False):
        raise Http404
    view = _safe_log_entries_view().as_view(results_only=kwargs.pop("results_only", False))
    response: HttpResponse = view(request, *args, **kwargs)
    return response


def page_set_position(request: HttpRequest, page_to_move_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
    """Wagtail's "set position" answers 500 for the root page, which has no parent to reorder."""
    from wagtail.admin.views.pages.ordering import SetPagePositionView

    if not selectors.page_is_movable(page_id=page_to_move_id):
        raise Http404
    response: HttpResponse = SetPagePositionView.as_view()(request, page_to_move_id, *args, **kwargs)
    return response


def api_token_list(*, actor: Actor) -> QuerySet[Any]:
    """The API tokens the actor may manage (`selectors.api_token_list`)."""
    return selectors.api_token_list(actor=actor)


def api_token_scoped_views() -> dict[str, Callable[..., HttpResponse]]:
    """Wagtail's API-token viewset serves generic history and usage views over every token; these are
    the same views read through `api_token_list`, to be routed in front of Wagtail's (config/urls.py)."""
    from wagtail.users.views import api_tokens

    class ScopedTokens:
        # Wagtail's lists, edit and revoke views read every token of its "manageable owners", any
        # municipality's; these read only the tokens of owners the actor may manage (`token_owners`).
        def get_queryset(self) -> QuerySet[Any]:
            return api_token_list(actor=self.request.user).select_related("user")  # type: ignore[attr-defined]

    viewset = api_tokens.APITokenViewSet("wagtailusers_api_tokens", url_prefix="api-tokens")
    viewset.history_view_class = scoped_history(api_token_list)
    viewset.usage_view_class = scoped_usage(api_token_list)
    viewset.index_view_class = type("ScopedTokenIndex", (ScopedTokens, api_tokens.IndexView), {})
    viewset.edit_view_class = type("ScopedTokenEdit", (ScopedTokens, api_tokens.EditView), {})
    viewset.delete_view_class = type("ScopedTokenRevoke", (ScopedTokens, api_tokens.RevokeView), {})
    return {
        "index": viewset.index_view,
        "index_results": viewset.index_results_view,
        "edit": viewset.edit_view,
        "delete": viewset.delete_view,
        "history": viewset.history_view,
        "history_results": viewset.history_results_view,
        "usage": viewset.usage_view,
    }


def api_token_owner_choices(*, actor: Actor) -> QuerySet[Any]:
    """Whom the actor may create a token for: themselves; an administrator of users (Wagtail's auth.change_user)
    also the users Wagtail lets them manage, within the actor's municipalities unless they are a superuser."""
    return selectors.token_owners(actor=actor).order_by("username")


def may_choose_token_owner(actor: Actor) -> bool:
    from wagtail.users.utils import change_user_perm

    has_perm = getattr(actor, "has_perm", None)  # the system actor has no Wagtail users to manage
    return bool(getattr(actor, "is_superuser", False) or (has_perm is not None and has_perm(change_user_perm)))


@functools.cache
def api_token_create_view() -> Callable[..., HttpResponse]:
    """Wagtail's "new API token" with the owner preset to the actor. Only an administrator of users may pick
    someone else (among `api_token_owner_choices`); for everyone else the field shows them and is not editable.
    Routed in front of Wagtail's view (insyn/core/wagtail_hooks.py)."""
    from wagtail.users.views.api_tokens import APITokenViewSet, CreateView

    class APITokenCreateView(CreateView):
        def get_form_kwargs(self) -> dict[str, Any]:
            kwargs: dict[str, Any] = super().get_form_kwargs()
            kwargs["manageable_users"] = api_token_owner_choices(actor=self.request.user)
            kwargs["initial"] = {**kwargs.get("initial", {}), "user": self.request.user.pk}
            return kwargs

        def get_form(self, form_class: Any = None) -> Any:
            form = super().get_form(form_class)
            if not may_choose_token_owner(self.request.user):
                field = form.fields["user"]
                field.queryset = field.queryset.filter(pk=self.request.user.pk)
                field.disabled = True  # the posted value is ignored: the owner is the actor
            return form

    viewset = APITokenViewSet("wagtailusers_api_tokens", url_prefix="api-tokens")
    viewset.add_view_class = APITokenCreateView
    view: Callable[..., HttpResponse] = viewset.add_view
    return view
