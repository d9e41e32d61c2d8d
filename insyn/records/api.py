"""Retention plans under /api/v1/records/: published plans are public, drafts and writes need a role."""

import datetime as dt
import json
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from insyn.api.auth import ActiveSessionAuth, TokenAuth, allow_anonymous
from insyn.api.pagination import BoundedLimitOffsetPagination
from insyn.api.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, Id, PathId, Unchanged
from insyn.core.selectors import organisation_get
from insyn.records import selectors, services
from insyn.records.diff import plan_diff
from insyn.records.export import CONTENT_TYPES, export_filename, export_plan
from insyn.records.models import DocumentType, RetentionPlan
from insyn.records.pdf_delivery import pdf_api_response

router = Router(tags=["records"])
ExportFormat = Literal["pdf", "json", "xlsx", "csv", "ods"]
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
    """Fields left out keep their value; `null` only for `personal_data` (not known)."""

    name: str = Unchanged(min_length=1, max_length=500)
    analog_format: str = Unchanged()
    analog_storage: str = Unchanged()
    digital_format: str = Unchanged()
    digital_storage: str = Unchanged()
    retention_text: str = Unchanged()
    action: str = Unchanged()
    period: str = Unchanged()
    trigger: str = Unchanged()
    trigger_event: str = Unchanged()
    align: str = Unchanged()
    sampling: str = Unchanged()
    archival_format: str = Unchanged()
    remarks: str = Unchanged()
    legal_reference: str = Unchanged()
    personal_data: bool | None = None
    reason: str = ""


class PlanFilter(Schema):
    organisation_id: Id | None = None
    status: str | None = None


class DocumentTypeFilter(Schema):
    action: str | None = None
    q: str | None = Field(None, max_length=200)


class PlanImportIn(Schema):
    organisation_id: Id
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
    # The model's lengths: the revision row is written before the plan is validated (PostgreSQL refused).
    adopted_by: str = Field(..., min_length=1, max_length=200)
    adopted_on: dt.date
    paragraph: str = Field("", max_length=40)
    version: str = Field(..., min_length=1, max_length=20)
    revision_note: str = ""
    unclear_confirmations: dict[Id, Annotated[str, Field(max_length=1000)]] = Field(
        default_factory=dict,
        description="document type id → the reason its `unclear` rule may be adopted as it stands; "
        "every unclear rule of the plan needs one (else 400 `unclear_rules_unconfirmed` naming them)",
    )


@router.get("/plans", response={200: list[PlanOut], **READ_ERRORS}, auth=PUBLIC)
@paginate(BoundedLimitOffsetPagination)
def list_plans(request: HttpRequest, filters: Query[PlanFilter]) -> Any:
    return selectors.plan_list(actor=request.user, organisation_id=filters.organisation_id, status=filters.status)


@router.get("/plans/{int:plan_id}", response={200: PlanOut, **READ_ERRORS}, auth=PUBLIC)
def get_plan(request: HttpRequest, plan_id: PathId) -> RetentionPlan:
    return selectors.access_plan(actor=request.user, pk=plan_id)


@router.get("/plans/{int:plan_id}/content", response={200: dict[str, Any], **READ_ERRORS}, auth=PUBLIC)
def plan_content(request: HttpRequest, plan_id: PathId) -> dict[str, Any]:
    """The whole plan in the JSON export shape (areas → groups → processes → activities → document types)."""
    return selectors.plan_data(selectors.access_plan(actor=request.user, pk=plan_id)).to_dict()


@router.get("/plans/{int:plan_id}/export", auth=PUBLIC, response={200: None, 202: ErrorOut, **READ_ERRORS})
def export(request: HttpRequest, plan_id: PathId, format: ExportFormat = "pdf") -> HttpResponse:
    """The plan as a file. A PDF not rendered yet answers 202 (`pdf_pending`, `Retry-After`) and is queued."""
    plan = selectors.access_plan(actor=request.user, pk=plan_id)
    if format == "pdf":
        return pdf_api_response(request, plan, disposition="attachment")
    content = export_plan(plan, format)
    response = HttpResponse(content, content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="{export_filename(plan, format)}"'
    return response


@router.get("/plans/{int:plan_id}/document-types", response={200: list[DocumentTypeOut], **READ_ERRORS}, auth=PUBLIC)
@paginate(BoundedLimitOffsetPagination)
def list_document_types(request: HttpRequest, plan_id: PathId, filters: Query[DocumentTypeFilter]) -> Any:
    plan = selectors.access_plan(actor=request.user, pk=plan_id)
    return selectors.plan_document_types(actor=request.user, plan=plan, action=filters.action, query=filters.q)


@router.get("/plans/{int:old_id}/diff/{int:new_id}", response={200: dict[str, Any], **READ_ERRORS}, auth=PUBLIC)
def diff(request: HttpRequest, old_id: PathId, new_id: PathId) -> dict[str, Any]:
    old = selectors.plan_data(selectors.access_plan(actor=request.user, pk=old_id))
    new = selectors.plan_data(selectors.access_plan(actor=request.user, pk=new_id))
    return plan_diff(old, new).to_dict()


@router.post("/plans/import", response={200: ImportOut, 201: ImportOut, **WRITE_ERRORS})
def import_plan(request: HttpRequest, payload: PlanImportIn) -> Status[Any]:
    from insyn.core.exceptions import ValidationFailed
    from insyn.records.importers.jsonfile import read_json
    from insyn.records.plandata import PlanFileError

    organisation = organisation_get(actor=request.user, pk=payload.organisation_id)
    try:
        # The JSON file importer's checks (types, dates, keys), so a malformed plan is a 400, not a 500.
        data = read_json(json.dumps(payload.plan).encode("utf-8"), file="plan")
    except PlanFileError as exc:
        detail = {"file": exc.file, "row": exc.row, "column": exc.column}
        raise ValidationFailed(f"The plan is not in the export shape: {exc}", detail=detail) from None
    result = services.plan_import(actor=request.user, organisation=organisation, data=data, dry_run=payload.dry_run)
    return _import_response(result)


def _import_response(result: Any) -> Status[Any]:
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


class PlanFileImportIn(Schema):
    organisation_id: Id
    filename: str = Field(
        ..., min_length=1, max_length=255, description="names the file in errors; its ending gives the format"
    )
    format: Literal["auto", "text", "xlsx", "ods", "csv", "docx", "json"] = "auto"
    lang: Literal["sv", "pl"] | None = None
    dry_run: bool = False


@router.post("/plans/import-file", response={200: ImportOut, 201: ImportOut, **WRITE_ERRORS})
def import_plan_file(request: HttpRequest, params: Query[PlanFileImportIn]) -> Status[Any]:
    """Import a plan file (text, XLSX, ODS, CSV, DOCX or JSON) sent as the raw request body
    (`Content-Type: application/octet-stream`). The file is read within the `INSYN_IMPORT_*`
    limits: over `INSYN_IMPORT_MAX_BYTES` is 413 before the body is read; past another limit,
    400 `import_limit` naming it; nothing is written."""
    from insyn.core.bounded_input import read_request_body
    from insyn.core.exceptions import PermissionDeniedError, ValidationFailed
    from insyn.core.selectors import organisations_for_perm
    from insyn.records.grammar import parser_for
    from insyn.records.importers import read_plan
    from insyn.records.plandata import PlanFileError

    organisation = organisation_get(actor=request.user, pk=params.organisation_id)
    if not organisations_for_perm(actor=request.user, perm="records.add_retentionplan").filter(pk=organisation.pk):
        raise PermissionDeniedError()
    content = read_request_body(request, file=params.filename)
    lang = params.lang or ("pl" if organisation.country == "PL" else "sv")
    try:
        data = read_plan(
            content, filename=params.filename, format=params.format, lang=lang, parse=parser_for(organisation)
        )
    except PlanFileError as exc:
        detail = {"file": exc.file, "row": exc.row, "column": exc.column}
        raise ValidationFailed(str(exc), code="file_error", detail=detail) from None
    data.organisation = data.organisation or organisation.name
    result = services.plan_import(
        actor=request.user, organisation=organisation, data=data, dry_run=params.dry_run, source=params.filename
    )
    return _import_response(result)


@router.post("/plans/{int:plan_id}/adopt", response={200: PlanOut, **WRITE_ERRORS})
def adopt(request: HttpRequest, plan_id: PathId, payload: AdoptIn) -> RetentionPlan:
    plan = selectors.access_plan(actor=request.user, pk=plan_id)
    return services.plan_adopt(actor=request.user, plan=plan, **payload.dict())


@router.post("/plans/{int:plan_id}/new-version", response={201: PlanOut, **WRITE_ERRORS})
def new_version(request: HttpRequest, plan_id: PathId) -> Status[Any]:
    plan = selectors.access_plan(actor=request.user, pk=plan_id)
    return Status(201, services.plan_new_version(actor=request.user, plan=plan))


@router.patch("/document-types/{int:row_id}", response={200: DocumentTypeOut, **WRITE_ERRORS})
def update_document_type(request: HttpRequest, row_id: PathId, payload: DocumentTypePatch) -> DocumentType:
    row = selectors.access_document_type(actor=request.user, pk=row_id)
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    return services.document_type_update(actor=request.user, document_type=row, reason=reason, **data)
