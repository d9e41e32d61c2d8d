"""The taxonomy: Insyn's built-in terms (kept in step with `taxonomy_data`) and a DPO's own terms.

Built-in terms have no municipality and change only through `taxonomy_sync` (run after `migrate`); a DPO
(`privacy.add_taxonomyterm` for the whole municipality) adds terms of their own municipality and edits them.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from insyn.core.actor import SYSTEM, Actor
from insyn.core.audit import audit_change, audit_record, snapshot
from insyn.core.exceptions import PermissionDeniedError, ValidationFailed
from insyn.core.models import Organisation
from insyn.core.models.audit import AuditAction
from insyn.core.permissions import actor_scope, require_org_perm
from insyn.core.selectors import municipalities_for
from insyn.core.services import UNCHANGED, changed_fields
from insyn.core.services.organisations import full_clean_or_raise
from insyn.privacy.models import TaxonomyTerm
from insyn.records.services._common import Maybe

ADD_TERM = "privacy.add_taxonomyterm"
CHANGE_TERM = "privacy.change_taxonomyterm"
# Fideslang's shape: lower-case words joined by dots ("user.contact.email", "se.personnummer").
KEY_RE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
SYNCED_FIELDS = (
    "label_sv",
    "label_pl",
    "label_en",
    "description",
    "fideslang",
    "special",
    "national_id",
    "protected_identity",
    "children",
    "position",
)


@transaction.atomic
def taxonomy_sync(*, actor: Actor) -> int:
    """Create or update the built-in terms from `taxonomy_data`; returns how many rows it wrote (0 when in step).

    Built-in terms no longer in the data are kept: activities may still name them (the PROTECT foreign keys).
    One audit entry lists what an upgrade changed, so a `migrate` that changes nothing writes nothing."""
    from insyn.privacy.taxonomy_data import BUILTIN_TERMS

    if not actor_scope(actor).is_superuser:
        raise PermissionDeniedError()
    existing = {(t.kind, t.key): t for t in TaxonomyTerm.objects.select_for_update().filter(municipality=None)}
    created: list[str] = []
    updated: list[str] = []
    for position, data in enumerate(BUILTIN_TERMS):
        values = {name: data[name] for name in SYNCED_FIELDS if name != "position"} | {"position": position}
        term = existing.get((data["kind"], data["key"]))
        if term is None:
            term = TaxonomyTerm(kind=data["kind"], key=data["key"], municipality=None, **values)
            full_clean_or_raise(term, validate_constraints=False)
            term.save()
            created.append(f"{term.kind}:{term.key}")
            continue
        changed = [name for name, value in values.items() if getattr(term, name) != value]
        if changed:
            for name in changed:
                setattr(term, name, values[name])
            full_clean_or_raise(term, validate_constraints=False)
            term.save(update_fields=changed)
            updated.append(f"{term.kind}:{term.key}")
    # The first load into an empty table is the installation's own reference data (as Django's permissions and
    # content types, also made after `migrate` and after a flush): an upgrade that changes it is audited.
    if existing and (created or updated):
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type=TaxonomyTerm._meta.label_lower,
            object_id="",
            object_label="built-in taxonomy",
            changes={"created": created, "updated": updated},
            reason=_("Built-in taxonomy brought in step with Insyn's data"),
        )
    return len(created) + len(updated)


def sync_taxonomy_after_migrate(sender: Any, app_config: Any = None, using: str = "default", **kwargs: Any) -> None:
    """`post_migrate` receiver: connect it with `post_migrate.connect(sync_taxonomy_after_migrate, sender=app_config)`
    in `PrivacyConfig.ready` so the built-in terms exist wherever the tables do (tests, a fresh install, a flush)."""
    if app_config is not None and app_config.label != "privacy":
        return
    if kwargs.get("plan") == [] and TaxonomyTerm.objects.using(using).filter(municipality=None).exists():
        return  # nothing migrated and the terms are there: the quick path of every later `migrate`
    taxonomy_sync(actor=SYSTEM)


def _municipality_of(actor: Actor, municipality: Maybe[Organisation | None]) -> Organisation:
    if municipality is UNCHANGED or municipality is None:
        own = municipalities_for(actor=actor, perm=ADD_TERM).first()
        if own is None:
            # An installation administrator adds Insyn's own terms to taxonomy_data.py, not here.
            raise PermissionDeniedError(_("Only a data protection officer of a municipality adds terms."))
        return own
    # An organ's term belongs to its municipality: the taxonomy is shared across a municipality's organs.
    if municipality.parent_id is not None and municipality.municipality is not None:
        return municipality.municipality
    return municipality


def _clean_key(key: str) -> str:
    key = (key or "").strip().lower()
    if not KEY_RE.match(key):
        raise ValidationFailed(
            _("A key is lower-case words joined by dots, like se.personnummer: %(key)s") % {"key": key},
            detail={"key": [_("Use lower-case letters, digits, _ and dots.")]},
        )
    return key


@transaction.atomic
def term_create(
    *,
    actor: Actor,
    municipality: Maybe[Organisation | None] = UNCHANGED,
    kind: str,
    key: str,
    label_sv: str,
    label_pl: str = "",
    label_en: str = "",
    description: str = "",
    special: str = "",
    national_id: bool = False,
    protected_identity: bool = False,
    children: bool = False,
) -> TaxonomyTerm:
    """A term of the DPO's own municipality (without `municipality`: the first where the actor may add terms).

    Its key may not be one Insyn already has for that kind: an activity names terms by key."""
    owner = _municipality_of(actor, municipality)
    require_org_perm(actor, ADD_TERM, owner)
    key = _clean_key(key)
    taken = TaxonomyTerm.objects.filter(kind=kind, key=key, municipality=None).exists() or (
        TaxonomyTerm.objects.filter(kind=kind, key=key, municipality=owner).exists()
    )
    if taken:
        raise ValidationFailed(
            _("The taxonomy already has the key %(key)s.") % {"key": key},
            detail={"key": [_("This key is taken.")]},
        )
    term = TaxonomyTerm(
        municipality=owner,
        kind=kind,
        key=key,
        label_sv=label_sv or "",
        label_pl=label_pl or "",
        label_en=label_en or "",
        description=description or "",
        fideslang=False,
        special=special or "",
        national_id=bool(national_id),
        protected_identity=bool(protected_identity),
        children=bool(children),
        position=1000,  # after the built-in terms
    )
    full_clean_or_raise(term, exclude=["municipality"])
    term.save()
    audit_change(actor=actor, instance=term, before=None, organisation=owner)
    return term


@transaction.atomic
def term_update(
    *,
    actor: Actor,
    term: TaxonomyTerm,
    label_sv: Maybe[str] = UNCHANGED,
    label_pl: Maybe[str] = UNCHANGED,
    label_en: Maybe[str] = UNCHANGED,
    description: Maybe[str] = UNCHANGED,
    special: Maybe[str] = UNCHANGED,
    national_id: Maybe[bool] = UNCHANGED,
    protected_identity: Maybe[bool] = UNCHANGED,
    children: Maybe[bool] = UNCHANGED,
) -> TaxonomyTerm:
    """Change a municipality's own term; a field not given keeps its value. Built-in terms are read-only,
    and a term keeps its key and kind (registers, imports and exports name it by them)."""
    locked = TaxonomyTerm.objects.select_for_update().get(pk=term.pk)
    if locked.municipality_id is None:
        raise PermissionDeniedError(_("Insyn's built-in terms cannot be changed; add a term of your own."))
    require_org_perm(actor, CHANGE_TERM, locked.municipality)  # type: ignore[arg-type]
    changes = changed_fields(
        label_sv=label_sv,
        label_pl=label_pl,
        label_en=label_en,
        description=description,
        special=special,
        national_id=national_id,
        protected_identity=protected_identity,
        children=children,
    )
    before = snapshot(locked)
    for name, value in changes.items():
        setattr(locked, name, "" if value is None else value)
    full_clean_or_raise(locked)
    locked.save()
    audit_change(actor=actor, instance=locked, before=before, organisation=locked.municipality)
    return locked
