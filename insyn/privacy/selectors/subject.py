"""The subject search: every place Insyn holds one person's data in one municipality, driven by the
personal-data registry (`insyn.core.personal_data`).

This module checks who may search, bounds and normalises the query, and turns the rows found into hits
(masked as the actor may see them, each with its register activities). Finding the rows is in
`subject_find` (indexed lookups, batched statements).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _

from insyn.core import personal_data as pd
from insyn.core.actor import Actor
from insyn.core.exceptions import NotFoundError, ValidationFailed
from insyn.core.models import Organisation
from insyn.core.permissions import actor_scope, has_org_perm
from insyn.privacy.selectors.subject_find import (
    MAX_HITS_PER_MODEL,
    USER,
    NormalisedQuery,
    find,
    municipality_q,
    normalise_name,
)
from insyn.privacy.subject_search import ActivityRef, SubjectHit, SubjectQuery, SubjectSearchResult

__all__ = [
    "MAX_HITS_PER_MODEL",
    "PERMISSION",
    "NormalisedQuery",
    "access_extract",
    "access_municipality",
    "activities_by_model",
    "hit_as_dict",
    "mask_query",
    "may_search",
    "municipality_by_name",
    "municipality_q",
    "normalise_name",
    "normalise_query",
    "search",
]

PERMISSION = "privacy.view_subject_data"
MAX_TERMS = 20  # names, e-mails and addresses each
MAX_TERM_LENGTH = 300


def _bounded(values: Iterable[str], what: str) -> list[str]:
    items = [v for v in values if isinstance(v, str) and v.strip()]
    if len(items) > MAX_TERMS or any(len(v) > MAX_TERM_LENGTH for v in items):
        raise ValidationFailed(
            _("Too many or too long search terms (%(what)s).") % {"what": what}, code="too_long", detail={"field": what}
        )
    return items


def normalise_query(query: SubjectQuery) -> NormalisedQuery:
    """Bound and normalise the input. A national id that is not a valid personnummer or samordningsnummer
    is refused (it must have been verified)."""
    from insyn.officials.rules import normalise_national_id

    national_ids: tuple[str, ...] = ()
    if query.national_id:
        if len(query.national_id) > 20:
            raise ValidationFailed(
                _("Not a valid personal identity number."), code="invalid", detail={"field": "national_id"}
            )
        try:
            full, _scheme = normalise_national_id(query.national_id.strip())
        except ValueError as exc:
            raise ValidationFailed(
                _("Not a valid personal identity number."), code="invalid", detail={"field": "national_id"}
            ) from exc
        digits = full.replace("-", "")
        national_ids = (full, digits, f"{digits[2:8]}-{digits[8:]}", digits[2:])
    emails = tuple(dict.fromkeys(e.strip().lower() for e in _bounded(query.emails, "emails")))
    names = tuple(dict.fromkeys(normalise_name(n) for n in _bounded(query.names, "names")))
    addresses = tuple(dict.fromkeys(normalise_name(a) for a in _bounded(query.addresses, "addresses")))
    return NormalisedQuery(national_ids, emails, names, addresses)


def mask_query(query: NormalisedQuery) -> dict[str, Any]:
    """What the audit entry keeps of a search: enough to see what was asked, not the person's identifiers."""
    from insyn.officials.rules import mask_national_id

    def mask_email(email: str) -> str:
        local, _at, domain = email.partition("@")
        return f"{local[:1]}***@{domain}"

    return {
        "national_id": mask_national_id(query.national_ids[0]) if query.national_ids else "",
        "emails": [mask_email(e) for e in query.emails],
        "names": [" ".join(part[:1].upper() + "." for part in n.split()) for n in query.names],
        "addresses": len(query.addresses),
    }


def may_search(actor: Actor, municipality_id: int) -> bool:
    scope = actor_scope(actor)
    return scope.is_superuser or municipality_id in scope.municipalities_with(PERMISSION)


def access_municipality(*, actor: Actor, municipality_id: int) -> Organisation:
    municipality = Organisation.objects.filter(pk=municipality_id, parent__isnull=True).first()
    if municipality is None or not may_search(actor, municipality_id):
        raise NotFoundError()
    return municipality


# --- Hits ---------------------------------------------------------------------------------------

_MASK = "•••"
_NEVER_SHOWN = ("password",)


def _display(instance: models.Model, field: Any) -> str:
    import json

    value = getattr(instance, field.name, None)
    if value is None or value == "":
        return ""
    if isinstance(field, models.FileField):
        return str(getattr(value, "name", "") or "")
    if isinstance(field, models.JSONField):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)[:1000]
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    return str(value)[:1000]


def activities_by_model(municipality_id: int) -> dict[str, list[ActivityRef]]:
    """The municipality's register activities per model label of their `system_models`."""
    from insyn.privacy.models import ProcessingActivity

    activities = (
        ProcessingActivity.objects.filter(register__controller__municipality_id=municipality_id)
        .select_related("register__controller")
        .prefetch_related("legal_bases", "document_types__plan")
        .order_by("register__controller__path", "position", "pk")
    )
    by_model: dict[str, list[ActivityRef]] = {}
    for activity in activities:
        labels = [str(v).lower() for v in activity.system_models or [] if isinstance(v, str)]
        if not labels:
            continue
        ref = ActivityRef(
            id=activity.pk,
            approved=activity.status == "approved",
            name=activity.name,
            controller=activity.register.controller.name,
            purposes=[str(p) for p in activity.purposes or []],
            legal_bases=[
                {"article": b.article, "label": str(b.get_article_display()), "reference": b.reference}
                for b in activity.legal_bases.all()
            ],
            retention={
                "text": activity.retention_text,
                "rules": activity.retention_rules or [],
                "document_types": [
                    {
                        "id": d.pk,
                        "name": d.name,
                        "plan": f"{d.plan.title} v{d.plan.version}" if d.plan.version else d.plan.title,
                        "decision": str(getattr(d.plan, "adoption_label", "") or ""),
                        "action": d.action,
                        "period": d.period,
                        "retention_text": d.retention_text,
                    }
                    for d in activity.document_types.all()
                ],
            },
        )
        for label in labels:
            by_model.setdefault(label, []).append(ref)
    return by_model


@cache
def _fields_of(label: str) -> tuple[pd.PersonalDataField, ...]:
    # The registry is complete once the apps are ready; reading it per hit walked it whole each time.
    return tuple(sorted(pd.fields_of(apps.get_model(label)), key=lambda f: f.field_name))


def _hit(
    actor: Actor,
    label: str,
    instance: models.Model,
    matched_by: str,
    activities: dict[str, list[ActivityRef]],
    see_national_id: bool,
) -> SubjectHit:
    from insyn.officials.rules import mask_national_id

    hidden = pd.hidden_fields(actor, instance)
    shown: dict[str, str] = {}
    for entry in _fields_of(label):
        field = instance._meta.get_field(entry.field_name)
        value = _display(instance, field)
        if not value:
            continue
        if entry.field_name in _NEVER_SHOWN or entry.field_name in hidden:
            value = _MASK
        elif (
            entry.category == pd.DataCategory.NATIONAL_ID and not see_national_id and entry.field_name == "national_id"
        ):
            value = mask_national_id(value)
        shown[entry.field_name] = value
    if label == USER:
        text = instance.get_username()  # type: ignore[attr-defined]
    else:
        text = _MASK if "name" in hidden or "given_name" in hidden else str(instance)[:300]
    return SubjectHit(
        model_label=label,
        object_id=str(instance.pk),
        module=instance._meta.app_label,
        kind=str(instance._meta.verbose_name),
        label=text,
        fields=shown,
        activities=list(activities.get(label, [])),
        matched_by=matched_by,
        instance=instance,
    )


def search(*, actor: Actor, municipality_id: int, query: SubjectQuery) -> SubjectSearchResult:
    municipality = access_municipality(actor=actor, municipality_id=municipality_id)
    normalised = normalise_query(query)
    found = find(normalised, municipality.pk)
    activities = activities_by_model(municipality.pk) if found.rows else {}
    see_national_id = has_org_perm(actor, "officials.view_national_id", municipality)
    roots = [root.model_label for root in pd.subject_roots()]
    order = [label for label in roots if label in found.rows] + sorted(set(found.rows) - set(roots))
    hits = [
        _hit(actor, label, instance, how, activities, see_national_id)
        for label in order
        for instance, how in found.rows[label].values()
    ]
    return SubjectSearchResult(query=query, hits=hits, truncated=found.truncated)


def access_extract(*, actor: Actor, pk: int) -> Any:
    """A stored register extract, for those who may search subjects in its municipality; the same
    NotFoundError for a missing one and one that is not theirs."""
    from insyn.privacy.models import SubjectExtract

    extract = SubjectExtract.objects.select_related("controller", "request").filter(pk=pk).first()
    if extract is None or not may_search(actor, extract.controller.municipality_id or extract.controller.pk):
        raise NotFoundError()
    if extract.request_id is not None:
        # An extract made for a request is that request's file: whoever may not open the request (a protected
        # identity handled by others) may not open its extract either.
        from insyn.privacy.selectors.requests import access_request

        access_request(actor=actor, pk=extract.request_id)
    return extract


def municipality_by_name(*, actor: Actor, name: str) -> Organisation:
    """A municipality by its name (the CLI's --municipality), for those who may search subjects in it."""
    municipality = Organisation.objects.filter(name=name.strip()[:200], parent__isnull=True).first()
    if municipality is None:
        raise NotFoundError()
    return access_municipality(actor=actor, municipality_id=municipality.pk)


def hit_as_dict(hit: SubjectHit) -> dict[str, Any]:
    """A hit as the API and the CLI give it (the instance left out)."""
    return {
        "model_label": hit.model_label,
        "object_id": hit.object_id,
        "module": hit.module,
        "kind": hit.kind,
        "label": hit.label,
        "matched_by": hit.matched_by,
        "fields": dict(hit.fields),
        "activities": [vars(ref) for ref in hit.activities],
    }
