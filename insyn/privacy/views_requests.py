"""Public pages of data-subject requests under /integritet/begaran/: the form, the identity step, the status page.

The requester is known by the reference and a secret access key (kept in the session after the form, or typed
in again); nothing about a request is shown without both. Every POST is CSRF-protected and rate-limited per
client address (the login limiter, django-axes, counts logins only, so the form has its own counter), and the
identity step also per request. The counter is in the database: the default cache is each process's own memory.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from insyn.core.client_ip import client_address
from insyn.core.exceptions import DomainError, NotFoundError
from insyn.privacy.forms_requests import AccessKeyForm, CodeForm, IdentityMethodForm, RequestForm, TestEidForm
from insyn.privacy.identity import eid_provider
from insyn.privacy.models import IdentityMethod, IdentityStatus, SubjectRequest
from insyn.privacy.models.notices import PublicAttempt
from insyn.privacy.selectors import requests as selectors
from insyn.privacy.services import requests as services

SESSION_KEYS = "privacy_request_keys"
LIMITS = {"submit": (5, 3600), "key": (20, 3600), "identity": (10, 3600)}
# The identity step is also counted per request, whichever addresses the attempts come from.
REFERENCE_LIMITS = {"identity": (10, 3600)}
KEEP_ATTEMPTS = dt.timedelta(days=1)


def _counter_key(kind: str, value: str) -> str:
    # A keyed hash: the counter table never holds an address or a reference in clear.
    return salted_hmac("insyn.privacy.public-attempts", f"{kind}:{value}").hexdigest()[:64]


def _count(bucket: str, key: str, limit: int, window: int, now: dt.datetime) -> bool:
    """Count one attempt under `key`; True (and nothing counted) once the window holds `limit` attempts."""
    # orm-ok: the public pages' attempt counter is no domain data (a hashed key and a time), not worth a service
    recent = PublicAttempt.objects.filter(bucket=bucket, key=key, at__gte=now - dt.timedelta(seconds=window))
    if recent.count() >= limit:
        return True
    PublicAttempt.objects.create(bucket=bucket, key=key, at=now)  # orm-ok: as above
    return False


def _limited(request: HttpRequest, bucket: str, reference: str = "") -> bool:
    """Count one attempt; True once the client address (or, for the identity step, the request) has used up the
    bucket's attempts for the window."""
    now = timezone.now()
    PublicAttempt.objects.filter(at__lt=now - KEEP_ATTEMPTS).delete()  # orm-ok: as in _count
    limit, window = LIMITS[bucket]
    limited = _count(bucket, _counter_key("address", client_address(request)), limit, window, now)
    if reference and bucket in REFERENCE_LIMITS:
        limit, window = REFERENCE_LIMITS[bucket]
        limited = _count(f"{bucket}-ref", _counter_key("reference", reference), limit, window, now) or limited
    return limited


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "privacy/request_limited.html", status=429)
    return response


def _keys(request: HttpRequest) -> dict[str, str]:
    stored = request.session.get(SESSION_KEYS)
    return dict(stored) if isinstance(stored, dict) else {}


def _remember(request: HttpRequest, reference: str, key: str) -> None:
    keys = _keys(request)
    keys[reference] = key
    request.session[SESSION_KEYS] = dict(list(keys.items())[-10:])


def _own(request: HttpRequest, reference: str) -> tuple[SubjectRequest, str] | None:
    key = _keys(request).get(reference[:40], "")
    if not key:
        return None
    try:
        return selectors.access_request_by_key(reference=reference, access_key=key), key
    except NotFoundError:
        return None


def _controllers() -> list[tuple[int, str]]:
    return [
        (c.pk, f"{c.municipality.name} – {c.name}" if c.municipality_id and c.municipality else c.name)
        for c in selectors.public_controllers()
    ]


@never_cache
@require_http_methods(["GET", "POST"])
def request_form(request: HttpRequest) -> HttpResponse:
    controllers = _controllers()
    form = RequestForm(request.POST or None, controllers=controllers)
    if request.method == "POST":
        if _limited(request, "submit"):
            return _too_many(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created, key = services.request_submit_public(
                    actor=AnonymousUser(),
                    controller=selectors.public_controller(pk=data["controller"]),
                    kind=data["kind"],
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    postal_address=data["postal_address"],
                    description=data["description"],
                    protected_identity=data["protected_identity"],
                )
            except DomainError as error:
                field = (error.detail or {}).get("field") if isinstance(error.detail, dict) else None
                form.add_error(field if field in form.fields else None, str(error.message))
            else:
                _remember(request, created.reference, key)
                request.session["privacy_request_new"] = created.reference
                return HttpResponseRedirect(reverse("privacy:request_identity", args=[created.reference]))
    return render(request, "privacy/request_form.html", {"form": form})


def _methods(subject_request: SubjectRequest) -> list[str]:
    methods = [IdentityMethod.IN_PERSON.value]
    if not subject_request.protected_identity:
        methods.append(IdentityMethod.POST.value)
    if eid_provider().available():
        methods.append(IdentityMethod.EID.value)
    return methods


@never_cache
@require_http_methods(["GET", "POST"])
def request_identity(request: HttpRequest, reference: str) -> HttpResponse:
    own = _own(request, reference)
    if own is None:
        return HttpResponseRedirect(reverse("privacy:request_key", args=[reference[:40]]))
    subject_request, key = own
    if subject_request.identity_status == IdentityStatus.VERIFIED:
        return HttpResponseRedirect(reverse("privacy:request_status", args=[subject_request.reference]))
    new_key = key if request.session.pop("privacy_request_new", "") == subject_request.reference else ""
    form = IdentityMethodForm(request.POST or None, methods=_methods(subject_request))
    if request.method == "POST":
        if _limited(request, "identity", subject_request.reference):
            return _too_many(request)
        if form.is_valid():
            method = form.cleaned_data["method"]
            callback = request.build_absolute_uri(reverse("privacy:request_eid", args=[subject_request.reference]))
            try:
                challenge = services.identity_start(
                    actor=AnonymousUser(),
                    request=subject_request,
                    method=method,
                    access_key=key,
                    return_url=callback,
                )
            except DomainError as error:
                form.add_error("method", str(error.message))
            else:
                if method == IdentityMethod.EID:
                    if eid_provider().code == "test":
                        test_url = reverse("privacy:request_eid_test", args=[subject_request.reference])
                        return HttpResponseRedirect(f"{test_url}?tx={challenge.transaction_id}")
                    return HttpResponseRedirect(challenge.redirect_url)
                return HttpResponseRedirect(reverse("privacy:request_status", args=[subject_request.reference]))
    context = {"subject_request": subject_request, "form": form, "new_key": new_key}
    return render(request, "privacy/request_identity.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def request_eid_test(request: HttpRequest, reference: str) -> HttpResponse:
    """The test provider's "identification" page: stands in for the BankID/Freja app (DEBUG or tests only)."""
    provider = eid_provider()
    if provider.code != "test" or not provider.available():
        raise Http404
    own = _own(request, reference)
    if own is None:
        raise Http404
    form = TestEidForm(request.POST or None)
    return render(
        request,
        "privacy/request_eid_test.html",
        {"form": form, "subject_request": own[0], "transaction_id": str(request.GET.get("tx", ""))[:100]},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def request_eid(request: HttpRequest, reference: str) -> HttpResponse:
    """The e-ID provider's return: the provider's own collect() decides whether the person was identified."""
    own = _own(request, reference)
    if own is None:
        raise Http404
    if _limited(request, "identity", reference):
        return _too_many(request)
    subject_request, key = own
    source = request.POST if request.method == "POST" else request.GET
    payload = {str(k)[:50]: str(v)[:500] for k, v in list(source.items())[:20] if k != "csrfmiddlewaretoken"}
    try:
        services.identity_confirm(actor=AnonymousUser(), request=subject_request, eid_payload=payload, access_key=key)
    except DomainError as error:
        request.session["privacy_request_error"] = str(error.message)
    return HttpResponseRedirect(reverse("privacy:request_status", args=[subject_request.reference]))


@never_cache
@require_http_methods(["GET", "POST"])
def request_key(request: HttpRequest, reference: str) -> HttpResponse:
    """Follow a request from another browser: the reference (in the URL) and the access key."""
    form = AccessKeyForm(request.POST or None)
    if request.method == "POST":
        if _limited(request, "key"):
            return _too_many(request)
        if form.is_valid():
            key = form.cleaned_data["access_key"]
            try:
                selectors.access_request_by_key(reference=reference, access_key=key)
            except NotFoundError:
                form.add_error("access_key", _("The reference and the access key do not match."))
            else:
                _remember(request, reference[:40], key)
                return HttpResponseRedirect(reverse("privacy:request_status", args=[reference[:40]]))
    return render(request, "privacy/request_key.html", {"form": form, "reference": reference[:40]})


@never_cache
@require_http_methods(["GET", "POST"])
def request_status(request: HttpRequest, reference: str) -> HttpResponse:
    own = _own(request, reference)
    if own is None:
        return HttpResponseRedirect(reverse("privacy:request_key", args=[reference[:40]]))
    subject_request, key = own
    code_form = CodeForm(request.POST if request.POST.get("action") == "code" else None)
    error = request.session.pop("privacy_request_error", "")
    if request.method == "POST":
        if _limited(request, "identity", subject_request.reference):
            return _too_many(request)
        action = request.POST.get("action")
        try:
            if action == "code" and code_form.is_valid():
                services.identity_confirm(
                    actor=AnonymousUser(),
                    request=subject_request,
                    post_code=code_form.cleaned_data["code"],
                    access_key=key,
                )
                return HttpResponseRedirect(request.path)
            if action == "withdraw":
                services.request_withdraw(actor=AnonymousUser(), request=subject_request, access_key=key)
                return HttpResponseRedirect(request.path)
        except DomainError as failure:
            if action == "code":
                code_form.add_error("code", str(failure.message))
            else:
                error = str(failure.message)
        subject_request = selectors.access_request_by_key(reference=reference, access_key=key)
    context: dict[str, Any] = {
        "subject_request": subject_request,
        "code_form": code_form,
        "error": error,
        "deadline_state": selectors.deadline_state(subject_request, timezone.localdate()),
        "is_open": subject_request.status in ("received", "in_progress"),
        "awaits_code": subject_request.identity_method == IdentityMethod.POST
        and subject_request.identity_status == IdentityStatus.PENDING,
        "identity_pending": subject_request.identity_status != IdentityStatus.VERIFIED,
    }
    return render(request, "privacy/request_status.html", context)
