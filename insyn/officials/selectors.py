"""Reads of the officials register. Identity numbers are masked unless the actor may see them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from insyn.core.audit import audit_read
from insyn.core.exceptions import NotFoundError
from insyn.core.permissions import has_org_perm, organisation_q
from insyn.officials.models import Membership, Person, Post
from insyn.officials.rules import mask_national_id

VIEW = "officials.view_person"


def person_list(*, actor: Any, municipality_id: int | None = None, search: str | None = None) -> QuerySet[Person]:
    qs = Person.objects.filter(organisation_q(actor, VIEW, prefix="municipality__")).select_related("municipality")
    if municipality_id:
        qs = qs.filter(municipality_id=municipality_id)
    if search:
        qs = qs.filter(Q(given_name__icontains=search) | Q(family_name__icontains=search))
    return qs


def post_list(*, actor: Any) -> QuerySet[Post]:
    return Post.objects.filter(organisation_q(actor, "officials.view_post", prefix="organisation__"))


def person_get(*, actor: Any, pk: Any) -> Person:
    try:
        return person_list(actor=actor).get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def can_see_national_id(actor: Any, person: Person) -> bool:
    return has_org_perm(actor, "officials.view_national_id", person.municipality)


def can_see_protected(actor: Any, person: Person) -> bool:
    own = getattr(person, "user_id", None) is not None and person.user_id == getattr(actor, "pk", None)
    return own or has_org_perm(actor, "officials.view_protected_identity", person.municipality)


def person_view(*, actor: Any, person: Person, reveal: bool = False) -> dict[str, Any]:
    """What the actor may see of a person.

    Protected identity: only the name, unless the actor may see it in full.
    National id: masked (ÅÅMMDD-XXXX) unless the actor may see it AND asks
    (`reveal=True`); every unmasked read goes on the audit trail.
    """
    hidden = person.protected_identity and not can_see_protected(actor, person)
    data: dict[str, Any] = {
        "id": person.pk,
        "external_id": person.external_id,
        "name": person.name,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "protected_identity": person.protected_identity if not hidden else True,
        "national_id": "",
        "national_id_scheme": "",
        "email": "",
        "phone": "",
        "party": "",
        "title": "",
    }
    if hidden:
        return data
    data.update(
        {
            "email": person.email,
            "phone": person.phone,
            "party": person.party,
            "title": person.title,
            "national_id_scheme": person.national_id_scheme,
            "national_id": mask_national_id(person.national_id),
        }
    )
    if reveal and person.national_id and can_see_national_id(actor, person):
        data["national_id"] = person.national_id
        audit_read(actor=actor, obj=person, fields=["national_id"], organisation=person.municipality)
    return data


def membership_list(
    *, actor: Any, person_id: int | None = None, current_on: dt.date | None = None
) -> QuerySet[Membership]:
    qs = Membership.objects.filter(person__in=person_list(actor=actor)).select_related("person", "organisation")
    if person_id:
        qs = qs.filter(person_id=person_id)
    if current_on:
        qs = qs.filter(Q(start_date__isnull=True) | Q(start_date__lte=current_on)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=current_on)
        )
    return qs


def persons_with_memberships(*, actor: Any) -> QuerySet[Person]:
    memberships = Prefetch("memberships", queryset=Membership.objects.select_related("organisation"))
    return person_list(actor=actor).prefetch_related(memberships)
