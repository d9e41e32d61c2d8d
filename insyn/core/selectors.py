"""Every read the UI, API and CLI show: scoped to what the actor may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from insyn.core.actor import Actor, SystemActor
from insyn.core.exceptions import NotFoundError
from insyn.core.models.audit import AuditEntry
from insyn.core.models.documents import DocumentStatus, GoverningDocument
from insyn.core.models.organisations import Organisation, RoleAssignment
from insyn.core.permissions import actor_scope, organisation_q, users_elsewhere


def organisation_list(
    *, actor: Actor, kind: str | None = None, municipality_id: int | None = None
) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(organisation_q(actor, "core.view_organisation"))
    if kind:
        qs = qs.filter(kind=kind)
    if municipality_id:
        qs = qs.filter(municipality_id=municipality_id)
    return qs.select_related("parent").order_by("path")


def access_organisation(*, actor: Actor, pk: Any) -> Organisation:
    """The organisation the actor may see; the same NotFoundError whether it is missing or another
    municipality's, so that no one learns which ids exist (Zulip's `access_*` helpers)."""
    try:
        return organisation_list(actor=actor).get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


organisation_get = access_organisation


def organisations_for_perm(*, actor: Actor, perm: str) -> QuerySet[Organisation]:
    """Organisations where the actor may do `perm` (for choosers in forms)."""
    return Organisation.objects.filter(organisation_q(actor, perm, write=True)).order_by("path")


def governing_document_list(
    *,
    actor: Actor,
    organisation_id: int | None = None,
    status: str | None = None,
    document_type: str | None = None,
    expiring_within_days: int | None = None,
    search: str | None = None,
) -> QuerySet[GoverningDocument]:
    qs = GoverningDocument.objects.filter(
        organisation_q(actor, "core.view_governingdocument", prefix="organisation__")
    ).select_related("organisation", "owner", "replaced_by")
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if status:
        qs = qs.filter(status=status)
    if document_type:
        qs = qs.filter(document_type=document_type)
    if expiring_within_days is not None:
        qs = qs.filter(
            status=DocumentStatus.IN_FORCE,
            valid_until__isnull=False,
            valid_until__lte=timezone.localdate() + dt.timedelta(days=expiring_within_days),
        )
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(registration_number__icontains=search))
    return qs


def access_governing_document(*, actor: Actor, pk: Any) -> GoverningDocument:
    """The document the actor may see; one NotFoundError for missing and not-yours."""
    try:
        return governing_document_list(actor=actor).get(pk=pk)
    except (GoverningDocument.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


governing_document_get = access_governing_document


def governing_document_by_file(*, actor: Actor, name: str) -> GoverningDocument:
    """The visible document whose stored file is `name` (the /media/ door); NotFoundError otherwise."""
    document = governing_document_list(actor=actor).filter(file=name).first()
    if document is None:
        raise NotFoundError()
    return document


def governing_documents_expiring(*, actor: Actor, within_days: int = 90) -> QuerySet[GoverningDocument]:
    return governing_document_list(actor=actor, expiring_within_days=within_days).order_by("valid_until")


def audit_entry_list(*, actor: Actor) -> QuerySet[AuditEntry]:
    """Superusers see the whole trail; others the entries of municipalities where they hold the audit permission."""
    scope = actor_scope(actor)
    if scope.is_superuser:
        return AuditEntry.objects.all()
    municipalities = scope.municipalities_with("core.view_audit_trail")
    if not municipalities:
        return AuditEntry.objects.none()
    org_ids = Organisation.objects.filter(municipality_id__in=municipalities).values("pk")
    return AuditEntry.objects.filter(organisation_id__in=org_ids)


def role_changes_recent(*, actor: Actor, days: int = 30) -> QuerySet[AuditEntry]:
    """Role grants and revocations on the actor's audit trail, newest first."""
    since = timezone.now() - dt.timedelta(days=days)
    return (
        audit_entry_list(actor=actor).filter(object_type="core.roleassignment", created_at__gte=since).order_by("-id")
    )


def role_assignment_list(*, actor: Actor) -> QuerySet[RoleAssignment]:
    """Assignments in the subtrees where the actor administers roles."""
    return RoleAssignment.objects.filter(
        organisation_q(actor, "core.view_roleassignment", prefix="organisation__", write=True)
    ).select_related("user", "organisation", "role")


def access_role_assignment(*, actor: Actor, pk: Any) -> RoleAssignment:
    """An assignment in a subtree where the actor administers roles; one NotFoundError for missing and not-yours."""
    try:
        return role_assignment_list(actor=actor).get(pk=pk)
    except (RoleAssignment.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def organ_list(*, actor: Actor) -> QuerySet[Organisation]:
    """Organs of the actor's municipalities, by name (list filters)."""
    scope = actor_scope(actor)
    organs = Organisation.objects.filter(kind="organ").order_by("name")
    return organs if scope.is_superuser else organs.filter(municipality_id__in=scope.municipalities())


def municipalities_for(*, actor: Actor, perm: str) -> QuerySet[Organisation]:
    """Municipalities where the actor holds `perm` for the whole municipality (what a create service requires)."""
    return organisations_for_perm(actor=actor, perm=perm).filter(kind="municipality")


def token_owners(*, actor: Actor) -> QuerySet[Any]:
    """Whose API tokens the actor may manage: Wagtail's manageable owners (themselves; anyone for an
    auth.change_user holder), narrowed for all but superusers to their own municipalities' logins: never a
    superuser and never a login that also belongs to another municipality (whose rights a token would carry)."""
    from wagtail.users.utils import get_manageable_token_owners

    owners: QuerySet[Any] = get_manageable_token_owners(actor)
    scope = actor_scope(actor)
    if scope.is_superuser:
        return owners
    own = Q(pk=actor.pk) if getattr(actor, "pk", None) else Q(pk__in=[])
    municipalities = scope.municipalities()
    others = owners.filter(is_superuser=False, role_assignments__organisation__municipality_id__in=municipalities)
    for elsewhere in users_elsewhere(municipalities):
        others = others.exclude(pk__in=elsewhere)
    return owners.filter(own | Q(pk__in=others.values("pk"))).distinct()


def api_token_list(*, actor: Actor) -> QuerySet[Any]:
    """The API tokens the actor may manage (`token_owners`)."""
    from wagtail.models import APIToken

    tokens: QuerySet[Any] = APIToken.objects.filter(user__in=token_owners(actor=actor).values("pk"))
    return tokens


def page_is_movable(*, page_id: int) -> bool:
    """Whether a page has a parent to be reordered in (not the root). Wagtail's own view checks the right."""
    from wagtail.models import Page

    return bool(Page.objects.filter(pk=page_id, depth__gt=1).exists())


def wagtail_document_by_file(*, actor: Actor, name: str) -> Any:
    """The Wagtail document stored as `name`, or None (its serve view applies collection privacy)."""
    from wagtail.documents import get_document_model

    return get_document_model().objects.filter(file=name).first()


def wagtail_image_file(*, actor: Actor, name: str) -> Any:
    """The stored file of a Wagtail image or rendition named `name`, for users of the admin; None otherwise."""
    from wagtail.images import get_image_model

    if not isinstance(actor, SystemActor) and not actor.has_perm("wagtailadmin.access_admin"):
        return None
    image_model = get_image_model()
    image = image_model.objects.filter(file=name).first()
    if image is not None:
        return image.file
    rendition = image_model.get_rendition_model().objects.filter(file=name).first()
    return rendition.file if rendition is not None else None


def claimable_users(*, actor: Actor, perms: tuple[str, ...]) -> QuerySet[Any]:
    """Logins the actor may tie to their municipality (a role, an official's record) with one of `perms`:
    those already theirs or nobody's yet. Never a superuser (an installation administrator) and never
    another municipality's login (a role there, or an official's record there)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True)
    scope = actor_scope(actor)
    if scope.is_superuser:
        return users.order_by("username")
    municipalities: set[int] = set()
    for perm in perms:
        municipalities |= scope.municipalities_with(perm)
    if not municipalities:
        return users.none()
    users = users.filter(is_superuser=False)
    for elsewhere in users_elsewhere(municipalities):
        users = users.exclude(pk__in=elsewhere)
    return users.order_by("username")


def assignable_users(*, actor: Actor) -> QuerySet[Any]:
    """Users an administrator may give a role."""
    return claimable_users(actor=actor, perms=("core.add_roleassignment",))


def municipality_users(*, actor: Actor) -> QuerySet[Any]:
    """Users holding a role in one of the actor's municipalities (owners, contacts), the actor included."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True)
    scope = actor_scope(actor)
    if scope.is_superuser:
        return users.order_by("username")
    own = Q(pk=actor.pk) if getattr(actor, "pk", None) else Q(pk__in=[])
    return (
        users.filter(Q(role_assignments__organisation__municipality_id__in=scope.municipalities()) | own)
        .distinct()
        .order_by("username")
    )


def assignable_roles(*, actor: Actor) -> QuerySet[Any]:
    from django.contrib.auth.models import Group

    from insyn.core.roles import ROLES

    return Group.objects.filter(name__in=[r.group_name for r in ROLES]).order_by("name")


def audited_object(entry: AuditEntry) -> models.Model | None:
    """The object an audit entry is about, fetched only when a display rule needs it
    (`personal_data.hidden_fields`); None when there is no rule or the object is gone."""
    from django.apps import apps

    from insyn.core.personal_data import has_hidden_rule

    if not entry.object_type or not has_hidden_rule(entry.object_type):
        return None
    try:
        model = apps.get_model(entry.object_type)
        found: models.Model | None = model._default_manager.filter(pk=int(entry.object_id)).first()
        return found
    except (LookupError, ValueError):
        return None
