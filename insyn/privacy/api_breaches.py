"""The breach register under /api/v1/privacy/breaches: the same services as the admin. No DELETE: every
breach stays documented (Art. 33(5))."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from insyn.api.pagination import BoundedLimitOffsetPagination
from insyn.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, PathId
from insyn.core.selectors import organisation_get
from insyn.privacy.models import Breach
from insyn.privacy.selectors import breaches as selectors
from insyn.privacy.services import breaches as services

router = Router(tags=["privacy"])

LongText = Field(..., min_length=1, max_length=20_000)


class ClockOut(Schema):
    deadline: dt.datetime
    remaining_seconds: int
    state: str


class BreachOut(Schema):
    id: int
    reference: str
    controller_id: int
    controller: str
    title: str
    status: str
    discovered_at: dt.datetime
    occurred_at: dt.datetime | None
    reported_by: str
    description: str
    subjects_count: int | None
    records_count: int | None
    risk: str
    risk_assessment: str
    consequences: str
    measures: str
    authority: str
    authority_notified_at: dt.datetime | None
    authority_reference: str
    authority_not_notified_reason: str
    late_reason: str
    subject_notification: str
    subjects_notified_at: dt.datetime | None
    subject_notification_reason: str
    clock: ClockOut

    @staticmethod
    def resolve_controller(obj: Breach) -> str:
        return obj.controller.name

    @staticmethod
    def resolve_clock(obj: Breach) -> dict[str, Any]:
        state = selectors.clock(obj, timezone.now())
        return {"deadline": state.deadline, "remaining_seconds": state.remaining_seconds, "state": state.state}


class ReportIn(Schema):
    controller_id: Id
    title: str = Field(..., min_length=1, max_length=300)
    discovered_at: dt.datetime
    occurred_at: dt.datetime | None = None
    reported_by: str = Field("", max_length=200)
    description: str = LongText


class UpdateIn(Schema):
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = Field(None, min_length=1, max_length=20_000)
    occurred_at: dt.datetime | None = None
    reported_by: str | None = Field(None, max_length=200)
    subjects_count: int | None = Field(None, ge=0, le=10**9)
    records_count: int | None = Field(None, ge=0, le=10**12)


class AssessIn(Schema):
    risk: Literal["unlikely", "risk", "high"]
    risk_assessment: str = LongText
    consequences: str = Field("", max_length=20_000)
    measures: str = Field("", max_length=20_000)


class AuthorityIn(Schema):
    notified_at: dt.datetime | None = None
    authority_reference: str = Field("", max_length=100)
    late_reason: str = Field("", max_length=20_000)
    not_notified_reason: str = Field("", max_length=20_000)


class SubjectsIn(Schema):
    notify: bool
    reason: str = Field("", max_length=20_000)
    notified_at: dt.datetime | None = None


def _breach(request: HttpRequest, breach_id: int) -> Breach:
    return selectors.access_breach(actor=request.user, pk=breach_id)


@router.get("/breaches", response={200: list[BreachOut], **READ_ERRORS})
@paginate(BoundedLimitOffsetPagination)
def list_breaches(request: HttpRequest, status: Literal["open", "closed"] | None = None) -> Any:
    return selectors.breaches(actor=request.user, status=status)


@router.get("/breaches/{int:breach_id}", response={200: BreachOut, **READ_ERRORS})
def get_breach(request: HttpRequest, breach_id: PathId) -> Breach:
    return _breach(request, breach_id)


@router.post("/breaches", response={201: BreachOut, **WRITE_ERRORS})
def report_breach(request: HttpRequest, payload: ReportIn) -> Status[Any]:
    controller = organisation_get(actor=request.user, pk=payload.controller_id)
    breach = services.breach_report(
        actor=request.user,
        controller=controller,
        title=payload.title,
        discovered_at=payload.discovered_at,
        occurred_at=payload.occurred_at,
        reported_by=payload.reported_by,
        description=payload.description,
    )
    return Status(201, breach)


@router.patch("/breaches/{int:breach_id}", response={200: BreachOut, **WRITE_ERRORS})
def update_breach(request: HttpRequest, breach_id: PathId, payload: UpdateIn) -> Breach:
    # Only what was sent changes; a title or description sent as null is ignored (they are required).
    given = {
        k: v
        for k, v in payload.model_dump(exclude_unset=True).items()
        if not (k in ("title", "description", "reported_by") and v is None)
    }
    return services.breach_update(actor=request.user, breach=_breach(request, breach_id), **given)


@router.post("/breaches/{int:breach_id}/assess", response={200: BreachOut, **WRITE_ERRORS})
def assess_breach(request: HttpRequest, breach_id: PathId, payload: AssessIn) -> Breach:
    return services.breach_assess(actor=request.user, breach=_breach(request, breach_id), **payload.model_dump())


@router.post("/breaches/{int:breach_id}/notify-authority", response={200: BreachOut, **WRITE_ERRORS})
def notify_authority(request: HttpRequest, breach_id: PathId, payload: AuthorityIn) -> Breach:
    return services.breach_notify_authority(
        actor=request.user, breach=_breach(request, breach_id), **payload.model_dump()
    )


@router.post("/breaches/{int:breach_id}/subjects", response={200: BreachOut, **WRITE_ERRORS})
def decide_subjects(request: HttpRequest, breach_id: PathId, payload: SubjectsIn) -> Breach:
    return services.breach_decide_subjects(
        actor=request.user, breach=_breach(request, breach_id), **payload.model_dump()
    )


@router.post("/breaches/{int:breach_id}/close", response={200: BreachOut, **WRITE_ERRORS})
def close_breach(request: HttpRequest, breach_id: PathId) -> Breach:
    return services.breach_close(actor=request.user, breach=_breach(request, breach_id))
