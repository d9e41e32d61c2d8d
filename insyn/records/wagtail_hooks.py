from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.viewsets.base import ViewSetGroup

from insyn.core.admin_views import (
    InsynModelViewSet,
    ScopedIndexView,
    ServiceCreateView,
    ServiceDeleteView,
    ServiceEditView,
    register_choice_scope,
)
from insyn.records import admin_views, selectors
from insyn.records.exceptions import PlanFrozen
from insyn.records.models import Activity, DocumentType, RetentionPattern, RetentionPlan
from insyn.records.services import (
    document_type_create,
    document_type_delete,
    document_type_update,
    plan_delete_draft,
    plan_update,
    retention_pattern_create,
    retention_pattern_delete,
    retention_pattern_update,
)


class PlanIndexView(ScopedIndexView):
    """The title opens the plan page; edit and delete are offered for drafts only."""

    selector_list = staticmethod(selectors.plan_admin_list)

    def _get_title_column(self, field_name: str, column_class: Any = TitleColumn, **kwargs: Any) -> Any:
        column_class = self._get_title_column_class(column_class)
        return self._get_custom_column(field_name, column_class, get_url=admin_views.plan_detail_url, **kwargs)

    def get_edit_url(self, instance: Any) -> str | None:
        return super().get_edit_url(instance) if not instance.is_frozen else None

    def get_delete_url(self, instance: Any) -> str | None:
        return super().get_delete_url(instance) if not instance.is_frozen else None


def _refuse_frozen(request: Any, plan: RetentionPlan) -> HttpResponse:
    """An adopted plan cannot be changed or deleted: say so on its plan page."""
    messages.error(request, str(PlanFrozen().message))
    return redirect("records_plan_detail", pk=plan.pk)


class FrozenPlanGuardMixin:
    """Edit/delete views of an adopted plan's objects answer with a message on the plan page, not a form."""

    request: Any
    object: Any

    def get_object(self, queryset: Any = None) -> Any:
        return super().get_object(queryset)  # type: ignore[misc]

    def _plan(self) -> RetentionPlan:
        # A delete view loads its object in setup(), an edit view only in get()/post(): load it here.
        obj = getattr(self, "object", None) or self.get_object()
        return obj if isinstance(obj, RetentionPlan) else obj.plan

    def frozen_plan(self) -> RetentionPlan | None:
        plan = self._plan()
        return plan if plan.is_frozen else None

    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if (plan := self.frozen_plan()) is not None:
            return _refuse_frozen(request, plan)
        return super().get(request, *args, **kwargs)  # type: ignore[misc]

    def post(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if (plan := self.frozen_plan()) is not None:
            return _refuse_frozen(request, plan)
        try:
            return super().post(request, *args, **kwargs)  # type: ignore[misc]
        except PlanFrozen:  # adopted meanwhile
            return _refuse_frozen(request, self._plan())

    def get_delete_url(self) -> str | None:
        if self.frozen_plan() is not None:
            return None
        return super().get_delete_url()  # type: ignore[misc,no-any-return]


class PlanEditView(FrozenPlanGuardMixin, ServiceEditView):
    selector_list = staticmethod(selectors.plan_admin_list)
    update_service = staticmethod(plan_update)
    instance_kwarg = "plan"

    def get_success_url(self) -> str:
        return reverse("records_plan_detail", args=[self.object.pk])


class PlanCreateView(ServiceCreateView):
    """A plan is born from a file (or as a new version): "Add" leads to the import."""

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return redirect("records_plan_import")


class PlanDeleteView(FrozenPlanGuardMixin, ServiceDeleteView):
    selector_list = staticmethod(selectors.plan_admin_list)
    delete_service = staticmethod(plan_delete_draft)
    instance_kwarg = "plan"


class RetentionPlanViewSet(InsynModelViewSet):
    model = RetentionPlan
    scope_selector = staticmethod(selectors.plan_admin_list)
    name = "records_plans"
    url_prefix = "records/plans"
    icon = "list-ul"
    menu_label = _("Retention plans")
    copy_view_enabled = False
    index_view_class = PlanIndexView
    add_view_class = PlanCreateView
    edit_view_class = PlanEditView
    delete_view_class = PlanDeleteView
    list_display = ["title", "scope", "version", "status", "organisation", "adopted_on"]
    list_filter = ["status", "organisation"]
    search_fields = ["title", "scope"]
    form_fields = ["title", "scope", "classification", "adopted_by", "adopted_on", "paragraph", "version"]


class DocumentTypeIndexView(ScopedIndexView):
    selector_list = staticmethod(selectors.document_type_admin_list)

    def get_edit_url(self, instance: Any) -> str | None:
        return super().get_edit_url(instance) if not instance.plan.is_frozen else None

    def get_delete_url(self, instance: Any) -> str | None:
        return super().get_delete_url(instance) if not instance.plan.is_frozen else None


class DocumentTypeEditView(ServiceEditView):
    selector_list = staticmethod(selectors.document_type_admin_list)
    update_service = staticmethod(document_type_update)
    instance_kwarg = "document_type"

    def get_success_url(self) -> str:
        return reverse("records_plan_detail", args=[self.object.plan_id]) + f"#p-{self.object.activity.process_id}"


# A document type is placed under an activity of a draft plan the actor may edit, wherever it is chosen.
register_choice_scope(Activity, selectors.draft_activities)


class DocumentTypeCreateView(ServiceCreateView):
    create_service = staticmethod(document_type_create)
    form_field_querysets = {"activity": selectors.draft_activities}


class DocumentTypeDeleteView(FrozenPlanGuardMixin, ServiceDeleteView):
    selector_list = staticmethod(selectors.document_type_admin_list)
    delete_service = staticmethod(document_type_delete)
    instance_kwarg = "document_type"


class DocumentTypeViewSet(InsynModelViewSet):
    model = DocumentType
    scope_selector = staticmethod(selectors.document_type_admin_list)
    name = "records_document_types"
    url_prefix = "records/document-types"
    icon = "doc-full"
    menu_label = _("Document types")
    copy_view_enabled = False
    index_view_class = DocumentTypeIndexView
    inspect_view_enabled = True
    inspect_view_class = admin_views.DocumentTypeInspectView
    add_view_class = DocumentTypeCreateView
    edit_view_class = DocumentTypeEditView
    delete_view_class = DocumentTypeDeleteView
    list_display = ["name", "activity", "retention_text", "action", "period", "plan"]
    list_filter = ["action", "trigger", "plan"]
    search_fields = ["name", "retention_text", "remarks"]
    panels = [
        FieldPanel("activity"),
        FieldPanel("name"),
        MultiFieldPanel(
            [
                FieldPanel("retention_text"),
                FieldRowPanel([FieldPanel("action"), FieldPanel("period")]),
                FieldRowPanel([FieldPanel("trigger"), FieldPanel("trigger_event")]),
                FieldRowPanel([FieldPanel("align"), FieldPanel("sampling")]),
            ],
            heading=_("Retention: the text as adopted and its structured rule"),
        ),
        FieldRowPanel([FieldPanel("analog_format"), FieldPanel("analog_storage")], heading=_("Analogue documents")),
        FieldRowPanel([FieldPanel("digital_format"), FieldPanel("digital_storage")], heading=_("Digital documents")),
        FieldPanel("archival_format"),
        FieldPanel("remarks"),
        FieldPanel("legal_reference"),
        FieldPanel("personal_data"),
        FieldRowPanel([FieldPanel("sorting"), FieldPanel("delivery_deadline"), FieldPanel("original_or_copy")]),
    ]


class PatternIndexView(ScopedIndexView):
    selector_list = staticmethod(selectors.retention_pattern_list)


class PatternCreateView(ServiceCreateView):
    create_service = staticmethod(retention_pattern_create)


class PatternEditView(ServiceEditView):
    selector_list = staticmethod(selectors.retention_pattern_list)
    update_service = staticmethod(retention_pattern_update)
    instance_kwarg = "retention_pattern"


class PatternDeleteView(ServiceDeleteView):
    selector_list = staticmethod(selectors.retention_pattern_list)
    delete_service = staticmethod(retention_pattern_delete)
    instance_kwarg = "retention_pattern"


class RetentionPatternViewSet(InsynModelViewSet):
    model = RetentionPattern
    scope_selector = staticmethod(selectors.retention_pattern_list)
    name = "records_retention_patterns"
    url_prefix = "records/retention-patterns"
    icon = "code"
    menu_label = _("Retention grammar")
    copy_view_enabled = False
    index_view_class = PatternIndexView
    add_view_class = PatternCreateView
    edit_view_class = PatternEditView
    delete_view_class = PatternDeleteView
    list_display = ["name", "pattern", "lang", "action", "period", "priority"]
    list_filter = ["lang", "action"]
    form_fields = [
        "name",
        "pattern",
        "lang",
        "action",
        "period",
        "trigger",
        "trigger_event",
        "align",
        "sampling",
        "priority",
    ]


class RecordsGroup(ViewSetGroup):
    menu_label = _("Records management")
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (RetentionPlanViewSet, DocumentTypeViewSet, RetentionPatternViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets() -> list[Any]:
    return [RecordsGroup()]


@hooks.register("register_admin_urls")
def register_urls() -> list[Any]:
    return [
        path("records/plan/<int:pk>/", admin_views.plan_detail, name="records_plan_detail"),
        path("records/plan/<int:pk>/adopt/", admin_views.plan_adopt, name="records_plan_adopt"),
        path("records/plan/<int:pk>/new-version/", admin_views.plan_new_version, name="records_plan_new_version"),
        path("records/plan/<int:pk>/compare/", admin_views.plan_compare, name="records_plan_compare"),
        path("records/plan/<int:pk>/export/<str:fmt>/", admin_views.plan_export, name="records_plan_export"),
        path("records/import/", admin_views.plan_import, name="records_plan_import"),
    ]


class _ImportMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return bool(request.user.has_perm("records.add_retentionplan"))


@hooks.register("register_admin_menu_item")
def register_import_menu_item() -> MenuItem:
    return _ImportMenuItem(_("Import a retention plan"), reverse("records_plan_import"), icon_name="upload", order=210)


class UnclearRulesPanel(Component):
    name = "unclear_retention_rules"
    template_name = "records/admin/unclear_panel.html"
    order = 60

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        request = parent_context["request"]
        context: dict[str, Any] = super().get_context_data(parent_context)
        rows = selectors.unclear_rules(actor=request.user)
        context["count"] = rows.count()
        context["rows"] = list(rows.order_by("plan_id", "position")[:10])
        return context


@hooks.register("construct_homepage_panels")
def add_unclear_panel(request: Any, panels: list[Any]) -> None:
    if request.user.has_perm("records.change_retentionplan"):
        panels.append(UnclearRulesPanel())
