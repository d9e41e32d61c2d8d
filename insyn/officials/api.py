"""The officials register under /api/v1/officials/: personnummer masked unless the actor may see it."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from insyn.api.pagination import BoundedLimitOffsetPagination
from insyn.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, PathId, Unchanged
from insyn.core.selectors import access_organisation
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
    # Paginated in the query: the pagination slices this, and only that page's persons are read and viewed.
    return selectors.person_views(actor=request.user, municipality_id=filters.municipality_id, search=filters.q)


@router.get("/persons/{int:person_id}", response={200: PersonOut, **READ_ERRORS})
def get_person(request: HttpRequest, person_id: PathId, reveal: bool = False) -> dict[str, Any]:
    """`?reveal=true` shows the personnummer to those allowed to see it; the read is audited."""
    person = selectors.access_person(actor=request.user, pk=person_id)
    return selectors.person_view(actor=request.user, person=person, reveal=reveal)


@router.post("/persons", response={201: PersonOut, **WRITE_ERRORS})
def create_person(request: HttpRequest, payload: PersonIn) -> Status[Any]:
    municipality = access_organisation(actor=request.user, pk=payload.municipality_id)
    person = services.person_create(
        actor=request.user,
        municipality=municipality,
        given_name=payload.given_name,
        family_name=payload.family_name,
        national_id=payload.national_id,
        email=payload.email,
        phone=payload.phone,
        party=payload.party,
        title=payload.title,
        protected_identity=payload.protected_identity,
        external_id=payload.external_id,
    )
    return Status(201, selectors.person_view(actor=request.user, person=person))


@router.patch("/persons/{int:person_id}", response={200: PersonOut, **WRITE_ERRORS})
def update_person(request: HttpRequest, person_id: PathId, payload: PersonPatch) -> dict[str, Any]:
    person = selectors.access_person(actor=request.user, pk=person_id)
    person = services.person_update(actor=request.user, person=person, **payload.dict(exclude_unset=True))
    return selectors.person_view(actor=request.user, person=person)


@router.get("/persons/{int:person_id}/memberships", response={200: list[MembershipOut], **READ_ERRORS})
def person_memberships(request: HttpRequest, person_id: PathId) -> Any:
    person = selectors.access_person(actor=request.user, pk=person_id)
    return selectors.person_memberships(actor=request.user, person=person)


@router.post("/memberships", response={201: MembershipOut, **WRITE_ERRORS})
def create_membership(request: HttpRequest, payload: MembershipIn) -> Status[Any]:
    person = selectors.access_person(actor=request.user, pk=payload.person_id)
    organ = access_organisation(actor=request.user, pk=payload.organisation_id)
    membership = services.membership_create(
        actor=request.user,
        person=person,
        organisation=organ,
        role=payload.role,
        start_date=payload.start_date,
        end_date=payload.end_date,
        is_external=payload.is_external,
        decision=payload.decision,
    )
    return Status(201, membership)


@router.patch("/memberships/{int:membership_id}", response={200: MembershipOut, **WRITE_ERRORS})
def update_membership(request: HttpRequest, membership_id: PathId, payload: MembershipPatch) -> Membership:
    membership = selectors.access_membership(actor=request.user, pk=membership_id)
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    return services.membership_update(actor=request.user, membership=membership, reason=reason, **data)
