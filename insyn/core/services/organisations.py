from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_change, audit_delete, snapshot
from insyn.core.exceptions import PermissionDeniedError, ValidationFailed
from insyn.core.models.organisations import Country, Organisation, OrganisationKind, RoleAssignment
from insyn.core.permissions import actor_scope, forget_scope, require_org_perm, user_belongs_elsewhere
from insyn.core.roles import ROLES_BY_CODE
from insyn.core.services import UNCHANGED, Unchanged, changed_fields


def full_clean_or_raise(instance: Any, exclude: list[str] | None = None, *, validate_constraints: bool = True) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_constraints=validate_constraints)
    except ValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        first = next(iter(detail.values()))[0] if detail else str(exc)
        raise ValidationFailed(first, detail=detail) from exc


def _set_path(org: Organisation) -> None:
    if org.parent_id is None:
        org.path = f"/{org.pk}/"
        org.municipality_id = org.pk
    else:
        parent = Organisation.objects.only("path", "municipality_id").get(pk=org.parent_id)
        org.path = f"{parent.path}{org.pk}/"
        org.municipality_id = parent.municipality_id


@transaction.atomic
def organisation_create(
    *,
    actor: Actor,
    name: str,
    kind: str,
    parent: Organisation | None = None,
    short_name: str = "",
    organ_type: str = "",
    organisation_number: str = "",
    country: str = Country.SWEDEN,
    is_controller: bool = False,
    is_archive_creator: bool = False,
    email: str = "",
    active: bool = True,
    reason: str = "",
) -> Organisation:
    org = Organisation(
        name=name,
        kind=kind,
        parent=parent,
        short_name=short_name,
        organ_type=organ_type,
        organisation_number=organisation_number,
        country=country,
        is_controller=is_controller,
        is_archive_creator=is_archive_creator,
        email=email,
        active=active,
    )
    if org.parent_id is None:
        if org.kind != OrganisationKind.MUNICIPALITY:
            raise ValidationFailed(_("Only a municipality can be without a parent."))
        # A new municipality (a new tenant) is for installation administrators only.
        if not actor_scope(actor).is_superuser:
            raise PermissionDeniedError()
    else:
        assert org.parent is not None
        require_org_perm(actor, "core.add_organisation", org.parent)
    full_clean_or_raise(org, exclude=["path", "municipality"])
    org.save()
    _set_path(org)
    org.save(update_fields=["path", "municipality"])
    audit_change(actor=actor, instance=org, before=None, organisation=org, reason=reason)
    return org


@transaction.atomic
def organisation_update(
    *,
    actor: Actor,
    organisation: Organisation,
    name: str | Unchanged = UNCHANGED,
    kind: str | Unchanged = UNCHANGED,
    parent: Organisation | Unchanged | None = UNCHANGED,
    short_name: str | Unchanged = UNCHANGED,
    organ_type: str | Unchanged = UNCHANGED,
    organisation_number: str | Unchanged = UNCHANGED,
    country: str | Unchanged = UNCHANGED,
    is_controller: bool | Unchanged = UNCHANGED,
    is_archive_creator: bool | Unchanged = UNCHANGED,
    email: str | Unchanged = UNCHANGED,
    active: bool | Unchanged = UNCHANGED,
    reason: str = "",
) -> Organisation:
    """Change the given fields; moving below another parent moves the whole subtree."""
    data = changed_fields(
        name=name,
        kind=kind,
        parent=parent,
        short_name=short_name,
        organ_type=organ_type,
        organisation_number=organisation_number,
        country=country,
        is_controller=is_controller,
        is_archive_creator=is_archive_creator,
        email=email,
        active=active,
    )
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    require_org_perm(actor, "core.change_organisation", org)
    before = snapshot(org)
    old_parent_id = org.parent_id
    for key, value in data.items():
        setattr(org, key, value)
    if org.parent_id != old_parent_id:
        new_parent = org.parent
        if new_parent is None or new_parent.path.startswith(org.path):
            raise ValidationFailed(_("An organisation cannot be moved below itself or out of its municipality."))
        if new_parent.municipality_id != org.municipality_id:
            raise ValidationFailed(_("An organisation cannot be moved to another municipality."))
        require_org_perm(actor, "core.add_organisation", new_parent)
    full_clean_or_raise(org, exclude=["path", "municipality"])
    old_path = org.path
    _set_path(org)
    org.save()
    if old_path != org.path:
        for child in Organisation.objects.filter(path__startswith=old_path).exclude(pk=org.pk):
            child.path = org.path + child.path[len(old_path) :]
            child.save(update_fields=["path"])
    audit_change(actor=actor, instance=org, before=before, organisation=org, reason=reason)
    return org


@transaction.atomic
def role_assign(
    *,
    actor: Actor,
    user: AbstractUser,
    organisation: Organisation,
    role_code: str = "",
    role: Group | None = None,
    reason: str = "",
) -> RoleAssignment:
    """Give `user` the role within `organisation` and its subtree (by role code or by the role's group)."""
    if role is not None:
        role_code = next((r.code for r in ROLES_BY_CODE.values() if r.group_name == role.name), "")
    role_def = ROLES_BY_CODE.get(role_code)
    if role_def is None:
        raise ValidationFailed(_("Unknown role: %(role)s") % {"role": role_code})
    require_org_perm(actor, "core.add_roleassignment", organisation)
    scope = actor_scope(actor)
    if not scope.is_superuser:
        if user.is_superuser:
            raise PermissionDeniedError(
                _("Only an installation administrator can change the roles of another installation administrator.")
            )
        if user_belongs_elsewhere(user, organisation.municipality_id or organisation.pk):
            # A user serving several municipalities is set up by an installation administrator.
            raise PermissionDeniedError(_("This user belongs to another municipality."))
        # No one grants more than they hold there: every permission of the role must be the actor's
        # own at that organisation (through an assignment on it or above it).
        held: set[str] = set()
        for path, _municipality, perms in scope.grants:
            if organisation.path.startswith(path):
                held |= perms
        if not set(role_def.permissions) <= held:
            raise PermissionDeniedError(_("You cannot grant a role with rights you do not hold yourself."))
    group, _created = Group.objects.get_or_create(name=role_def.group_name)
    assignment, created = RoleAssignment.objects.get_or_create(user=user, organisation=organisation, role=group)
    # Group membership makes Wagtail show the menus; RoleAssignment scopes what is in them.
    user.groups.add(group)
    forget_scope(user)
    if created:
        audit_change(actor=actor, instance=assignment, before=None, organisation=organisation, reason=reason)
    return assignment


@transaction.atomic
def role_revoke(*, actor: Actor, assignment: RoleAssignment, reason: str = "") -> None:
    require_org_perm(actor, "core.delete_roleassignment", assignment.organisation)
    if assignment.user.is_superuser and not actor_scope(actor).is_superuser:
        raise PermissionDeniedError(
            _("Only an installation administrator can change the roles of another installation administrator.")
        )
    user, group = assignment.user, assignment.role
    audit_delete(actor=actor, instance=assignment, organisation=assignment.organisation, reason=reason)
    if not RoleAssignment.objects.filter(user=user, role=group).exists():
        user.groups.remove(group)
    forget_scope(user)
