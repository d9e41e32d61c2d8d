"""The data protection officer's panel on the admin's home page: activities per legal basis, open register
warnings, requests by deadline state and breaches by their 72-hour clock.

Charts are CSS bars with the figures in their text, and each has a table for screen readers; no script.
Every count comes from `insyn.privacy.selectors.dashboard`, scoped to the actor's municipalities.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from insyn.privacy.selectors import dashboard as selectors


def chart(bars: list[selectors.Bar]) -> list[dict[str, Any]]:
    """Each bar with its width as a share of the largest (a bar of 0 stays visible as a hairline)."""
    top = max((bar.count for bar in bars), default=0) or 1
    return [
        {"key": bar.key, "label": bar.label, "count": bar.count, "percent": round(100 * bar.count / top)}
        for bar in bars
    ]


class PrivacyDashboardPanel(Component):
    name = "privacy_dashboard"
    template_name = "privacy/admin/dashboard_panel.html"
    order = 40

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        request = parent_context["request"]
        actor = request.user
        context: dict[str, Any] = super().get_context_data(parent_context)
        data = selectors.dashboard(actor=actor)
        context["request"] = request
        context["data"] = data
        context["sections"] = []
        if selectors.may_read(actor, "privacy.view_processingactivity"):
            context["sections"].append(
                {
                    "id": "privacy-legal-bases",
                    "heading": _("Processing activities per legal basis"),
                    "column": _("Activities"),
                    "bars": chart(data.legal_bases),
                    "note": _("%(count)d activities in all; %(without)d without a legal basis.")
                    % {"count": data.activities, "without": data.without_basis},
                }
            )
            context["sections"].append(self.warnings_section(actor))
        if selectors.may_read(actor, "privacy.view_subjectrequest"):
            context["sections"].append(
                {
                    "id": "privacy-requests",
                    "heading": _("Open data-subject requests by deadline"),
                    "column": _("Requests"),
                    "bars": chart(data.requests),
                    "note": "",
                }
            )
            context["sections"].append(
                {
                    "id": "privacy-requests-month",
                    "heading": _("Requests received per month"),
                    "column": _("Requests"),
                    "bars": chart(data.requests_by_month),
                    "note": "",
                }
            )
        if selectors.may_read(actor, "privacy.view_breach"):
            context["sections"].append(
                {
                    "id": "privacy-breaches",
                    "heading": _("Open personal data breaches: the 72-hour clock"),
                    "column": _("Breaches"),
                    "bars": chart(data.breaches),
                    "note": _("%(count)d open breaches.") % {"count": data.open_breaches},
                }
            )
        return context

    def warnings_section(self, actor: Any) -> dict[str, Any]:
        section: dict[str, Any] = {
            "id": "privacy-warnings",
            "heading": _("Open register warnings"),
            "column": _("Warnings"),
        }
        bars = selectors.open_warnings(actor=actor)
        section["bars"] = chart(bars)
        section["note"] = _("%(count)d warnings in all.") % {"count": sum(bar.count for bar in bars)}
        return section


@hooks.register("construct_homepage_panels")
def add_privacy_dashboard_panel(request: Any, panels: list[Any]) -> None:
    if selectors.may_see_dashboard(request.user):
        panels.append(PrivacyDashboardPanel())
