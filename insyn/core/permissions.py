"""Organisation-scoped permissions.

A user's roles come from RoleAssignment rows: the role's permissions apply to
the assigned organisation and everything below it. Reading is wider than
writing: a permission held anywhere in a municipality lets the user *see*
that municipality's objects of that model, never another municipality's.
Superusers see and change everything (installation administrators).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from insyn.core.exceptions import PermissionDeniedError
from insyn.core.models.organisations import Organisation, RoleAssignment

if TYPE_CHECKING:  # insyn.core.actor imports this module (SYSTEM lives here)
    from insyn.core.actor import Actor


class SystemActor:
    """The actor of demo loading and scheduled jobs: may do everything, logged as "system"."""

    is_authenticated = False
    is_active = True
    is_superuser = True
    pk = None

    def get_username(self) -> str:
        return "system"

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()


@dataclass
class ActorScope:
    is_superuser: bool
    # (organisation path, municipality id, permission strings) per assignment
    grants: list[tuple[str, int, frozenset[str]]] = field(default_factory=list)

    def paths_with(self, perm: str) -> list[str]:
        return [path for path, _, perms in self.grants if perm in perms]

    def municipalities_with(self, perm: str) -> set[int]:
        return {municipality for _, municipality, perms in self.grants if perm in perms}

    def municipalities(self) -> set[int]:
        return {municipality for _, municipality, _ in self.grants}


def actor_scope(user: Actor | None) -> ActorScope:
    """Cached on the user object for the life of the request/command."""
    if isinstance(user, SystemActor):
        return ActorScope(is_superuser=True)
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return ActorScope(is_superuser=False)
    cached = getattr(user, "_insyn_scope", None)
    if isinstance(cached, ActorScope):
        return cached
    scope = ActorScope(is_superuser=bool(user.is_superuser))
    assignments = (
        RoleAssignment.objects.filter(user_id=user.pk)
        .select_related("organisation")
        .prefetch_related("role__permissions__content_type")
    )
    for assignment in assignments:
        perms = frozenset(f"{p.content_type.app_label}.{p.codename}" for p in assignment.role.permissions.all())
        org = assignment.organisation
        scope.grants.append((org.path, org.municipality_id or org.pk, perms))
    setattr(user, "_insyn_scope", scope)  # noqa: B010 (no such attribute on the user types)
    return scope


def forget_scope(user: Actor) -> None:
    if hasattr(user, "_insyn_scope"):
        del user._insyn_scope


def organisation_q(user: Actor, perm: str, *, prefix: str = "", write: bool = False) -> Q:
    """A Q that keeps rows whose organisation the user may `perm`.

    `prefix` is the lookup to the organisation ("organisation__" for a document,
    "" for Organisation itself). `write=True` scopes to the assigned subtree;
    otherwise to the whole municipality.
    """
    scope = actor_scope(user)
    if scope.is_superuser:
        return ~Q(pk__in=[])  # always true, and unlike Q() it survives being OR-ed
    if write:
        paths = scope.paths_with(perm)
        if not paths:
            return Q(pk__in=[])
        q = Q(pk__in=[])
        for path in paths:
            q |= Q(**{f"{prefix}path__startswith": path})
        return q
    municipalities = scope.municipalities_with(perm)
    if not municipalities:
        return Q(pk__in=[])
    return Q(**{f"{prefix}municipality_id__in": municipalities})


def has_org_perm(user: Actor, perm: str, organisation: Organisation) -> bool:
    scope = actor_scope(user)
    if scope.is_superuser:
        return True
    return any(organisation.path.startswith(path) for path in scope.paths_with(perm))


def require_org_perm(user: Actor, perm: str, organisation: Organisation) -> None:
    if not has_org_perm(user, perm, organisation):
        raise PermissionDeniedError()


def can_see_municipality(user: Actor, municipality_id: int) -> bool:
    scope = actor_scope(user)
    return scope.is_superuser or municipality_id in scope.municipalities()


# --- Which municipality a login belongs to -------------------------------------------------------

# A login belongs to a municipality through a role there, or through another module's record of it
# (an official's Person in officials). Modules above core register a source here instead of core
# importing them: each returns a queryset of rows with `user_id` and `municipality_id`.
_USER_MUNICIPALITY_SOURCES: list[Any] = []


def register_user_municipality_source(source: Any) -> None:
    if source not in _USER_MUNICIPALITY_SOURCES:
        _USER_MUNICIPALITY_SOURCES.append(source)


def users_elsewhere(municipality_ids: set[int] | list[int]) -> list[Any]:
    """Querysets of user ids that belong to a municipality outside `municipality_ids`."""
    ids = list(municipality_ids)
    sources = [RoleAssignment.objects.exclude(organisation__municipality_id__in=ids).values("user_id")]
    for source in _USER_MUNICIPALITY_SOURCES:
        sources.append(source().exclude(municipality_id__in=ids).values("user_id"))
    return sources


def user_belongs_elsewhere(user: Any, municipality_id: int) -> bool:
    return any(qs.filter(user_id=user.pk).exists() for qs in users_elsewhere({municipality_id}))
