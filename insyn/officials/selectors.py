"""Reads of the officials register. Identity numbers are masked unless the actor may see them.

One access helper per entity (`access_person`, `access_membership`, `access_post`): one error,
`NotFoundError`, for "there is no such id" and "it is not yours", so that ids cannot be probed.
Every ORM read the admin, the API and the CLI show goes through this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar, overload

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_read
from insyn.core.exceptions import NotFoundError
from insyn.core.models import Organisation
from insyn.core.permissions import has_org_perm, organisation_q
from insyn.core.selectors import claimable_users, organisations_for_perm
from insyn.officials.models import Membership, MembershipRole, Person, Post
from insyn.officials.rules import mask_national_id

VIEW = "officials.view_person"
# The attribute `with_current_memberships` fills: a person's memberships in force today, organs selected.
CURRENT_MEMBERSHIPS = "current_memberships"

T = TypeVar("T")


# --- Persons --------------------------------------------------------------------------------------


def person_list(*, actor: Actor, municipality_id: int | None = None, search: str | None = None) -> QuerySet[Person]:
    qs = Person.objects.filter(organisation_q(actor, VIEW, prefix="municipality__")).select_related("municipality")
    if municipality_id:
        qs = qs.filter(municipality_id=municipality_id)
    if search:
        qs = qs.filter(Q(given_name__icontains=search) | Q(family_name__icontains=search))
    return qs


def access_person(*, actor: Actor, pk: Any) -> Person:
    """The person with id `pk` if the actor may see them; NotFoundError otherwise (missing or not theirs)."""
    try:
        return person_list(actor=actor).get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFoundError(_("No such person.")) from None


# The name other modules (loans) have called it by; the same helper.
person_get = access_person


def persons_by_name(*, actor: Actor) -> QuerySet[Person]:
    """Persons to choose from in a form, by family name."""
    return person_list(actor=actor).order_by("family_name", "given_name", "pk")


def with_current_memberships(persons: QuerySet[Person], on: dt.date | None = None) -> QuerySet[Person]:
    """`persons` with `person.current_memberships` (in force on `on`, organ selected): one query for all.

    Idempotent: a queryset that has the prefetch already (narrowed by a form's scoping, say) is returned as is.
    """
    for lookup in getattr(persons, "_prefetch_related_lookups", ()):
        if isinstance(lookup, Prefetch) and lookup.to_attr == CURRENT_MEMBERSHIPS:
            return persons
    current = Membership.objects.current(on).select_related("organisation").order_by("organisation__name", "pk")
    return persons.prefetch_related(Prefetch("memberships", queryset=current, to_attr=CURRENT_MEMBERSHIPS))


def persons_with_memberships(*, actor: Actor) -> QuerySet[Person]:
    """The admin list: persons with their current memberships (the "current assignments" column)."""
    return with_current_memberships(person_list(actor=actor))


def current_memberships(person: Person) -> list[Membership]:
    """The person's memberships in force today: prefetched by `with_current_memberships`, else one query."""
    prefetched = getattr(person, CURRENT_MEMBERSHIPS, None)
    if prefetched is not None:
        return list(prefetched)
    return list(Membership.objects.current().filter(person_id=person.pk).select_related("organisation"))


def linkable_users(*, actor: Actor) -> QuerySet[Any]:
    """Logins that may be linked to an official: those in the actor's municipalities, or in none yet."""
    return claimable_users(actor=actor, perms=("officials.change_person", "officials.add_person"))


def can_see_national_id(actor: Actor, person: Person) -> bool:
    return has_org_perm(actor, "officials.view_national_id", person.municipality)


def can_see_protected(actor: Actor, person: Person) -> bool:
    own = getattr(person, "user_id", None) is not None and person.user_id == getattr(actor, "pk", None)
    return own or has_org_perm(actor, "officials.view_protected_identity", person.municipality)


def person_view(*, actor: Actor, person: Person, reveal: bool = False) -> dict[str, Any]:
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


class MappedPage(Sequence[T]):
    """A queryset seen through `view`, evaluated one slice at a time.

    Pagination (django-ninja's `paginate`) slices it and counts it: the slice is one query with
    LIMIT/OFFSET, `view` runs for the rows of that page only, and `len()` is a COUNT.
    """

    def __init__(self, queryset: QuerySet[Any], view: Callable[[Any], T]) -> None:
        self.queryset = queryset
        self.view = view

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self.view(row) for row in self.queryset[index]]
        return self.view(self.queryset[index])

    def __len__(self) -> int:
        return self.queryset.count()

    def __iter__(self) -> Iterator[T]:
        return (self.view(row) for row in self.queryset.iterator())


def person_views(
    *, actor: Actor, municipality_id: int | None = None, search: str | None = None
) -> MappedPage[dict[str, Any]]:
    """`person_view` of every person the actor may see, built only for the page that is read."""
    persons = person_list(actor=actor, municipality_id=municipality_id, search=search).order_by(
        "family_name", "given_name", "pk"
    )
    return MappedPage(persons, lambda person: person_view(actor=actor, person=person))


# --- Memberships and posts ----------------------------------------------------------------------


def membership_list(
    *, actor: Actor, person_id: int | None = None, current_on: dt.date | None = None
) -> QuerySet[Membership]:
    qs = Membership.objects.filter(person__in=person_list(actor=actor)).select_related("person", "organisation")
    if person_id:
        qs = qs.filter(person_id=person_id)
    if current_on:
        qs = qs.current(current_on)
    return qs


def access_membership(*, actor: Actor, pk: Any) -> Membership:
    """The membership with id `pk` if the actor may see it; NotFoundError otherwise (missing or not theirs)."""
    try:
        return membership_list(actor=actor).get(pk=pk)
    except (Membership.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFoundError(_("No such membership.")) from None


def person_memberships(*, actor: Actor, person: Person) -> QuerySet[Membership]:
    """The person page's memberships, newest first."""
    return membership_list(actor=actor, person_id=person.pk).order_by("-start_date", "pk")


def post_list(*, actor: Actor) -> QuerySet[Post]:
    return Post.objects.filter(organisation_q(actor, "officials.view_post", prefix="organisation__"))


def access_post(*, actor: Actor, pk: Any) -> Post:
    """The post with id `pk` if the actor may see it; NotFoundError otherwise (missing or not theirs)."""
    try:
        return post_list(actor=actor).get(pk=pk)
    except (Post.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFoundError(_("No such post.")) from None


def organs_for_membership(*, actor: Actor) -> QuerySet[Organisation]:
    """Organs the actor may add a membership to (a form's choices)."""
    return organisations_for_perm(actor=actor, perm="officials.add_membership").filter(kind="organ")


def chaired_organisation_ids(
    *, person: Person | None, on: dt.date | None = None, organ_types: Iterable[str] | None = None
) -> set[int]:
    """The organs `person` chairs on `on` (today by default): the one definition of "chair".

    A chair is a current membership (`Membership.objects.current`) with the role CHAIR. `organ_types`
    narrows the organs (loans: only a nämnd, the kommunstyrelse or a company board decides on mobile
    broadband). No person (an actor who is not an official) chairs nothing. Not scoped to an actor:
    the callers are rules asking "does this person chair that organ", never lists shown to a user.
    """
    if person is None or person.pk is None:
        return set()
    qs = Membership.objects.current(on).filter(person_id=person.pk, role=MembershipRole.CHAIR)
    if organ_types is not None:
        qs = qs.filter(organisation__organ_type__in=list(organ_types))
    return set(qs.values_list("organisation_id", flat=True))


def member_organisation_ids(*, person: Person | None, on: dt.date | None = None) -> set[int]:
    """The organs `person` sits in on `on` (today by default), in any role."""
    if person is None or person.pk is None:
        return set()
    return set(Membership.objects.current(on).filter(person_id=person.pk).values_list("organisation_id", flat=True))


# --- Import ---------------------------------------------------------------------------------------


def import_municipalities(*, actor: Actor) -> QuerySet[Organisation]:
    """Municipalities the actor may import officials into (the right for the whole municipality)."""
    return organisations_for_perm(actor=actor, perm="officials.add_person").filter(kind="municipality")


def organisation_parents(*, actor: Actor) -> QuerySet[Organisation]:
    """Where the actor may create organs (an import's new organisations): their own subtrees, never elsewhere."""
    return organisations_for_perm(actor=actor, perm="core.add_organisation").filter(kind__in=["municipality", "organ"])


def access_import_target(
    *, actor: Actor, municipality_pk: Any, parent_pk: Any = None
) -> tuple[Organisation, Organisation | None]:
    """The municipality to import into and, when given, the organisation new organs go under (inside it).

    One NotFoundError for a missing id, another municipality's, or one where the actor lacks the right.
    """
    error = NotFoundError(_("No such municipality or organisation where you may import."))
    try:
        municipality = import_municipalities(actor=actor).get(pk=municipality_pk)
        if parent_pk in (None, ""):
            return municipality, None
        return municipality, organisation_parents(actor=actor).get(pk=parent_pk, municipality_id=municipality.pk)
    except (Organisation.DoesNotExist, ValueError, TypeError, OverflowError):
        raise error from None
