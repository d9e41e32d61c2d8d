"""How an audit entry reads to a person: object types and fields by their translated names, the change set
as rows of field, old and new value. Display only: the stored entry (and so its hash) is never touched."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from insyn.core.audit import MASKED
from insyn.core.models.audit import AuditAction, AuditEntry
from insyn.core.roles import translate_role_names

# Object types that name no model: a log line about an operation rather than about one row.
PSEUDO_TYPES = {
    "officials.import": _("Import of persons (Popolo)"),
}
# Stored labels that hold role names (RoleAssignment.__str__, a group's name).
_LABELS_WITH_ROLES = {"core.roleassignment", "auth.group"}
# Actions whose changes are {field: [old, new]}.
_DIFF_ACTIONS = {AuditAction.CREATE, AuditAction.UPDATE}
EMPTY = "–"


@dataclass(frozen=True)
class ChangeRow:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class ChangeTable:
    rows: list[ChangeRow]
    has_old_and_new: bool


def model_for(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    """`officials.person` → "person" in the active language ("osoba"); an unknown type stays as stored."""
    if object_type in PSEUDO_TYPES:
        return str(capfirst(PSEUDO_TYPES[object_type]))
    model = model_for(object_type)
    if model is None:
        return object_type
    return str(capfirst(model._meta.verbose_name))


def object_label(entry: AuditEntry) -> str:
    if entry.object_type in _LABELS_WITH_ROLES:
        return translate_role_names(entry.object_label)
    return entry.object_label


def entry_title(entry: AuditEntry) -> str:
    """The entry as a heading: "#12 Ändra Förtroendevald Anna Andersson" (AuditEntry.__str__ is the raw one)."""
    parts = [f"#{entry.pk}", str(entry.get_action_display()), object_type_label(entry.object_type), object_label(entry)]
    return " ".join(part for part in parts if part)


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _field_label(field: models.Field[Any, Any] | None, name: str) -> str:
    if field is None:
        return name
    return str(capfirst(field.verbose_name))


def _value(field: models.Field[Any, Any] | None, value: Any) -> str:
    """A stored value as text: a choice by its label, masked values as stored ("***")."""
    if value is None or value == "":
        return EMPTY
    if field is not None and field.choices:
        choices = {str(key): label for key, label in field.flatchoices}
        if str(value) in choices:
            return str(choices[str(value)])
    if isinstance(value, bool):
        return str(_("Yes")) if value else str(_("No"))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _is_diff(changes: dict[str, Any]) -> bool:
    return all(isinstance(pair, list) and len(pair) == 2 for pair in changes.values())


def _mask_values(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [MASKED if item not in (None, "") else item for item in value]
    return MASKED if value not in (None, "") else value


def change_table(entry: AuditEntry, hidden: frozenset[str] = frozenset()) -> ChangeTable:
    """The change set of `entry` as rows: [old, new] pairs of a create or update; the last values of a
    deleted object as old values; any other change set (a read, a login, an import) as field and value.
    Values of the `hidden` fields (`personal_data.hidden_fields` for the viewer) show masked."""
    changes = entry.changes if isinstance(entry.changes, dict) else {"": entry.changes}
    if hidden:
        changes = {name: (_mask_values(value) if name in hidden else value) for name, value in changes.items()}
    model = model_for(entry.object_type)
    rows = []
    if entry.action in _DIFF_ACTIONS and _is_diff(changes):
        for name, (old, new) in changes.items():
            field = _field(model, name)
            rows.append(ChangeRow(_field_label(field, name), _value(field, old), _value(field, new)))
        return ChangeTable(rows, has_old_and_new=True)
    if entry.action == AuditAction.READ and isinstance(changes.get("fields"), list):
        names = [_field_label(_field(model, str(name)), str(name)) for name in changes["fields"]]
        return ChangeTable([ChangeRow(str(_("Fields read")), "", ", ".join(names))], has_old_and_new=False)
    if entry.action == AuditAction.DELETE:
        for name, old in changes.items():
            field = _field(model, name)
            rows.append(ChangeRow(_field_label(field, name), _value(field, old), EMPTY))
        return ChangeTable(rows, has_old_and_new=True)
    for name, value in changes.items():
        field = _field(model, name)
        rows.append(ChangeRow(_field_label(field, name), "", _value(field, value)))
    return ChangeTable(rows, has_old_and_new=False)
