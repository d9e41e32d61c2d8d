"""Popolo import: persons, memberships and (on request) the organs a file names, all or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_record
from insyn.core.exceptions import DomainError, PermissionDeniedError, ValidationFailed
from insyn.core.models import Organisation
from insyn.core.models.organisations import OrganisationKind, OrganType
from insyn.core.permissions import require_org_perm
from insyn.core.services.organisations import organisation_create
from insyn.officials.exceptions import ImportChangedSincePreview, UnknownOrganisations
from insyn.officials.models import Membership, MembershipRole, Person
from insyn.officials.services.memberships import membership_create, membership_update
from insyn.officials.services.persons import person_create, person_update


@dataclass
class PopoloImportResult:
    created: dict[str, int] = field(default_factory=lambda: {"persons": 0, "memberships": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"persons": 0, "memberships": 0})
    unchanged: dict[str, int] = field(default_factory=lambda: {"persons": 0, "memberships": 0})
    # The organs the import creates (or, in a dry run, would create): name, organ type, parent's name.
    new_organisations: list[dict[str, str]] = field(default_factory=list)
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


def _missing_organisation_error(
    missing: list[tuple[int, dict[str, Any]]], municipality: Organisation
) -> UnknownOrganisations:
    index, org = missing[0]
    return UnknownOrganisations(
        _("%(where)s, field name: unknown organisation %(name)r in %(municipality)s")
        % {"where": _where("organizations", index, org), "name": org.get("name"), "municipality": municipality.name},
        detail={
            "organizations": [
                {"id": str(o.get("id", "")), "name": str(o.get("name", "")), "classification": o.get("classification")}
                for _index, o in missing
            ]
        },
    )


def _organ_create(*, actor: Actor, parent: Organisation, record: dict[str, Any], where: str) -> Organisation:
    """A Popolo organization as a new organ below `parent`, through the core service (which checks the right)."""
    name = str(record.get("name") or "").strip()
    if not name:
        raise ValidationFailed(_("%(where)s, field name: an organisation needs a name") % {"where": where})
    organ_type = str(record.get("classification") or OrganType.OTHER)
    if organ_type not in OrganType.values:
        raise ValidationFailed(
            _("%(where)s, field classification: %(given)r is not an organ type (%(types)s)")
            % {"where": where, "given": organ_type, "types": ", ".join(OrganType.values)}
        )
    try:
        return organisation_create(
            actor=actor,
            name=name,
            kind=OrganisationKind.ORGAN,
            organ_type=organ_type,
            parent=parent,
            reason=_("Popolo import"),
        )
    except PermissionDeniedError as exc:
        raise PermissionDeniedError(
            _("%(where)s: you may not create the organisation %(name)r in %(parent)s")
            % {"where": where, "name": name, "parent": parent.name}
        ) from exc
    except ValidationFailed as exc:
        fields = ", ".join(exc.detail) if isinstance(exc.detail, dict) else ""
        raise ValidationFailed(
            _("%(where)s, field %(field)s: %(message)s")
            % {"where": where, "field": fields or "name", "message": exc.message},
            detail=exc.detail,
        ) from exc


def officials_import(
    *,
    actor: Actor,
    municipality: Organisation,
    popolo: dict[str, Any],
    dry_run: bool = False,
    create_organisations: bool = False,
    organisations_parent: Organisation | None = None,
    expected_new_organisations: Collection[str] | None = None,
) -> PopoloImportResult:
    """Import Popolo JSON (persons, organizations, memberships): idempotent, all or nothing.

    Persons and memberships are matched on their Popolo `id`; importing the
    same file twice updates nothing. Organizations are matched to the
    municipality's organs by name (and classification when given). An
    unknown organization refuses the whole file (`UnknownOrganisations`, naming
    every one), unless `create_organisations`: then each is created as an organ
    below `organisations_parent` (default: the municipality; never outside it)
    through `organisation_create`, which requires `core.add_organisation` there.
    `expected_new_organisations` (names) is what a preview showed: creating any
    other refuses the import (`ImportChangedSincePreview`).
    """
    require_org_perm(actor, "officials.add_person", municipality)
    parent = organisations_parent or municipality
    if parent.pk != municipality.pk and parent.municipality_id != municipality.pk:
        # One answer for "no such organisation" and "another municipality's": ids cannot be probed.
        raise ValidationFailed(
            _("The organisation for new organs is not part of %(municipality)s.") % {"municipality": municipality.name}
        )
    result = PopoloImportResult(dry_run=dry_run)
    organs = {o.name.casefold(): o for o in Organisation.objects.filter(municipality=municipality, kind="organ")}
    expected = None if expected_new_organisations is None else {n.casefold() for n in expected_new_organisations}
    try:
        with transaction.atomic():
            org_by_popolo_id: dict[str, Organisation] = {}
            missing: list[tuple[int, dict[str, Any]]] = []
            for index, org in enumerate(popolo.get("organizations") or []):
                where = _where("organizations", index, org)
                organ = organs.get(str(org.get("name", "")).casefold())
                if organ is None:
                    missing.append((index, org))
                    continue
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
            if missing and not create_organisations:
                raise _missing_organisation_error(missing, municipality)
            for index, org in missing:
                where = _where("organizations", index, org)
                key = str(org.get("name", "")).strip().casefold()
                organ = organs.get(key)  # the same name twice in the file: created once
                if organ is None:
                    if expected is not None and key not in expected:
                        raise ImportChangedSincePreview(
                            _("%(where)s: %(name)r was not among the organisations the preview showed; preview again")
                            % {"where": where, "name": org.get("name")}
                        )
                    organ = _organ_create(actor=actor, parent=parent, record=org, where=where)
                    organs[key] = organ
                    result.new_organisations.append(
                        {"name": organ.name, "organ_type": organ.organ_type, "parent": parent.name}
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
                changes={
                    "created": result.created,
                    "updated": result.updated,
                    "new_organisations": [o["name"] for o in result.new_organisations],
                },
            )
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return result
