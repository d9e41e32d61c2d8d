"""Compare two versions of a plan: rows added, removed and changed field by field."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from insyn.records.plandata import DocumentTypeData, PlanData

RowKey = tuple[str, str, str]  # process code, activity, document type name


@dataclass
class RowChange:
    key: RowKey
    changes: dict[str, tuple[Any, Any]]


@dataclass
class PlanDiff:
    added: list[RowKey] = field(default_factory=list)
    removed: list[RowKey] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    plan_changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)

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
                        key = (process.code, activity.name, row.name)
                        n = 2
                        while key in rows:  # the same name twice in one activity: number them
                            key = (process.code, activity.name, f"{row.name} ({n})")
                            n += 1
                        rows[key] = row
    return rows


def _flat(row: DocumentTypeData) -> dict[str, Any]:
    data = asdict(row)
    data.pop("source_row", None)
    retention = data.pop("retention") or {}
    data.update({f"retention.{k}": v for k, v in retention.items()})
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
