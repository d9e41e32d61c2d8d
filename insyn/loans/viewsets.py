"""Equipment loans in the Wagtail admin: the viewsets of loans, kits, devices and losses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn

from insyn.core.admin_views import (
    InsynModelViewSet,
    MunicipalityFieldMixin,
    NoEditIndexView,
    ScopedInspectView,
    ServiceCreateView,
    actor_organs,
    not_available,
)
from insyn.loans import admin_views, selectors
from insyn.loans.models import Device, Incident, Kit, Loan, LoanStatus
from insyn.loans.services import device_create, kit_create


def _redirect_to(url_name: str) -> Any:
    def view(request: Any, pk: Any = None, *args: Any, **kwargs: Any) -> Any:
        return redirect(url_name, pk=pk) if pk is not None else redirect(url_name)

    return view


def _date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


# No service changes or deletes a device, kit or loan in place: those generic views are not offered
# (InsynModelViewSet answers 404 for every generic view it is not given an Insyn class for).
READ_ONLY: dict[str, Any] = {}


class ReadOnlyIndexView(NoEditIndexView):
    def get_edit_url(self, instance: Any) -> None:
        return None


class ReadOnlyInspectView(ScopedInspectView):
    def get_edit_url(self) -> None:
        return None

    def get_delete_url(self) -> None:
        return None


# --- Loans -----------------------------------------------------------------------------------------


class LoanFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=LoanStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    due = django_filters.ChoiceFilter(
        label=_("Due"),
        choices=[("overdue", _("Overdue")), ("30", _("Due within 30 days"))],
        method="filter_due",
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        field_name="kit__kind",
        choices=Kit._meta.get_field("kind").choices,
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )
    organ = django_filters.ModelChoiceFilter(
        label=_("Organ"), field_name="person__memberships__organisation", queryset=actor_organs, distinct=True
    )

    class Meta:
        model = Loan
        fields = ["status", "due", "kind", "organ"]

    def filter_due(self, queryset: QuerySet[Loan], name: str, value: str) -> QuerySet[Loan]:
        # The windows of the dashboard panels (selectors.loan_dashboard).
        return selectors.filter_due(queryset, value)


def loan_url(loan: Loan) -> str:
    return reverse("loans_loan_detail", args=[loan.pk])


class LoanIndexView(NoEditIndexView):
    selector_list = staticmethod(selectors.loan_list)
    filterset_class = LoanFilterSet

    @cached_property
    def columns(self) -> list[Any]:
        return [
            TitleColumn("kit", label=_("Kit"), accessor="kit.label", get_url=loan_url, sort_key="kit__label"),
            Column("person", label=_("Borrower"), accessor="person.name", sort_key="person__family_name"),
            Column("status", label=_("Status"), accessor="get_status_display", sort_key="status"),
            Column(
                "checked_out_at",
                label=_("Checked out"),
                accessor=lambda loan: _date(loan.checked_out_at),
                sort_key="checked_out_at",
            ),
            Column("due_date", label=_("Due date"), accessor=admin_views.due_label, sort_key="due_date"),
        ]

    def get_add_url(self) -> str | None:
        return reverse("loans_checkout") if self.request.user.has_perm("loans.add_loan") else None


class LoanViewSet(InsynModelViewSet):
    scope_selector = staticmethod(selectors.loan_list)
    model = Loan
    name = "loans_loans"
    url_prefix = "loans/loans"
    icon = "tasks"
    menu_label = _("Loans")
    menu_order = 10
    copy_view_enabled = False
    index_view_class = LoanIndexView
    # Lending is the checkout action; a loan's page holds its other actions.
    replaced_views = {
        **READ_ONLY,
        "add": _redirect_to("loans_checkout"),
        "edit": _redirect_to("loans_loan_detail"),
    }
    search_fields = ["kit__label", "person__given_name", "person__family_name"]
    ordering = ["-checked_out_at"]
    list_per_page = 50
    form_fields: list[str] = []
    list_export = [
        "kit.label",
        "kit.get_kind_display",
        "person.name",
        "get_status_display",
        "checked_out_at",
        "due_date",
        "return_requested_on",
        "returned_at",
    ]
    export_headings = {
        "kit.label": _("Kit"),
        "kit.get_kind_display": _("Kind"),
        "person.name": _("Borrower"),
        "get_status_display": _("Status"),
        "checked_out_at": _("Checked out"),
        "due_date": _("Due date"),
        "return_requested_on": _("Return requested on"),
        "returned_at": _("Returned"),
    }
    export_filename = "loans"


# --- Kits --------------------------------------------------------------------------------------------


def _devices_label(kit: Kit) -> str:
    return ", ".join(f"{d.get_device_type_display()} {d.serial_number}" for d in kit.devices.all())


class KitIndexView(ReadOnlyIndexView):
    selector_list = staticmethod(selectors.kit_availability_list)
    add_perm = "loans.add_kit"

    def to_row_dict(self, item: Any) -> dict[str, Any]:
        row: dict[str, Any] = super().to_row_dict(item)
        row["devices"] = _devices_label(item)  # the related items, as in the list
        row["on_loan"] = _("yes") if item.on_loan else _("no")
        return row

    @cached_property
    def columns(self) -> list[Any]:
        return [
            TitleColumn(
                "label",
                label=_("Label"),
                get_url=lambda kit: reverse("loans_kits:inspect", args=[kit.pk]),
                sort_key="label",
            ),
            Column("kind", label=_("Kind"), accessor="get_kind_display", sort_key="kind"),
            Column("devices", label=_("Items"), accessor=_devices_label),
            Column("on_loan", label=_("On loan"), accessor=lambda kit: _("yes") if kit.on_loan else _("no")),
        ]


class KitInspectView(ReadOnlyInspectView):
    selector_list = staticmethod(selectors.kit_list)


class KitCreateView(MunicipalityFieldMixin, ServiceCreateView):
    create_service = staticmethod(kit_create)
    municipality_perm = "loans.add_kit"

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        form.fields["devices"] = forms.ModelMultipleChoiceField(
            label=_("Items"),
            help_text=_("The tablet or computer and its accessories, from the items in stock without a kit."),
            queryset=selectors.devices_without_kit(actor=self.request.user),
            widget=forms.CheckboxSelectMultiple,
        )
        return form

    def service_data(self, form: Any) -> dict[str, Any]:
        data = super().service_data(form)
        data["devices"] = list(form.cleaned_data["devices"])
        return data


class KitViewSet(InsynModelViewSet):
    scope_selector = staticmethod(selectors.kit_list)
    model = Kit
    name = "loans_kits"
    url_prefix = "loans/kits"
    icon = "folder-inverse"
    menu_label = _("Kits")
    menu_order = 20
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = KitIndexView
    add_view_class = KitCreateView
    inspect_view_class = KitInspectView
    replaced_views = READ_ONLY
    inspect_view_fields = ["label", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["label"]
    ordering = ["label"]
    list_per_page = 50
    list_export = ["label", "get_kind_display", "devices", "on_loan"]
    export_headings = {
        "label": _("Label"),
        "get_kind_display": _("Kind"),
        "devices": _("Items"),
        "on_loan": _("On loan"),
    }
    export_filename = "kits"
    form_fields = ["municipality", "label", "kind"]


# --- Devices ------------------------------------------------------------------------------------------


class DeviceIndexView(ReadOnlyIndexView):
    selector_list = staticmethod(selectors.device_list)
    add_perm = "loans.add_device"


class DeviceInspectView(ReadOnlyInspectView):
    selector_list = staticmethod(selectors.device_list)


class DeviceCreateView(MunicipalityFieldMixin, ServiceCreateView):
    create_service = staticmethod(device_create)
    municipality_perm = "loans.add_device"


class DeviceViewSet(InsynModelViewSet):
    scope_selector = staticmethod(selectors.device_list)
    model = Device
    name = "loans_devices"
    url_prefix = "loans/devices"
    icon = "mobile-alt"
    menu_label = _("Devices")
    menu_order = 30
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = DeviceIndexView
    add_view_class = DeviceCreateView
    inspect_view_class = DeviceInspectView
    replaced_views = READ_ONLY
    list_display = ["serial_number", "device_type", "make", "model", "status", "kit"]
    list_filter = ["device_type", "status"]
    search_fields = ["serial_number", "imei", "mdm_id", "make", "model"]
    ordering = ["device_type", "serial_number"]
    list_per_page = 50
    inspect_view_fields = [
        "device_type",
        "make",
        "model",
        "serial_number",
        "imei",
        "mdm_id",
        "purchase_date",
        "status",
        "kit",
        "notes",
    ]
    list_export = ["serial_number", "get_device_type_display", "make", "model", "imei", "get_status_display", "kit"]
    export_headings = {
        "serial_number": _("Serial number"),
        "get_device_type_display": _("Type"),
        "make": _("Make"),
        "model": _("Model"),
        "imei": _("IMEI"),
        "get_status_display": _("Status"),
        "kit": _("Kit"),
    }
    export_filename = "devices"
    form_fields = [
        "municipality",
        "device_type",
        "make",
        "model",
        "serial_number",
        "imei",
        "mdm_id",
        "purchase_date",
        "notes",
    ]


# --- Losses and thefts -----------------------------------------------------------------------------------


class IncidentIndexView(NoEditIndexView):
    selector_list = staticmethod(selectors.incident_list)

    @cached_property
    def columns(self) -> list[Any]:
        return [
            TitleColumn(
                "device",
                label=_("Item"),
                accessor="device",
                get_url=lambda incident: loan_url(incident.loan),
                sort_key="device__serial_number",
            ),
            Column("kind", label=_("Kind"), accessor="get_kind_display", sort_key="kind"),
            Column("borrower", label=_("Borrower"), accessor="loan.person.name"),
            Column("occurred_at", label=_("When"), accessor=lambda i: _date(i.occurred_at), sort_key="occurred_at"),
            Column("liability", label=_("Liability"), accessor="get_liability_display", sort_key="liability"),
        ]

    def get_edit_url(self, instance: Any) -> str | None:
        if not self.request.user.has_perm("loans.change_incident"):
            return None
        return reverse("loans_incident_assess", args=[instance.pk])


class IncidentViewSet(InsynModelViewSet):
    scope_selector = staticmethod(selectors.incident_list)
    model = Incident
    name = "loans_incidents"
    url_prefix = "loans/incidents"
    icon = "warning"
    menu_label = _("Losses and thefts")
    menu_order = 40
    copy_view_enabled = False
    index_view_class = IncidentIndexView
    replaced_views = {**READ_ONLY, "add": not_available, "edit": _redirect_to("loans_incident_assess")}
    list_filter = ["kind", "liability"]
    search_fields = ["device__serial_number", "loan__person__given_name", "loan__person__family_name", "place"]
    ordering = ["-reported_at"]
    form_fields: list[str] = []
    list_export = [
        "get_kind_display",
        "device",
        "loan.kit.label",
        "loan.person.name",
        "occurred_at",
        "reported_at",
        "police_report_number",
        "get_liability_display",
    ]
    export_headings = {
        "get_kind_display": _("Kind"),
        "device": _("Item"),
        "loan.kit.label": _("Kit"),
        "loan.person.name": _("Borrower"),
        "occurred_at": _("When"),
        "reported_at": _("Reported"),
        "police_report_number": _("Police report number"),
        "get_liability_display": _("Liability"),
    }
    export_filename = "losses-and-thefts"
