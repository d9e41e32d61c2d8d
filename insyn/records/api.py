"""Retention plans under /api/v1/records/: published plans are public, drafts and writes need a role."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from insyn.api.auth import ActiveSessionAuth, TokenAuth, allow_anonymous
from insyn.api.schemas import ERRORS
from insyn.core.selectors import organisation_get
from insyn.records import selectors, services
from insyn.records.diff import plan_diff
from insyn.records.export import CONTENT_TYPES, export_filename, export_plan
from insyn.records.models import DocumentType, RetentionPlan
from insyn.records.plandata import PlanData

router = Router(tags=["records"])
PUBLIC = [TokenAuth(), ActiveSessionAuth(), allow_anonymous]


class PlanOut(Schema):
    id: int
    organisation_id: int
    organisation: str = Field(..., alias="organisation.name")
    title: str
    scope: str
    classification: str
    adopted_by: str
    adopted_on: dt.date | None
    paragraph: str
    version: str
    status: str
    previous_version_id: int | None


class RetentionOut(Schema):
    action: str
    period: str
    trigger: str
    trigger_event: str
    align: str
    sampling: str


class DocumentTypeOut(Schema):
    id: int
    plan_id: int
    process: str = Field(..., alias="activity.process.code")
    activity: str = Field(..., alias="activity.name")
    name: str
    analog_format: str
    analog_storage: str
    digital_format: str
    digital_storage: str
    retention_text: str
    action: str
    period: str
    trigger: str
    trigger_event: str
    align: str
    sampling: str
    archival_format: str
    remarks: str
    legal_reference: str
    personal_data: bool | None


class DocumentTypePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=500)
    analog_format: str | None = None
    analog_storage: str | None = None
    digital_format: str | None = None
    digital_storage: str | None = None
    retention_text: str | None = None
    action: str | None = None
    period: str | None = None
    trigger: str | None = None
    trigger_event: str | None = None
    align: str | None = None
    sampling: str | None = None
    archival_format: str | None = None
    remarks: str | None = None
    legal_reference: str | None = None
    personal_data: bool | None = None
    reason: str = ""


class PlanFilter(Schema):
    organisation_id: int | None = None
    status: str | None = None


class DocumentTypeFilter(Schema):
    action: str | None = None
    q: str | None = Field(None, max_length=200)


class PlanImportIn(Schema):
    organisation_id: int
    plan: dict[str, Any]
    dry_run: bool = False


class ImportOut(Schema):
    plan_id: int | None
    created: bool
    unchanged: bool
    replaced_content: bool
    dry_run: bool
    counts: dict[str, int]
    unclear_rules: list[str]


class AdoptIn(Schema):
    adopted_by: str = Field(..., min_length=1)
    adopted_on: dt.date
    paragraph: str = ""
    version: str = Field(..., min_length=1)
    revision_note: str = ""


@router.get("/plans", response=list[PlanOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def list_plans(request: HttpRequest, filters: Query[PlanFilter]) -> Any:
    return selectors.plan_list(actor=request.user, organisation_id=filters.organisation_id, status=filters.status)


@router.get("/plans/{int:plan_id}", response={200: PlanOut, **ERRORS}, auth=PUBLIC)
def get_plan(request: HttpRequest, plan_id: int) -> RetentionPlan:
    return selectors.plan_get(actor=request.user, pk=plan_id)


@router.get("/plans/{int:plan_id}/content", response={200: dict[str, Any], **ERRORS}, auth=PUBLIC)
def plan_content(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    """The whole plan in the JSON export shape (areas → groups → processes → activities → document types)."""
    return selectors.plan_data(selectors.plan_get(actor=request.user, pk=plan_id)).to_dict()


@router.get("/plans/{int:plan_id}/export", auth=PUBLIC, response={200: None, **ERRORS})
def export(request: HttpRequest, plan_id: int, format: str = "pdf") -> HttpResponse:
    plan = selectors.plan_get(actor=request.user, pk=plan_id)
    content = export_plan(plan, format)
    response = HttpResponse(content, content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="{export_filename(plan, format)}"'
    return response


@router.get("/plans/{int:plan_id}/document-types", response=list[DocumentTypeOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def list_document_types(request: HttpRequest, plan_id: int, filters: Query[DocumentTypeFilter]) -> Any:
    plan = selectors.plan_get(actor=request.user, pk=plan_id)
    if filters.q:
        return selectors.document_type_search(query=filters.q, plans=RetentionPlan.objects.filter(pk=plan.pk))
    return selectors.document_type_list(actor=request.user, plan_id=plan.pk, action=filters.action).order_by("position")


@router.get("/plans/{int:old_id}/diff/{int:new_id}", response={200: dict[str, Any], **ERRORS}, auth=PUBLIC)
def diff(request: HttpRequest, old_id: int, new_id: int) -> dict[str, Any]:
    old = selectors.plan_data(selectors.plan_get(actor=request.user, pk=old_id))
    new = selectors.plan_data(selectors.plan_get(actor=request.user, pk=new_id))
    return plan_diff(old, new).to_dict()


@router.post("/plans/import", response={200: ImportOut, 201: ImportOut, **ERRORS})
def import_plan(request: HttpRequest, payload: PlanImportIn) -> Status[Any]:
    from insyn.core.exceptions import ValidationFailed

    organisation = organisation_get(actor=request.user, pk=payload.organisation_id)
    try:
        data = PlanData.from_dict(payload.plan)
    except (KeyError, TypeError) as exc:
        raise ValidationFailed(f"The plan is not in the export shape: {exc}") from exc
    result = services.plan_import(actor=request.user, organisation=organisation, data=data, dry_run=payload.dry_run)
    body = {
        "plan_id": result.plan.pk if result.plan and not result.dry_run else None,
        "created": result.created,
        "unchanged": result.unchanged,
        "replaced_content": result.replaced_content,
        "dry_run": result.dry_run,
        "counts": result.counts,
        "unclear_rules": result.unclear,
    }
    return Status(201 if result.created and not result.dry_run else 200, body)


@router.post("/plans/{int:plan_id}/adopt", response={200: PlanOut, **ERRORS})
def adopt(request: HttpRequest, plan_id: int, payload: AdoptIn) -> RetentionPlan:
    plan = selectors.plan_get(actor=request.user, pk=plan_id)
    return services.plan_adopt(actor=request.user, plan=plan, **payload.dict())


@router.post("/plans/{int:plan_id}/new-version", response={201: PlanOut, **ERRORS})
def new_version(request: HttpRequest, plan_id: int) -> Status[Any]:
    plan = selectors.plan_get(actor=request.user, pk=plan_id)
    return Status(201, services.plan_new_version(actor=request.user, plan=plan))


@router.patch("/document-types/{int:row_id}", response={200: DocumentTypeOut, **ERRORS})
def update_document_type(request: HttpRequest, row_id: int, payload: DocumentTypePatch) -> DocumentType:
    from insyn.core.exceptions import NotFoundError

    try:
        row = selectors.document_type_list(actor=request.user).get(pk=row_id)
    except DocumentType.DoesNotExist:
        raise NotFoundError() from None
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    return services.document_type_update(actor=request.user, document_type=row, reason=reason, **data)
