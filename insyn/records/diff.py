"""Compare two versions of a plan: rows added, removed and changed field by field."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field, Model
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from insyn.records.plandata import DocumentTypeData, PlanData

RowKey = tuple[str, str, str]  # process code (its name in a plan without numbering), activity, document type name
# (label, before, after) as a person reads them: "Åtgärd", "Oklar", "Gallras".
LabelledChange = tuple[str, str, str]


def _model_field(model: type[Model], name: str) -> Field[Any, Any] | None:
    try:
        field = model._meta.get_field(name.removeprefix("retention."))
    except FieldDoesNotExist:  # a key of the plain data with no column
        return None
    return field if isinstance(field, Field) else None


def field_label(model: type[Model], name: str) -> str:
    """The field's verbose name in the user's language, e.g. `retention.action` → "Åtgärd"."""
    if name.startswith(("extra.", "retention_sources.")):  # one cell of a column without a field of its own
        prefix, label = name.split(".", 1)
        return f"{field_label(model, prefix)}: {label}"
    field = _model_field(model, name)
    return str(capfirst(field.verbose_name)) if field is not None else name


def value_label(model: type[Model], name: str, value: Any) -> str:
    """A value as the user reads it: choice labels ("Gallras" for `dispose`), yes/no, "–" for nothing."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    field = _model_field(model, name)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _labelled(model: type[Model], changes: dict[str, tuple[Any, Any]]) -> list[LabelledChange]:
    return [
        (field_label(model, name), value_label(model, name, before), value_label(model, name, after))
        for name, (before, after) in changes.items()
    ]


@dataclass
class RowChange:
    key: RowKey
    changes: dict[str, tuple[Any, Any]]

    def labelled(self) -> list[LabelledChange]:
        from insyn.records.models import DocumentType

        return _labelled(DocumentType, self.changes)


@dataclass
class PlanDiff:
    added: list[RowKey] = field(default_factory=list)
    removed: list[RowKey] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    plan_changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    def labelled_plan_changes(self) -> list[LabelledChange]:
        from insyn.records.models import RetentionPlan

        return _labelled(RetentionPlan, self.plan_changes)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.plan_changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": [list(k) for k in self.added],
            "removed": [list(k) for k in self.removed],
            "changed": [
                {"key": list(c.key), "changes": {f: list(v) for f, v in c.changes.items()}} for c in self.changed
            ],
            "plan_changes": {f: list(v) for f, v in self.plan_changes.items()},
        }


def _rows(plan: PlanData) -> dict[RowKey, DocumentTypeData]:
    rows: dict[RowKey, DocumentTypeData] = {}
    for area in plan.areas:
        for group in area.groups:
            for process in group.processes:
                for activity in process.activities:
                    for row in activity.document_types:
                        process_key = process.code or process.name
                        key = (process_key, activity.name, row.name)
                        n = 2
                        while key in rows:  # the same name twice in one activity: number them
                            key = (process_key, activity.name, f"{row.name} ({n})")
                            n += 1
                        rows[key] = row
    return rows


def _flat(row: DocumentTypeData) -> dict[str, Any]:
    data = asdict(row)
    data.pop("source_row", None)
    retention = data.pop("retention") or {}
    data.update({f"retention.{k}": v for k, v in retention.items()})
    for name in ("extra", "retention_sources"):  # compared cell by cell, each under its column's label
        data.update({f"{name}.{label}": text for label, text in (data.pop(name, None) or {}).items()})
    return data


def plan_diff(old: PlanData, new: PlanData) -> PlanDiff:
    result = PlanDiff()
    for name in ("title", "scope", "adopted_by", "adopted_on", "paragraph", "version"):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            result.plan_changes[name] = (before, after)
    old_rows, new_rows = _rows(old), _rows(new)
    result.added = [k for k in new_rows if k not in old_rows]
    result.removed = [k for k in old_rows if k not in new_rows]
    for key in new_rows.keys() & old_rows.keys():
        a, b = _flat(old_rows[key]), _flat(new_rows[key])
        changes = {f: (a.get(f), b.get(f)) for f in sorted(set(a) | set(b)) if a.get(f) != b.get(f)}
        if changes:
            result.changed.append(RowChange(key, changes))
    result.changed.sort(key=lambda c: c.key)
    return result
