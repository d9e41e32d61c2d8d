"""Privacy notices in the API (/api/v1/privacy/notices…): list, versions, diff, PDF, generate, publish, discard."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from insyn.api.pagination import BoundedLimitOffsetPagination
from insyn.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, PathId
from insyn.privacy import notice_builder
from insyn.privacy.models import Notice, NoticeVersion
from insyn.privacy.notice_pdf import notice_pdf, pdf_filename
from insyn.privacy.selectors import notices as selectors
from insyn.privacy.services import notices as services

router = Router(tags=["privacy"])
Language = Literal["sv", "pl", "en"]


class NoticeOut(Schema):
    id: int
    controller_id: int
    controller: str
    subject_category: str
    slug: str
    titles: dict[str, str]
    versions: list[dict[str, Any]]

    @staticmethod
    def resolve_controller(obj: Notice) -> str:
        return obj.controller.name

    @staticmethod
    def resolve_subject_category(obj: Notice) -> str:
        return obj.subject_category.key

    @staticmethod
    def resolve_versions(obj: Notice) -> list[dict[str, Any]]:
        return [
            {"number": v.number, "status": v.status, "published_at": v.published_at, "reason": v.reason}
            for v in sorted(obj.versions.all(), key=lambda v: -v.number)
        ]


class VersionOut(Schema):
    id: int
    notice_id: int
    number: int
    status: str
    reason: str
    source_digest: str
    created_at: Any
    published_at: Any = None
    approved_by_label: str
    content: dict[str, Any]


class GenerateIn(Schema):
    controller_id: Id
    subject_category: Annotated[str, Field(min_length=1, max_length=200)]  # key or label in any language


class GenerateOut(Schema):
    changed: bool
    version: VersionOut | None = None


class TextsIn(Schema):
    titles: dict[Language, Annotated[str, Field(max_length=300)]] = {}
    intros: dict[Language, Annotated[str, Field(max_length=5000)]] = {}


class LangQuery(Schema):
    lang: Language = "sv"


@router.get("/notices", response={200: list[NoticeOut], **READ_ERRORS})
@paginate(BoundedLimitOffsetPagination)
def list_notices(request: HttpRequest) -> Any:
    return selectors.notice_list(actor=request.user).prefetch_related("versions")


@router.get("/notices/{int:notice_id}", response={200: NoticeOut, **READ_ERRORS})
def get_notice(request: HttpRequest, notice_id: PathId) -> Notice:
    return selectors.access_notice(actor=request.user, pk=notice_id)


@router.get("/notices/{int:notice_id}/versions/{int:number}", response={200: VersionOut, **READ_ERRORS})
def get_version(request: HttpRequest, notice_id: PathId, number: PathId) -> NoticeVersion:
    return selectors.access_version_by_number(actor=request.user, notice_pk=notice_id, number=number)


@router.get("/notices/{int:notice_id}/versions/{int:number}/diff", response={200: list[dict[str, str]], **READ_ERRORS})
def version_diff(request: HttpRequest, notice_id: PathId, number: PathId, query: Query[LangQuery]) -> Any:
    """What changed from the last published version before this one (everything, for the first)."""
    version = selectors.access_version_by_number(actor=request.user, notice_pk=notice_id, number=number)
    before = selectors.previous_version(version)
    return notice_builder.content_diff(
        before.content.get(query.lang) if before else None, version.content.get(query.lang) or {}
    )


@router.get("/notices/{int:notice_id}/versions/{int:number}/pdf", response={200: None, **READ_ERRORS})
def version_pdf(request: HttpRequest, notice_id: PathId, number: PathId, query: Query[LangQuery]) -> HttpResponse:
    version = selectors.access_version_by_number(actor=request.user, notice_pk=notice_id, number=number)
    response = HttpResponse(notice_pdf(version, query.lang), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(version, query.lang)}"'
    return response


@router.post("/notices/generate", response={200: GenerateOut, 201: GenerateOut, **WRITE_ERRORS})
def generate(request: HttpRequest, payload: GenerateIn) -> Status[Any]:
    controller = selectors.access_controller(actor=request.user, pk=payload.controller_id)
    category = selectors.access_subject_category(controller=controller, key=payload.subject_category)
    version = services.notice_generate(actor=request.user, controller=controller, subject_category=category)
    return Status(201 if version else 200, {"changed": version is not None, "version": version})


@router.put("/notices/{int:notice_id}/texts", response={200: GenerateOut, **WRITE_ERRORS})
def set_texts(request: HttpRequest, notice_id: PathId, payload: TextsIn) -> dict[str, Any]:
    notice = selectors.access_notice(actor=request.user, pk=notice_id)
    version = services.notice_set_texts(
        actor=request.user,
        notice=notice,
        titles={str(k): v for k, v in payload.titles.items()},
        intros={str(k): v for k, v in payload.intros.items()},
    )
    return {"changed": version is not None, "version": version}


@router.post("/notices/{int:notice_id}/versions/{int:number}/publish", response={200: VersionOut, **WRITE_ERRORS})
def publish(request: HttpRequest, notice_id: PathId, number: PathId) -> NoticeVersion:
    version = selectors.access_version_by_number(actor=request.user, notice_pk=notice_id, number=number)
    return services.notice_publish(actor=request.user, version=version)


@router.post("/notices/{int:notice_id}/versions/{int:number}/discard", response={200: VersionOut, **WRITE_ERRORS})
def discard(request: HttpRequest, notice_id: PathId, number: PathId) -> NoticeVersion:
    version = selectors.access_version_by_number(actor=request.user, notice_pk=notice_id, number=number)
    return services.notice_discard(actor=request.user, version=version)
