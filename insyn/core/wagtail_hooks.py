from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSetGroup

from insyn.core import selectors
from insyn.core.admin_views import (
    InsynModelViewSet,
    ScopedIndexView,
    ScopedInspectView,
    ScopedPermissionPolicy,
    ServiceCreateView,
    ServiceDeleteView,
    ServiceEditView,
    register_choice_scope,
)
from insyn.core.models import AuditEntry, GoverningDocument, Organisation, RoleAssignment
from insyn.core.roles import ROLES
from insyn.core.services.documents import (
    governing_document_create,
    governing_document_delete,
    governing_document_update,
)
from insyn.core.services.organisations import organisation_create, organisation_update, role_assign, role_revoke


def _orgs_for(perm: str) -> Any:
    def selector(*, actor: Any) -> Any:
        return selectors.organisations_for_perm(actor=actor, perm=perm)

    return selector


def _documents_visible(*, actor: Any) -> Any:
    return selectors.governing_document_list(actor=actor)


# --- Governing documents -------------------------------------------------------------


class DocumentIndexView(ScopedIndexView):
    selector_list = staticmethod(selectors.governing_document_list)


class DocumentCreateView(ServiceCreateView):
    create_service = staticmethod(governing_document_create)
    form_field_querysets = {
        "organisation": _orgs_for("core.add_governingdocument"),
        "replaced_by": _documents_visible,
    }


class DocumentEditView(ServiceEditView):
    selector_list = staticmethod(selectors.governing_document_list)
    update_service = staticmethod(governing_document_update)
    instance_kwarg = "document"
    form_field_querysets = {
        "organisation": _orgs_for("core.change_governingdocument"),
        "replaced_by": _documents_visible,
    }


class DocumentDeleteView(ServiceDeleteView):
    selector_list = staticmethod(selectors.governing_document_list)
    delete_service = staticmethod(governing_document_delete)
    instance_kwarg = "document"


class DocumentInspectView(ScopedInspectView):
    selector_list = staticmethod(selectors.governing_document_list)

    def get_file_display_value(self) -> Any:
        """A link to the protected download (insyn/core/files.py), never to the stored path."""
        if not self.object.file:
            return "-"
        url = reverse("core:governing_document_file", args=[self.object.pk])
        return format_html('<a href="{}">{}</a>', url, self.object.file.name.rsplit("/", 1)[-1])


class GoverningDocumentViewSet(InsynModelViewSet):
    model = GoverningDocument
    scope_selector = staticmethod(selectors.governing_document_list)
    name = "governing_documents"
    icon = "doc-full"
    menu_label = _("Governing documents")
    menu_order = 100
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = DocumentIndexView
    add_view_class = DocumentCreateView
    edit_view_class = DocumentEditView
    delete_view_class = DocumentDeleteView
    inspect_view_class = DocumentInspectView
    list_display = ["title", "registration_number", "organisation", "document_type", "status", "valid_until"]
    list_filter = ["status", "document_type", "organisation", "valid_until"]
    list_export = [
        "title",
        "document_type",
        "organisation",
        "decision_body",
        "decision_date",
        "paragraph",
        "registration_number",
        "version",
        "valid_from",
        "valid_until",
        "review_date",
        "status",
    ]
    search_fields = ["title", "registration_number", "decision_body"]
    ordering = ["valid_until", "title"]
    form_fields = [
        "organisation",
        "title",
        "document_type",
        "status",
        "decision_body",
        "decision_date",
        "paragraph",
        "registration_number",
        "version",
        "valid_from",
        "valid_until",
        "review_date",
        "responsible_unit",
        "owner",
        "applies_to",
        "description",
        "file",
        "replaced_by",
    ]


# --- Organisations -------------------------------------------------------------------


class OrganisationIndexView(ScopedIndexView):
    selector_list = staticmethod(selectors.organisation_list)


class OrganisationCreateView(ServiceCreateView):
    create_service = staticmethod(organisation_create)
    form_field_querysets = {"parent": _orgs_for("core.add_organisation")}


class OrganisationEditView(ServiceEditView):
    selector_list = staticmethod(selectors.organisation_list)
    update_service = staticmethod(organisation_update)
    instance_kwarg = "organisation"
    form_field_querysets = {"parent": _orgs_for("core.add_organisation")}


class OrganisationInspectView(ScopedInspectView):
    selector_list = staticmethod(selectors.organisation_list)


class OrganisationViewSet(InsynModelViewSet):
    model = Organisation
    scope_selector = staticmethod(selectors.organisation_list)
    name = "organisations"
    icon = "site"
    menu_label = _("Organisations")
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = OrganisationIndexView
    add_view_class = OrganisationCreateView
    edit_view_class = OrganisationEditView
    inspect_view_class = OrganisationInspectView
    list_display = ["name", "kind", "organ_type", "parent", "is_controller", "is_archive_creator"]
    list_filter = ["kind", "organ_type", "country", "is_controller", "is_archive_creator"]
    search_fields = ["name", "short_name", "organisation_number"]
    form_fields = [
        "name",
        "short_name",
        "kind",
        "organ_type",
        "parent",
        "organisation_number",
        "country",
        "is_controller",
        "is_archive_creator",
        "email",
        "active",
    ]


# --- Role assignments ----------------------------------------------------------------


class RoleAssignmentIndexView(ScopedIndexView):
    selector_list = staticmethod(selectors.role_assignment_list)


class RoleAssignmentCreateView(ServiceCreateView):
    create_service = staticmethod(role_assign)

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        labels = {role.group_name: role.label for role in ROLES}
        # Groups are named in English (stable keys); people choose among translated role names.
        form.fields["role"].label_from_instance = lambda group: labels.get(group.name, group.name)
        return form

    form_field_querysets = {
        "organisation": _orgs_for("core.add_roleassignment"),
        "user": selectors.assignable_users,
        "role": selectors.assignable_roles,
    }


class RoleAssignmentDeleteView(ServiceDeleteView):
    selector_list = staticmethod(selectors.role_assignment_list)
    delete_service = staticmethod(role_revoke)
    instance_kwarg = "assignment"


class RoleAssignmentViewSet(InsynModelViewSet):
    """No edit view: a role is changed by revoking one assignment and granting another."""

    model = RoleAssignment
    scope_selector = staticmethod(selectors.role_assignment_list)
    name = "role_assignments"
    icon = "group"
    menu_label = _("Role assignments")
    copy_view_enabled = False
    index_view_class = RoleAssignmentIndexView
    add_view_class = RoleAssignmentCreateView
    delete_view_class = RoleAssignmentDeleteView
    list_display = ["user", "role", "organisation", "created_at"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    form_fields = ["user", "organisation", "role"]


# --- Audit trail (read only) ---------------------------------------------------------


class ReadOnlyPolicy(ScopedPermissionPolicy):
    def user_has_permission(self, user: Any, action: str) -> bool:
        if action in {"add", "change", "delete"}:
            return False
        return bool(user.has_perm("core.view_audit_trail"))


class AuditIndexView(ScopedIndexView):
    selector_list = staticmethod(selectors.audit_entry_list)


class AuditInspectView(ScopedInspectView):
    selector_list = staticmethod(selectors.audit_entry_list)


class AuditEntryViewSet(InsynModelViewSet):
    model = AuditEntry
    scope_selector = staticmethod(selectors.audit_entry_list)
    policy_class = ReadOnlyPolicy
    name = "audit_trail"
    icon = "history"
    menu_label = _("Audit trail")
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = AuditIndexView
    inspect_view_class = AuditInspectView
    list_display = ["id", "created_at", "actor_label", "action", "object_type", "object_label"]
    list_filter = ["action", "object_type", "created_at"]
    search_fields = ["actor_label", "object_label", "object_id", "reason"]
    ordering = ["-id"]
    inspect_view_fields = [
        "created_at",
        "actor_label",
        "organisation",
        "action",
        "object_type",
        "object_id",
        "object_label",
        "changes",
        "reason",
        "previous_hash",
        "entry_hash",
    ]
    form_fields: list[str] = []


class InsynAdminGroup(ViewSetGroup):
    menu_label = pgettext_lazy("admin menu", "Administration")
    menu_icon = "cogs"
    menu_order = 900
    items = (OrganisationViewSet, RoleAssignmentViewSet, AuditEntryViewSet)


# Users offered in any admin form: those of the actor's municipalities (the role form narrows further).
register_choice_scope(get_user_model(), selectors.municipality_users)
register_choice_scope(Group, selectors.assignable_roles)


@hooks.register("register_admin_viewset")
def register_viewsets() -> list[Any]:
    return [GoverningDocumentViewSet(), InsynAdminGroup()]


# --- Dashboard -----------------------------------------------------------------------


class ExpiringDocumentsPanel(Component):
    name = "expiring_documents"
    template_name = "core/panels/expiring_documents.html"
    order = 50

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        request = parent_context["request"]
        context: dict[str, Any] = super().get_context_data(parent_context)
        context["documents"] = list(selectors.governing_documents_expiring(actor=request.user, within_days=90)[:20])
        context["request"] = request
        context["today"] = timezone.localdate()
        return context


@hooks.register("construct_homepage_panels")
def add_expiring_documents_panel(request: Any, panels: list[Any]) -> None:
    panels.insert(0, ExpiringDocumentsPanel())


class RoleChangesPanel(Component):
    """Grants and revocations in the administrator's municipalities, whoever made them (an installation
    administrator included), so that a municipality sees every change to who may do what in it."""

    name = "role_changes"
    template_name = "core/panels/role_changes.html"
    order = 55

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        request = parent_context["request"]
        context: dict[str, Any] = super().get_context_data(parent_context)
        context["entries"] = list(selectors.role_changes_recent(actor=request.user, days=30)[:10])
        return context


@hooks.register("construct_homepage_panels")
def add_role_changes_panel(request: Any, panels: list[Any]) -> None:
    if request.user.has_perm("core.view_roleassignment") and request.user.has_perm("core.view_audit_trail"):
        panels.append(RoleChangesPanel())


# --- API documentation --------------------------------------------------------------


@hooks.register("register_settings_menu_item")
def register_api_docs_menu_item() -> MenuItem:
    return MenuItem(_("API documentation"), "/api/v1/docs", icon_name="code", order=900)
