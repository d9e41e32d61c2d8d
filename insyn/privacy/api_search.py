"""Subject search and register extracts under /api/v1/privacy: POST /subject-search, POST /extracts,
GET /extracts/{id}/file. The same selectors and services as the CLI; every search and extract is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from insyn.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, PathId
from insyn.privacy.selectors import requests as request_selectors
from insyn.privacy.selectors.subject import hit_as_dict
from insyn.privacy.services import extracts as services
from insyn.privacy.subject_search import SubjectQuery, subject_search

router = Router(tags=["privacy"])

MAX_TERMS = 20


class QueryIn(Schema):
    municipality_id: Id
    national_id: str = Field("", max_length=20)
    names: list[str] = Field(default_factory=list, max_length=MAX_TERMS)
    emails: list[str] = Field(default_factory=list, max_length=MAX_TERMS)
    addresses: list[str] = Field(default_factory=list, max_length=MAX_TERMS)

    def as_query(self) -> SubjectQuery:
        return SubjectQuery(
            national_id=self.national_id,
            names=tuple(self.names),
            emails=tuple(self.emails),
            addresses=tuple(self.addresses),
        )


class ActivityOut(Schema):
    id: int
    name: str
    controller: str
    purposes: list[str]
    legal_bases: list[dict[str, str]]
    retention: dict[str, Any]


class HitOut(Schema):
    model_label: str
    object_id: str
    module: str
    kind: str
    label: str
    matched_by: str
    fields: dict[str, str]
    activities: list[ActivityOut]


class SearchOut(Schema):
    truncated: bool
    count: int
    hits: list[HitOut]


class ExtractIn(QueryIn):
    request_id: Id | None = None
    formats: list[str] = Field(default_factory=lambda: ["pdf", "json"], max_length=2)
    language: str = Field("sv", max_length=5)


class ExtractOut(Schema):
    id: int
    format: str
    hits: int
    request: str | None
    created_at: dt.datetime | None
    dispose_after: dt.date | None


@router.post("/subject-search", response={200: SearchOut, **WRITE_ERRORS})  # a JSON body: 413 too
def search(request: HttpRequest, payload: QueryIn) -> Any:
    result = subject_search(actor=request.user, municipality_id=payload.municipality_id, query=payload.as_query())
    return {"truncated": result.truncated, "count": len(result.hits), "hits": [hit_as_dict(h) for h in result.hits]}


@router.post("/extracts", response={201: list[ExtractOut], **WRITE_ERRORS})
def create_extract(request: HttpRequest, payload: ExtractIn) -> Status[Any]:
    found = None
    if payload.request_id is not None:
        found = request_selectors.access_request(actor=request.user, pk=payload.request_id)
    made = services.extract_create(
        actor=request.user,
        municipality_id=payload.municipality_id,
        query=payload.as_query(),
        request=found,
        formats=tuple(payload.formats),
        language=payload.language if payload.language in ("sv", "en", "pl") else "sv",
    )
    return Status(201, [services.extract_info(extract) for extract in made])


@router.get("/extracts/{int:extract_id}/file", response={200: None, **READ_ERRORS})
def extract_file(request: HttpRequest, extract_id: PathId) -> HttpResponse:
    name, content, content_type = services.extract_open(actor=request.user, pk=extract_id)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
