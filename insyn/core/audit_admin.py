"""The audit trail in the admin: read only, scoped to the actor, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.template.loader import render_to_string
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column

from insyn.core import selectors
from insyn.core.admin_views import InsynModelViewSet, ScopedIndexView, ScopedInspectView, ScopedPermissionPolicy
from insyn.core.audit_display import change_table, entry_title, object_label, object_type_label
from insyn.core.models import AuditEntry


class ReadOnlyPolicy(ScopedPermissionPolicy):
    def user_has_permission(self, user: Any, action: str) -> bool:
        if action in {"add", "change", "delete"}:
            return False
        return bool(user.has_perm("core.view_audit_trail"))


class AuditIndexView(ScopedIndexView):
    selector_list = staticmethod(selectors.audit_entry_list)


class AuditInspectView(ScopedInspectView):
    selector_list = staticmethod(selectors.audit_entry_list)

    def get_page_subtitle(self) -> str:
        return entry_title(self.object)

    def get_object_type_display_value(self) -> str:
        return object_type_label(self.object.object_type)

    def get_object_label_display_value(self) -> str:
        return object_label(self.object)

    def get_changes_display_value(self) -> str:
        from insyn.core.personal_data import hidden_fields, hidden_fields_of_gone
        from insyn.core.selectors import audited_object

        instance = audited_object(self.object)
        hidden = (
            hidden_fields(self.request.user, instance)
            if instance is not None
            else hidden_fields_of_gone(self.object.object_type)
        )
        return render_to_string("core/audit/changes.html", {"table": change_table(self.object, hidden)})


def _label(field_name: str) -> Any:
    field = AuditEntry._meta.get_field(field_name)
    assert isinstance(field, models.Field)
    return capfirst(field.verbose_name)


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
    list_display = [
        "id",
        "created_at",
        "actor_label",
        "action",
        Column(
            "object_type",
            label=_label("object_type"),
            accessor=lambda entry: object_type_label(entry.object_type),
            sort_key="object_type",
        ),
        Column("object_label", label=_label("object_label"), accessor=object_label, sort_key="object_label"),
    ]
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
