"""Erasure of an official's personal data (Art. 17), asked by the privacy module's erasure of a request.

Contacts and the national id go when nothing retains them; the name stays while a decision that elected the
person (a protocol paragraph, kept for ever as an official document) cites it. Nothing is deleted: fields
are emptied, the audit trail records it, and `person_erased` tells the other modules after commit.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_change, snapshot
from insyn.core.events import send_after_commit
from insyn.core.exceptions import PermissionDeniedError, ValidationFailed
from insyn.core.permissions import has_org_perm
from insyn.officials.models import Person
from insyn.officials.signals import person_erased

NAME_FIELDS = ("given_name", "family_name")
ERASABLE_FIELDS = ("email", "phone", "address", "national_id", "national_id_scheme", "party", "title", *NAME_FIELDS)
# Erasure is the DPO's decision under Art. 17, not an edit of the register: changing officials is not enough.
ERASE_PERMISSION = "privacy.erase_subject_data"


def citing_decisions(person: Person) -> list[str]:
    """The decisions (protocol paragraphs) that elected the person: each names them in an archived record."""
    return list(person.memberships.exclude(decision="").values_list("decision", flat=True).distinct())


@transaction.atomic
def person_erase(*, actor: Actor, person: Person, fields: Iterable[str], reason: str = "") -> list[str]:
    """Empty the given fields of `person`; return those emptied. The name is kept (not emptied, not an error)
    while a membership decision cites it: the caller reads `citing_decisions` to explain that."""
    locked = Person.objects.select_for_update().select_related("municipality").get(pk=person.pk)
    if not has_org_perm(actor, ERASE_PERMISSION, locked.municipality):
        raise PermissionDeniedError()
    wanted = list(dict.fromkeys(fields))
    unknown = [name for name in wanted if name not in ERASABLE_FIELDS]
    if unknown:
        raise ValidationFailed(
            _("These fields of an official cannot be erased: %(fields)s") % {"fields": ", ".join(unknown)},
            detail={"fields": unknown},
        )
    if citing_decisions(locked):
        wanted = [name for name in wanted if name not in NAME_FIELDS]
    before = snapshot(locked)
    changed: list[str] = []
    for name in wanted:
        if name == "national_id_scheme":
            continue  # follows national_id below: a scheme without a number says nothing
        if getattr(locked, name):
            setattr(locked, name, "")
            changed.append(name)
    if "national_id" in changed:
        locked.national_id_scheme = ""
    if "family_name" in changed:
        # The name is required: a pseudonym that identifies the row, not the person.
        locked.family_name = _("Erased person %(id)s") % {"id": locked.pk}
    if not changed:
        return []
    locked.save()
    audit_change(
        actor=actor,
        instance=locked,
        before=before,
        organisation=locked.municipality,
        reason=reason or _("Erasure of personal data (Art. 17)"),
    )
    send_after_commit(
        person_erased,
        sender=Person,
        person_id=locked.pk,
        municipality_id=locked.municipality_id,
        actor=actor,
    )
    return changed
