"""The import preview: every row of a read plan as it will be stored, and the archivist's fixes to unclear rules.

`build_preview` wraps a `PlanData` for the template (tree as stored, rows needing attention first);
`unclear_choices` gives, per unclear row (keyed by its row in the file), the rules its text could mean;
`apply_choices` writes the chosen ones into the `PlanData` before `services.plan_import` stores it.
Choices are always recomputed from the file on the server: a posted value is only an index into them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.safestring import SafeString

from insyn.records.plandata import DocumentTypeData, PlanData, RetentionData
from insyn.records.retention import GrammarRule
from insyn.records.retention_display import (
    detail_items,
    distinct_candidates,
    mark_spans,
    reading_of,
    retention_words,
    same_rule,
)
from insyn.records.retention_reader import RetentionReading


@dataclass
class RowPreview:
    row: DocumentTypeData
    key: str  # the row's key in the confirmation form (see `row_key`)
    anchor: str
    retention_html: SafeString
    words: str
    unclear: bool
    candidates: list[RetentionData]
    details: list[tuple[str, str]]
    extras: list[tuple[str, str]]
    sources: list[tuple[str, str]]
    warnings: list[Any] = field(default_factory=list)

    @property
    def needs_attention(self) -> bool:
        return self.unclear or bool(self.warnings)


@dataclass
class ActivityPreview:
    name: str
    rows: list[RowPreview]


@dataclass
class ProcessPreview:
    code: str
    name: str
    description: str
    activities: list[ActivityPreview]
    attention: int = 0

    @property
    def row_count(self) -> int:
        return sum(len(activity.rows) for activity in self.activities)


@dataclass
class GroupPreview:
    code: str
    name: str
    processes: list[ProcessPreview]


@dataclass
class AreaPreview:
    code: str
    name: str
    groups: list[GroupPreview]


@dataclass
class ImportPreview:
    areas: list[AreaPreview]
    attention: list[RowPreview]  # unclear rows and rows with warnings, in file order
    plan_warnings: list[Any]  # warnings of no single row
    row_count: int
    extra_labels: list[str] = field(default_factory=list)  # columns kept verbatim as extra information


def row_key(row: DocumentTypeData, index: int) -> str:
    """A row's key in the form: its row in the file (stable between preview and confirm), else its position."""
    return str(row.source_row) if row.source_row is not None else f"n{index}"


def _warnings_by_row(data: PlanData) -> tuple[dict[int, list[Any]], list[Any]]:
    by_row: dict[int, list[Any]] = {}
    general: list[Any] = []
    for warning in getattr(data, "warnings", None) or []:
        row = getattr(warning, "row", None)
        (by_row.setdefault(row, []) if row is not None else general).append(warning)
    return by_row, general


class Readings:
    """Readings of retention texts, each distinct text read once (plans repeat the same texts many times)."""

    def __init__(self, lang: str, rules: Iterable[GrammarRule] = ()) -> None:
        self.lang, self.rules = lang, list(rules)
        self._known: dict[str, RetentionReading] = {}

    def __call__(self, text: str) -> RetentionReading:
        if text not in self._known:
            self._known[text] = reading_of(text, self.lang, self.rules)
        return self._known[text]


def _row_preview(row: DocumentTypeData, index: int, readings: Readings, warnings: list[Any]) -> Any:
    retention = row.retention or RetentionData()
    reading = readings(row.retention_text) if row.retention_text else None
    unclear = retention.action == "unclear"
    spans = list(reading.spans) if reading is not None and (unclear or same_rule(reading.retention, retention)) else []
    candidates = distinct_candidates(reading) if unclear and reading is not None else []
    return RowPreview(
        row=row,
        key=row_key(row, index),
        anchor=f"row-{row_key(row, index)}",
        retention_html=mark_spans(row.retention_text, spans),
        words=retention_words(retention),
        unclear=unclear,
        candidates=candidates,
        details=detail_items(row),
        extras=[(label, value) for label, value in (getattr(row, "extra", None) or {}).items() if value],
        sources=[(label, value) for label, value in (getattr(row, "retention_sources", None) or {}).items() if value],
        warnings=warnings,
    )


def build_preview(data: PlanData, *, readings: Readings) -> ImportPreview:
    by_row, general = _warnings_by_row(data)
    attention: list[RowPreview] = []
    extra_labels: list[str] = []
    index = 0
    areas = []
    for area in data.areas:
        groups = []
        for group in area.groups:
            processes = []
            for process in group.processes:
                activities = []
                count = 0
                for activity in process.activities:
                    rows = []
                    for row in activity.document_types:
                        preview = _row_preview(row, index, readings, by_row.get(row.source_row or -1, []))
                        index += 1
                        rows.append(preview)
                        extra_labels.extend(label for label, _ in preview.extras if label not in extra_labels)
                        if preview.needs_attention:
                            attention.append(preview)
                            count += 1
                    activities.append(ActivityPreview(activity.name, rows))
                processes.append(ProcessPreview(process.code, process.name, process.description, activities, count))
            groups.append(GroupPreview(group.code, group.name, processes))
        areas.append(AreaPreview(area.code, area.name, groups))
    return ImportPreview(
        areas=areas, attention=attention, plan_warnings=general, row_count=index, extra_labels=extra_labels
    )


def unclear_choices(data: PlanData, *, readings: Readings) -> dict[str, Any]:
    """Per unclear row with something to choose: key → (row, candidate rules). Read again from the text."""
    out: dict[str, Any] = {}
    for index, row in enumerate(data.document_types()):
        if row.retention is not None and row.retention.action != "unclear":
            continue
        if not row.retention_text:
            continue
        candidates = distinct_candidates(readings(row.retention_text))
        if candidates:
            out[row_key(row, index)] = (row, candidates)
    return out


def apply_choices(choices: dict[str, Any], chosen: dict[str, int]) -> int:
    """Set each chosen row's rule to its candidate number `chosen[key]`; return how many rows changed."""
    changed = 0
    for key, number in chosen.items():
        row, candidates = choices[key]
        row.retention = replace(candidates[number])
        changed += 1
    return changed
