"""Data-subject requests under /api/v1/privacy/requests: the same services as the admin and the public form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from insyn.api.pagination import BoundedLimitOffsetPagination
from insyn.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, PathId
from insyn.privacy.models import RequestChannel, SubjectRequest
from insyn.privacy.selectors import requests as selectors
from insyn.privacy.services import requests as services

router = Router(tags=["privacy"])


class ExtractOut(Schema):
    id: int
    format: str
    hits: int
    created_at: dt.datetime
    dispose_after: dt.date | None


class RequestOut(Schema):
    id: int
    reference: str
    controller_id: int
    kind: str
    channel: str
    status: str
    received_at: dt.datetime
    due_on: dt.date
    extended_due_on: dt.date | None
    effective_due_on: dt.date
    deadline_state: str
    extension_reason: str
    extension_notified_on: dt.date | None
    identity_method: str
    identity_status: str
    identity_verified_at: dt.datetime | None
    protected_identity: bool
    name: str
    email: str
    description: str
    outcome: str
    completed_at: dt.datetime | None
    dispose_after: dt.date | None
    extracts: list[ExtractOut]

    @staticmethod
    def resolve_deadline_state(obj: SubjectRequest) -> str:
        return selectors.deadline_state(obj, timezone.localdate())

    @staticmethod
    def resolve_extracts(obj: SubjectRequest) -> list[Any]:
        return list(obj.extracts.all())


class RequestIn(Schema):
    controller_id: Id
    kind: str = Field(..., max_length=15)
    received_at: dt.datetime | None = None
    name: str = Field(..., min_length=1, max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    postal_address: str = Field("", max_length=500)
    national_id: str = Field("", max_length=20)
    other_names: str = Field("", max_length=2000)
    description: str = Field("", max_length=5000)
    protected_identity: bool = False


class ExtendIn(Schema):
    reason: str = Field(..., max_length=5000)
    notified_on: dt.date | None = None


class OutcomeIn(Schema):
    outcome: str = Field(..., max_length=5000)


class IdentityIn(Schema):
    """Staff: start a check (`method`; a post code needs the `national_id` whose registered address it goes to)
    or confirm in person (`in_person` with the `national_id` seen)."""

    method: str = Field("", max_length=10)
    in_person: bool = False
    national_id: str = Field("", max_length=20)


class IdentityOut(Schema):
    method: str
    identity_status: str
    # A post code is returned once, to print on the letter; it is stored hashed only.
    post_code: str = ""


class MonthOut(Schema):
    month: str
    total: int
    counts: dict[str, int]


def _request(request: HttpRequest, request_id: int) -> SubjectRequest:
    return selectors.access_request(actor=request.user, pk=request_id)


@router.get("/requests", response={200: list[RequestOut], **READ_ERRORS})
@paginate(BoundedLimitOffsetPagination)
def list_requests(request: HttpRequest, state: str | None = None) -> Any:
    return selectors.requests(actor=request.user, state=(state or "")[:20] or None).prefetch_related("extracts")


@router.post("/requests", response={201: RequestOut, **WRITE_ERRORS})
def create_request(request: HttpRequest, payload: RequestIn) -> Status[Any]:
    created = services.request_register(
        actor=request.user,
        controller=payload.controller_id,
        kind=payload.kind,
        channel=RequestChannel.API,
        received_at=payload.received_at or timezone.now(),
        name=payload.name,
        email=payload.email,
        phone=payload.phone,
        postal_address=payload.postal_address,
        national_id=payload.national_id,
        other_names=payload.other_names,
        description=payload.description,
        protected_identity=payload.protected_identity,
    )
    return Status(201, created)


@router.get("/requests/per-month", response={200: list[MonthOut], **READ_ERRORS})
def requests_per_month(request: HttpRequest, months: int = 12) -> Any:
    # The selector clamps months to 1..60.
    rows = selectors.requests_per_month(actor=request.user, months=months)
    return [
        {
            "month": r["month"],
            "total": r["total"],
            "counts": {k: v for k, v in r.items() if k not in ("month", "total")},
        }
        for r in rows
    ]


@router.get("/requests/{int:request_id}", response={200: RequestOut, **READ_ERRORS})
def get_request(request: HttpRequest, request_id: PathId) -> SubjectRequest:
    return _request(request, request_id)


@router.post("/requests/{int:request_id}/extend", response={200: RequestOut, **WRITE_ERRORS})
def extend_request(request: HttpRequest, request_id: PathId, payload: ExtendIn) -> SubjectRequest:
    found = _request(request, request_id)
    return services.request_extend(
        actor=request.user, request=found, reason=payload.reason, notified_on=payload.notified_on
    )


@router.post("/requests/{int:request_id}/complete", response={200: RequestOut, **WRITE_ERRORS})
def complete_request(request: HttpRequest, request_id: PathId, payload: OutcomeIn) -> SubjectRequest:
    found = _request(request, request_id)
    return services.request_complete(actor=request.user, request=found, outcome=payload.outcome)


@router.post("/requests/{int:request_id}/refuse", response={200: RequestOut, **WRITE_ERRORS})
def refuse_request(request: HttpRequest, request_id: PathId, payload: OutcomeIn) -> SubjectRequest:
    found = _request(request, request_id)
    return services.request_refuse(actor=request.user, request=found, outcome=payload.outcome)


@router.post("/requests/{int:request_id}/identity", response={200: IdentityOut, **WRITE_ERRORS})
def request_identity(request: HttpRequest, request_id: PathId, payload: IdentityIn) -> Any:
    found = _request(request, request_id)
    if payload.in_person:
        done = services.identity_confirm(
            actor=request.user, request=found, in_person=True, national_id=payload.national_id
        )
        return {"method": done.identity_method or "in_person", "identity_status": done.identity_status}
    challenge = services.identity_start(
        actor=request.user, request=found, method=payload.method, national_id=payload.national_id
    )
    found = _request(request, request_id)
    return {"method": challenge.method, "identity_status": found.identity_status, "post_code": challenge.post_code}
