"""Erasure (Art. 17) and restriction (Art. 18) of a data subject's data, item by item, with the reason.

`erasure_plan` is the dry run the DPO reads: for every place the subject search finds, erase, keep (why,
citing the plan row and its decision, and until when) or restrict. `erasure_execute` does what the plan says
through the owning module's eraser (`insyn.core.personal_data.register_eraser`) or core's audited
`personal_data_erase`, after asking the module's blocker (`register_erasure_blocker`) once more. Nothing is
deleted here: fields are emptied, and every ErasureItem says what happened to its place.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_change, audit_record, snapshot
from insyn.core.exceptions import NotFoundError, ValidationFailed
from insyn.core.models.audit import AuditAction
from insyn.core.permissions import has_org_perm, require_org_perm
from insyn.core.personal_data import eraser_for, erasure_blocker, fields_of
from insyn.privacy.exceptions import RequestStateError
from insyn.privacy.models import (
    ErasureItem,
    ErasureOutcome,
    IdentityStatus,
    ProcessingRestriction,
    RequestKind,
    SubjectRequest,
)
from insyn.privacy.subject_search import SubjectHit, SubjectQuery

ERASE = "erase"
KEEP = "keep"
RESTRICT = "restrict"
OUTCOME = {ERASE: ErasureOutcome.ERASED, KEEP: ErasureOutcome.KEPT, RESTRICT: ErasureOutcome.RESTRICTED}

# Reason codes of a kept item (stable: the API, the letter and the tests read them).
RETAINED_BY_PLAN = "retained_by_plan"
RETENTION_RUNNING = "retention_running"
REVIEW_BY_PLAN = "review_by_plan"
AUDIT_TRAIL = "audit_trail"
REQUEST_FILE = "request_file"
NOTHING_HELD = "nothing_held"
ALREADY_RESTRICTED = "already_restricted"
MANUAL_REVIEW = "manual_review"

ERASE_PERMISSION = "privacy.erase_subject_data"
VIEW_PERMISSION = "privacy.view_subject_data"

# The date a row's retention period is counted from, first attribute found (a returned loan from its
# return, a membership from its end). A membership without an end has not started its period.
_DATE_ATTRIBUTES = ("returned_at", "end_date", "completed_at", "decided_at", "created_at", "checked_out_at")
_OPEN_ENDED = {"officials.membership": "end_date"}
_ISO_PERIOD = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


@dataclass
class ErasurePlanItem:
    """One decision about one place: erase these fields, keep them (why, until when), or restrict the row."""

    model_label: str
    object_id: str
    object_label: str
    kind: str
    action: str  # ERASE / KEEP / RESTRICT
    fields: list[str] = field(default_factory=list)
    reason_code: str = ""
    reason: str = ""
    citation: dict[str, Any] = field(default_factory=dict)
    keep_until: dt.date | None = None
    instance: Any = None  # never serialised

    @property
    def outcome(self) -> str:
        return str(OUTCOME[self.action])

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME[self.action].label)


# --- Reading the plan ---------------------------------------------------------------------------------


def add_period(start: dt.date, period: str) -> dt.date | None:
    """`start` + an ISO 8601 duration (P2Y, P3M, P10D); month ends clamp (31 Jan + P1M = 28/29 Feb)."""
    match = _ISO_PERIOD.match(period or "")
    if not match or period == "P":
        return None
    years, months, weeks, days = (int(g or 0) for g in match.groups())
    month_index = start.month - 1 + months + 12 * years
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day) + dt.timedelta(days=7 * weeks + days)


def _hit_date(hit: SubjectHit) -> dt.date | None:
    instance = hit.instance
    open_ended = _OPEN_ENDED.get(hit.model_label)
    if open_ended is not None and getattr(instance, open_ended, None) is None:
        return None
    for name in _DATE_ATTRIBUTES:
        value = getattr(instance, name, None)
        if isinstance(value, dt.datetime):
            return timezone.localdate(value) if timezone.is_aware(value) else value.date()
        if isinstance(value, dt.date):
            return value
    return None


def _document_types(hit: SubjectHit) -> list[Any]:
    """The adopted plan rows linked to the hit's register activities (the plan in force decides)."""
    from insyn.records.models import DocumentType, PlanStatus

    ids = {
        int(ref["id"])
        for activity in hit.activities
        for ref in (activity.retention or {}).get("document_types") or []
        if isinstance(ref, dict) and ref.get("id") is not None
    }
    if not ids:
        return []
    return list(
        DocumentType.objects.filter(pk__in=ids, plan__status=PlanStatus.ADOPTED)
        .select_related("plan")
        .order_by("plan_id", "position", "pk")
    )


def _citation(doc_type: Any) -> dict[str, Any]:
    plan = doc_type.plan
    plan_label = f"{plan.title} v{plan.version}" if plan.version else plan.title
    return {
        "document_type_id": doc_type.pk,
        "document_type": doc_type.name,
        "plan_id": plan.pk,
        "plan": plan_label,
        "decision": plan.adoption_label,
        "action": doc_type.action,
        "period": doc_type.period,
        "retention_text": doc_type.retention_text,
    }


def _plan_reason(hit: SubjectHit, today: dt.date) -> tuple[str, str, dict[str, Any], dt.date | None] | None:
    """Why the plan keeps this place, or None when no linked plan row keeps it any longer."""
    from insyn.records.models import RetentionAction

    running: tuple[str, str, dict[str, Any], dt.date | None] | None = None
    for doc_type in _document_types(hit):
        cite = _citation(doc_type)
        words = {"type": doc_type.name, "plan": cite["plan"], "decision": cite["decision"] or _("not recorded")}
        if doc_type.action in (RetentionAction.RETAIN, RetentionAction.TRANSFER):
            reason = _(
                "An official document the plan retains: “%(type)s” in %(plan)s, adopted by %(decision)s, is kept "
                "for ever (archives act); the personal data in it cannot be erased."
            )
            return RETAINED_BY_PLAN, reason % words, cite, None
        if doc_type.action == RetentionAction.REVIEW:
            reason = _("The plan says “%(type)s” in %(plan)s (%(decision)s) is reviewed before it is disposed of.")
            running = running or (REVIEW_BY_PLAN, reason % words, cite, None)
            continue
        if doc_type.action != RetentionAction.DISPOSE or not doc_type.period:
            continue
        start = _hit_date(hit)
        if start is None:
            reason = _(
                "The retention period of “%(type)s” in %(plan)s (%(decision)s), %(period)s, has not started yet."
            )
            if running is None or running[3] is not None:
                running = (RETENTION_RUNNING, reason % {**words, "period": doc_type.period}, cite, None)
            continue
        until = add_period(start, doc_type.period)
        if until is None or until <= today:
            continue
        reason = _(
            "The retention period has not run out: “%(type)s” in %(plan)s (%(decision)s) is kept %(period)s "
            "from %(start)s, until %(until)s."
        )
        candidate: tuple[str, str, dict[str, Any], dt.date | None] = (
            RETENTION_RUNNING,
            reason % {**words, "period": doc_type.period, "start": start.isoformat(), "until": until.isoformat()},
            cite,
            until,
        )
        if running is None or (running[3] is not None and until > running[3]):
            running = candidate
    return running


# --- Deciding ------------------------------------------------------------------------------------------


def _never_erased(label: str) -> tuple[str, str] | None:
    if label == "core.auditentry":
        return AUDIT_TRAIL, _(
            "The audit trail is append-only evidence of who did what; its entries are kept and cannot be changed."
        )
    if label.startswith("privacy."):  # the request, its extracts, items and restrictions document the handling
        return REQUEST_FILE, _(
            "Records of data-protection work (requests, extracts, breaches) are kept for the plan's period, to "
            "show how they were handled."
        )
    return None


def _erasable_fields(instance: models.Model) -> list[str]:
    """The registered fields of the row that hold the subject's own data and can be emptied.

    Left out: links (a foreign key to the person or to the staff member who acted is structure, and a staff
    member's name is their data, not the subject's), flags (protected identity protects), unique keys (a
    login name), and fields matched only as text ("@text", "@object": whose data is not certain)."""
    names: list[str] = []
    for entry in fields_of(type(instance)):
        if entry.subject.startswith("@") or entry.subject.split("__")[0] == entry.field_name:
            continue
        try:
            model_field = instance._meta.get_field(entry.field_name)
        except FieldDoesNotExist:  # a registry entry without a field is the registry test's to report
            continue
        if not isinstance(model_field, models.Field) or model_field.is_relation or model_field.unique:
            continue
        if isinstance(model_field, models.BooleanField):
            continue
        if getattr(instance, entry.field_name, None) not in (None, "", {}, []):
            names.append(entry.field_name)
    return names


def _item(hit: SubjectHit, action: str, fields: list[str], **extra: Any) -> ErasurePlanItem:
    return ErasurePlanItem(
        model_label=hit.model_label,
        object_id=str(hit.object_id),
        object_label=hit.label,
        kind=hit.kind,
        action=action,
        fields=fields,
        instance=hit.instance,
        **extra,
    )


def _decide_erasure(hit: SubjectHit, today: dt.date) -> list[ErasurePlanItem]:
    never = _never_erased(hit.model_label)
    if never is not None:
        return [_item(hit, KEEP, [], reason_code=never[0], reason=never[1])]
    if hit.instance is None:
        return []
    if hit.matched_by == "text":
        reason = _("Found only because the text mentions the name or e-mail: the DPO checks it by hand.")
        return [_item(hit, KEEP, [], reason_code=MANUAL_REVIEW, reason=reason)]
    drafts = [activity.name for activity in hit.activities if not activity.approved]
    if drafts:
        # A register row that is not approved must not decide what is erased or kept (a contact's draft could
        # otherwise release what the approved register retains): the DPO approves it or decides by hand.
        reason = _("The register activity %(names)s is not approved: the DPO decides by hand.") % {
            "names": ", ".join(drafts)
        }
        return [_item(hit, KEEP, [], reason_code=MANUAL_REVIEW, reason=reason)]
    fields = _erasable_fields(hit.instance)
    blocker = erasure_blocker(hit.model_label)
    blocked = blocker(hit.instance) if blocker is not None else None
    if blocked is not None:
        return [_item(hit, KEEP, fields, reason_code=blocked[0], reason=blocked[1])]
    kept = _module_kept_fields(hit)
    by_plan = _plan_reason(hit, today)
    if not fields and (by_plan is None or hit.model_label == "officials.person"):
        return [_item(hit, KEEP, [], reason_code=NOTHING_HELD, reason=_("No personal data is left here to erase."))]
    if by_plan is not None:
        code, reason, cite, until = by_plan
        if hit.model_label == "officials.person":
            # The archived document names the person; their contacts and national id are not in it.
            kept = {**kept, **dict.fromkeys(("given_name", "family_name"), (code, reason))}
        else:
            return [_item(hit, KEEP, fields, reason_code=code, reason=reason, citation=cite, keep_until=until)]
    items: list[ErasurePlanItem] = []
    erasable = [name for name in fields if name not in kept]
    if erasable:
        items.append(_item(hit, ERASE, erasable))
    grouped: dict[tuple[str, str], list[str]] = {}
    for name in fields:
        if name in kept:
            grouped.setdefault(kept[name], []).append(name)
    for (code, reason), names in grouped.items():
        cite = by_plan[2] if by_plan is not None and code == by_plan[0] else {}
        items.append(_item(hit, KEEP, names, reason_code=code, reason=reason, citation=cite))
    return items


def _module_kept_fields(hit: SubjectHit) -> dict[str, tuple[str, str]]:
    """Fields the owning module keeps for its own reasons (officials: a name a decision cites)."""
    if hit.model_label == "officials.person":
        from insyn.officials.erasure import kept_fields

        return kept_fields(hit.instance)
    return {}


def _active_restrictions(hits: list[SubjectHit]) -> set[tuple[str, str]]:
    labels = {hit.model_label for hit in hits}
    rows = ProcessingRestriction.objects.filter(model_label__in=labels, lifted_at__isnull=True)
    wanted = {(hit.model_label, str(hit.object_id)) for hit in hits}
    return {key for key in rows.values_list("model_label", "object_id") if key in wanted}


def plan_for_hits(*, request: SubjectRequest, hits: list[SubjectHit], today: dt.date) -> list[ErasurePlanItem]:
    """The decisions for `hits` (pure reading, no writes): erasure or restriction by the request's kind."""
    items: list[ErasurePlanItem] = []
    if request.kind == RequestKind.RESTRICTION:
        restricted = _active_restrictions(hits)
        for hit in hits:
            never = _never_erased(hit.model_label)
            if never is not None:
                items.append(_item(hit, KEEP, [], reason_code=never[0], reason=never[1]))
            elif (hit.model_label, str(hit.object_id)) in restricted:
                reason = _("Processing of this place is already restricted.")
                items.append(_item(hit, KEEP, [], reason_code=ALREADY_RESTRICTED, reason=reason))
            else:
                items.append(_item(hit, RESTRICT, []))
        return items
    for hit in hits:
        items.extend(_decide_erasure(hit, today))
    return items


# --- The request --------------------------------------------------------------------------------------


def _hits(*, actor: Actor, request: SubjectRequest) -> list[SubjectHit]:
    """The places of the verified national id only (and the rows reached from them by link)."""
    from insyn.privacy.services.requests import subject_query_for
    from insyn.privacy.subject_search import subject_search

    query = subject_query_for(request)
    if not query.national_id:
        return []
    controller = request.controller
    municipality_id = controller.municipality_id or controller.pk
    return list(subject_search(actor=actor, municipality_id=municipality_id, query=query, audit=False).hits)


def _candidates(*, actor: Actor, request: SubjectRequest, found: list[SubjectHit]) -> list[ErasurePlanItem]:
    """Places found only by what the requester typed (name, e-mail, address): another person may hold them
    (two officials called Anna Svensson; a form filled in with someone else's e-mail). The handler checks
    them by hand; nothing here is erased, restricted or extracted."""
    from insyn.privacy.services.requests import candidate_query_for
    from insyn.privacy.subject_search import subject_search

    query: SubjectQuery = candidate_query_for(request)
    if not (query.names or query.emails or query.addresses):
        return []
    controller = request.controller
    municipality_id = controller.municipality_id or controller.pk
    seen = {(hit.model_label, str(hit.object_id)) for hit in found}
    reason = _(
        "Found only by a name, e-mail or address the requester gave, not by the verified personal identity "
        "number: check by hand whether it is theirs."
    )
    items: list[ErasurePlanItem] = []
    for hit in subject_search(actor=actor, municipality_id=municipality_id, query=query, audit=False).hits:
        key = (hit.model_label, str(hit.object_id))
        if key in seen or (hit.model_label == "privacy.subjectrequest" and hit.object_id == str(request.pk)):
            continue
        seen.add(key)
        items.append(_item(hit, KEEP, [], reason_code=MANUAL_REVIEW, reason=reason))
    return items


def _check_request(actor: Actor, request: SubjectRequest, perm: str, kinds: tuple[str, ...]) -> None:
    if not has_org_perm(actor, VIEW_PERMISSION, request.controller) and not has_org_perm(
        actor, perm, request.controller
    ):
        raise NotFoundError()
    require_org_perm(actor, perm, request.controller)
    if request.kind not in kinds:
        raise RequestStateError(_("This request does not ask for erasure or restriction."))


def _audit_search(actor: Actor, request: SubjectRequest, what: str, count: int) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.READ,
        obj=request,
        organisation=request.controller,
        changes={"subject_search": what, "places": count},
    )


def erasure_plan(*, actor: Actor, request: SubjectRequest) -> list[ErasurePlanItem]:
    """The dry run: what an erasure (or restriction) of this request would do to each place, and why."""
    _check_request(actor, request, VIEW_PERMISSION, (RequestKind.ERASURE, RequestKind.RESTRICTION))
    hits = _hits(actor=actor, request=request)
    candidates = _candidates(actor=actor, request=request, found=hits)
    _audit_search(actor, request, "erasure_plan", len(hits) + len(candidates))
    return plan_for_hits(request=request, hits=hits, today=timezone.localdate()) + candidates


def _require_verified(request: SubjectRequest) -> None:
    if request.identity_status != IdentityStatus.VERIFIED or not request.national_id:
        # The search of the request is by the verified national id only: without it nothing is the subject's.
        raise RequestStateError(_("Verify the requester's identity before erasing or restricting anything."))
    if request.status in ("completed", "refused", "withdrawn"):
        raise RequestStateError(_("This request is closed."))


def _lock(request: SubjectRequest) -> SubjectRequest:
    return SubjectRequest.objects.select_for_update().select_related("controller").get(pk=request.pk)


def _erase(actor: Actor, request: SubjectRequest, item: ErasurePlanItem) -> list[str]:
    eraser = eraser_for(item.model_label)
    if eraser is not None:
        before = {name: getattr(item.instance, name, None) for name in item.fields}
        eraser(actor, item.instance, item.fields)
        item.instance.refresh_from_db()
        return [name for name in item.fields if getattr(item.instance, name, None) != before[name]]
    from insyn.core.services.personal_data import personal_data_erase

    return personal_data_erase(
        actor=actor,
        instance=item.instance,
        fields=item.fields,
        organisation=request.controller,
        reason=_("Erasure request %(reference)s") % {"reference": request.reference},
    )


@transaction.atomic
def erasure_execute(*, actor: Actor, request: SubjectRequest) -> list[ErasureItem]:
    """Erase what may go and record, item by item, what stays and why (ErasureItem rows)."""
    _check_request(actor, request, ERASE_PERMISSION, (RequestKind.ERASURE,))
    locked = _lock(request)
    _require_verified(locked)
    if locked.erasure_items.exists():
        raise RequestStateError(_("The erasure of this request has already been carried out."))
    hits = _hits(actor=actor, request=locked)
    candidates = _candidates(actor=actor, request=locked, found=hits)
    _audit_search(actor, locked, "erasure_execute", len(hits) + len(candidates))
    rows: list[ErasureItem] = []
    for item in plan_for_hits(request=locked, hits=hits, today=timezone.localdate()) + candidates:
        if item.action == ERASE:
            # Ask the owning module again inside the transaction: a loan may have been lent since the plan.
            blocker = erasure_blocker(item.model_label)
            blocked = blocker(item.instance) if blocker is not None else None
            if blocked is not None:
                item.action, item.reason_code, item.reason = KEEP, blocked[0], blocked[1]
            else:
                erased = _erase(actor, locked, item)
                if not erased:
                    item.action, item.reason_code = KEEP, NOTHING_HELD
                    item.reason = _("No personal data is left here to erase.")
                item.fields = erased or item.fields
        rows.append(_store_item(actor, locked, item))
    return rows


def _store_item(actor: Actor, request: SubjectRequest, item: ErasurePlanItem) -> ErasureItem:
    row = ErasureItem(
        request=request,
        model_label=item.model_label,
        object_id=item.object_id,
        object_label=item.object_label[:300],
        fields=list(item.fields),
        outcome=OUTCOME[item.action],
        reason_code=item.reason_code,
        reason=item.reason,
        citation=item.citation,
        keep_until=item.keep_until,
    )
    row.save()
    audit_change(actor=actor, instance=row, before=None, organisation=request.controller)
    return row


@transaction.atomic
def restriction_execute(*, actor: Actor, request: SubjectRequest) -> list[ProcessingRestriction]:
    """Art. 18: mark every place found as restricted (kept, not processed) until the restriction is lifted."""
    _check_request(actor, request, ERASE_PERMISSION, (RequestKind.RESTRICTION,))
    locked = _lock(request)
    _require_verified(locked)
    hits = _hits(actor=actor, request=locked)
    _audit_search(actor, locked, "restriction_execute", len(hits))
    restrictions: list[ProcessingRestriction] = []
    reason = locked.description or _("Restriction request %(reference)s") % {"reference": locked.reference}
    for item in plan_for_hits(request=locked, hits=hits, today=timezone.localdate()):
        if item.action != RESTRICT:
            continue
        restriction = ProcessingRestriction(
            request=locked,
            model_label=item.model_label,
            object_id=item.object_id,
            object_label=item.object_label[:300],
            reason=reason[:2000],
        )
        restriction.save()
        audit_change(actor=actor, instance=restriction, before=None, organisation=locked.controller)
        restrictions.append(restriction)
    return restrictions


@transaction.atomic
def restriction_lift(*, actor: Actor, restriction: ProcessingRestriction, reason: str = "") -> ProcessingRestriction:
    """End a restriction (Art. 18(3): the subject is told before it is lifted; `reason` records why)."""
    locked = (
        ProcessingRestriction.objects.select_for_update().select_related("request__controller").get(pk=restriction.pk)
    )
    controller = locked.request.controller
    if not has_org_perm(actor, VIEW_PERMISSION, controller) and not has_org_perm(actor, ERASE_PERMISSION, controller):
        raise NotFoundError()
    require_org_perm(actor, ERASE_PERMISSION, controller)
    if locked.lifted_at is not None:
        raise RequestStateError(_("This restriction has already been lifted."))
    if not reason.strip():
        raise ValidationFailed(_("Say why the restriction is lifted (Art. 18(3): the person is told first)."))
    before = snapshot(locked)
    locked.lifted_at = timezone.now()
    locked.save(update_fields=["lifted_at"])
    audit_change(actor=actor, instance=locked, before=before, organisation=controller, reason=reason)
    return locked
