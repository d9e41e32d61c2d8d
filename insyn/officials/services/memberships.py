"""Memberships: create, update, end. Each change is announced after commit (`signals.membership_changed`).

Modules that follow memberships (loans: due dates) listen to the signal; officials imports none of them.
An update's parameters default to `UNCHANGED` (`None` clears a date).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_change, snapshot
from insyn.core.events import send_after_commit
from insyn.core.exceptions import ValidationFailed
from insyn.core.models import Organisation
from insyn.core.permissions import require_org_perm
from insyn.core.services import UNCHANGED, Unchanged, changed_fields
from insyn.core.services.organisations import full_clean_or_raise
from insyn.officials.models import Membership, Person, Post
from insyn.officials.signals import membership_changed


def _after_membership_change(membership: Membership, actor: Actor) -> None:
    # Announced, not called: loans (due dates follow memberships) listens, after the commit.
    send_after_commit(
        membership_changed,
        sender=Membership,
        membership_id=membership.pk,
        person_id=membership.person_id,
        organisation_id=membership.organisation_id,
        actor=actor,
    )


def _check_organ(person: Person, organisation: Organisation) -> None:
    if organisation.municipality_id != person.municipality_id:
        raise ValidationFailed(_("The organ belongs to another municipality."))
    if organisation.kind != "organ":
        raise ValidationFailed(_("Memberships are in organs (nämnder, styrelser, råd)."))


@transaction.atomic
def membership_create(
    *,
    actor: Actor,
    person: Person,
    organisation: Organisation,
    role: str,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    is_external: bool = False,
    on_behalf_of: str = "",
    decision: str = "",
    external_id: str = "",
    post: Post | None = None,
) -> Membership:
    require_org_perm(actor, "officials.add_membership", organisation)
    _check_organ(person, organisation)
    membership = Membership(
        person=person,
        organisation=organisation,
        role=role,
        start_date=start_date,
        end_date=end_date,
        is_external=is_external,
        on_behalf_of=on_behalf_of,
        decision=decision,
        external_id=external_id,
        post=post,
    )
    if membership.post is None:
        membership.post, _created = Post.objects.get_or_create(organisation=organisation, role=role, label="")
    full_clean_or_raise(membership)
    membership.save()
    audit_change(actor=actor, instance=membership, before=None, organisation=organisation)
    _after_membership_change(membership, actor)
    return membership


@transaction.atomic
def membership_update(
    *,
    actor: Actor,
    membership: Membership,
    reason: str = "",
    role: str | Unchanged = UNCHANGED,
    start_date: dt.date | Unchanged | None = UNCHANGED,
    end_date: dt.date | Unchanged | None = UNCHANGED,
    is_external: bool | Unchanged = UNCHANGED,
    on_behalf_of: str | Unchanged = UNCHANGED,
    decision: str | Unchanged = UNCHANGED,
    external_id: str | Unchanged = UNCHANGED,
    post: Post | Unchanged | None = UNCHANGED,
) -> Membership:
    changes = changed_fields(
        role=role,
        start_date=start_date,
        end_date=end_date,
        is_external=is_external,
        on_behalf_of=on_behalf_of,
        decision=decision,
        external_id=external_id,
        post=post,
    )
    locked = Membership.objects.select_for_update().select_related("organisation", "person").get(pk=membership.pk)
    require_org_perm(actor, "officials.change_membership", locked.organisation)
    before = snapshot(locked)
    for name, value in changes.items():
        setattr(locked, name, value)
    full_clean_or_raise(locked)
    locked.save()
    audit_change(actor=actor, instance=locked, before=before, organisation=locked.organisation, reason=reason)
    _after_membership_change(locked, actor)
    return locked


def membership_end(*, actor: Actor, membership: Membership, end_date: dt.date, reason: str = "") -> Membership:
    return membership_update(actor=actor, membership=membership, end_date=end_date, reason=reason)
