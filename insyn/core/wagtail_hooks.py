from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms.account import NameEmailForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.search import SearchArea
from wagtail.admin.ui.components import Component
from wagtail.admin.views.account import NameEmailSettingsPanel
from wagtail.admin.viewsets.base import ViewSetGroup

from insyn.core import selectors
from insyn.core.admin_views import (
    InsynModelViewSet,
    ScopedIndexView,
    ScopedInspectView,
    ServiceCreateView,
    ServiceDeleteView,
    ServiceEditView,
    register_choice_scope,
)
from insyn.core.audit_admin import AuditEntryViewSet
from insyn.core.forms import KeptFileInput, discard_kept_upload, keep_upload, kept_upload
from insyn.core.log_actions import register_insyn_log_actions
from insyn.core.models import GoverningDocument, Organisation, RoleAssignment
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


class KeepUploadMixin:
    """A refused form keeps its upload (`insyn.core.forms.keep_upload`): the form says which file is kept and
    saves it when sent again without another file; the banner says so too."""

    request: Any
    upload_field = "file"
    kept_token: str | None = None

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()  # type: ignore[misc]
        name = self.upload_field
        post = self.request.POST
        files = kwargs.get("files")
        token = post.get(f"{name}-kept", "")
        if files is not None and token and not files.get(name) and not post.get(f"{name}-clear"):
            upload = kept_upload(self.request, token)
            if upload is not None:
                files = files.copy()
                files[name] = upload
                kwargs["files"] = files
                self.kept_token = token
        return kwargs

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)  # type: ignore[misc]
        if self.upload_field in form.fields:
            widget = form.fields[self.upload_field].widget
            form.fields[self.upload_field].widget = KeptFileInput(attrs=widget.attrs)
        return form

    def form_valid(self, form: Any) -> Any:
        response = super().form_valid(form)  # type: ignore[misc]
        if self.kept_token and getattr(response, "status_code", 200) in (301, 302, 303):
            discard_kept_upload(self.request, self.kept_token)
        return response

    def form_invalid(self, form: Any) -> Any:
        name = self.upload_field
        upload = form.files.get(name) if form.files else None
        if upload is not None and name in form.fields and name not in form.errors:
            token = self.kept_token or keep_upload(self.request, upload)
            form.fields[name].widget.kept = (token, upload.name)
            kept = gettext("The file %(name)s is kept: you need not choose it again.") % {"name": upload.name}
            message = getattr(self, "produced_error_message", None) or ""
            self.produced_error_message = f"{message} {kept}".strip()
        return super().form_invalid(form)  # type: ignore[misc]


class DocumentCreateView(KeepUploadMixin, ServiceCreateView):
    create_service = staticmethod(governing_document_create)
    form_field_querysets = {
        "organisation": _orgs_for("core.add_governingdocument"),
        "replaced_by": _documents_visible,
    }


class DocumentEditView(KeepUploadMixin, ServiceEditView):
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


EMPTY = "—"


class ReadableInspectMixin:
    """What an inspect view shows a person: "—" for an empty value (never "None"), times in the admin's time
    zone (the user's Wagtail setting, else TIME_ZONE; Wagtail's template would print them in UTC)."""

    object: Any

    def get_field_display_value(self, field_name: str, field: Any) -> Any:
        custom = callable(getattr(self, f"get_{field_name}_display_value", None))
        if not custom and field is not None and getattr(field, "concrete", False):
            raw = getattr(self.object, field_name, None)
            if raw is None or raw == "" or (field.get_internal_type() == "FileField" and not raw):
                return EMPTY
        value = super().get_field_display_value(field_name, field)  # type: ignore[misc]
        if isinstance(value, dt.datetime):
            return date_format(timezone.localtime(value), "DATETIME_FORMAT")
        return value


class DocumentInspectView(ReadableInspectMixin, ScopedInspectView):
    selector_list = staticmethod(selectors.governing_document_list)

    def get_file_display_value(self) -> Any:
        """A link to the protected download (insyn/core/files.py), never to the stored path."""
        if not self.object.file:
            return EMPTY
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
    # Choices exported as their labels ("In force"), never as stored codes ("in_force").
    list_export = [
        "title",
        "get_document_type_display",
        "organisation",
        "decision_body",
        "decision_date",
        "paragraph",
        "registration_number",
        "version",
        "valid_from",
        "valid_until",
        "review_date",
        "get_status_display",
    ]
    export_headings = {
        "get_document_type_display": capfirst(GoverningDocument._meta.get_field("document_type").verbose_name),
        "get_status_display": capfirst(GoverningDocument._meta.get_field("status").verbose_name),
    }
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


class OrganisationInspectView(ReadableInspectMixin, ScopedInspectView):
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


class InsynAdminGroup(ViewSetGroup):
    menu_label = pgettext_lazy("admin menu", "Administration")
    menu_icon = "cogs"
    menu_order = 900
    items = (OrganisationViewSet, RoleAssignmentViewSet, AuditEntryViewSet)


# Users offered in any admin form: those of the actor's municipalities (the role form narrows further).
register_choice_scope(get_user_model(), selectors.municipality_users)
register_choice_scope(Group, selectors.assignable_roles)


hooks.register("register_log_actions", register_insyn_log_actions)  # audit actions in Wagtail's log


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


# --- Search across the apps ------------------------------------------------------------


class InsynSearchArea(SearchArea):
    """First in order, so the sidebar's search box asks every Insyn app (`insyn.core.search`); Wagtail's
    page, image and document searches stay one click away under "Other searches"."""

    def is_shown(self, request: Any) -> bool:
        return bool(request.user.is_authenticated)


@hooks.register("register_admin_search_area")
def register_insyn_search_area() -> SearchArea:
    return InsynSearchArea(_("Registers"), reverse("insyn_search"), name="insyn", icon_name="search", order=50)


# Before Wagtail's own admin URLs (its viewsets' URLs come from a hook of order 0): the first match wins.
@hooks.register("register_admin_urls", order=-10)
def register_admin_urls() -> list[Any]:
    from django.urls import path

    from insyn.core.admin_views import api_token_create_view
    from insyn.core.views import admin_search

    return [
        path("search/", admin_search, name="insyn_search"),
        path("api-tokens/new/", api_token_create_view()),
    ]


# --- Account: the language can be changed alone ----------------------------------------


class OptionalNameEmailForm(NameEmailForm):
    """Wagtail's name and e-mail form requires all three, and the account page saves its panels together: a
    user without a name could not change their language. The model allows them blank, and so does Insyn."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


# Wagtail's account view has no setting for this form; its panel reads the class attribute.
NameEmailSettingsPanel.form_class = OptionalNameEmailForm
