"""Equipment loans in the Wagtail admin: menus, URLs, the dashboard panel and the person-page panel."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSetGroup

from insyn.core.permissions import has_org_perm
from insyn.loans import admin_views, selectors
from insyn.loans.models import DeviceType
from insyn.loans.selectors import own_person
from insyn.loans.viewsets import DeviceViewSet, IncidentViewSet, KitViewSet, LoanViewSet
from insyn.officials.models import Person


class LoansGroup(ViewSetGroup):
    menu_label = _("Equipment loans")
    menu_icon = "mobile-alt"
    menu_order = 310
    items = (LoanViewSet, KitViewSet, DeviceViewSet, IncidentViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets() -> list[Any]:
    return [LoansGroup()]


@hooks.register("register_admin_urls")
def register_urls() -> list[URLPattern]:
    return [
        path("loans/checkout/", admin_views.loan_checkout, name="loans_checkout"),
        path("loans/loan/<int:pk>/", admin_views.loan_detail, name="loans_loan_detail"),
        path("loans/loan/<int:pk>/request-return/", admin_views.loan_request_return, name="loans_request_return"),
        path("loans/loan/<int:pk>/return/", admin_views.loan_return, name="loans_return"),
        path("loans/loan/<int:pk>/incident/", admin_views.incident_report, name="loans_incident_report"),
        path("loans/incident/<int:pk>/assess/", admin_views.incident_assess, name="loans_incident_assess"),
        path("loans/receipt/<int:pk>/pdf/", admin_views.receipt_download, name="loans_receipt_pdf"),
    ]


class _SelfServiceMenuItem(MenuItem):
    """Officials log in through the admin's login page: this leads them to their own pages."""

    def is_shown(self, request: Any) -> bool:
        return own_person(request.user) is not None


@hooks.register("register_admin_menu_item")
def register_self_service_menu_item() -> MenuItem:
    return _SelfServiceMenuItem(_("My pages"), reverse("loans:overview"), icon_name="user", order=10)


class _CheckoutMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return bool(request.user.has_perm("loans.add_loan"))


@hooks.register("register_admin_menu_item")
def register_checkout_menu_item() -> MenuItem:
    return _CheckoutMenuItem(_("Lend a kit"), reverse("loans_checkout"), icon_name="plus", order=311)


# --- Dashboard ---------------------------------------------------------------------------------------------


class LoanDashboardPanel(Component):
    """Four counts and loans by organ, as an SVG bar chart with the same figures in a table."""

    name = "loans_dashboard"
    template_name = "loans/admin/dashboard_panel.html"
    order = 30
    bar_height = 24
    label_width = 280
    bar_area = 260

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        request = parent_context["request"]
        context: dict[str, Any] = super().get_context_data(parent_context)
        data = selectors.loan_dashboard(actor=request.user)
        index = reverse("loans_loans:index")
        context.update(data)
        context["request"] = request
        context["cards"] = [
            ("on_loan", _("On loan"), data["on_loan"], f"{index}?status=active"),
            ("due_30", _("Due within 30 days"), data["due_30"], f"{index}?due=30"),
            ("overdue", _("Overdue"), data["overdue"], f"{index}?due=overdue"),
            ("lost_or_stolen", _("Lost or stolen"), data["lost_or_stolen"], f"{index}?status=lost&status=stolen"),
        ]
        context["chart"] = self.chart(data["by_organ"])
        return context

    def chart(self, rows: list[tuple[str, int]]) -> dict[str, Any]:
        top = max((count for _organ, count in rows), default=0) or 1
        bars = []
        for position, (organ, count) in enumerate(rows):
            y = position * (self.bar_height + 8)
            bars.append(
                {
                    "organ": organ or "–",
                    "count": count,
                    "y": y,
                    "text_y": y + round(self.bar_height * 0.7),
                    "x": self.label_width,
                    "width": max(round(self.bar_area * count / top), 2),
                    "count_x": self.label_width + max(round(self.bar_area * count / top), 2) + 6,
                }
            )
        return {
            "bars": bars,
            "height": max(len(rows) * (self.bar_height + 8), 1),
            "width": self.label_width + self.bar_area + 40,
            "bar_height": self.bar_height,
            "label_x": self.label_width - 8,
        }


@hooks.register("construct_homepage_panels")
def add_loan_dashboard_panel(request: Any, panels: list[Any]) -> None:
    if request.user.has_perm("loans.view_loan"):
        panels.append(LoanDashboardPanel())


# --- The person page (officials) ------------------------------------------------------------------------------


@hooks.register("insyn_person_detail_panels")
def person_loans_panel(request: Any, person: Person) -> str | None:
    """The official's right to borrow, their loans and a "Lend a kit" link, for staff who see loans."""
    actor = request.user
    if not actor.has_perm("loans.view_loan"):
        return None
    eligibility, _rule_set = selectors.person_eligibility(person=person, on=timezone.localdate())
    context = {
        "person": person,
        "eligibility": eligibility,
        "eligible_devices": [DeviceType(device).label for device in eligibility.devices],
        "loans": selectors.person_loans(actor=actor, person=person),
        "can_lend": has_org_perm(actor, "loans.add_loan", person.municipality),
    }
    return render_to_string("loans/admin/person_panel.html", context, request=request)
