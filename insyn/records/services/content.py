"""Writing a plan's content (areas, groups, processes, activities, document types, revisions) in bulk.

Used by the import and by a new version, which copies the version in force.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from django.core import validators
from django.core.exceptions import ValidationError
from django.db import connection, models

from insyn.core.exceptions import ValidationFailed
from insyn.core.services.organisations import full_clean_or_raise
from insyn.records.models import (
    Activity,
    ClassificationNode,
    DocumentType,
    ITSystem,
    NodeLevel,
    PlanRevision,
    RetentionPlan,
)
from insyn.records.plandata import DocumentTypeData, PlanData, RetentionData
from insyn.records.services._common import search_text


def _retention_fields(retention: RetentionData | None) -> dict[str, Any]:
    r = retention or RetentionData()
    return {
        "action": r.action,
        "period": r.period or "",
        "trigger": r.trigger,
        "trigger_event": r.trigger_event or "",
        "align": r.align,
        "sampling": r.sampling or "",
    }


def _systems_named(text: str, systems: list[ITSystem]) -> list[ITSystem]:
    words = {w.strip().lower() for w in re.split(r"[/,;]| och ", text) if w.strip()}
    return [s for s in systems if s.name.lower() in words]


# Fields whose validated Python value is what the database driver takes: no get_db_prep_save per value.
_PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.PositiveIntegerField,
    models.BooleanField,
)


def _foreign_key(obj: Any, field: Any) -> Any:
    """The key: set directly, or the pk its object got once inserted (it was unsaved when assigned)."""
    value = getattr(obj, field.attname)
    if value is None:
        related = field.get_cached_value(obj, None)
        value = None if related is None else related.pk
    return value


def _insert_all(objects: list[Any]) -> None:
    """Insert unsaved, validated objects of one model; each gets its pk, as from `bulk_create`.

    What `bulk_create` does (multi-row INSERT … RETURNING the pks, in batches within the
    database's parameter limit) without compiling every value through the ORM, which was half of
    an import's write on SQLite: plain fields pass their value as it is, foreign keys their object's
    pk (given by the level inserted before), any other field `get_db_prep_save` as the ORM would.
    PostgreSQL keeps `bulk_create`, whose INSERT … SELECT FROM UNNEST (one array per column) is
    faster there than 30 parameters per row (bench: docs/benchmarks.md, "XLSX import speed").
    """
    if not objects:
        return
    model = type(objects[0])
    if connection.vendor != "sqlite" or not connection.features.can_return_rows_from_bulk_insert:
        model.objects.bulk_create(objects, batch_size=500)  # each object gets its pk on PostgreSQL too
        return
    meta = model._meta
    fields = [f for f in meta.local_concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    getters: list[Any] = []
    for f in fields:
        if f.many_to_one:
            getters.append(lambda obj, f=f: _foreign_key(obj, f))
        elif type(f) in _PLAIN_FIELDS:
            getters.append(lambda obj, name=f.attname: getattr(obj, name))
        else:
            getters.append(lambda obj, f=f: f.get_db_prep_save(f.pre_save(obj, True), connection))
    values = [[get(obj) for get in getters] for obj in objects]
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # Table and column names from the model, quoted; every value is a parameter.
    into = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "  # noqa: S608
    size = max(1, min(500, (connection.features.max_query_params or 65535) // len(fields)))
    for start in range(0, len(objects), size):
        batch = values[start : start + size]
        with connection.cursor() as cursor:
            cursor.execute(
                into + ", ".join([row] * len(batch)) + f" RETURNING {quote(meta.pk.column)}",
                [value for row_values in batch for value in row_values],
            )
            pks = [returned[0] for returned in cursor.fetchall()]
        for obj, pk in zip(objects[start : start + size], pks, strict=True):
            obj.pk = pk
            obj._state.adding, obj._state.db = False, connection.alias


def write_content(plan: RetentionPlan, data: PlanData) -> dict[str, int]:
    systems = list(ITSystem.objects.filter(municipality_id=plan.organisation.municipality_id))
    counts = {"areas": 0, "groups": 0, "processes": 0, "activities": 0, "document_types": 0}
    position = 0
    rows: list[DocumentType] = []
    row_systems: list[list[ITSystem]] = []
    # Validated as they are read, written a level at a time (bulk_create gives each its pk, which the
    # next level's foreign keys take): 5 statements instead of one per node and activity.
    levels: dict[str, list[ClassificationNode]] = {NodeLevel.AREA: [], NodeLevel.GROUP: [], NodeLevel.PROCESS: []}
    activities: list[Activity] = []

    def node(
        level: str, parent: ClassificationNode | None, code: str, name: str, description: str
    ) -> ClassificationNode:
        nonlocal position
        position += 1
        obj = ClassificationNode(
            # A sheet with process codes only gives areas and groups no name: the code stands in.
            plan=plan,
            parent=parent,
            level=level,
            code=code,
            name=name or code,
            description=description,
            position=position,
        )
        full_clean_or_raise(obj, exclude=["plan", "parent"])
        levels[level].append(obj)
        return obj

    for area in data.areas:
        area_node = node(NodeLevel.AREA, None, area.code, area.name, area.description)
        counts["areas"] += 1
        for group in area.groups:
            group_node = node(NodeLevel.GROUP, area_node, group.code, group.name, group.description)
            counts["groups"] += 1
            for process in group.processes:
                process_node = node(NodeLevel.PROCESS, group_node, process.code, process.name, process.description)
                counts["processes"] += 1
                for activity_data in process.activities:
                    position += 1
                    activity = Activity(plan=plan, process=process_node, name=activity_data.name, position=position)
                    # Lengths checked here, not by the database: PostgreSQL answers a too long name with an error.
                    full_clean_or_raise(activity, exclude=["plan", "process"], validate_constraints=False)
                    activities.append(activity)
                    counts["activities"] += 1
                    for row_data in activity_data.document_types:
                        position += 1
                        row = _row_from_data(plan, activity, row_data, position)
                        row.search_text = search_text(row, activity.name, f"{process.code} {process.name}")
                        rows.append(row)
                        row_systems.append(_systems_named(row.digital_storage, systems))
    for level_nodes in levels.values():
        _insert_all(level_nodes)
    _insert_all(activities)
    _insert_all(rows)
    counts["document_types"] = len(rows)
    through = DocumentType.it_systems.through
    links = [
        through(documenttype_id=row.pk, itsystem_id=system.pk)
        for row, linked in zip(rows, row_systems, strict=True)
        for system in linked
    ]
    through.objects.bulk_create(links, batch_size=500)
    for index, revision in enumerate(data.revisions):
        plan_revision = PlanRevision(
            plan=plan,
            date=dt.date.fromisoformat(revision.date),
            paragraph=revision.paragraph,
            description=revision.description,
            version=revision.version,
            position=index,
        )
        full_clean_or_raise(plan_revision, exclude=["plan"], validate_constraints=False)
        plan_revision.save()
    return counts


_ROW_EXCLUDE = ("plan", "activity", "search_text")


def _field_check(f: Any) -> tuple[str, Any] | None:
    """(attname, test): `test(value)` only if `f.clean(value)` passes and returns `value` itself; None if unsure."""
    if f.primary_key and f.blank:  # not yet inserted: None, which clean_fields and validate_unique skip
        return f.attname, lambda v: v is None
    limits = list(f.validators)
    if isinstance(f, models.JSONField) and not limits and f.encoder is None:
        # Cells by their labels: strings only, which json.dumps always takes.
        return f.attname, lambda v: type(v) is dict and all(type(k) is str and type(t) is str for k, t in v.items())
    if isinstance(f, models.BooleanField) and not limits and f.choices is None:
        return f.attname, lambda v: type(v) is bool or (v is None and f.null and f.blank)
    if isinstance(f, models.IntegerField) and not f.primary_key:
        low, high = -(2**63), 2**63 - 1
        for limit in limits:
            if type(limit) is validators.MinValueValidator and type(limit.limit_value) is int:
                low = max(low, limit.limit_value)
            elif type(limit) is validators.MaxValueValidator and type(limit.limit_value) is int:
                high = min(high, limit.limit_value)
            else:
                return None
        if f.choices is not None:
            return None
        return f.attname, lambda v: type(v) is int and low <= v <= high
    if type(f) in (models.CharField, models.TextField):
        if any(
            not (type(limit) is validators.MaxLengthValidator and limit.limit_value == f.max_length) for limit in limits
        ):
            return None
        longest = f.max_length if f.max_length is not None else float("inf")
        allowed = None if f.choices is None else {key for key, _label in f.flatchoices}
        return (
            f.attname,
            lambda v: (
                type(v) is str
                and len(v) <= longest
                and (v != "" or f.blank)
                and (allowed is None or v == "" or v in allowed)
            ),
        )
    return None


@functools.cache
def _row_checks() -> list[tuple[str, Any]] | None:
    """Per-field tests equivalent to `full_clean(exclude=_ROW_EXCLUDE)` passing for a DocumentType; None if unsure."""
    checks: list[tuple[str, Any]] | None = []
    meta = DocumentType._meta
    # validate_unique: only the pk, None before the insert (no unique_together, unique or unique_for_date).
    dated = ("unique_for_date", "unique_for_year", "unique_for_month")
    if (
        meta.unique_together
        or meta.parents
        or any((f.unique and not f.primary_key) or any(getattr(f, name) for name in dated) for f in meta.fields)
    ):
        checks = None
    for f in meta.fields:
        if checks is None or f.name in _ROW_EXCLUDE:
            continue
        check = None if f.generated or (not f.editable and not f.primary_key) else _field_check(f)
        if check is None:
            checks = None
        else:
            checks.append(check)
    return checks


def _row_is_valid(row: DocumentType) -> bool:
    """True when `full_clean` would pass without changing a value: the row's fields and its clean().

    Most rows of an import are; asking `full_clean` for each was half an import's write. A row this
    cannot vouch for goes through `full_clean` as before, which gives the error messages.
    """
    checks = _row_checks()
    if checks is None:
        return False
    if not all(test(getattr(row, name)) for name, test in checks):
        return False
    try:
        row.clean()
    except ValidationError:  # full_clean reports it
        return False
    return True


def _row_from_data(plan: RetentionPlan, activity: Activity, data: DocumentTypeData, position: int) -> DocumentType:
    row = DocumentType(
        plan=plan,
        activity=activity,
        name=data.name,
        analog_format=data.analog_format,
        analog_storage=data.analog_storage,
        digital_format=data.digital_format,
        digital_storage=data.digital_storage,
        retention_text=data.retention_text,
        archival_format=data.archival_format,
        remarks=data.remarks,
        legal_reference=data.legal_reference,
        personal_data=data.personal_data,
        sorting=data.sorting,
        delivery_deadline=data.delivery_deadline,
        original_or_copy=data.original_or_copy,
        reference_code=data.reference_code,
        disposal_authority=data.disposal_authority,
        secrecy=data.secrecy,
        extra=dict(data.extra),
        retention_sources=dict(data.retention_sources),
        position=position,
        **_retention_fields(data.retention),
    )
    if _row_is_valid(row):
        return row
    try:
        # The row's check constraints are in clean() and in the database; asking the database for each of
        # 5,000 rows was 30,000 queries and 80 % of an import (bench/plan_import.py).
        full_clean_or_raise(row, exclude=["plan", "activity", "search_text"], validate_constraints=False)
    except ValidationFailed as exc:
        where = f" (row {data.source_row})" if data.source_row else ""
        raise ValidationFailed(f"{data.name}{where}: {exc.message}", detail=exc.detail) from exc
    return row
