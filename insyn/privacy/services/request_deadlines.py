"""Deadline reminders and disposal of data-subject requests (re-exported by `services.requests`).

Records: a closed request is kept for the plan's period (seed 003: "1 år") and then deleted here; the records
module's disposal does not cover privacy requests yet, so `requests_dispose_due` is the path until it does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_change, audit_delete, snapshot
from insyn.core.exceptions import PermissionDeniedError
from insyn.core.models.organisations import Organisation, RoleAssignment
from insyn.privacy import deadlines
from insyn.privacy.models import ProcessingActivity, ProcessingRestriction, Register, RequestStatus, SubjectRequest

OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)
CLOSED_STATUSES = (RequestStatus.COMPLETED, RequestStatus.REFUSED, RequestStatus.WITHDRAWN)
REQUEST_ACTIVITY_NAME = "Hantera begäran enligt GDPR"


# --- Deadlines ----------------------------------------------------------------------------------------------


def _recipients(request: SubjectRequest) -> list[str]:
    """The handler and the controller's DPOs (the register's DPO address and DPO role holders above it)."""
    emails: list[str] = []
    if request.handler_id and request.handler and request.handler.email:
        emails.append(request.handler.email)
    emails += [
        e for e in Register.objects.filter(controller=request.controller).values_list("dpo_email", flat=True) if e
    ]
    ancestors = [request.controller.path[:i] for i in range(1, len(request.controller.path) + 1)]
    user_ids = RoleAssignment.objects.filter(
        organisation__path__in=ancestors, role__name="Data protection officer"
    ).values_list("user_id", flat=True)
    emails += [
        e for e in get_user_model().objects.filter(pk__in=user_ids, is_active=True).values_list("email", flat=True) if e
    ]
    return sorted(set(emails))


def request_deadline_reminders(*, actor: Actor, today: dt.date) -> int:
    """E-mail handlers and DPOs when an open request is due within 7 days and when it is overdue, once per state.

    Safe to run twice a day: the state e-mailed is stored on the request under a row lock. Returns e-mails sent."""
    if not getattr(actor, "is_superuser", False):
        raise PermissionDeniedError()
    sent = 0
    candidates = SubjectRequest.objects.filter(status__in=OPEN_STATUSES).values_list("pk", flat=True)
    for pk in list(candidates):
        sent += _remind_one(actor=actor, pk=pk, today=today)
    return sent


@transaction.atomic
def _remind_one(*, actor: Actor, pk: int, today: dt.date) -> int:
    # Only the request row is locked: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join (handler).
    request = SubjectRequest.objects.select_for_update(of=("self",)).select_related("controller", "handler").get(pk=pk)
    state = deadlines.deadline_state(request.effective_due_on, today)
    if state not in (deadlines.DeadlineState.DUE_SOON, deadlines.DeadlineState.OVERDUE):
        return 0
    if request.reminder_state == state:
        return 0
    recipients = _recipients(request)
    before = snapshot(request)
    request.reminder_state = state
    request.save(update_fields=["reminder_state", "updated_at"])
    audit_change(
        actor=actor,
        instance=request,
        before=before,
        organisation=request.controller,
        reason=f"deadline reminder: {state}",
    )
    if not recipients:
        return 0
    if state == deadlines.DeadlineState.OVERDUE:
        subject = _("Overdue data-subject request %(ref)s") % {"ref": request.reference}
    else:
        subject = _("Data-subject request %(ref)s is due on %(due)s") % {
            "ref": request.reference,
            "due": request.effective_due_on.isoformat(),
        }
    # The e-mail names the case, never the person: mailboxes are forwarded and kept.
    body = _("Request %(ref)s (%(kind)s) to %(controller)s is due on %(due)s. Open it in Insyn to handle it.") % {
        "ref": request.reference,
        "kind": request.get_kind_display(),
        "controller": request.controller.name,
        "due": request.effective_due_on.isoformat(),
    }
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients))
    return 1


# --- Records: how long request files are kept ---------------------------------------------------------------

_PERIOD = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$")


def _period_days(period: str) -> int | None:
    match = _PERIOD.match((period or "").strip().upper())
    if not match or not any(match.groups()):
        return None
    years, months, days = (int(g or 0) for g in match.groups())
    return years * 365 + months * 31 + days


def retention_for_requests(controller: Organisation) -> dt.timedelta:
    """The period the plan gives request files: the document types linked to the register activity
    "Hantera begäran enligt GDPR" that are disposed of (the longest, when several); else
    `INSYN_PRIVACY_REQUEST_RETENTION_DAYS` (365: seed 003's "1 år")."""
    activity = (
        ProcessingActivity.objects.filter(register__controller=controller, name__iexact=REQUEST_ACTIVITY_NAME)
        .prefetch_related("document_types")
        .first()
    )
    if activity is not None:
        periods = [_period_days(t.period) for t in activity.document_types.all() if t.action == "dispose"]
        found = [p for p in periods if p]
        if found:
            return dt.timedelta(days=max(found))
    return dt.timedelta(days=int(getattr(settings, "INSYN_PRIVACY_REQUEST_RETENTION_DAYS", 365)))


# A plan row that keeps, reviews, transfers or is unclear about request files: they are never disposed of here.
_KEEPING_ACTIONS = ("retain", "review", "transfer", "unclear")


def _plan_keeps_requests(controller: Organisation) -> bool:
    return ProcessingActivity.objects.filter(
        register__controller=controller,
        name__iexact=REQUEST_ACTIVITY_NAME,
        document_types__action__in=_KEEPING_ACTIONS,
    ).exists()


@transaction.atomic
def requests_dispose_due(*, actor: Actor, today: dt.date) -> int:
    """Delete closed requests past `dispose_after` with their extracts, erasure items and lifted restrictions,
    each with its own audit entry; the extract files go once the deletion has committed.

    Kept: a request with a restriction not lifted (Art. 18 lasts until it is lifted), and every request of a
    controller whose plan row for request files is not "dispose" (retain, review, transfer, unclear).
    The records module's disposal is not built yet; until it is, this is the path (a daily job may call it)."""
    if not getattr(actor, "is_superuser", False):
        raise PermissionDeniedError()
    due: Iterable[SubjectRequest] = (
        SubjectRequest.objects.select_for_update(of=("self",))
        .select_related("controller")
        .filter(status__in=CLOSED_STATUSES, dispose_after__lt=today)
        .exclude(pk__in=ProcessingRestriction.objects.filter(lifted_at__isnull=True).values("request_id"))
    )
    reason = "retention period of the plan has run out"
    kept_by_plan: dict[int, bool] = {}
    count = 0
    for request in due:
        controller = request.controller
        if controller.pk not in kept_by_plan:
            kept_by_plan[controller.pk] = _plan_keeps_requests(controller)
        if kept_by_plan[controller.pk]:
            continue
        files: list[tuple[Any, str]] = []
        for extract in request.extracts.all():
            if extract.file:
                files.append((extract.file.storage, extract.file.name))
            audit_delete(actor=actor, instance=extract, organisation=controller, reason=reason)
        for item in request.erasure_items.all():
            audit_delete(actor=actor, instance=item, organisation=controller, reason=reason)
        for restriction in request.restrictions.all():
            audit_delete(actor=actor, instance=restriction, organisation=controller, reason=reason)
        audit_delete(actor=actor, instance=request, organisation=controller, reason=reason)
        # A rolled-back disposal must not leave extracts whose files are gone.
        for storage, name in files:
            transaction.on_commit(partial(storage.delete, name))
        count += 1
    return count
