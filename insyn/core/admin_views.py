"""Wagtail admin views that route every read through selectors and every write through services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpResponse
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView

from insyn.core.exceptions import DomainError, NotFoundError, PermissionDeniedError


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


class ScopedIndexView(ScopedViewMixin, generic.IndexView):
    pass


class ScopedInspectView(ScopedViewMixin, generic.InspectView):
    pass


class ServiceFormMixin:
    """Create/edit views whose save goes through a service; domain errors become form errors."""

    request: Any
    form_field_querysets: dict[str, Callable[..., QuerySet[Any]]] = {}

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)  # type: ignore[misc]
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


class ScopedHistoryView(HistoryView):
    """Wagtail's history of an object, found through the selector like every other read."""

    selector_list: Callable[..., QuerySet[Any]]

    def get_base_object_queryset(self) -> QuerySet[Any]:
        return type(self).selector_list(actor=self.request.user)


class ScopedUsageView(UsageView):
    selector_list: Callable[..., QuerySet[Any]]

    def get_base_object_queryset(self) -> QuerySet[Any]:
        return type(self).selector_list(actor=self.request.user)


def scoped_history(selector: Callable[..., QuerySet[Any]]) -> type[ScopedHistoryView]:
    return type("ScopedHistoryView", (ScopedHistoryView,), {"selector_list": staticmethod(selector)})


def scoped_usage(selector: Callable[..., QuerySet[Any]]) -> type[ScopedUsageView]:
    return type("ScopedUsageView", (ScopedUsageView,), {"selector_list": staticmethod(selector)})
