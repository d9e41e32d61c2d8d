"""Persons of the officials register: create and update.

Every service is keyword-only, takes `actor: Actor` and typed parameters. An update's parameters
default to `UNCHANGED`: only those given change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_change, snapshot
from insyn.core.exceptions import ValidationFailed
from insyn.core.models import Organisation
from insyn.core.permissions import actor_scope, require_org_perm, user_belongs_elsewhere
from insyn.core.services import UNCHANGED, Unchanged, changed_fields
from insyn.core.services.organisations import full_clean_or_raise
from insyn.officials.models import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import User  # AUTH_USER_MODEL, as the stubs type Person.user


def _check_login(actor: Actor, municipality: Organisation, user: User | None) -> None:
    """An official's login is the municipality's own: never an installation administrator's, never a login
    that belongs to another municipality (a role or an official there)."""
    if user is None or actor_scope(actor).is_superuser:
        return
    if getattr(user, "is_superuser", False) or user_belongs_elsewhere(
        user, municipality.municipality_id or municipality.pk
    ):
        raise ValidationFailed(
            _("This login cannot be linked to an official of this municipality."), detail={"user": ["invalid"]}
        )


@transaction.atomic
def person_create(
    *,
    actor: Actor,
    municipality: Organisation,
    given_name: str,
    family_name: str,
    national_id: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
    party: str = "",
    title: str = "",
    protected_identity: bool = False,
    external_id: str = "",
    user: User | None = None,
) -> Person:
    require_org_perm(actor, "officials.add_person", municipality)
    _check_login(actor, municipality, user)
    person = Person(
        municipality=municipality,
        given_name=given_name,
        family_name=family_name,
        national_id=national_id,
        email=email,
        phone=phone,
        address=address,
        party=party,
        title=title,
        protected_identity=protected_identity,
        external_id=external_id,
        user=user,
    )
    full_clean_or_raise(person, exclude=["municipality"])
    person.save()
    audit_change(actor=actor, instance=person, before=None, organisation=municipality)
    return person


@transaction.atomic
def person_update(
    *,
    actor: Actor,
    person: Person,
    reason: str = "",
    given_name: str | Unchanged = UNCHANGED,
    family_name: str | Unchanged = UNCHANGED,
    national_id: str | Unchanged = UNCHANGED,
    email: str | Unchanged = UNCHANGED,
    phone: str | Unchanged = UNCHANGED,
    address: str | Unchanged = UNCHANGED,
    party: str | Unchanged = UNCHANGED,
    title: str | Unchanged = UNCHANGED,
    protected_identity: bool | Unchanged = UNCHANGED,
    external_id: str | Unchanged = UNCHANGED,
    user: User | Unchanged | None = UNCHANGED,
) -> Person:
    changes = changed_fields(
        given_name=given_name,
        family_name=family_name,
        national_id=national_id,
        email=email,
        phone=phone,
        address=address,
        party=party,
        title=title,
        protected_identity=protected_identity,
        external_id=external_id,
        user=user,
    )
    locked = Person.objects.select_for_update().select_related("municipality").get(pk=person.pk)
    require_org_perm(actor, "officials.change_person", locked.municipality)
    if locked.protected_identity and changes.get("protected_identity") is False:
        # Lifting the protection shows the person's data to everyone: only those who may see it decide that.
        require_org_perm(actor, "officials.view_protected_identity", locked.municipality)
    if "user" in changes and changes["user"] != locked.user:
        _check_login(actor, locked.municipality, changes["user"])
    before = snapshot(locked)
    for name, value in changes.items():
        setattr(locked, name, value)
    full_clean_or_raise(locked)
    locked.save()
    audit_change(actor=actor, instance=locked, before=before, organisation=locked.municipality, reason=reason)
    return locked
