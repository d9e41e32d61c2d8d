"""Every change to the officials register: persons, memberships, Popolo import."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from insyn.core.audit import audit_change, audit_record, snapshot
from insyn.core.exceptions import DomainError, ValidationFailed
from insyn.core.models import Organisation
from insyn.core.permissions import actor_scope, require_org_perm, user_belongs_elsewhere
from insyn.core.services.organisations import full_clean_or_raise
from insyn.officials.models import Membership, MembershipRole, Person, Post

PERSON_FIELDS = {
    "given_name",
    "family_name",
    "national_id",
    "email",
    "phone",
    "address",
    "party",
    "title",
    "protected_identity",
    "external_id",
    "user",
}
MEMBERSHIP_FIELDS = {"role", "start_date", "end_date", "is_external", "on_behalf_of", "decision", "external_id", "post"}


def _check_login(actor: Any, municipality: Organisation, user: Any) -> None:
    """An official's login is the municipality's own: never an installation administrator's, never a login
    that belongs to another municipality (a role or an official there)."""
    if user is None or actor_scope(actor).is_superuser:
        return
    if user.is_superuser or user_belongs_elsewhere(user, municipality.municipality_id or municipality.pk):
        raise ValidationFailed(
            _("This login cannot be linked to an official of this municipality."), detail={"user": ["invalid"]}
        )


def _after_membership_change(person: Person) -> None:
    # Loans follow memberships: a term that ends moves the due date of the person's loans.
    from insyn.loans.services import loans_recompute_due_dates

    loans_recompute_due_dates(person=person)


@transaction.atomic
def person_create(*, actor: Any, municipality: Organisation, **data: Any) -> Person:
    require_org_perm(actor, "officials.add_person", municipality)
    unknown = set(data) - PERSON_FIELDS
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    _check_login(actor, municipality, data.get("user"))
    person = Person(municipality=municipality, **data)
    full_clean_or_raise(person, exclude=["municipality"])
    person.save()
    audit_change(actor=actor, instance=person, before=None, organisation=municipality)
    return person


@transaction.atomic
def person_update(*, actor: Any, person: Person, reason: str = "", **data: Any) -> Person:
    unknown = set(data) - PERSON_FIELDS
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    locked = Person.objects.select_for_update().select_related("municipality").get(pk=person.pk)
    require_org_perm(actor, "officials.change_person", locked.municipality)
    if "user" in data and data["user"] != locked.user:
        _check_login(actor, locked.municipality, data["user"])
    before = snapshot(locked)
    for key, value in data.items():
        setattr(locked, key, value)
    full_clean_or_raise(locked)
    locked.save()
    audit_change(actor=actor, instance=locked, before=before, organisation=locked.municipality, reason=reason)
    return locked


def _check_organ(person: Person, organisation: Organisation) -> None:
    if organisation.municipality_id != person.municipality_id:
        raise ValidationFailed(_("The organ belongs to another municipality."))
    if organisation.kind != "organ":
        raise ValidationFailed(_("Memberships are in organs (nämnder, styrelser, råd)."))


@transaction.atomic
def membership_create(*, actor: Any, person: Person, organisation: Organisation, role: str, **data: Any) -> Membership:
    require_org_perm(actor, "officials.add_membership", organisation)
    _check_organ(person, organisation)
    unknown = set(data) - MEMBERSHIP_FIELDS
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    membership = Membership(person=person, organisation=organisation, role=role, **data)
    if membership.post is None:
        membership.post, _created = Post.objects.get_or_create(organisation=organisation, role=role, label="")
    full_clean_or_raise(membership)
    membership.save()
    audit_change(actor=actor, instance=membership, before=None, organisation=organisation)
    _after_membership_change(person)
    return membership


@transaction.atomic
def membership_update(*, actor: Any, membership: Membership, reason: str = "", **data: Any) -> Membership:
    locked = Membership.objects.select_for_update().select_related("organisation", "person").get(pk=membership.pk)
    require_org_perm(actor, "officials.change_membership", locked.organisation)
    unknown = set(data) - MEMBERSHIP_FIELDS
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    before = snapshot(locked)
    for key, value in data.items():
        setattr(locked, key, value)
    full_clean_or_raise(locked)
    locked.save()
    audit_change(actor=actor, instance=locked, before=before, organisation=locked.organisation, reason=reason)
    _after_membership_change(locked.person)
    return locked


def membership_end(*, actor: Any, membership: Membership, end_date: dt.date, reason: str = "") -> Membership:
    return membership_update(actor=actor, membership=membership, end_date=end_date, reason=reason)


# --- Popolo import ---------------------------------------------------------------------------


@dataclass
class PopoloImportResult:
    created: dict[str, int] = field(default_factory=lambda: {"persons": 0, "memberships": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"persons": 0, "memberships": 0})
    unchanged: dict[str, int] = field(default_factory=lambda: {"persons": 0, "memberships": 0})
    dry_run: bool = False


class _Rollback(Exception):
    pass


def _where(collection: str, index: int, record: dict[str, Any]) -> str:
    return f"{collection}[{index}] (id {record.get('id', '?')!r})"


def _national_id(record: dict[str, Any]) -> str:
    for identifier in record.get("identifiers") or []:
        if identifier.get("scheme") in {"se_personnummer", "se_samordningsnummer"}:
            return str(identifier.get("identifier") or "")
    return ""


def _parse_date(value: Any, where: str, field_name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ValidationFailed(
            _("%(where)s, field %(field)s: not a date: %(value)s")
            % {"where": where, "field": field_name, "value": value}
        ) from None


def officials_import(
    *, actor: Any, municipality: Organisation, popolo: dict[str, Any], dry_run: bool = False
) -> PopoloImportResult:
    """Import Popolo JSON (persons, organizations, memberships): idempotent, all or nothing.

    Persons and memberships are matched on their Popolo `id`; importing the
    same file twice updates nothing. Organizations are matched to the
    municipality's organs by name (and classification when given); an
    unknown organization refuses the whole file.
    """
    require_org_perm(actor, "officials.add_person", municipality)
    result = PopoloImportResult(dry_run=dry_run)
    organs = {o.name.casefold(): o for o in Organisation.objects.filter(municipality=municipality, kind="organ")}
    try:
        with transaction.atomic():
            org_by_popolo_id: dict[str, Organisation] = {}
            for index, org in enumerate(popolo.get("organizations") or []):
                where = _where("organizations", index, org)
                organ = organs.get(str(org.get("name", "")).casefold())
                if organ is None:
                    raise ValidationFailed(
                        _("%(where)s, field name: unknown organisation %(name)r in %(municipality)s")
                        % {"where": where, "name": org.get("name"), "municipality": municipality.name}
                    )
                classification = org.get("classification")
                if (
                    classification
                    and organ.organ_type
                    and classification != organ.organ_type
                    and classification != "party"
                ):
                    raise ValidationFailed(
                        _("%(where)s, field classification: %(given)s, but %(name)s is %(actual)s")
                        % {"where": where, "given": classification, "name": organ.name, "actual": organ.organ_type}
                    )
                org_by_popolo_id[str(org.get("id", organ.name))] = organ
            persons: dict[str, Person] = {}
            for index, record in enumerate(popolo.get("persons") or []):
                where = _where("persons", index, record)
                if not record.get("id"):
                    raise ValidationFailed(_("%(where)s, field id: every person needs an id") % {"where": where})
                data: dict[str, Any] = {
                    "given_name": record.get("given_name") or str(record.get("name", "")).rsplit(" ", 1)[0],
                    "family_name": record.get("family_name") or str(record.get("name", "")).rsplit(" ", 1)[-1],
                    "national_id": _national_id(record),
                    "email": record.get("email") or "",
                    "phone": next(
                        (c.get("value", "") for c in record.get("contact_details") or [] if c.get("type") == "phone"),
                        "",
                    ),
                    "party": record.get("party") or "",
                    "title": record.get("honorific_prefix") or record.get("title") or "",
                    "protected_identity": bool(record.get("protected_identity", False)),
                }
                existing = Person.objects.filter(municipality=municipality, external_id=str(record["id"])).first()
                try:
                    if existing is None:
                        person = person_create(
                            actor=actor, municipality=municipality, external_id=str(record["id"]), **data
                        )
                        result.created["persons"] += 1
                    else:
                        probe = Person(**{**{f: getattr(existing, f) for f in data}, **data})
                        probe.clean()
                        if all(getattr(existing, f) == getattr(probe, f) for f in data):
                            person = existing
                            result.unchanged["persons"] += 1
                        else:
                            person = person_update(actor=actor, person=existing, **data)
                            result.updated["persons"] += 1
                except ValidationFailed as exc:
                    fields = ", ".join(exc.detail) if isinstance(exc.detail, dict) else ""
                    field_name = "identifiers" if "national_id" in fields else fields or "?"
                    raise ValidationFailed(
                        _("%(where)s, field %(field)s: %(message)s")
                        % {"where": where, "field": field_name, "message": exc.message},
                        detail=exc.detail,
                    ) from exc
                except DomainError:
                    raise  # a refusal that is not about the record (permission) stays what it is
                except DjangoValidationError as exc:  # from probe.clean(): the identity number
                    raise ValidationFailed(
                        _("%(where)s, field identifiers: %(message)s")
                        % {"where": where, "message": "; ".join(exc.messages)},
                        detail=exc.message_dict,
                    ) from exc
                except Exception as exc:
                    raise ValidationFailed(
                        _("%(where)s, field identifiers: %(message)s") % {"where": where, "message": exc}
                    ) from exc
                persons[str(record["id"])] = person
            for index, record in enumerate(popolo.get("memberships") or []):
                where = _where("memberships", index, record)
                member = persons.get(str(record.get("person_id")))
                if member is None:
                    raise ValidationFailed(
                        _("%(where)s, field person_id: unknown person %(id)r")
                        % {"where": where, "id": record.get("person_id")}
                    )
                organ = org_by_popolo_id.get(str(record.get("organization_id")))
                if organ is None:
                    raise ValidationFailed(
                        _("%(where)s, field organization_id: unknown organisation %(id)r")
                        % {"where": where, "id": record.get("organization_id")}
                    )
                role = (
                    str(record.get("role", "")).strip().casefold().replace("ö", "o").replace("ä", "a").replace(" ", "_")
                )
                if role not in MembershipRole.values:
                    raise ValidationFailed(
                        _("%(where)s, field role: unknown role %(role)r") % {"where": where, "role": record.get("role")}
                    )
                data = {
                    "role": role,
                    "start_date": _parse_date(record.get("start_date"), where, "start_date"),
                    "end_date": _parse_date(record.get("end_date"), where, "end_date"),
                    "is_external": bool(record.get("is_external", False)),
                    "on_behalf_of": str(record.get("on_behalf_of_id") or record.get("on_behalf_of") or ""),
                }
                external_id = str(record.get("id") or f"{member.external_id}:{organ.pk}:{role}:{data['start_date']}")
                existing_m = Membership.objects.filter(person=member, external_id=external_id).first()
                if existing_m is not None and existing_m.organisation_id != organ.pk:
                    raise ValidationFailed(
                        _("%(where)s, field organization_id: a membership cannot move to another organ")
                        % {"where": where}
                    )
                try:
                    if existing_m is None:
                        membership_create(
                            actor=actor, person=member, organisation=organ, external_id=external_id, **data
                        )
                        result.created["memberships"] += 1
                    elif all(getattr(existing_m, k) == v for k, v in data.items()):
                        result.unchanged["memberships"] += 1
                    else:
                        membership_update(actor=actor, membership=existing_m, **data)
                        result.updated["memberships"] += 1
                except ValidationFailed as exc:
                    # The model's own checks (an end before the start …) name the record and field too.
                    fields = ", ".join(exc.detail) if isinstance(exc.detail, dict) else ""
                    raise ValidationFailed(
                        _("%(where)s, field %(field)s: %(message)s")
                        % {"where": where, "field": fields or "organization_id", "message": exc.message},
                        detail=exc.detail,
                    ) from exc
            audit_record(
                actor=actor,
                action="update",
                object_type="officials.import",
                object_label=municipality.name,
                organisation=municipality,
                changes={"created": result.created, "updated": result.updated},
            )
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return result
