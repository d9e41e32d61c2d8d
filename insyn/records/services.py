"""Every change to a retention plan: import, edit (drafts only), adopt, new version."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core import validators
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from insyn.core.audit import audit_change, audit_record, diff, snapshot
from insyn.core.exceptions import ConflictError, ValidationFailed
from insyn.core.models import Organisation
from insyn.core.models.audit import AuditAction
from insyn.core.permissions import require_org_perm
from insyn.core.services.organisations import full_clean_or_raise
from insyn.records.models import (
    Activity,
    ClassificationNode,
    DocumentType,
    ITSystem,
    NodeLevel,
    PlanRevision,
    PlanStatus,
    RetentionAction,
    RetentionPlan,
)
from insyn.records.plandata import DocumentTypeData, PlanData, RetentionData
from insyn.records.rules import fold
from insyn.records.selectors import plan_data

CHANGE_PLAN = "records.change_retentionplan"
ADD_PLAN = "records.add_retentionplan"


class PlanFrozen(ConflictError):
    default_code = "plan_frozen"

    def __init__(self) -> None:
        super().__init__(_("This plan version is adopted and cannot be changed. Create a new version to revise it."))


class UnclearRulesUnconfirmed(ValidationFailed):
    """Adoption refused: some rules are `unclear` and nobody confirmed them with a reason."""

    default_code = "unclear_rules_unconfirmed"

    def __init__(self, rows: list[DocumentType]) -> None:
        names = "; ".join(f"{row.name} (id {row.pk})" for row in rows)
        super().__init__(
            _("Confirm each unclear retention rule with a reason before adopting: %(rows)s") % {"rows": names},
            detail={"unclear_rules": [{"id": row.pk, "name": row.name} for row in rows]},
        )
        self.rows = rows


class _DryRun(Exception):
    """Raised to roll back a dry-run import after it has counted what it would do."""


@dataclass
class ImportResult:
    plan: RetentionPlan | None
    created: bool = False
    replaced_content: bool = False
    unchanged: bool = False
    dry_run: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    unclear: list[str] = field(default_factory=list)


def _render_pdfs_later(plan: RetentionPlan) -> None:
    from insyn.records.tasks import render_plan_pdfs

    plan_id = plan.pk
    transaction.on_commit(lambda: render_plan_pdfs.enqueue(plan_id=plan_id))


def _require_draft(plan: RetentionPlan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise PlanFrozen()


def _search_text(row: DocumentType, activity_name: str, process: str) -> str:
    parts = [
        row.name,
        activity_name,
        process,
        row.analog_format,
        row.analog_storage,
        row.digital_format,
        row.digital_storage,
        row.retention_text,
        row.archival_format,
        row.remarks,
        row.legal_reference,
    ]
    return fold(" ".join(p for p in parts if p))


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


def _write_content(plan: RetentionPlan, data: PlanData) -> dict[str, int]:
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
                        row.search_text = _search_text(row, activity.name, f"{process.code} {process.name}")
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


def _parse_date(value: str | None, label: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(_("%(field)s is not a date: %(value)s") % {"field": label, "value": value}) from None


def plan_import(
    *, actor: Any, organisation: Organisation, data: PlanData, dry_run: bool = False, source: str = ""
) -> ImportResult:
    """Write `data` as a plan of `organisation`, or find that it is already there.

    Idempotent: the same file again changes nothing. A draft with the same
    title and version is overwritten; an adopted one is never touched.
    With `dry_run` everything is written and then rolled back, so the preview
    is exactly what a real import would do.
    """
    require_org_perm(actor, ADD_PLAN, organisation)
    if data.status not in PlanStatus.values:
        raise ValidationFailed(_("Unknown plan status: %(status)s") % {"status": data.status})
    adopted_on = _parse_date(data.adopted_on, "adopted_on")
    if data.status != PlanStatus.DRAFT and adopted_on is None:
        raise ValidationFailed(_("An adopted plan needs its adoption date."))
    result = ImportResult(plan=None, dry_run=dry_run)
    result.unclear = [row.name for row in data.document_types() if row.retention and row.retention.action == "unclear"]
    try:
        with transaction.atomic():
            existing = (
                RetentionPlan.objects.select_for_update()
                .filter(organisation=organisation, title=data.title, version=data.version, scope=data.scope)
                .order_by("-pk")
                .first()
            )
            if existing is not None:
                current = plan_data(existing)
                current.organisation = data.organisation or current.organisation
                if current.to_dict() == data.to_dict():
                    result.plan, result.unchanged = existing, True
                    result.counts = {"document_types": len(data.document_types())}
                    return result
                _require_draft(existing)
                ClassificationNode.objects.filter(plan=existing).delete()
                existing.revisions.all().delete()
                plan, result.replaced_content = existing, True
                for key, value in _plan_fields(data, adopted_on).items():
                    setattr(plan, key, value)
                plan.save()
            else:
                plan = RetentionPlan(organisation=organisation, **_plan_fields(data, adopted_on))
                # Rows are written while the plan is a draft; its status is set afterwards (triggers freeze it).
                plan.status = PlanStatus.DRAFT
                full_clean_or_raise(plan, exclude=["organisation"])
                plan.save()
                result.created = True
            result.counts = _write_content(plan, data)
            if data.status != PlanStatus.DRAFT:
                RetentionPlan.objects.filter(pk=plan.pk).update(status=data.status)
                plan.status = data.status
                _render_pdfs_later(plan)
            result.plan = plan
            audit_record(
                actor=actor,
                action=AuditAction.CREATE if result.created else AuditAction.UPDATE,
                obj=plan,
                organisation=organisation,
                changes={"import": source or "data", **result.counts},
                reason=_("Import"),
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


def _plan_fields(data: PlanData, adopted_on: dt.date | None) -> dict[str, Any]:
    return {
        "title": data.title,
        "scope": data.scope,
        "classification": data.classification,
        "adopted_by": data.adopted_by,
        "adopted_on": adopted_on,
        "paragraph": data.paragraph,
        "version": data.version,
        "status": data.status,
    }


PLAN_EDITABLE = {"title", "scope", "adopted_by", "adopted_on", "paragraph", "version", "classification"}
ROW_EDITABLE = {
    "name",
    "analog_format",
    "analog_storage",
    "digital_format",
    "digital_storage",
    "retention_text",
    "action",
    "period",
    "trigger",
    "trigger_event",
    "align",
    "sampling",
    "archival_format",
    "remarks",
    "legal_reference",
    "personal_data",
    "sorting",
    "delivery_deadline",
    "original_or_copy",
    "position",
    "activity",
}


@transaction.atomic
def plan_update(*, actor: Any, plan: RetentionPlan, reason: str = "", **data: Any) -> RetentionPlan:
    unknown = set(data) - PLAN_EDITABLE
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    locked = RetentionPlan.objects.select_for_update().select_related("organisation").get(pk=plan.pk)
    require_org_perm(actor, CHANGE_PLAN, locked.organisation)
    _require_draft(locked)
    before = snapshot(locked)
    for key, value in data.items():
        setattr(locked, key, value)
    full_clean_or_raise(locked)
    locked.save()
    audit_change(actor=actor, instance=locked, before=before, organisation=locked.organisation, reason=reason)
    return locked


@transaction.atomic
def document_type_update(*, actor: Any, document_type: DocumentType, reason: str = "", **data: Any) -> DocumentType:
    unknown = set(data) - ROW_EDITABLE
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    row = DocumentType.objects.select_related("plan", "plan__organisation", "activity__process").get(
        pk=document_type.pk
    )
    require_org_perm(actor, CHANGE_PLAN, row.plan.organisation)
    _require_draft(row.plan)
    if "activity" in data and data["activity"].plan_id != row.plan_id:
        raise ValidationFailed(_("The activity belongs to another plan."))
    before = snapshot(row)
    for key, value in data.items():
        setattr(row, key, "" if value is None and key not in {"personal_data", "activity"} else value)
    full_clean_or_raise(row, exclude=["search_text"])
    row.search_text = _search_text(row, row.activity.name, f"{row.activity.process.code} {row.activity.process.name}")
    row.save()
    audit_change(actor=actor, instance=row, before=before, organisation=row.plan.organisation, reason=reason)
    return row


@transaction.atomic
def document_type_create(*, actor: Any, activity: Activity, name: str, reason: str = "", **data: Any) -> DocumentType:
    plan = activity.plan
    require_org_perm(actor, CHANGE_PLAN, plan.organisation)
    _require_draft(plan)
    last = (
        DocumentType.objects.filter(activity=activity).order_by("-position").values_list("position", flat=True).first()
    )
    row = DocumentType(plan=plan, activity=activity, name=name, position=(last or activity.position) + 1)
    for key, value in data.items():
        if key not in ROW_EDITABLE:
            raise ValidationFailed(_("Unknown fields: %(fields)s") % {"fields": key})
        setattr(row, key, value)
    full_clean_or_raise(row, exclude=["search_text"])
    row.search_text = _search_text(row, activity.name, f"{activity.process.code} {activity.process.name}")
    row.save()
    audit_change(actor=actor, instance=row, before=None, organisation=plan.organisation, reason=reason)
    return row


@transaction.atomic
def document_type_delete(*, actor: Any, document_type: DocumentType, reason: str = "") -> None:
    plan = document_type.plan
    require_org_perm(actor, CHANGE_PLAN, plan.organisation)
    _require_draft(plan)
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=document_type,
        organisation=plan.organisation,
        changes=snapshot(document_type),
        reason=reason,
    )
    document_type.delete()


@transaction.atomic
def plan_adopt(
    *,
    actor: Any,
    plan: RetentionPlan,
    adopted_by: str,
    adopted_on: dt.date,
    paragraph: str,
    version: str,
    revision_note: str = "",
    unclear_confirmations: Mapping[int, str] | None = None,
) -> RetentionPlan:
    """Adopt a draft: it is frozen from now on and replaces the version it was made from.

    Every rule still `unclear` needs a confirmation in `unclear_confirmations` (document type id →
    reason, e.g. "se anmärkning, handled by hand"); they are stored before the plan is frozen and
    recorded on the adoption's audit entry.
    """
    locked = RetentionPlan.objects.select_for_update().select_related("organisation").get(pk=plan.pk)
    require_org_perm(actor, CHANGE_PLAN, locked.organisation)
    _require_draft(locked)
    if not adopted_by or not version:
        raise ValidationFailed(_("Say who adopted the plan and give the version."))
    confirmations = _confirm_unclear_rules(actor, locked, unclear_confirmations or {})
    before = snapshot(locked)
    previous = locked.previous_version
    if previous is not None:
        if previous.status != PlanStatus.ADOPTED:
            raise ConflictError(_("The version this draft was made from is no longer in force."))
        if previous.version == version:
            raise ValidationFailed(_("The new version needs a version number of its own."))
        last = locked.revisions.order_by("-position").values_list("position", flat=True).first()
        PlanRevision.objects.create(
            plan=locked,
            date=adopted_on,
            paragraph=paragraph,
            description=revision_note,
            version=version,
            position=(last if last is not None else -1) + 1,
        )
    locked.adopted_by, locked.adopted_on, locked.paragraph, locked.version = adopted_by, adopted_on, paragraph, version
    full_clean_or_raise(locked)
    locked.save()
    locked.status = PlanStatus.ADOPTED
    locked.save(update_fields=["status", "updated_at"])
    changes: dict[str, Any] = dict(diff(before, snapshot(locked)))
    if confirmations:
        changes["unclear_confirmations"] = confirmations
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        organisation=locked.organisation,
        changes=changes,
        reason=revision_note,
    )
    _render_pdfs_later(locked)
    if previous is not None:
        prev_before = snapshot(previous)
        previous.status = PlanStatus.REPLACED
        previous.save(update_fields=["status", "updated_at"])
        audit_change(actor=actor, instance=previous, before=prev_before, organisation=previous.organisation)
    return locked


def _confirm_unclear_rules(actor: Any, plan: RetentionPlan, given: Mapping[int, str]) -> list[dict[str, Any]]:
    """Store a confirmation for each unclear row of the (still draft) plan; refuse if one lacks a reason."""
    from insyn.records.models import UnclearRuleConfirmation

    rows = list(plan.document_types.filter(action=RetentionAction.UNCLEAR).order_by("position"))
    reasons = {int(key): str(value).strip() for key, value in given.items()}
    missing = [row for row in rows if not reasons.get(row.pk)]
    if missing:
        raise UnclearRulesUnconfirmed(missing)
    unknown = sorted(set(reasons) - {row.pk for row in rows})
    if unknown:
        raise ValidationFailed(
            _("Not an unclear rule of this plan: %(ids)s") % {"ids": ", ".join(str(pk) for pk in unknown)},
            code="not_unclear_rule",
        )
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) and getattr(actor, "pk", None) else None
    label = (user.get_username() if user is not None else str(actor))[:200]
    recorded = []
    for row in rows:
        UnclearRuleConfirmation.objects.update_or_create(
            document_type=row,
            defaults={
                "reason": reasons[row.pk],
                "confirmed_by": user,
                "confirmed_by_label": label,
                "confirmed_at": now,
            },
        )
        recorded.append({"document_type": row.pk, "name": row.name, "reason": reasons[row.pk]})
    return recorded


@transaction.atomic
def plan_new_version(*, actor: Any, plan: RetentionPlan, reason: str = "") -> RetentionPlan:
    """A draft copy of an adopted plan, to be edited and adopted in turn."""
    source = RetentionPlan.objects.select_for_update().select_related("organisation").get(pk=plan.pk)
    require_org_perm(actor, ADD_PLAN, source.organisation)
    if source.status != PlanStatus.ADOPTED:
        raise ConflictError(_("Only the version in force can be the base of a new version."))
    if RetentionPlan.objects.filter(previous_version=source, status=PlanStatus.DRAFT).exists():
        raise ConflictError(_("A draft of a new version already exists."))
    data = plan_data(source)
    draft = RetentionPlan.objects.create(
        organisation=source.organisation,
        title=source.title,
        scope=source.scope,
        classification=source.classification,
        adopted_by=source.adopted_by,
        paragraph="",
        version="",
        status=PlanStatus.DRAFT,
        previous_version=source,
    )
    counts = _write_content(draft, data)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=draft,
        organisation=source.organisation,
        changes={"new_version_of": source.pk, **counts},
        reason=reason,
    )
    return draft


@transaction.atomic
def plan_delete_draft(*, actor: Any, plan: RetentionPlan, reason: str = "") -> None:
    require_org_perm(actor, CHANGE_PLAN, plan.organisation)
    _require_draft(plan)
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=plan,
        organisation=plan.organisation,
        changes=snapshot(plan),
        reason=reason,
    )
    plan.delete()


PATTERN_FIELDS = {
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
}


@transaction.atomic
def retention_pattern_create(*, actor: Any, municipality: Organisation | None, **data: Any) -> Any:
    """A user's grammar rule; installation-wide (municipality None) is for installation administrators."""
    from insyn.core.exceptions import PermissionDeniedError
    from insyn.core.permissions import actor_scope
    from insyn.records.models import RetentionPattern

    if municipality is None:
        if not actor_scope(actor).is_superuser:
            raise PermissionDeniedError()
    else:
        require_org_perm(actor, "records.add_retentionpattern", municipality)
    unknown = set(data) - PATTERN_FIELDS
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    pattern = RetentionPattern(municipality=municipality, **data)
    full_clean_or_raise(pattern, exclude=["municipality"])
    pattern.save()
    audit_change(actor=actor, instance=pattern, before=None, organisation=municipality)
    return pattern


@transaction.atomic
def retention_pattern_update(*, actor: Any, pattern: Any, **data: Any) -> Any:
    from insyn.core.exceptions import PermissionDeniedError
    from insyn.core.permissions import actor_scope

    if pattern.municipality is None:
        if not actor_scope(actor).is_superuser:
            raise PermissionDeniedError()
    else:
        require_org_perm(actor, "records.change_retentionpattern", pattern.municipality)
    unknown = set(data) - PATTERN_FIELDS - {"municipality"}
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    before = snapshot(pattern)
    data.pop("municipality", None)  # a pattern stays where it was made
    for key, value in data.items():
        setattr(pattern, key, value)
    full_clean_or_raise(pattern)
    pattern.save()
    audit_change(actor=actor, instance=pattern, before=before, organisation=pattern.municipality)
    return pattern


@transaction.atomic
def retention_pattern_delete(*, actor: Any, pattern: Any) -> None:
    from insyn.core.exceptions import PermissionDeniedError
    from insyn.core.permissions import actor_scope

    if pattern.municipality is None:
        if not actor_scope(actor).is_superuser:
            raise PermissionDeniedError()
    else:
        require_org_perm(actor, "records.change_retentionpattern", pattern.municipality)
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=pattern,
        organisation=pattern.municipality,
        changes=snapshot(pattern),
    )
    pattern.delete()
