"""Organisations and governing documents under /api/v1/: same services and selectors as the admin."""

import datetime as dt
from pathlib import PurePosixPath
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from insyn.api.pagination import BoundedLimitOffsetPagination
from insyn.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, PathId, Unchanged
from insyn.core import selectors
from insyn.core.exceptions import NotFoundError
from insyn.core.files import serve_protected_file
from insyn.core.models.documents import DocumentStatus, DocumentType, GoverningDocument
from insyn.core.models.organisations import Country, Organisation, OrganisationKind, OrganType
from insyn.core.services.documents import governing_document_create, governing_document_update
from insyn.core.services.organisations import organisation_create, organisation_update

organisations_router = Router(tags=["organisations"])
documents_router = Router(tags=["governing documents"])


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: OrganisationKind
    organ_type: str
    parent_id: int | None
    municipality_id: int | None
    organisation_number: str
    country: Country
    is_controller: bool
    is_archive_creator: bool
    email: str
    active: bool


class OrganisationIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: OrganisationKind
    parent_id: Id | None = None
    short_name: str = ""
    organ_type: OrganType | None = None
    organisation_number: str = ""
    country: Country = Country.SWEDEN
    is_controller: bool = False
    is_archive_creator: bool = False
    email: str = ""
    active: bool = True


class OrganisationPatch(Schema):
    """Fields left out keep their value; `null` only where the field may be empty (`parent_id`, `organ_type`)."""

    name: str = Unchanged(min_length=1, max_length=200)
    short_name: str = Unchanged()
    parent_id: Id | None = None
    organ_type: OrganType | None = None
    organisation_number: str = Unchanged()
    is_controller: bool = Unchanged()
    is_archive_creator: bool = Unchanged()
    email: str = Unchanged()
    active: bool = Unchanged()


class OrganisationFilter(Schema):
    kind: OrganisationKind | None = None
    municipality_id: Id | None = None


def _organisation_data(payload: Schema, request: HttpRequest) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    if "parent_id" in data:
        parent_id = data.pop("parent_id")
        data["parent"] = selectors.access_organisation(actor=request.user, pk=parent_id) if parent_id else None
    if "organ_type" in data:
        data["organ_type"] = data["organ_type"] or ""
    return data


@organisations_router.get("", response={200: list[OrganisationOut], **READ_ERRORS})
@paginate(BoundedLimitOffsetPagination)
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilter]) -> Any:
    return selectors.organisation_list(actor=request.user, kind=filters.kind, municipality_id=filters.municipality_id)


@organisations_router.get("/{int:organisation_id}", response={200: OrganisationOut, **READ_ERRORS})
def get_organisation(request: HttpRequest, organisation_id: PathId) -> Organisation:
    return selectors.access_organisation(actor=request.user, pk=organisation_id)


@organisations_router.post("", response={201: OrganisationOut, **WRITE_ERRORS})
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status[Any]:
    data = _organisation_data(payload, request)
    data.setdefault("parent", None)
    return Status(201, organisation_create(actor=request.user, **data))


@organisations_router.patch("/{int:organisation_id}", response={200: OrganisationOut, **WRITE_ERRORS})
def update_organisation(request: HttpRequest, organisation_id: PathId, payload: OrganisationPatch) -> Organisation:
    organisation = selectors.access_organisation(actor=request.user, pk=organisation_id)
    return organisation_update(actor=request.user, organisation=organisation, **_organisation_data(payload, request))


class DocumentOut(Schema):
    id: int
    organisation_id: int
    title: str
    document_type: DocumentType
    decision_body: str
    decision_date: dt.date | None
    paragraph: str
    registration_number: str
    version: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    review_date: dt.date | None
    responsible_unit: str
    owner_id: int | None
    description: str
    applies_to: str
    file_url: str | None
    status: DocumentStatus
    replaced_by_id: int | None

    @staticmethod
    def resolve_file_url(obj: GoverningDocument) -> str | None:
        """The protected download (never the storage URL): GET it with the same token or session."""
        return reverse("insyn_api_v1:governing_document_file", args=[obj.pk]) if obj.file else None


class DocumentIn(Schema):
    organisation_id: Id
    title: str = Field(..., min_length=1, max_length=300)
    document_type: DocumentType
    decision_body: str = ""
    decision_date: dt.date | None = None
    paragraph: str = ""
    registration_number: str = ""
    version: str = ""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    review_date: dt.date | None = None
    responsible_unit: str = ""
    description: str = ""
    applies_to: str = ""
    status: DocumentStatus = DocumentStatus.DRAFT
    replaced_by_id: Id | None = None


class DocumentPatch(Schema):
    """Fields left out keep their value; `null` only where the field may be empty (the dates, `replaced_by_id`)."""

    title: str = Unchanged(min_length=1, max_length=300)
    document_type: DocumentType = Unchanged()
    decision_body: str = Unchanged()
    decision_date: dt.date | None = None
    paragraph: str = Unchanged()
    registration_number: str = Unchanged()
    version: str = Unchanged()
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    review_date: dt.date | None = None
    responsible_unit: str = Unchanged()
    description: str = Unchanged()
    applies_to: str = Unchanged()
    status: DocumentStatus = Unchanged()
    replaced_by_id: Id | None = None
    reason: str = ""


class DocumentFilter(Schema):
    organisation_id: Id | None = None
    status: DocumentStatus | None = None
    document_type: DocumentType | None = None
    expiring_within_days: int | None = Field(None, ge=0, le=3650)
    q: str | None = Field(None, max_length=200)


def _document_data(payload: Schema, request: HttpRequest) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    data.pop("reason", None)
    if "replaced_by_id" in data:
        replaced_by_id = data.pop("replaced_by_id")
        data["replaced_by"] = (
            selectors.access_governing_document(actor=request.user, pk=replaced_by_id) if replaced_by_id else None
        )
    return data


@documents_router.get("", response={200: list[DocumentOut], **READ_ERRORS})
@paginate(BoundedLimitOffsetPagination)
def list_documents(request: HttpRequest, filters: Query[DocumentFilter]) -> Any:
    return selectors.governing_document_list(
        actor=request.user,
        organisation_id=filters.organisation_id,
        status=filters.status,
        document_type=filters.document_type,
        expiring_within_days=filters.expiring_within_days,
        search=filters.q,
    )


@documents_router.get("/{int:document_id}", response={200: DocumentOut, **READ_ERRORS})
def get_document(request: HttpRequest, document_id: PathId) -> GoverningDocument:
    return selectors.access_governing_document(actor=request.user, pk=document_id)


@documents_router.get(
    "/{int:document_id}/file", response={200: None, **READ_ERRORS}, url_name="governing_document_file"
)
def get_document_file(request: HttpRequest, document_id: PathId) -> HttpResponseBase:
    document = selectors.access_governing_document(actor=request.user, pk=document_id)
    if not document.file:
        raise NotFoundError()
    return serve_protected_file(request, document.file, filename=PurePosixPath(document.file.name).name)


@documents_router.post("", response={201: DocumentOut, **WRITE_ERRORS})
def create_document(request: HttpRequest, payload: DocumentIn) -> Status[Any]:
    data = _document_data(payload, request)
    organisation = selectors.access_organisation(actor=request.user, pk=data.pop("organisation_id"))
    return Status(201, governing_document_create(actor=request.user, organisation=organisation, **data))


@documents_router.patch("/{int:document_id}", response={200: DocumentOut, **WRITE_ERRORS})
def update_document(request: HttpRequest, document_id: PathId, payload: DocumentPatch) -> GoverningDocument:
    document = selectors.access_governing_document(actor=request.user, pk=document_id)
    return governing_document_update(
        actor=request.user, document=document, reason=payload.reason, **_document_data(payload, request)
    )
