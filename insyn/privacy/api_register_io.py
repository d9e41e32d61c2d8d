"""Register files over the API: GET /registers/{id}/export?format=… and POST /registers/import.

The import is a multipart upload (`file`, `controller_id`). Without `confirm` it answers the preview (exactly
what will be created: activities, new terms, columns kept as extra, problems with sheet, row and column) and
a `token` for the previewed file; `confirm=true` with that `token` imports the very file previewed (or, with
a `file` and `confirm=true`, imports it at once). The upload is refused from its declared size before it is
read (`insyn.core.bounded_input`), and a hostile file is a 400/413 naming the limit, with nothing written.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.params.functions import File as FileParam

from insyn.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, PathId
from insyn.core.bounded_input import check_request, read_upload
from insyn.core.exceptions import ValidationFailed
from insyn.core.pending import pending_delete, pending_read, pending_save
from insyn.core.selectors import organisation_get
from insyn.privacy.exporting import register_export
from insyn.privacy.services.importing import register_import, register_import_preview

router = Router(tags=["privacy"])

# The upload is optional: a confirmation sends only the preview's token.
_OPTIONAL_UPLOAD: Any = FileParam(None)

ExportFormat = Literal["json", "xlsx", "ods", "pdf"]
Language = Literal["sv", "pl", "en"]


@router.get("/registers/{int:register_id}/export", response={200: None, **READ_ERRORS})
def export_register(
    request: HttpRequest, register_id: PathId, format: ExportFormat = "json", lang: Language = "sv"
) -> HttpResponse:
    """The register as a file: XLSX/ODS in SKR's template layout, fideslang-compatible JSON, or PDF/A."""
    content, filename, content_type = register_export(
        actor=request.user, register_id=register_id, fmt=format, language=lang
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ImportForm(Schema):
    controller_id: Id
    confirm: bool = False
    token: str = ""
    filename: str = ""
    title: str = ""


@router.post("/registers/import", response={200: dict[str, Any], 201: dict[str, Any], **WRITE_ERRORS})
def import_register(
    request: HttpRequest, form: Form[ImportForm], file: UploadedFile | None = _OPTIONAL_UPLOAD
) -> Status[Any]:
    check_request(request, file=str(file.name or "upload") if file is not None else "upload")
    actor = request.user
    controller = organisation_get(actor=actor, pk=form.controller_id)
    if form.token:
        if not form.confirm:
            raise ValidationFailed(_("A token is only sent to confirm an import."), code="token_without_confirm")
        content, filename = pending_read(form.token), form.filename or "upload"
    elif file is not None:
        content, filename = read_upload(file), str(file.name or "upload")
    else:
        raise ValidationFailed(_("Send a file, or confirm=true with the token of a preview."), code="file_missing")
    read = register_import_preview(actor=actor, controller=controller, content=content, filename=filename)
    if not form.confirm:
        return Status(200, {**read.preview(), "token": pending_save(content)})
    result = register_import(actor=actor, controller=controller, data=read, title=form.title)
    if form.token:
        pending_delete(form.token)
    body = {**result.as_dict(), "problems": [problem.as_dict() for problem in read.problems]}
    return Status(201 if result.created or result.created_register else 200, body)
