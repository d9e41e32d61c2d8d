"""Data-subject requests: receipt (public form, staff, API), deadlines, extension, completion, disposal.

Identity checks live in `request_identity.py` and are re-exported here (one import path for the doors).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_change, snapshot
from insyn.core.events import send_after_commit
from insyn.core.exceptions import NotFoundError, PermissionDeniedError, ValidationFailed
from insyn.core.models.organisations import Organisation
from insyn.core.permissions import can_see_municipality, has_org_perm
from insyn.privacy import deadlines
from insyn.privacy.exceptions import RequestStateError
from insyn.privacy.identity import hash_secret, new_secret, secret_matches
from insyn.privacy.models import (
    IdentityStatus,
    RequestChannel,
    RequestKind,
    RequestStatus,
    SubjectRequest,
)
from insyn.privacy.selectors.requests import may_handle
from insyn.privacy.services.request_deadlines import (
    request_deadline_reminders,
    requests_dispose_due,
    retention_for_requests,
)
from insyn.privacy.services.request_identity import identity_confirm, identity_start
from insyn.privacy.signals import subject_request_completed

__all__ = [
    "candidate_query_for",
    "identity_confirm",
    "identity_start",
    "request_complete",
    "request_deadline_reminders",
    "request_extend",
    "request_refuse",
    "request_register",
    "request_submit_public",
    "request_withdraw",
    "requests_dispose_due",
    "retention_for_requests",
]

ADD = "privacy.add_subjectrequest"
CHANGE = "privacy.change_subjectrequest"
# Requests from people with protected identity are handled by those who may see subject data (the DPO).
PROTECTED = "privacy.view_subject_data"
OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)
CLOSED_STATUSES = (RequestStatus.COMPLETED, RequestStatus.REFUSED, RequestStatus.WITHDRAWN)
MAX_TEXT = 5000
MAX_LINE = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _require_handler(actor: Actor, request: SubjectRequest) -> None:
    if not may_handle(actor, request):
        raise PermissionDeniedError()


def _clean(value: str | None, *, field: str, max_length: int = MAX_LINE, multiline: bool = False) -> str:
    text = (value or "").strip()
    if len(text) > max_length:
        raise ValidationFailed(
            _("%(field)s is too long (at most %(max)d characters).") % {"field": field, "max": max_length},
            code="too_long",
            detail={"field": field},
        )
    if _CONTROL.search(text) or (not multiline and ("\n" in text or "\r" in text)):
        raise ValidationFailed(
            _("%(field)s holds characters that are not allowed.") % {"field": field},
            code="bad_characters",
            detail={"field": field},
        )
    return text


def _controller(controller: Organisation | int) -> Organisation:
    if isinstance(controller, Organisation):
        return controller
    found = Organisation.objects.filter(pk=controller, active=True).first()
    if found is None:
        raise NotFoundError()
    return found


def _reference(controller: Organisation, received_on: dt.date) -> str:
    # Unique by construction: a random tail, not a counter two clerks could race for.
    return f"DSR-{received_on:%Y}-{controller.pk}-{new_secret(6).upper().replace('-', 'X').replace('_', 'Y')}"[:40]


def _national_id(value: str) -> str:
    if not value:
        return ""
    from insyn.officials.rules import normalise_national_id

    try:
        return normalise_national_id(value[:20])[0]
    except ValueError as exc:
        raise ValidationFailed(
            _("Not a valid personal identity number."), code="national_id", detail={"field": "national_id"}
        ) from exc


def _create(
    *,
    actor: Actor,
    controller: Organisation,
    kind: str,
    channel: str,
    received_at: dt.datetime,
    name: str,
    email: str = "",
    phone: str = "",
    postal_address: str = "",
    national_id: str = "",
    other_names: str = "",
    description: str = "",
    protected_identity: bool = False,
    handler: Any = None,
) -> SubjectRequest:
    if kind not in RequestKind.values:
        raise ValidationFailed(_("Unknown type of request."), code="kind", detail={"field": "kind"})
    if not controller.is_controller or not controller.active:
        raise ValidationFailed(_("Choose a controller."), code="controller", detail={"field": "controller"})
    name = _clean(name, field="name")
    if not name:
        raise ValidationFailed(_("Give your name."), code="required", detail={"field": "name"})
    email = _clean(email, field="email", max_length=254)
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise ValidationFailed(_("Enter a valid e-mail address."), code="email", detail={"field": "email"})
    received_on = timezone.localtime(received_at).date()
    request = SubjectRequest(
        controller=controller,
        reference=_reference(controller, received_on),
        kind=kind,
        channel=channel,
        received_at=received_at,
        due_on=deadlines.request_deadline(received_on),
        name=name,
        email=email,
        phone=_clean(phone, field="phone", max_length=40),
        # Protected identity: only what the person gave us is kept; Insyn never looks an address up.
        postal_address=_clean(postal_address, field="postal_address", max_length=500, multiline=True),
        national_id=_national_id(_clean(national_id, field="national_id", max_length=20)),
        other_names=_clean(other_names, field="other_names", max_length=2000, multiline=True),
        description=_clean(description, field="description", max_length=MAX_TEXT, multiline=True),
        protected_identity=bool(protected_identity),
        handler=handler,
    )
    request.save()
    audit_change(actor=actor, instance=request, before=None, organisation=controller)
    return request


@transaction.atomic
def request_submit_public(
    *,
    actor: Actor,
    controller: Organisation | int,
    kind: str,
    name: str,
    email: str = "",
    phone: str = "",
    postal_address: str = "",
    description: str = "",
    protected_identity: bool = False,
    received_at: dt.datetime | None = None,
) -> tuple[SubjectRequest, str]:
    """A request from the public form. Returns the request and the access key the person follows it with
    (shown once, stored hashed). No permission: anyone may ask; the identity check comes before any answer."""
    if not email and not postal_address and not phone:
        raise ValidationFailed(_("Give at least one way to reach you."), code="contact", detail={"field": "email"})
    request = _create(
        actor=actor,
        controller=_controller(controller),
        kind=kind,
        channel=RequestChannel.WEB,
        received_at=received_at or timezone.now(),
        name=name,
        email=email,
        phone=phone,
        postal_address=postal_address,
        description=description,
        protected_identity=protected_identity,
    )
    access_key = new_secret()
    request.access_key_hash = hash_secret(access_key, purpose="access_key")
    request.save(update_fields=["access_key_hash"])
    return request, access_key


@transaction.atomic
def request_register(
    *,
    actor: Actor,
    controller: Organisation | int,
    kind: str,
    channel: str = RequestChannel.STAFF,
    received_at: dt.datetime,
    name: str,
    email: str = "",
    phone: str = "",
    postal_address: str = "",
    national_id: str = "",
    other_names: str = "",
    description: str = "",
    protected_identity: bool = False,
) -> SubjectRequest:
    """A request that came by e-mail or letter (or through the API), registered by the registrar or DPO.

    The deadline runs from `received_at`, the day the controller received it, not the day it was registered."""
    organisation = _controller(controller)
    if not has_org_perm(actor, ADD, organisation):
        if not can_see_municipality(actor, organisation.municipality_id or organisation.pk):
            raise NotFoundError()  # another municipality's organ answers as a missing one, not 403
        raise PermissionDeniedError()  # an organ of the own municipality outside the actor's subtree
    if channel not in (RequestChannel.STAFF, RequestChannel.API):
        raise ValidationFailed(_("Unknown channel."), code="channel", detail={"field": "channel"})
    if received_at > timezone.now():
        raise ValidationFailed(
            _("The date of receipt is in the future."), code="received_at", detail={"field": "received_at"}
        )
    return _create(
        actor=actor,
        controller=organisation,
        kind=kind,
        channel=channel,
        received_at=received_at,
        name=name,
        email=email,
        phone=phone,
        postal_address=postal_address,
        national_id=national_id,
        other_names=other_names,
        description=description,
        protected_identity=protected_identity,
        handler=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _locked(request: SubjectRequest) -> SubjectRequest:
    return SubjectRequest.objects.select_for_update().select_related("controller").get(pk=request.pk)


def _require_open(request: SubjectRequest) -> None:
    if request.status not in OPEN_STATUSES:
        raise RequestStateError(_("This request is closed."), code="request_closed")


@transaction.atomic
def request_extend(
    *, actor: Actor, request: SubjectRequest, reason: str, notified_on: dt.date | None
) -> SubjectRequest:
    """Art. 12(3): two further months, only with a reason and a notice to the person sent within the first month."""
    request = _locked(request)
    _require_handler(actor, request)
    _require_open(request)
    reason = _clean(reason, field="reason", max_length=MAX_TEXT, multiline=True)
    check = deadlines.check_extension(
        received_on=timezone.localtime(request.received_at).date(),
        due_on=request.due_on,
        reason=reason,
        notified_on=notified_on,
        today=timezone.localdate(),
        already_extended=request.extended_due_on is not None,
    )
    if not check.allowed:
        messages = {
            "already_extended": _("The request has already been extended."),
            "reason_missing": _("Record the reason for the extension."),
            "notice_missing": _("Record when the person was told of the extension."),
            "notice_late": _("The person must be told within the first month; the extension is no longer possible."),
            "notice_before_receipt": _("The notice cannot be dated before the request was received."),
            "notice_in_future": _("The notice cannot be dated in the future."),
        }
        raise ValidationFailed(
            " ".join(str(messages[p]) for p in check.problems),
            code="extension_refused",
            detail={"problems": list(check.problems)},
        )
    before = snapshot(request)
    request.extended_due_on = check.extended_due_on
    request.extension_reason = reason
    request.extension_notified_on = notified_on
    request.reminder_state = ""  # a new deadline: the reminders start again
    request.save()
    audit_change(actor=actor, instance=request, before=before, organisation=request.controller, reason=reason)
    return request


def subject_query_for(request: SubjectRequest) -> Any:
    """The automatic search of a request (its extract, erasure, restriction): only the verified national id.

    What the requester typed (name, e-mail, address, other names) proves nothing: anyone can type another
    person's e-mail. Those terms go to `candidate_query_for`, places the handler checks by hand."""
    from insyn.privacy.subject_search import SubjectQuery

    verified = request.identity_status == IdentityStatus.VERIFIED
    return SubjectQuery(national_id=request.national_id if verified else "")


def candidate_query_for(request: SubjectRequest) -> Any:
    """The names, e-mails and addresses the requester typed: a search for other places to check by hand,
    never erased or extracted automatically."""
    from insyn.privacy.subject_search import SubjectQuery

    extra = [line.strip() for line in request.other_names.splitlines() if line.strip()]
    emails = [request.email] if request.email else []
    emails += [line for line in extra if "@" in line]
    names = [request.name] + [line for line in extra if "@" not in line and not any(c.isdigit() for c in line)]
    addresses = [line for line in extra if "@" not in line and any(c.isdigit() for c in line)]
    if request.postal_address:
        addresses.append(" ".join(request.postal_address.split()))
    return SubjectQuery(
        names=tuple(dict.fromkeys(v for v in names if v)),
        emails=tuple(dict.fromkeys(v for v in emails if v)),
        addresses=tuple(dict.fromkeys(v for v in addresses if v)),
    )


def _dispose_after(request: SubjectRequest, closed_on: dt.date) -> dt.date:
    return closed_on + retention_for_requests(request.controller)


def _close(actor: Actor, request: SubjectRequest, status: str, outcome: str) -> SubjectRequest:
    before = snapshot(request)
    now = timezone.now()
    request.status = status
    request.outcome = outcome
    request.completed_at = now
    request.dispose_after = _dispose_after(request, timezone.localtime(now).date())
    request.save()
    audit_change(actor=actor, instance=request, before=before, organisation=request.controller)
    return request


@transaction.atomic
def request_complete(
    *, actor: Actor, request: SubjectRequest, outcome: str, make_extract: bool = True
) -> SubjectRequest:
    """Answer the request. Access and portability make the register extract (P6's `extract_create`, which needs
    `privacy.view_subject_data`: the DPO); erasure runs `erasure_execute` and restriction `restriction_execute` (P8)
    unless already run. The identity must have been verified first."""
    request = _locked(request)
    _require_handler(actor, request)
    _require_open(request)
    outcome = _clean(outcome, field="outcome", max_length=MAX_TEXT, multiline=True)
    if not outcome:
        raise ValidationFailed(_("Write the decision and its reasons."), code="required", detail={"field": "outcome"})
    if request.identity_status != IdentityStatus.VERIFIED:
        raise RequestStateError(_("Verify the person's identity before answering."), code="identity_not_verified")
    if make_extract and request.kind in (RequestKind.ACCESS, RequestKind.PORTABILITY):
        from insyn.privacy.services.extracts import extract_create

        formats = ("pdf", "json") if request.kind == RequestKind.ACCESS else ("json", "pdf")
        extract_create(
            actor=actor,
            municipality_id=request.controller.municipality_id or request.controller.pk,
            query=subject_query_for(request),
            request=request,
            formats=formats,
        )
    elif make_extract and request.kind == RequestKind.ERASURE and not request.erasure_items.exists():
        # Not again when the handler already ran the erasure from its own page (P8 refuses a second run).
        from insyn.privacy.services.erasure import erasure_execute

        erasure_execute(actor=actor, request=request)
    elif make_extract and request.kind == RequestKind.RESTRICTION and not request.restrictions.exists():
        from insyn.privacy.services.erasure import restriction_execute

        restriction_execute(actor=actor, request=request)
    request = _close(actor, request, RequestStatus.COMPLETED, outcome)
    send_after_commit(
        subject_request_completed, sender=SubjectRequest, request_id=request.pk, kind=request.kind, actor=actor
    )
    return request


@transaction.atomic
def request_refuse(*, actor: Actor, request: SubjectRequest, outcome: str) -> SubjectRequest:
    """Art. 12(5) manifestly unfounded or excessive, or Art. 12(2) identity not established: with reasons."""
    request = _locked(request)
    _require_handler(actor, request)
    _require_open(request)
    outcome = _clean(outcome, field="outcome", max_length=MAX_TEXT, multiline=True)
    if not outcome:
        raise ValidationFailed(_("Write the reasons for the refusal."), code="required", detail={"field": "outcome"})
    return _close(actor, request, RequestStatus.REFUSED, outcome)


@transaction.atomic
def request_withdraw(*, actor: Actor, request: SubjectRequest, note: str = "", access_key: str = "") -> SubjectRequest:
    """The person withdrew the request: staff record it, or the person does it on the status page with the key."""
    request = _locked(request)
    if not (access_key and secret_matches(access_key[:100], request.access_key_hash, purpose="access_key")):
        _require_handler(actor, request)
    _require_open(request)
    note = _clean(note, field="note", max_length=MAX_TEXT, multiline=True)
    return _close(actor, request, RequestStatus.WITHDRAWN, note or _("Withdrawn by the requester."))
