"""The generic, audited blanking of personal-data fields: the fallback eraser for a model whose app registers none.

Erasure (Art. 17) never deletes a row here: it empties the fields the personal-data registry names, so the
rows that other records point at stay, and the audit trail shows what was emptied, by whom and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_change, snapshot
from insyn.core.exceptions import PermissionDeniedError, ValidationFailed
from insyn.core.models import Organisation
from insyn.core.permissions import actor_scope, require_org_perm
from insyn.core.personal_data import fields_of

ERASE_PERMISSION = "privacy.erase_subject_data"
# Where a row says which organisation it belongs to, in the order tried.
_ORGANISATION_ATTRIBUTES = ("organisation", "controller", "municipality")


def owning_organisation(instance: models.Model) -> Organisation | None:
    for name in _ORGANISATION_ATTRIBUTES:
        value = getattr(instance, name, None)
        if isinstance(value, Organisation):
            return value
    return None


def blank_value(field: models.Field[Any, Any]) -> Any:
    """What an erased field holds: NULL where it may, else the empty value of its kind."""
    if field.null:
        return None
    if isinstance(field, models.JSONField):
        default = field.get_default()
        return type(default)() if isinstance(default, dict | list) else {}
    if isinstance(field, models.CharField | models.TextField | models.FileField):
        return ""
    raise ValidationFailed(
        _("The field %(field)s cannot be emptied.") % {"field": field.name}, detail={"field": field.name}
    )


@transaction.atomic
def personal_data_erase(
    *,
    actor: Actor,
    instance: models.Model,
    fields: Iterable[str],
    organisation: Organisation | None = None,
    reason: str = "",
) -> list[str]:
    """Empty `fields` of `instance` (each must be a registered personal-data field); return those that changed.

    Needs `privacy.erase_subject_data` on the row's organisation (`organisation` when the row names none);
    a row that belongs to no organisation can only be erased by the system or a superuser."""
    org = organisation or owning_organisation(instance)
    if org is None:
        if not actor_scope(actor).is_superuser:
            raise PermissionDeniedError()
    else:
        require_org_perm(actor, ERASE_PERMISSION, org)
    registered = {f.field_name for f in fields_of(type(instance))}
    wanted = list(dict.fromkeys(fields))
    unknown = [name for name in wanted if name not in registered]
    if unknown:
        raise ValidationFailed(
            _("Only fields declared as personal data can be erased: %(fields)s") % {"fields": ", ".join(unknown)},
            detail={"fields": unknown},
        )
    model = type(instance)
    locked = model._default_manager.select_for_update().get(pk=instance.pk)
    before = snapshot(locked)
    changed: list[str] = []
    for name in wanted:
        field = model._meta.get_field(name)
        if not isinstance(field, models.Field) or isinstance(field, models.BooleanField):
            continue  # a flag (protected identity) protects the person: it is never "erased"
        if isinstance(field, models.ForeignKey):
            if getattr(locked, field.attname) is None:
                continue
            if not field.null:
                raise ValidationFailed(
                    _("The field %(field)s cannot be emptied.") % {"field": name}, detail={"field": name}
                )
            setattr(locked, field.attname, None)
            changed.append(name)
            continue
        current = getattr(locked, name)
        if isinstance(field, models.FileField):
            if current:
                current.delete(save=False)
                changed.append(name)
            setattr(locked, name, "")
            continue
        empty = blank_value(field)
        if current != empty and current not in (None, "", {}, []):
            setattr(locked, name, empty)
            changed.append(name)
    if changed:
        locked.save(update_fields=[model._meta.get_field(n).name for n in changed])
        audit_change(
            actor=actor,
            instance=locked,
            before=before,
            organisation=org,
            reason=reason or _("Erasure of personal data (Art. 17)"),
        )
    return changed
