"""Reads of data-subject requests: scoped to the actor's municipality; protected-identity cases to the DPO."""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from insyn.core.actor import Actor
from insyn.core.exceptions import NotFoundError
from insyn.core.models.organisations import Organisation
from insyn.core.permissions import actor_scope, has_org_perm, organisation_q
from insyn.privacy import deadlines
from insyn.privacy.identity import secret_matches
from insyn.privacy.models import RequestStatus, SubjectExtract, SubjectRequest

VIEW = "privacy.view_subjectrequest"
CHANGE = "privacy.change_subjectrequest"
PROTECTED = "privacy.view_subject_data"
OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)
# What services.requests._reference makes ("DSR-2026-12-AB3XY9Q2"): anything else (a NUL byte, which PostgreSQL
# refuses in a text parameter with a DataError) is answered "not found" before any query.
REFERENCE_FORMAT = r"[A-Z0-9-]{1,40}"
_REFERENCE = re.compile(REFERENCE_FORMAT)


def is_reference(value: object) -> bool:
    return isinstance(value, str) and _REFERENCE.fullmatch(value) is not None


def _visible(actor: Actor) -> QuerySet[SubjectRequest]:
    """Requests of the actor's municipality; a protected-identity case only to those who may see subject data
    in the controller's subtree (handling restricted), and to its handler."""
    scope = organisation_q(actor, VIEW, prefix="controller__")
    protected_ok = organisation_q(actor, PROTECTED, prefix="controller__", write=True)
    own = Q(handler_id=actor.pk) if getattr(actor, "pk", None) is not None else Q(pk__in=[])
    return SubjectRequest.objects.filter(scope).filter(Q(protected_identity=False) | protected_ok | own)


def access_request(*, actor: Actor, pk: int) -> SubjectRequest:
    found = _visible(actor).select_related("controller", "handler", "identity_verified_by").filter(pk=pk).first()
    if found is None:
        raise NotFoundError()
    return found


def access_request_by_key(*, reference: str, access_key: str) -> SubjectRequest:
    """The public status page: the reference and the secret key together, the same error for every miss."""
    if not is_reference(reference):
        raise NotFoundError()
    found = SubjectRequest.objects.select_related("controller").filter(reference=reference).first()
    if found is None or not secret_matches((access_key or "")[:100], found.access_key_hash, purpose="access_key"):
        raise NotFoundError()
    return found


def requests(*, actor: Actor, state: str | None = None, today: dt.date | None = None) -> QuerySet[SubjectRequest]:
    """Requests the actor may see, newest first. `state`: open, closed, or a deadline state of open requests
    (on_time, due_soon, overdue)."""
    qs = _visible(actor).select_related("controller", "handler")
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=deadlines.DUE_SOON_DAYS)

    def by_due(lookup: str, value: dt.date) -> Q:
        return Q(extended_due_on__isnull=False, **{f"extended_due_on__{lookup}": value}) | Q(
            extended_due_on__isnull=True, **{f"due_on__{lookup}": value}
        )

    open_q = Q(status__in=OPEN_STATUSES)
    if state in (None, ""):
        return qs
    if state == "open":
        return qs.filter(open_q)
    if state == "closed":
        return qs.exclude(open_q)
    if state == deadlines.DeadlineState.OVERDUE:
        return qs.filter(open_q & by_due("lt", today))
    if state == deadlines.DeadlineState.DUE_SOON:
        return qs.filter(open_q & by_due("gte", today) & by_due("lte", soon))
    if state == deadlines.DeadlineState.ON_TIME:
        return qs.filter(open_q & by_due("gt", soon))
    return qs.none()


def deadline_state(request: SubjectRequest, today: dt.date) -> str:
    """on_time / due_soon / overdue for an open request; "closed" once answered, refused or withdrawn."""
    return deadlines.deadline_state(request.effective_due_on, today, closed=request.status not in OPEN_STATUSES)


def requests_by_deadline_state(*, actor: Actor, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    counts = {
        deadlines.DeadlineState.ON_TIME: 0,
        deadlines.DeadlineState.DUE_SOON: 0,
        deadlines.DeadlineState.OVERDUE: 0,
    }
    for due_on, extended in _visible(actor).filter(status__in=OPEN_STATUSES).values_list("due_on", "extended_due_on"):
        counts[deadlines.deadline_state(extended or due_on, today)] += 1
    return counts


def requests_per_month(*, actor: Actor, months: int = 12, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Requests received per calendar month, oldest first, by type: [{"month": "2026-01", "total": 3, "access": 2…}]."""
    months = max(1, min(int(months), 60))
    today = today or timezone.localdate()
    first = deadlines.add_months(today.replace(day=1), -(months - 1))
    buckets: OrderedDict[str, dict[str, Any]] = OrderedDict()
    for i in range(months):
        key = deadlines.add_months(first, i).strftime("%Y-%m")
        buckets[key] = {"month": key, "total": 0}
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    rows = (
        _visible(actor)
        .filter(received_at__gte=start)
        .annotate(month=TruncMonth("received_at"))
        .values("month", "kind")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        key = row["month"].strftime("%Y-%m")
        if key in buckets:
            buckets[key][row["kind"]] = buckets[key].get(row["kind"], 0) + row["n"]
            buckets[key]["total"] += row["n"]
    return list(buckets.values())


def request_extracts(*, actor: Actor, request: SubjectRequest) -> list[SubjectExtract]:
    access_request(actor=actor, pk=request.pk)
    return list(request.extracts.all())


def may_handle(actor: Actor, request: SubjectRequest) -> bool:
    """Change rights in the controller's subtree; for a protected-identity case also the right to see subject data."""
    if not has_org_perm(actor, CHANGE, request.controller):
        return False
    return not request.protected_identity or has_org_perm(actor, PROTECTED, request.controller)


def can_handle(*, actor: Actor, request: SubjectRequest) -> bool:
    return may_handle(actor, request)


def is_staff_in_scope(actor: Actor) -> bool:
    scope = actor_scope(actor)
    return scope.is_superuser or bool(scope.municipalities_with(VIEW))


def public_controllers(*, municipality_id: int | None = None) -> QuerySet[Organisation]:
    """The controllers a member of the public may address a request to (public data: names of organs)."""
    qs = Organisation.objects.filter(is_controller=True, active=True).select_related("municipality")
    if municipality_id:
        qs = qs.filter(municipality_id=municipality_id)
    return qs.order_by("path")


def public_controller(*, pk: int) -> Organisation:
    found = public_controllers().filter(pk=pk).first()
    if found is None:
        raise NotFoundError()
    return found


def national_id_for(*, actor: Actor, request: SubjectRequest) -> str:
    """The personnummer as the actor may see it: whole (and the read audited) for those who may see subject data,
    masked (ÅÅMMDD-XXXX) for everyone else."""
    from insyn.core.audit import audit_read
    from insyn.officials.rules import mask_national_id

    if not request.national_id:
        return ""
    if has_org_perm(actor, PROTECTED, request.controller):
        audit_read(actor=actor, obj=request, fields=["national_id"], organisation=request.controller)
        return request.national_id
    return mask_national_id(request.national_id)


def registrable_controllers(*, actor: Actor) -> QuerySet[Organisation]:
    """Controllers the actor may register requests for (the register form's choices)."""
    return Organisation.objects.filter(
        organisation_q(actor, "privacy.add_subjectrequest", write=True), is_controller=True, active=True
    ).order_by("path")
