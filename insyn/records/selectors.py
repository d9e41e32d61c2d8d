"""Reads of retention plans. Adopted and replaced plans are public documents; drafts are not."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from insyn.core.exceptions import NotFoundError
from insyn.core.permissions import organisation_q
from insyn.records.models import Activity, ClassificationNode, DocumentType, NodeLevel, PlanStatus, RetentionPlan
from insyn.records.plandata import (
    ActivityData,
    AreaData,
    DocumentTypeData,
    GroupData,
    PlanData,
    ProcessData,
    RetentionData,
    RevisionData,
)
from insyn.records.rules import fold

PUBLIC_STATUSES = (PlanStatus.ADOPTED, PlanStatus.REPLACED)


def plan_list(*, actor: Any, organisation_id: int | None = None, status: str | None = None) -> QuerySet[RetentionPlan]:
    """Published plans for anyone; drafts too where the actor may view plans of that municipality."""
    visible = Q(status__in=PUBLIC_STATUSES) | organisation_q(
        actor, "records.view_retentionplan", prefix="organisation__"
    )
    qs = RetentionPlan.objects.filter(visible).select_related("organisation", "organisation__municipality")
    if organisation_id:
        qs = qs.filter(Q(organisation_id=organisation_id) | Q(organisation__municipality_id=organisation_id))
    if status:
        qs = qs.filter(status=status)
    return qs


def plan_get(*, actor: Any, pk: Any) -> RetentionPlan:
    try:
        return plan_list(actor=actor).get(pk=pk)
    except (RetentionPlan.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def plan_admin_list(*, actor: Any) -> QuerySet[RetentionPlan]:
    """Plans of the municipalities where the actor works with plans (drafts included); the admin's scope.

    Another municipality's adopted plan is public on the web site and in the API, but it is not the
    actor's to work with, so the admin does not list it.
    """
    return RetentionPlan.objects.filter(
        organisation_q(actor, "records.view_retentionplan", prefix="organisation__")
    ).select_related("organisation", "organisation__municipality")


def document_type_admin_list(*, actor: Any) -> QuerySet[DocumentType]:
    return DocumentType.objects.filter(plan__in=plan_admin_list(actor=actor)).select_related(
        "plan", "plan__organisation", "activity", "activity__process"
    )


def editable_plans(*, actor: Any) -> QuerySet[RetentionPlan]:
    return RetentionPlan.objects.filter(
        organisation_q(actor, "records.change_retentionplan", prefix="organisation__", write=True)
    ).select_related("organisation")


def document_type_list(*, actor: Any, plan_id: int | None = None, action: str | None = None) -> QuerySet[DocumentType]:
    plans = plan_list(actor=actor)
    qs = DocumentType.objects.filter(plan__in=plans).select_related(
        "plan", "plan__organisation", "activity", "activity__process"
    )
    if plan_id:
        qs = qs.filter(plan_id=plan_id)
    if action:
        qs = qs.filter(action=action)
    return qs


def unclear_rules(*, actor: Any) -> QuerySet[DocumentType]:
    """Rows of draft plans whose retention text the parser could not read: for a person to structure.

    An adopted plan's unclear rows were confirmed when it was adopted and can no longer change.
    """
    return document_type_list(actor=actor, action="unclear").filter(
        plan__in=editable_plans(actor=actor), plan__status=PlanStatus.DRAFT
    )


def plan_tree(plan: RetentionPlan) -> list[ClassificationNode]:
    """Areas with groups, processes, activities and rows prefetched: four queries whatever the size."""
    rows = Prefetch(
        "document_types", queryset=DocumentType.objects.order_by("position").select_related("unclear_confirmation")
    )
    activities = Prefetch("activities", queryset=Activity.objects.order_by("position").prefetch_related(rows))
    nodes = list(ClassificationNode.objects.filter(plan=plan).order_by("position").prefetch_related(activities))
    children: dict[int | None, list[ClassificationNode]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    for node in nodes:
        node.child_nodes = children.get(node.pk, [])  # type: ignore[attr-defined]
    return children.get(None, [])


def plan_outline(plan: RetentionPlan) -> list[ClassificationNode]:
    """Areas → groups → processes with `document_type_count` on each, rows not loaded: two queries.

    The public table of contents of a plan; `plan_process` then reads one process.
    """
    per_process: dict[int, int] = dict(
        DocumentType.objects.filter(plan=plan)
        .order_by()  # no ORDER BY columns in the GROUP BY
        .values_list("activity__process_id")
        .annotate(count=Count("pk"))
        .values_list("activity__process_id", "count")
    )
    nodes = list(ClassificationNode.objects.filter(plan=plan).order_by("position"))
    children: dict[int | None, list[ClassificationNode]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)

    def count(node: ClassificationNode) -> int:
        total = per_process.get(node.pk, 0)
        for child in children.get(node.pk, []):
            total += count(child)
        node.child_nodes = children.get(node.pk, [])  # type: ignore[attr-defined]
        node.document_type_count = total  # type: ignore[attr-defined]
        return total

    roots = children.get(None, [])
    for root in roots:
        count(root)
    return roots


def plan_process(plan: RetentionPlan, process_id: int) -> ClassificationNode:
    """One process of the plan with its group and area, activities, rows and neighbours: four queries.

    Raises ClassificationNode.DoesNotExist when the plan has no such process.
    """
    rows = Prefetch("document_types", queryset=DocumentType.objects.order_by("position"))
    activities = Prefetch("activities", queryset=Activity.objects.order_by("position").prefetch_related(rows))
    process = (
        ClassificationNode.objects.select_related("parent__parent")
        .prefetch_related(activities)
        .get(plan=plan, level=NodeLevel.PROCESS, pk=process_id)
    )
    # Its neighbours in the plan's order, for "previous" and "next" links: one more query.
    order = list(
        ClassificationNode.objects.filter(plan=plan, level=NodeLevel.PROCESS)
        .order_by("position")
        .only("pk", "code", "name")
    )
    index = next(i for i, node in enumerate(order) if node.pk == process.pk)
    process.previous_process = order[index - 1] if index > 0 else None  # type: ignore[attr-defined]
    process.next_process = order[index + 1] if index + 1 < len(order) else None  # type: ignore[attr-defined]
    return process


def _row_data(row: DocumentType) -> DocumentTypeData:
    return DocumentTypeData(
        name=row.name,
        analog_format=row.analog_format,
        analog_storage=row.analog_storage,
        digital_format=row.digital_format,
        digital_storage=row.digital_storage,
        retention_text=row.retention_text,
        retention=RetentionData(
            action=row.action,
            period=row.period or None,
            trigger=row.trigger,
            trigger_event=row.trigger_event or None,
            align=row.align,
            sampling=row.sampling or None,
        ),
        archival_format=row.archival_format,
        remarks=row.remarks,
        legal_reference=row.legal_reference,
        personal_data=row.personal_data,
        sorting=row.sorting,
        delivery_deadline=row.delivery_deadline,
        original_or_copy=row.original_or_copy,
        reference_code=row.reference_code,
        disposal_authority=row.disposal_authority,
        secrecy=row.secrecy,
        extra=dict(row.extra or {}),
        retention_sources=dict(row.retention_sources or {}),
    )


def _own_name(node: ClassificationNode) -> str:
    """A level derived from a code alone is stored with the code as its name; it has no name of its own."""
    return "" if node.name == node.code else node.name


def plan_data(plan: RetentionPlan) -> PlanData:
    """The plan as plain data: the JSON export, and what exporters and the diff work on."""
    areas = []
    for area in plan_tree(plan):
        groups = []
        for group in area.child_nodes:  # type: ignore[attr-defined]
            processes = []
            for process in group.child_nodes:
                activities = [
                    ActivityData(name=a.name, document_types=[_row_data(r) for r in a.document_types.all()])
                    for a in process.activities.all()
                ]
                processes.append(ProcessData(process.code, _own_name(process), process.description, activities))
            groups.append(GroupData(group.code, _own_name(group), group.description, processes))
        areas.append(AreaData(area.code, _own_name(area), area.description, groups))
    return PlanData(
        title=plan.title,
        organisation=plan.organisation.name,
        adopted_by=plan.adopted_by,
        adopted_on=plan.adopted_on.isoformat() if plan.adopted_on else None,
        paragraph=plan.paragraph,
        version=plan.version,
        status=plan.status,
        scope=plan.scope,
        classification=plan.classification,
        areas=areas,
        revisions=[
            RevisionData(r.date.isoformat(), r.paragraph, r.description, r.version)
            for r in plan.revisions.order_by("position", "date")
        ],
    )


def document_type_search(*, query: str, plans: QuerySet[RetentionPlan]) -> QuerySet[DocumentType]:
    """Every word must occur in the row (name, storage, formats, retention, remarks), diacritics forgiven."""
    qs = DocumentType.objects.filter(plan__in=plans)
    for word in fold(query).split():
        qs = qs.filter(search_text__contains=word)
    return qs.select_related("plan", "plan__organisation", "activity", "activity__process").order_by(
        "plan_id", "position"
    )


def retention_pattern_list(*, actor: Any) -> QuerySet[Any]:
    from insyn.core.permissions import actor_scope
    from insyn.records.models import RetentionPattern

    scope = actor_scope(actor)
    if scope.is_superuser:
        return RetentionPattern.objects.all()
    municipalities = scope.municipalities_with("records.view_retentionpattern")
    return RetentionPattern.objects.filter(Q(municipality_id__in=municipalities) | Q(municipality__isnull=True))
