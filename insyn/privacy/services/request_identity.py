"""The identity check of a data-subject request (Art. 12(2) and (6)): by post, by e-ID, or in person.

- post: a one-time code is printed on a letter to the folkbokföring address (staff look it up and send it); the code
  is stored hashed and expires. Never for a person with protected identity: a register address may be the one
  they are protected from, so they come in person or use e-ID.
- e-ID: the configured provider (`insyn.privacy.identity.eid_provider`); its callback confirms.
- in person: staff with the change permission confirm after seeing an identity document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_change, snapshot
from insyn.core.exceptions import PermissionDeniedError, ValidationFailed
from insyn.privacy.exceptions import RequestStateError
from insyn.privacy.identity import (
    eid_provider,
    hash_secret,
    new_post_code,
    new_secret,
    normalise_code,
    secret_matches,
)
from insyn.privacy.models import IdentityMethod, IdentityStatus, RequestStatus, SubjectRequest
from insyn.privacy.selectors.requests import may_handle

CHANGE = "privacy.change_subjectrequest"
PROTECTED = "privacy.view_subject_data"
POST_CODE_DAYS = 30


@dataclass(frozen=True)
class IdentityChallenge:
    method: str
    post_code: str = ""  # shown once, to print on the letter; never stored in clear
    redirect_url: str = ""  # e-ID: where the browser goes next
    transaction_id: str = ""


def _max_attempts() -> int:
    return int(getattr(settings, "INSYN_PRIVACY_IDENTITY_MAX_ATTEMPTS", 5))


def _key_ok(request: SubjectRequest, access_key: str) -> bool:
    return bool(access_key) and secret_matches(access_key[:100], request.access_key_hash, purpose="access_key")


def _locked(request: SubjectRequest) -> SubjectRequest:
    locked = SubjectRequest.objects.select_for_update().select_related("controller").get(pk=request.pk)
    if locked.status not in (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS):
        raise RequestStateError(_("This request is closed."), code="request_closed")
    if locked.identity_status == IdentityStatus.VERIFIED:
        raise RequestStateError(_("The identity is already verified."), code="identity_verified")
    return locked


@transaction.atomic
def identity_start(
    *,
    actor: Actor,
    request: SubjectRequest,
    method: str,
    access_key: str = "",
    return_url: str = "",
    national_id: str = "",
) -> IdentityChallenge:
    """Choose how the identity is checked. The requester (with the access key) or a handler may start it;
    a post code can be made only by a handler, who prints and sends the letter to the registered address of
    `national_id` (or the number already on the request): the code then verifies that number.
    A failed check is started again only by a handler (the requester would otherwise reset the attempts)."""
    request = _locked(request)
    handler = may_handle(actor, request)
    if not handler and not _key_ok(request, access_key):
        raise PermissionDeniedError()
    if request.identity_status == IdentityStatus.FAILED and not handler:
        raise RequestStateError(_("The identity check failed. Contact us to start it again."), code="identity_failed")
    if method not in (IdentityMethod.IN_PERSON, IdentityMethod.POST, IdentityMethod.EID):
        raise ValidationFailed(
            _("Choose how your identity is checked."), code="identity_method", detail={"field": "method"}
        )
    if method == IdentityMethod.POST and request.protected_identity:
        raise ValidationFailed(
            _("With protected identity no letter is sent to a registered address: come in person or use e-ID."),
            code="protected_identity_no_post",
            detail={"field": "method"},
        )
    before = snapshot(request)
    request.identity_method = method
    request.identity_status = IdentityStatus.PENDING
    request.identity_attempts = 0
    request.identity_token_hash = ""
    request.identity_code_expires_at = None
    request.identity_provider_ref = ""
    challenge = IdentityChallenge(method=method)
    if method == IdentityMethod.POST and handler:
        # The letter goes to the folkbokföring address of one number: without it the code verifies nobody.
        request.national_id = _required_national_id(national_id or request.national_id)
        code = new_post_code()
        request.identity_token_hash = hash_secret(code, purpose="post_code")
        request.identity_code_expires_at = timezone.now() + dt.timedelta(days=POST_CODE_DAYS)
        challenge = IdentityChallenge(method=method, post_code=code)
    elif method == IdentityMethod.EID:
        transaction_id = new_secret(18)
        started = eid_provider().start(transaction_id=transaction_id, return_url=return_url)
        request.identity_provider_ref = started.transaction_id
        challenge = IdentityChallenge(
            method=method, redirect_url=started.redirect_url, transaction_id=started.transaction_id
        )
    request.save()
    audit_change(
        actor=actor,
        instance=request,
        before=before,
        organisation=request.controller,
        reason=f"identity check started: {method}",
    )
    return challenge


def _required_national_id(value: str) -> str:
    """A valid personnummer or samordningsnummer, normalised; the request's searches use only this number."""
    from insyn.privacy.services.requests import _national_id

    normalised = _national_id((value or "").strip()[:20])
    if not normalised:
        raise ValidationFailed(
            _("A verified identity needs a valid personal identity number."),
            code="national_id",
            detail={"field": "national_id"},
        )
    return normalised


def _verified(actor: Actor, request: SubjectRequest, before: Any, *, national_id: str, note: str) -> None:
    """Every method ends here with the number it verified: in person the one on the identity document,
    by post the one the letter was addressed to, by e-ID the provider's."""
    request.national_id = _required_national_id(national_id)
    request.identity_status = IdentityStatus.VERIFIED
    request.identity_verified_at = timezone.now()
    request.identity_verified_by = actor if getattr(actor, "is_authenticated", False) else None  # type: ignore[assignment]
    request.identity_token_hash = ""
    request.identity_code_expires_at = None
    if request.status == RequestStatus.RECEIVED:
        request.status = RequestStatus.IN_PROGRESS
    request.save()
    audit_change(actor=actor, instance=request, before=before, organisation=request.controller, reason=note)


def identity_confirm(
    *,
    actor: Actor,
    request: SubjectRequest,
    post_code: str = "",
    eid_payload: dict[str, str] | None = None,
    in_person: bool = False,
    national_id: str = "",
    access_key: str = "",
) -> SubjectRequest:
    """Confirm the identity: the code from the letter (requester, with the access key), the e-ID provider's
    callback (requester), or in person (a handler, after seeing an identity document). Wrong codes count; after
    `INSYN_PRIVACY_IDENTITY_MAX_ATTEMPTS` the check fails and must be started again by a handler.

    Not atomic as a whole on purpose: a wrong code is counted in a transaction of its own that commits before the
    error is raised, or an attacker could try codes without the count ever growing."""
    outcome = _confirm(
        actor=actor,
        request=request,
        post_code=post_code,
        eid_payload=eid_payload,
        in_person=in_person,
        national_id=national_id,
        access_key=access_key,
    )
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


@transaction.atomic
def _confirm(
    *,
    actor: Actor,
    request: SubjectRequest,
    post_code: str,
    eid_payload: dict[str, str] | None,
    in_person: bool,
    national_id: str,
    access_key: str,
) -> SubjectRequest | Exception:
    request = _locked(request)
    before = snapshot(request)
    if in_person:
        if not may_handle(actor, request):
            raise PermissionDeniedError()
        request.identity_method = IdentityMethod.IN_PERSON
        _verified(actor, request, before, national_id=national_id, note="identity: in person")
        return request
    if not may_handle(actor, request) and not _key_ok(request, access_key):
        raise PermissionDeniedError()
    if request.identity_status == IdentityStatus.FAILED:
        raise RequestStateError(_("The identity check failed. Contact us to start it again."), code="identity_failed")
    if request.identity_method == IdentityMethod.POST and post_code:
        expired = request.identity_code_expires_at is None or request.identity_code_expires_at < timezone.now()
        if not expired and secret_matches(normalise_code(post_code), request.identity_token_hash, purpose="post_code"):
            _verified(actor, request, before, national_id=request.national_id, note="identity: code sent by post")
            return request
        _failed_attempt(actor, request, before)
        return ValidationFailed(_("The code is wrong or has expired."), code="identity_code", detail={"field": "code"})
    if request.identity_method == IdentityMethod.EID and eid_payload is not None:
        result = eid_provider().collect(transaction_id=request.identity_provider_ref, payload=eid_payload)
        if result.status == "complete" and result.national_id:
            _verified(actor, request, before, national_id=result.national_id, note="identity: e-ID")
            return request
        if result.status == "pending":
            raise RequestStateError(_("The identification is not finished yet."), code="identity_pending")
        _failed_attempt(actor, request, before)
        return ValidationFailed(_("The identification failed."), code="identity_eid")
    raise ValidationFailed(_("Nothing to confirm the identity with."), code="identity_missing")


def _failed_attempt(actor: Actor, request: SubjectRequest, before: Any) -> None:
    request.identity_attempts += 1
    if request.identity_attempts >= _max_attempts():
        request.identity_status = IdentityStatus.FAILED
    request.save(update_fields=["identity_attempts", "identity_status", "updated_at"])
    audit_change(
        actor=actor, instance=request, before=before, organisation=request.controller, reason="identity: failed attempt"
    )
