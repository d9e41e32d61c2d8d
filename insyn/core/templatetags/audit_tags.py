"""Audit entries in templates, in the reader's language (insyn/core/audit_display.py)."""

from __future__ import annotations

from django import template

from insyn.core import audit_display
from insyn.core.models import AuditEntry

register = template.Library()


@register.filter
def audit_object_label(entry: AuditEntry) -> str:
    """The stored object label, its role names (a role assignment's) in the active language."""
    return audit_display.object_label(entry)


@register.filter
def audit_object_type(entry: AuditEntry) -> str:
    """The object type by its model's translated name: `officials.person` → "Osoba"."""
    return audit_display.object_type_label(entry.object_type)
