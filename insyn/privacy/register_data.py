"""A stored register as data (`activity_data.ActivityData` / `RegisterData`) and the diff of two of them.

What the API shows, what an approval freezes in `RegisterVersion.snapshot`, and what exports and notices
are built from. Reading only: whoever calls these has already checked the actor (selectors, services).

The DPO's contact details are inherited: a register's own `dpo_name` / `dpo_email` / `dpo_phone` when
set, otherwise the municipality's: its `email` and the name of the user holding the DPO role at the
municipality itself (the one DPO a Swedish municipality usually appoints for all its organs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import translation

from insyn.core.models import Organisation, RoleAssignment
from insyn.core.models.organisations import OrganType
from insyn.privacy.activity_data import (
    ActivityData,
    DocumentTypeRef,
    LegalBasisData,
    PersonalDataCategoryData,
    RegisterData,
    RetentionData,
)
from insyn.privacy.models import ActivityData as ActivityDataRow
from insyn.privacy.models import ProcessingActivity, Register
from insyn.privacy.rules import check_activity, check_register

DPO_ROLE_GROUP = "Data protection officer"  # insyn.core.roles: the group of the "dpo" role

ACTIVITY_PREFETCH: tuple[Any, ...] = (
    "legal_bases",
    "subjects__category",
    Prefetch("data", queryset=ActivityDataRow.objects.select_related("category", "subject__category")),
    "recipients",
    "processors",
    "transfers",
    "document_types__plan",
    "systems",
    "data_uses",
)


def with_activity_data(activities: QuerySet[ProcessingActivity]) -> QuerySet[ProcessingActivity]:
    """The activities with everything `activity_as_data` reads, in a fixed number of queries."""
    return activities.select_related("register__controller__municipality").prefetch_related(*ACTIVITY_PREFETCH)


def municipality_of(organisation: Organisation) -> Organisation:
    return organisation.municipality or organisation


def is_public_authority(controller: Organisation) -> bool:
    """A municipality and its organs act as authorities; a municipal company (aktiebolag) does not."""
    return controller.organ_type != OrganType.MUNICIPAL_COMPANY


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def _document_type(row: Any) -> DocumentTypeRef:
    plan = row.plan
    version = f" v{plan.version}" if plan.version else ""
    return {
        "id": row.pk,
        "name": row.name,
        "plan": f"{plan.title}{version}",
        "decision": plan.adoption_label,
        "action": row.action,
        "period": row.period,
        "retention_text": row.retention_text,
    }


def activity_as_data(activity: ProcessingActivity, *, lang: str | None = None) -> ActivityData:
    """The activity in the one shape every door shares, labels in `lang` (the active language by default),
    with its warnings (`rules.check_activity`)."""
    lang = (lang or translation.get_language() or "sv")[:2]
    subject_keys = {subject.pk: subject.category.key for subject in activity.subjects.all()}
    legal_bases: list[LegalBasisData] = []
    for basis in activity.legal_bases.all():
        item: LegalBasisData = {"article": basis.article, "reference": basis.reference}
        if basis.article == "6.1.a" or basis.withdrawal_route:
            item["withdrawal_route"] = basis.withdrawal_route
        legal_bases.append(item)
    categories: list[PersonalDataCategoryData] = []
    for row in activity.data.all():
        term = row.category
        categories.append(
            {
                "key": term.key,
                "label": term.label_in(lang),
                "special": term.special or None,  # type: ignore[typeddict-item]
                "national_id": term.national_id,
                "protected_identity": term.protected_identity,
                "subject": subject_keys.get(row.subject_id) if row.subject_id else None,
                "art9_condition": row.art9_condition,
                "dsl_reference": row.dsl_reference,
                "art10_reference": row.art10_reference,
                "national_id_reason": row.national_id_reason,
                "children": row.children or term.children,
                "secrecy": row.secrecy,
            }
        )
    retention: RetentionData = {
        "text": activity.retention_text,
        "rules": list(activity.retention_rules or []),
        "document_types": [_document_type(row) for row in activity.document_types.all()],
    }
    data: ActivityData = {
        "id": activity.pk,
        "status": activity.status,
        "name": activity.name,
        "description": activity.description,
        "joint_controllers": activity.joint_controllers,
        "joint_arrangement": activity.joint_arrangement,
        "owning_unit": activity.owning_unit,
        "contact": activity.contact,
        "on_behalf_of": activity.on_behalf_of,
        "purposes": list(activity.purposes or []),
        "data_uses": sorted(term.key for term in activity.data_uses.all()),
        "legal_bases": legal_bases,
        "legal_basis_text": activity.legal_basis_text,
        "data_subject_categories": [
            {"key": s.category.key, "label": s.category.label_in(lang)} for s in activity.subjects.all()
        ],
        "personal_data_categories": categories,
        "sources": list(activity.sources or []),
        "sources_text": activity.sources_text,
        "provision_requirement": activity.provision_requirement,
        "provision_consequence": activity.provision_consequence,
        "recipients": [
            {"kind": r.kind, "name": r.name, "country": r.country}  # type: ignore[typeddict-item]
            for r in activity.recipients.all()
        ],
        "recipients_text": activity.recipients_text,
        "processors": [
            {
                "name": p.name,
                "service": p.service,
                "agreement_reference": p.agreement_reference,
                "agreement_date": _date(p.agreement_date),
            }
            for p in activity.processors.all()
        ],
        "transfers": [
            {
                "country": t.country,
                "mechanism": t.mechanism,  # type: ignore[typeddict-item]
                "mechanism_reference": t.mechanism_reference,
                "recipient": t.recipient,
                "tia_reference": t.tia_reference,
                "tia_date": _date(t.tia_date),
            }
            for t in activity.transfers.all()
        ],
        "retention": retention,
        "systems": [
            {"name": s.name, "hosting_location": s.hosting_location, "hosting_country": s.hosting_country}
            for s in sorted(activity.systems.all(), key=lambda s: s.name.lower())
        ],
        "systems_text": activity.systems_text,
        "security_measures": activity.security_measures,
        "automated_decision": activity.automated_decision,
        "automated_decision_logic": activity.automated_decision_logic,
        "dpia": {
            "need": activity.dpia_need,  # type: ignore[typeddict-item]
            "criteria": list(activity.dpia_criteria or []),
            "link": activity.dpia_link,
        },
        "system_models": list(activity.system_models or []),
        "extra": dict(activity.extra or {}),
    }
    with translation.override(lang):
        data["warnings"] = check_activity(data, public_authority=is_public_authority(activity.register.controller))
    return data


def _controller_path(controller: Organisation) -> str:
    """ "Piteå kommun/Kommunstyrelsen": the names from the municipality down (the CLI's --controller)."""
    ids = [int(part) for part in controller.path.split("/") if part.isdigit()]
    names = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    return "/".join(names[pk] for pk in ids if pk in names) or controller.name


def _dpo_holders(municipality_ids: set[int]) -> dict[int, Any]:
    """Municipality pk → the user holding the DPO role there (the earliest assignment), in one query."""
    holders: dict[int, Any] = {}
    rows = (
        RoleAssignment.objects.filter(organisation_id__in=municipality_ids, role__name=DPO_ROLE_GROUP)
        .select_related("user")
        .order_by("created_at", "pk")
    )
    for row in rows:
        holders.setdefault(row.organisation_id, row.user)
    return holders


def _dpo(register: Register, holder: Any) -> dict[str, str]:
    municipality = municipality_of(register.controller)
    name, email = register.dpo_name, register.dpo_email
    name = name or (holder.get_full_name() if holder is not None else "")
    email = email or municipality.email or (holder.email if holder is not None else "")
    return {"name": name, "email": email, "phone": register.dpo_phone}


def register_dpo(register: Register) -> dict[str, str]:
    """The DPO's name, e-mail and phone: the register's own where set, else inherited from the municipality."""
    if register.dpo_name and register.dpo_email:
        return _dpo(register, None)
    municipality = municipality_of(register.controller)
    return _dpo(register, _dpo_holders({municipality.pk}).get(municipality.pk))


def _contact(register: Register) -> dict[str, str]:
    return {"email": register.contact_email or register.controller.email, "address": register.contact_address}


def _register_checks(activities: int, dpo: dict[str, str], contact: dict[str, str], lang: str) -> list[Any]:
    with translation.override(lang):
        return check_register(
            activities=activities, dpo_email=dpo["email"], contact=contact["email"] or contact["address"]
        )


def warning_counts(registers: Iterable[Register], *, lang: str | None = None) -> dict[int, int]:
    """Register pk → its number of open warnings (register-wide and of every activity), for many registers in a
    fixed number of queries: every activity with its rows prefetched once, the DPO holders in one query."""
    registers = list(registers)
    lang = (lang or translation.get_language() or "sv")[:2]
    by_register: dict[int, list[ActivityData]] = defaultdict(list)
    rows = with_activity_data(ProcessingActivity.objects.filter(register__in=[r.pk for r in registers]))
    for activity in rows:
        by_register[activity.register_id].append(activity_as_data(activity, lang=lang))
    need_holder = {municipality_of(r.controller).pk for r in registers if not (r.dpo_name and r.dpo_email)}
    holders = _dpo_holders(need_holder) if need_holder else {}
    counts: dict[int, int] = {}
    for register in registers:
        activities = by_register.get(register.pk, [])
        dpo = _dpo(register, holders.get(municipality_of(register.controller).pk))
        own = _register_checks(len(activities), dpo, _contact(register), lang)
        counts[register.pk] = len(own) + sum(len(activity.get("warnings") or []) for activity in activities)
    return counts


def register_as_data(register: Register, *, lang: str | None = None) -> RegisterData:
    """The whole register: the export JSON's top level and what an approval freezes."""
    lang = (lang or translation.get_language() or "sv")[:2]
    controller = register.controller
    municipality = municipality_of(controller)
    activities = [
        activity_as_data(activity, lang=lang)
        for activity in with_activity_data(ProcessingActivity.objects.filter(register=register))
    ]
    dpo = register_dpo(register)
    contact = _contact(register)
    warnings = _register_checks(len(activities), dpo, contact, lang)
    return {
        "controller": {
            "name": controller.name,
            "municipality": municipality.name,
            "organisation_number": controller.organisation_number or municipality.organisation_number,
            "path": _controller_path(controller),
        },
        "kind": register.kind,
        "title": register.title,
        "version": register.version,
        "status": register.status,
        "dpo": dpo,
        "contact": contact,
        "activities": activities,
        "warnings": warnings,
    }


# Fields a diff leaves out: the id changes when an activity is saved again, the status and the warnings
# follow from the rest.
_NOT_DIFFED = {"id", "status", "warnings"}


def _by_name(activities: list[Any]) -> dict[str, Any]:
    keyed: dict[str, Any] = {}
    for activity in activities:
        name = str(activity.get("name", ""))
        key, n = name, 1
        while key in keyed:  # two activities of one name stay apart: "Name (2)"
            n += 1
            key = f"{name} ({n})"
        keyed[key] = activity
    return keyed


def diff_register_data(old: RegisterData | dict[str, Any], new: RegisterData | dict[str, Any]) -> list[dict[str, Any]]:
    """Field-level changes from `old` to `new`, activities matched by name.

    Each change: {"change": "added"|"removed"|"changed", "activity": name or None (the register itself),
    "field": the field or None (a whole activity added or removed), "old", "new"}."""
    changes: list[dict[str, Any]] = []
    for field in ("title", "kind", "controller", "dpo", "contact"):
        if old.get(field) != new.get(field):
            changes.append(
                {"change": "changed", "activity": None, "field": field, "old": old.get(field), "new": new.get(field)}
            )
    before = _by_name(list(old.get("activities") or []))
    after = _by_name(list(new.get("activities") or []))
    for name in before:
        if name not in after:
            changes.append({"change": "removed", "activity": name, "field": None, "old": before[name], "new": None})
    for name, activity in after.items():
        if name not in before:
            changes.append({"change": "added", "activity": name, "field": None, "old": None, "new": activity})
            continue
        previous = before[name]
        for field in sorted((set(previous) | set(activity)) - _NOT_DIFFED):
            if previous.get(field) != activity.get(field):
                changes.append(
                    {
                        "change": "changed",
                        "activity": name,
                        "field": field,
                        "old": previous.get(field),
                        "new": activity.get(field),
                    }
                )
    return changes
