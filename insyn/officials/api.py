"""The officials register under /api/v1/officials/: personnummer masked unless the actor may see it."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from insyn.api.pagination import BoundedLimitOffsetPagination
from insyn.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, PathId, Unchanged
from insyn.core.exceptions import NotFoundError
from insyn.core.selectors import organisation_get
from insyn.officials import selectors, services
from insyn.officials.models import Membership

router = Router(tags=["officials"])


class PersonOut(Schema):
    id: int
    external_id: str
    name: str
    given_name: str
    family_name: str
    national_id: str
    national_id_scheme: str
    email: str
    phone: str
    party: str
    title: str
    protected_identity: bool


class PersonIn(Schema):
    municipality_id: Id
    given_name: str = Field(..., min_length=1, max_length=100)
    family_name: str = Field(..., min_length=1, max_length=100)
    national_id: str = ""
    email: str = ""
    phone: str = ""
    party: str = ""
    title: str = ""
    protected_identity: bool = False
    external_id: str = ""


class PersonPatch(Schema):
    """Fields left out keep their value; none of them may be `null` (an empty string clears a text)."""

    given_name: str = Unchanged(min_length=1, max_length=100)
    family_name: str = Unchanged(min_length=1, max_length=100)
    national_id: str = Unchanged()
    email: str = Unchanged()
    phone: str = Unchanged()
    party: str = Unchanged()
    title: str = Unchanged()
    protected_identity: bool = Unchanged()


class MembershipOut(Schema):
    id: int
    person_id: int
    organisation_id: int
    organisation: str = Field(..., alias="organisation.name")
    role: str
    start_date: dt.date | None
    end_date: dt.date | None
    is_external: bool


class MembershipIn(Schema):
    person_id: Id
    organisation_id: Id
    role: str
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    is_external: bool = False
    decision: str = ""


class MembershipPatch(Schema):
    """Fields left out keep their value; `null` only for the dates (not known)."""

    role: str = Unchanged()
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    is_external: bool = Unchanged()
    reason: str = ""


class PersonFilter(Schema):
    municipality_id: Id | None = None
    q: str | None = Field(None, max_length=100)


@router.get("/persons", response={200: list[PersonOut], **READ_ERRORS})
@paginate(BoundedLimitOffsetPagination)
def list_persons(request: HttpRequest, filters: Query[PersonFilter]) -> Any:
    persons = selectors.person_list(actor=request.user, municipality_id=filters.municipality_id, search=filters.q)
    return [selectors.person_view(actor=request.user, person=p) for p in persons.select_related("municipality")]


@router.get("/persons/{int:person_id}", response={200: PersonOut, **READ_ERRORS})
def get_person(request: HttpRequest, person_id: PathId, reveal: bool = False) -> dict[str, Any]:
    """`?reveal=true` shows the personnummer to those allowed to see it; the read is audited."""
    person = selectors.person_get(actor=request.user, pk=person_id)
    return selectors.person_view(actor=request.user, person=person, reveal=reveal)


@router.post("/persons", response={201: PersonOut, **WRITE_ERRORS})
def create_person(request: HttpRequest, payload: PersonIn) -> Status[Any]:
    data = payload.dict()
    municipality = organisation_get(actor=request.user, pk=data.pop("municipality_id"))
    person = services.person_create(actor=request.user, municipality=municipality, **data)
    return Status(201, selectors.person_view(actor=request.user, person=person))


@router.patch("/persons/{int:person_id}", response={200: PersonOut, **WRITE_ERRORS})
def update_person(request: HttpRequest, person_id: PathId, payload: PersonPatch) -> dict[str, Any]:
    person = selectors.person_get(actor=request.user, pk=person_id)
    person = services.person_update(actor=request.user, person=person, **payload.dict(exclude_unset=True))
    return selectors.person_view(actor=request.user, person=person)


@router.get("/persons/{int:person_id}/memberships", response={200: list[MembershipOut], **READ_ERRORS})
def person_memberships(request: HttpRequest, person_id: PathId) -> Any:
    return selectors.membership_list(actor=request.user, person_id=person_id)


@router.post("/memberships", response={201: MembershipOut, **WRITE_ERRORS})
def create_membership(request: HttpRequest, payload: MembershipIn) -> Status[Any]:
    data = payload.dict()
    person = selectors.person_get(actor=request.user, pk=data.pop("person_id"))
    organ = organisation_get(actor=request.user, pk=data.pop("organisation_id"))
    return Status(201, services.membership_create(actor=request.user, person=person, organisation=organ, **data))


@router.patch("/memberships/{int:membership_id}", response={200: MembershipOut, **WRITE_ERRORS})
def update_membership(request: HttpRequest, membership_id: PathId, payload: MembershipPatch) -> Membership:
    try:
        membership = selectors.membership_list(actor=request.user).get(pk=membership_id)
    except Membership.DoesNotExist:
        raise NotFoundError() from None
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    return services.membership_update(actor=request.user, membership=membership, reason=reason, **data)


@router.get("/persons/{int:person_id}/eligibility", response={200: dict[str, Any], **READ_ERRORS})
def eligibility(request: HttpRequest, person_id: PathId, on: dt.date | None = None) -> dict[str, Any]:
    from django.utils import timezone

    from insyn.loans.services import person_eligibility

    person = selectors.person_get(actor=request.user, pk=person_id)
    result, _rules = person_eligibility(person=person, on=on or timezone.localdate())
    return result.to_dict()
