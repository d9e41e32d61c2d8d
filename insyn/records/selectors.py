"""Reads of retention plans. Adopted and replaced plans are public documents; drafts are not."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.exceptions import NotFoundError
from insyn.core.models import Organisation
from insyn.core.permissions import actor_scope, organisation_q
from insyn.records.models import (
    Activity,
    ClassificationNode,
    DocumentType,
    NodeLevel,
    PlanStatus,
    RetentionPattern,
    RetentionPlan,
)
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


def plan_list(
    *, actor: Actor, organisation_id: int | None = None, status: str | None = None
) -> QuerySet[RetentionPlan]:
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


_BAD_ID = (ValueError, TypeError, OverflowError)


def access_plan(*, actor: Actor, pk: Any, work_with: bool = False) -> RetentionPlan:
    """The plan `pk` as `actor` may see it; NotFoundError alike whether it is missing or not the actor's.

    `work_with`: only the plans of municipalities where the actor works with plans (the admin's scope);
    otherwise also every published plan (the API, the CLI, the public site).
    """
    plans = plan_admin_list(actor=actor) if work_with else plan_list(actor=actor)
    try:
        return plans.get(pk=pk)
    except (RetentionPlan.DoesNotExist, *_BAD_ID):
        raise NotFoundError(_("No such retention plan.")) from None


def plan_get(*, actor: Actor, pk: Any) -> RetentionPlan:
    """A plan the actor may see (published, or a draft of theirs): `access_plan`."""
    return access_plan(actor=actor, pk=pk)


def plan_admin_list(*, actor: Actor) -> QuerySet[RetentionPlan]:
    """Plans of the municipalities where the actor works with plans (drafts included); the admin's scope.

    Another municipality's adopted plan is public on the web site and in the API, but it is not the
    actor's to work with, so the admin does not list it.
    """
    return RetentionPlan.objects.filter(
        organisation_q(actor, "records.view_retentionplan", prefix="organisation__")
    ).select_related("organisation", "organisation__municipality")


def document_type_admin_list(*, actor: Actor) -> QuerySet[DocumentType]:
    return DocumentType.objects.filter(plan__in=plan_admin_list(actor=actor)).select_related(
        "plan", "plan__organisation", "activity", "activity__process"
    )


def editable_plans(*, actor: Actor) -> QuerySet[RetentionPlan]:
    return RetentionPlan.objects.filter(
        organisation_q(actor, "records.change_retentionplan", prefix="organisation__", write=True)
    ).select_related("organisation")


def document_type_list(
    *, actor: Actor, plan_id: int | None = None, action: str | None = None
) -> QuerySet[DocumentType]:
    plans = plan_list(actor=actor)
    qs = DocumentType.objects.filter(plan__in=plans).select_related(
        "plan", "plan__organisation", "activity", "activity__process"
    )
    if plan_id:
        qs = qs.filter(plan_id=plan_id)
    if action:
        qs = qs.filter(action=action)
    return qs


def unclear_rules(*, actor: Actor) -> QuerySet[DocumentType]:
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


def retention_pattern_list(*, actor: Actor) -> QuerySet[RetentionPattern]:
    scope = actor_scope(actor)
    if scope.is_superuser:
        return RetentionPattern.objects.all()
    municipalities = scope.municipalities_with("records.view_retentionpattern")
    return RetentionPattern.objects.filter(Q(municipality_id__in=municipalities) | Q(municipality__isnull=True))


def access_retention_pattern(*, actor: Actor, pk: Any) -> RetentionPattern:
    """A grammar rule the actor may see; the same NotFoundError whether it is missing or not the actor's."""
    try:
        return retention_pattern_list(actor=actor).get(pk=pk)
    except (RetentionPattern.DoesNotExist, *_BAD_ID):
        raise NotFoundError(_("No such retention pattern.")) from None


def access_document_type(*, actor: Actor, pk: Any, work_with: bool = False) -> DocumentType:
    """A row of a plan the actor may see (`access_plan`'s two scopes); one NotFoundError for missing and not yours."""
    rows = document_type_admin_list(actor=actor) if work_with else document_type_list(actor=actor)
    try:
        return rows.get(pk=pk)
    except (DocumentType.DoesNotExist, *_BAD_ID):
        raise NotFoundError(_("No such document type.")) from None


def draft_activities(*, actor: Actor) -> QuerySet[Activity]:
    """Activities of the draft plans the actor may edit: where a new or moved document type may go."""
    return Activity.objects.filter(plan__in=editable_plans(actor=actor), plan__status=PlanStatus.DRAFT).select_related(
        "plan", "process"
    )


def access_activity(*, actor: Actor, pk: Any) -> Activity:
    """An activity of a draft plan the actor may edit; one NotFoundError for missing and not yours."""
    try:
        return draft_activities(actor=actor).get(pk=pk)
    except (Activity.DoesNotExist, *_BAD_ID):
        raise NotFoundError(_("No such activity.")) from None


def plan_versions(*, actor: Actor, plan: RetentionPlan) -> QuerySet[RetentionPlan]:
    """Every version of `plan` (same organ and title) in the actor's admin scope, newest first."""
    return plan_admin_list(actor=actor).filter(organisation=plan.organisation, title=plan.title).order_by("-pk")


def plan_compare_candidates(*, actor: Actor, plan: RetentionPlan) -> QuerySet[RetentionPlan]:
    """The other plans of the same organ that `plan` can be compared with, in the actor's admin scope."""
    return plan_admin_list(actor=actor).filter(organisation=plan.organisation).exclude(pk=plan.pk)


def plan_can_edit(*, actor: Actor, plan: RetentionPlan) -> bool:
    """True when `plan` is one the actor may change (its status aside)."""
    return editable_plans(actor=actor).filter(pk=plan.pk).exists()


def plan_unclear_rows(plan: RetentionPlan) -> QuerySet[DocumentType]:
    """The rows of `plan` whose retention rule could not be read, in the plan's order."""
    return plan.document_types.filter(action="unclear").order_by("position")


def plan_document_types(
    *, actor: Actor, plan: RetentionPlan, action: str | None = None, query: str | None = None
) -> QuerySet[DocumentType]:
    """The rows of a plan the actor may see (`access_plan`), filtered by rule or by words, in the plan's order."""
    if query:
        return document_type_search(query=query, plans=plan_list(actor=actor).filter(pk=plan.pk))
    return document_type_list(actor=actor, plan_id=plan.pk, action=action).order_by("position")


def published_plans(*, municipality_id: int | None = None) -> QuerySet[RetentionPlan]:
    """Plans in force, for the public site (replaced versions stay reachable through the API)."""
    plans = RetentionPlan.objects.filter(status=PlanStatus.ADOPTED).select_related(
        "organisation", "organisation__municipality"
    )
    if municipality_id is not None:
        plans = plans.filter(organisation__municipality_id=municipality_id)
    return plans


def published_plan(*, pk: Any) -> RetentionPlan:
    """A plan in force; NotFoundError if there is none with this id."""
    try:
        return published_plans().get(pk=pk)
    except (RetentionPlan.DoesNotExist, *_BAD_ID):
        raise NotFoundError(_("No such retention plan.")) from None


def published_plan_stamp(*, pk: Any) -> RetentionPlan:
    """A plan in force with only what the public page cache's key needs (status, updated_at): one light query.

    A page served from the cache costs this query alone, and a replaced plan stops being served."""
    try:
        return RetentionPlan.objects.filter(status=PlanStatus.ADOPTED).only("status", "updated_at").get(pk=pk)
    except (RetentionPlan.DoesNotExist, *_BAD_ID):
        raise NotFoundError(_("No such retention plan.")) from None


def municipalities_with_published_plans() -> QuerySet[Organisation]:
    """The municipalities that have a plan in force, by name: the public search's choice."""
    return Organisation.objects.filter(
        parent=None, pk__in=published_plans().values("organisation__municipality_id")
    ).order_by("name")
