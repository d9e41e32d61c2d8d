"""The subject search: every place Insyn holds one person's data in one municipality, driven by the
personal-data registry (`insyn.core.personal_data`).

1. The subject roots (officials.person, auth.user, privacy.subjectrequest) are matched by national id, e-mail,
   names and addresses, then joined through `same_person` (an official's login).
2. Every other registered model is reached by its subject paths (`loan__person`, `actor`, `owner` …).
3. Rows about found rows (`GENERIC_OBJECT`: audit entries by object_type/object_id) and names typed as text
   (`TEXT`) are matched last.

Every lookup is an indexed equality (`national_id`, `lower(email)`, foreign keys, the audit entry's
object_type + object_id); free-text matching runs only on the small tables that register it as TEXT.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from insyn.core import personal_data as pd
from insyn.core.actor import Actor
from insyn.core.exceptions import NotFoundError, ValidationFailed
from insyn.core.models import Organisation, RoleAssignment
from insyn.core.permissions import actor_scope, has_org_perm
from insyn.privacy.subject_search import ActivityRef, SubjectHit, SubjectQuery, SubjectSearchResult

PERMISSION = "privacy.view_subject_data"
# Per model: more rows than this for one person is a sign of a too-wide query (a common name); the extract
# says the list was cut.
MAX_HITS_PER_MODEL = 500
MAX_TERMS = 20  # names, e-mails and addresses each
MAX_TERM_LENGTH = 300
USER = settings.AUTH_USER_MODEL.lower()

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class NormalisedQuery:
    national_ids: tuple[str, ...]  # every stored spelling: YYYYMMDD-XXXX, YYYYMMDDXXXX, YYMMDD-XXXX, YYMMDDXXXX
    emails: tuple[str, ...]
    names: tuple[str, ...]  # casefolded, single spaces
    addresses: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not (self.national_ids or self.emails or self.names or self.addresses)


def _bounded(values: Iterable[str], what: str) -> list[str]:
    items = [v for v in values if isinstance(v, str) and v.strip()]
    if len(items) > MAX_TERMS or any(len(v) > MAX_TERM_LENGTH for v in items):
        raise ValidationFailed(
            _("Too many or too long search terms (%(what)s).") % {"what": what}, code="too_long", detail={"field": what}
        )
    return items


def normalise_name(value: str) -> str:
    return _SPACES.sub(" ", value).strip().casefold()


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


# --- Scoping by municipality --------------------------------------------------------------------


@cache
def _municipality_lookups(label: str) -> tuple[tuple[str, bool], ...]:
    """Lookups from the model to an organisation: ("municipality", False), ("organisation", True) … with
    whether a NULL there still belongs (an audit entry without an organisation: a login)."""
    model = apps.get_model(label)
    found: list[tuple[str, bool]] = []

    def walk(current: type[models.Model], prefix: str, depth: int) -> None:
        for field in current._meta.concrete_fields:
            if not field.is_relation or field.related_model is None:
                continue
            if field.related_model is Organisation:
                found.append((f"{prefix}{field.name}", depth == 0 and bool(field.null)))
        if found or depth >= 2:
            return
        for field in current._meta.concrete_fields:
            if field.many_to_one and field.related_model not in (None, Organisation, current):
                related: Any = field.related_model
                if isinstance(related, str) or related._meta.label_lower == USER:
                    continue
                if related._meta.app_label not in pd.OWN_APPS:
                    continue
                walk(related, f"{prefix}{field.name}__", depth + 1)
                if found:
                    return

    walk(model, "", 0)
    return tuple(found[:1])


def municipality_q(label: str, municipality_id: int) -> Q | None:
    """A Q keeping the model's rows of the municipality, None when the model has no organisation (reached
    only through a root that is scoped already)."""
    lookups = _municipality_lookups(label)
    if not lookups:
        return None
    lookup, nullable = lookups[0]
    # A municipality is its own municipality (core's organisation services), so one lookup serves every level.
    q = Q(**{f"{lookup}__municipality_id": municipality_id})
    if nullable:
        q |= Q(**{f"{lookup}__isnull": True})
    return q


def _scoped(model: type[models.Model], municipality_id: int) -> models.QuerySet[Any]:
    q = municipality_q(model._meta.label_lower, municipality_id)
    qs = model._default_manager.all()
    return qs.filter(q) if q is not None else qs


# --- Roots --------------------------------------------------------------------------------------


def _root_q(
    model: type[models.Model], root: pd.SubjectRoot, query: NormalisedQuery
) -> tuple[models.QuerySet[Any], list[tuple[Q, str]]]:
    qs = model._default_manager.all()
    parts: list[tuple[Q, str]] = []
    for name in root.national_id_fields:
        if query.national_ids:
            parts.append((Q(**{f"{name}__in": query.national_ids}), "national_id"))
    for name in root.email_fields:
        if query.emails:
            alias = f"_lower_{name}"
            qs = qs.alias(**{alias: Lower(name)})
            parts.append((Q(**{f"{alias}__in": query.emails}), "email"))
    if query.names and root.name_fields:
        if len(root.name_fields) == 1:
            alias = f"_lower_{root.name_fields[0]}"
            qs = qs.alias(**{alias: Lower(root.name_fields[0])})
            parts.append((Q(**{f"{alias}__in": query.names}), "name"))
        else:
            given, family = root.name_fields[0], root.name_fields[-1]
            qs = qs.alias(_lower_given=Lower(given), _lower_family=Lower(family))
            name_q = Q(pk__in=[])
            for name in query.names:
                words = name.split(" ")
                # Every split of "Anna Maria Lindberg Ek" into given and family names.
                for cut in range(1, len(words)):
                    name_q |= Q(_lower_given=" ".join(words[:cut]), _lower_family=" ".join(words[cut:]))
            parts.append((name_q, "name"))
    for name in root.address_fields:
        for address in query.addresses:
            parts.append(
                (Q(**{f"{name}__iexact": address}) | Q(**{f"{name}__iexact": address.replace(", ", "\n")}), "address")
            )
    return qs, parts


def _belongs_here_q(municipality_id: int) -> Q:
    """Logins of the municipality: a role in it, or an official of it."""
    from insyn.officials.models import Person

    roles = RoleAssignment.objects.filter(organisation__municipality_id=municipality_id).values("user_id")
    officials = Person.objects.filter(municipality_id=municipality_id, user__isnull=False).values("user_id")
    return Q(pk__in=roles) | Q(pk__in=officials)


def _matched_by(root: pd.SubjectRoot, instance: models.Model, query: NormalisedQuery) -> str:
    if any(getattr(instance, name, "") in query.national_ids for name in root.national_id_fields):
        return "national_id"
    if any((getattr(instance, name, "") or "").lower() in query.emails for name in root.email_fields):
        return "email"
    if root.name_fields:
        full = normalise_name(" ".join(str(getattr(instance, name, "") or "") for name in root.name_fields))
        if full in query.names:
            return "name"
    return "address"


class _Found:
    """Rows found so far, per model label, in the order found, with how each was reached."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[Any, tuple[models.Model, str]]] = {}
        self.truncated = False

    def add(
        self,
        label: str,
        rows: list[models.Model],
        matched_by: str | None = None,
        root: Any = None,
        query: NormalisedQuery | None = None,
    ) -> None:
        if len(rows) > MAX_HITS_PER_MODEL:
            rows = rows[:MAX_HITS_PER_MODEL]
            self.truncated = True
        bucket = self.rows.setdefault(label, {})
        for row in rows:
            if row.pk in bucket:
                continue
            how = matched_by if matched_by is not None else _matched_by(root, row, query)  # type: ignore[arg-type]
            bucket[row.pk] = (row, how)

    def ids(self, label: str) -> list[Any]:
        return list(self.rows.get(label, {}))


def _limited(qs: models.QuerySet[Any]) -> list[models.Model]:
    return list(qs[: MAX_HITS_PER_MODEL + 1])


def _find_roots(found: _Found, query: NormalisedQuery, municipality_id: int) -> None:
    roots = pd.subject_roots()
    for root in roots:
        model = apps.get_model(root.model_label)
        qs, parts = _root_q(model, root, query)
        if not parts:
            continue
        combined = Q(pk__in=[])
        for part, _how in parts:
            combined |= part
        if root.model_label == USER:
            qs = qs.filter(_belongs_here_q(municipality_id))
        else:
            scope = municipality_q(root.model_label, municipality_id)
            qs = qs.filter(scope) if scope is not None else qs
        found.add(root.model_label, _limited(qs.filter(combined)), root=root, query=query)
    # The same person on another root: an official's login, and the official of a login found by e-mail.
    for root in roots:
        model = apps.get_model(root.model_label)
        for path in root.same_person:
            target = pd.resolve_subject_path(model, path)
            if target is None:
                continue
            target_model = apps.get_model(target)
            linked = [
                v
                for v in model._default_manager.filter(pk__in=found.ids(root.model_label)).values_list(path, flat=True)
                if v
            ]
            if linked:
                found.add(target, _limited(target_model._default_manager.filter(pk__in=linked)), "link")
            back = found.ids(target)
            if back:
                qs = _scoped(model, municipality_id).filter(**{f"{path}__in": back})
                found.add(root.model_label, _limited(qs), "link")


def _find_by_paths(found: _Found, municipality_id: int) -> None:
    roots = {root.model_label for root in pd.subject_roots()}
    for label in pd.registered_models():
        if label in roots:
            continue
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        # The hit's label (`str()`) mostly names its required relations (a loan: kit and person): join them.
        related = [f.name for f in model._meta.concrete_fields if f.many_to_one and not f.null]
        for path in pd.subject_paths(label):
            if path in pd.SPECIAL_SUBJECTS or not path:
                continue
            end = pd.resolve_subject_path(model, path)
            ids = found.ids(end) if end else []
            if not ids:
                continue
            # One statement per path: an OR across joined tables (a receipt's loan__person or accepted_by)
            # would keep the database from using either index.
            qs = _scoped(model, municipality_id).filter(**{f"{path}__in": ids}).select_related(*related)
            found.add(label, _limited(qs.order_by("pk")), "link")


def _is_ip(value: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _find_by_text(found: _Found, query: NormalisedQuery, municipality_id: int) -> None:
    user_model = apps.get_model(USER)
    usernames = [
        str(getattr(row, user_model.USERNAME_FIELD, "")).lower() for row, _how in found.rows.get(USER, {}).values()
    ]
    terms = sorted({*query.emails, *query.names, *usernames} - {""})
    if not terms:
        return
    by_model: dict[str, list[str]] = {}
    for entry in pd.all_fields():
        if entry.subject == pd.TEXT:
            by_model.setdefault(entry.model_label, []).append(entry.field_name)
    # One statement per model, its TEXT fields OR-ed.
    for label, names in by_model.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        qs = _scoped(model, municipality_id)
        q = Q(pk__in=[])
        for name in names:
            field = model._meta.get_field(name)
            if isinstance(field, (models.TextField, models.JSONField)):
                for term in terms:
                    if len(term) >= 5:  # a short term would match inside unrelated prose
                        q |= Q(**{f"{name}__icontains": term})
            elif isinstance(field, models.GenericIPAddressField):
                addresses = [t for t in terms if _is_ip(t)]  # a name is no address: the database would refuse it
                if addresses:
                    q |= Q(**{f"{name}__in": addresses})
            else:
                alias = f"_lower_{name}"
                qs = qs.alias(**{alias: Lower(name)})
                q |= Q(**{f"{alias}__in": terms})
        found.add(label, _limited(qs.filter(q).order_by("pk")), "text")


def _find_about_found(found: _Found, municipality_id: int) -> None:
    """Rows that describe a found row by (object_type, object_id): the audit trail of the person's rows."""
    labels = sorted({f.model_label for f in pd.all_fields() if f.subject == pd.GENERIC_OBJECT})
    about = {label: [str(pk) for pk in pks] for label, pks in found.rows.items() if pks}
    for label in labels:
        model = apps.get_model(label)
        q = Q(pk__in=[])
        for object_type, ids in about.items():
            if object_type != label:
                q |= Q(object_type=object_type, object_id__in=ids)
        found.add(label, _limited(_scoped(model, municipality_id).filter(q).order_by("pk")), "link")


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
    for entry in sorted(pd.fields_of(type(instance)), key=lambda f: f.field_name):
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
    found = _Found()
    if not normalised.empty:
        _find_roots(found, normalised, municipality.pk)
        _find_by_paths(found, municipality.pk)
        _find_by_text(found, normalised, municipality.pk)
        _find_about_found(found, municipality.pk)
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
