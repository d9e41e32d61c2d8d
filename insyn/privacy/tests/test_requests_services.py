"""Data-subject request services: receipt, deadline, identity, extension, completion, reminders, disposal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from insyn.core.exceptions import NotFoundError, PermissionDeniedError, ValidationFailed
from insyn.core.models import AuditEntry
from insyn.core.permissions import SYSTEM
from insyn.privacy.exceptions import RequestStateError
from insyn.privacy.models import IdentityStatus, RequestStatus, SubjectRequest
from insyn.privacy.selectors.requests import access_request, access_request_by_key, requests
from insyn.privacy.services.requests import (
    identity_confirm,
    identity_start,
    request_complete,
    request_deadline_reminders,
    request_extend,
    request_refuse,
    request_register,
    request_submit_public,
    request_withdraw,
    requests_dispose_due,
)
from insyn.privacy.tests.requests_helpers import at, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def _public(world, **extra):
    from django.contrib.auth.models import AnonymousUser

    data = {"controller": world.ks.pk, "kind": "access", "name": "Anna Andersson", "email": "anna@example.se"}
    data.update(extra)
    return request_submit_public(actor=AnonymousUser(), **data)


def test_public_request_gets_a_due_date_one_month_on_and_a_key_stored_hashed(world):
    request, key = _public(world, received_at=at(dt.date(2025, 1, 31)))
    assert request.due_on == dt.date(2025, 2, 28)
    assert request.channel == "web"
    assert key and key not in request.access_key_hash
    assert access_request_by_key(reference=request.reference, access_key=key).pk == request.pk
    assert AuditEntry.objects.filter(object_type="privacy.subjectrequest", object_id=str(request.pk)).exists()


def test_the_status_page_refuses_a_wrong_key_like_a_missing_reference(world):
    request, _key = _public(world)
    from insyn.core.exceptions import NotFoundError

    with pytest.raises(NotFoundError):
        access_request_by_key(reference=request.reference, access_key="wrong")
    with pytest.raises(NotFoundError):
        access_request_by_key(reference="DSR-none", access_key=_key)


def test_public_request_needs_a_way_to_reach_the_person_and_a_controller(world):
    with translation.override("en"), pytest.raises(ValidationFailed, match="at least one way"):
        _public(world, email="")
    municipality_itself = world.municipality  # not marked as a controller
    with translation.override("en"), pytest.raises(ValidationFailed, match="Choose a controller"):
        _public(world, controller=municipality_itself.pk)


def test_inputs_are_bounded(world):
    with translation.override("en"), pytest.raises(ValidationFailed, match="too long"):
        _public(world, description="x" * 5001)
    with pytest.raises(ValidationFailed):
        _public(world, name="Anna\x00")


def test_staff_register_counts_from_the_day_received(world):
    request = request_register(
        actor=world.registrar,
        controller=world.ks,
        kind="erasure",
        received_at=at(dt.date(2024, 1, 31)),
        name="Bertil Berg",
        national_id="19121212-1212",
    )
    assert request.due_on == dt.date(2024, 2, 29)
    assert request.national_id == "19121212-1212"
    assert request.handler == world.registrar


def test_registrar_of_one_controller_cannot_register_for_another(world):
    with pytest.raises(PermissionDeniedError):
        request_register(
            actor=world.registrar, controller=world.bun, kind="access", received_at=timezone.now(), name="C"
        )
    # Another municipality's organ answers as a missing one: a 403 would tell an outsider which ids exist.
    with pytest.raises(NotFoundError):
        request_register(actor=world.outsider, controller=world.ks, kind="access", received_at=timezone.now(), name="C")


def test_selectors_scope_by_municipality(world):
    request, _ = _public(world)
    assert access_request(actor=world.dpo, pk=request.pk) == request
    from insyn.core.exceptions import NotFoundError

    with pytest.raises(NotFoundError):
        access_request(actor=world.outsider, pk=request.pk)
    assert list(requests(actor=world.outsider)) == []


def test_protected_identity_case_is_restricted_and_gets_no_post(world):
    request, _key = _public(world, protected_identity=True, email="", postal_address="Box 1, 941 00 Piteå")
    from insyn.core.exceptions import NotFoundError

    with pytest.raises(NotFoundError):
        access_request(actor=world.registrar, pk=request.pk)
    assert access_request(actor=world.dpo, pk=request.pk) == request
    with translation.override("en"), pytest.raises(ValidationFailed, match="no letter"):
        identity_start(actor=world.dpo, request=request, method="post")
    with pytest.raises(PermissionDeniedError):
        identity_confirm(actor=world.registrar, request=request, in_person=True, national_id="19121212-1212")
    identity_confirm(actor=world.dpo, request=request, in_person=True, national_id="19121212-1212")
    request.refresh_from_db()
    assert request.identity_status == IdentityStatus.VERIFIED
    assert request.postal_address == "Box 1, 941 00 Piteå"  # only what they gave


def test_post_code_verifies_once_and_wrong_codes_are_counted_until_the_check_fails(world, settings):
    settings.INSYN_PRIVACY_IDENTITY_MAX_ATTEMPTS = 3
    request, key = _public(world)
    challenge = identity_start(actor=world.registrar, request=request, method="post", national_id="19121212-1212")
    assert len(challenge.post_code) == 10
    request.refresh_from_db()
    assert challenge.post_code not in request.identity_token_hash
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    with pytest.raises(ValidationFailed):
        identity_confirm(actor=anonymous, request=request, post_code="WRONGCODE1", access_key=key)
    request.refresh_from_db()
    assert request.identity_attempts == 1  # counted although the call raised
    with pytest.raises(PermissionDeniedError):
        identity_confirm(actor=anonymous, request=request, post_code=challenge.post_code, access_key="not-the-key")
    identity_confirm(actor=anonymous, request=request, post_code=challenge.post_code.lower(), access_key=key)
    request.refresh_from_db()
    assert request.identity_status == IdentityStatus.VERIFIED
    assert request.status == RequestStatus.IN_PROGRESS


def test_three_wrong_codes_fail_the_check(world, settings):
    settings.INSYN_PRIVACY_IDENTITY_MAX_ATTEMPTS = 3
    request, key = _public(world)
    challenge = identity_start(actor=world.registrar, request=request, method="post", national_id="19121212-1212")
    from django.contrib.auth.models import AnonymousUser

    for _ in range(3):
        with pytest.raises(ValidationFailed):
            identity_confirm(actor=AnonymousUser(), request=request, post_code="AAAAAAAAAA", access_key=key)
    with pytest.raises(RequestStateError):
        identity_confirm(actor=AnonymousUser(), request=request, post_code=challenge.post_code, access_key=key)


def test_test_eid_provider_verifies_and_stores_the_national_id(world, settings):
    settings.INSYN_EID_PROVIDER = "insyn.privacy.identity.TestProvider"
    request, key = _public(world)
    from django.contrib.auth.models import AnonymousUser

    challenge = identity_start(actor=AnonymousUser(), request=request, method="eid", access_key=key, return_url="/x")
    identity_confirm(
        actor=AnonymousUser(),
        request=request,
        access_key=key,
        eid_payload={"transaction_id": challenge.transaction_id, "national_id": "191212121212"},
    )
    request.refresh_from_db()
    assert request.identity_status == IdentityStatus.VERIFIED
    assert request.national_id == "19121212-1212"


def test_test_eid_provider_is_refused_outside_debug_and_testing(world, settings):
    settings.INSYN_EID_PROVIDER = "insyn.privacy.identity.TestProvider"
    settings.DEBUG = False
    settings.TESTING = False
    request, key = _public(world)
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ValidationFailed):
        identity_start(actor=AnonymousUser(), request=request, method="eid", access_key=key)


def test_disabled_provider_is_the_default(world, settings):
    settings.INSYN_EID_PROVIDER = ""
    request, key = _public(world)
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ValidationFailed):
        identity_start(actor=AnonymousUser(), request=request, method="eid", access_key=key)


def _registered(world, day):
    return request_register(actor=world.registrar, controller=world.ks, kind="access", received_at=at(day), name="D")


def test_extension_needs_reason_and_timely_notice(world):
    today = timezone.localdate()
    request = _registered(world, today - dt.timedelta(days=3))
    with translation.override("en"), pytest.raises(ValidationFailed, match="reason"):
        request_extend(actor=world.registrar, request=request, reason="", notified_on=today)
    with translation.override("en"), pytest.raises(ValidationFailed, match="told"):
        request_extend(actor=world.registrar, request=request, reason="Complex", notified_on=None)
    request = request_extend(actor=world.registrar, request=request, reason="Complex", notified_on=today)
    assert request.extended_due_on is not None and request.extended_due_on > request.due_on
    with pytest.raises(ValidationFailed):
        request_extend(actor=world.registrar, request=request, reason="Again", notified_on=today)


def test_extension_refused_after_the_first_month(world):
    today = timezone.localdate()
    request = _registered(world, today - dt.timedelta(days=70))
    with translation.override("en"), pytest.raises(ValidationFailed, match="within the first month"):
        request_extend(actor=world.registrar, request=request, reason="Complex", notified_on=today)


def test_complete_needs_verified_identity_and_sends_the_signal(world, django_capture_on_commit_callbacks):
    from insyn.privacy.signals import subject_request_completed

    request = request_register(
        actor=world.registrar, controller=world.ks, kind="objection", received_at=timezone.now(), name="E"
    )
    with pytest.raises(RequestStateError):
        request_complete(actor=world.registrar, request=request, outcome="Done")
    identity_confirm(actor=world.registrar, request=request, in_person=True, national_id="19121212-1212")
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    subject_request_completed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            request = request_complete(actor=world.registrar, request=request, outcome="Processing stopped.")
    finally:
        subject_request_completed.disconnect(receiver)
    assert request.status == RequestStatus.COMPLETED
    assert request.dispose_after == timezone.localdate() + dt.timedelta(days=365)
    assert received and received[0]["request_id"] == request.pk and received[0]["kind"] == "objection"
    with pytest.raises(RequestStateError):
        request_refuse(actor=world.registrar, request=request, outcome="No")


def test_withdraw_with_the_access_key(world):
    from django.contrib.auth.models import AnonymousUser

    request, key = _public(world)
    with pytest.raises(PermissionDeniedError):
        request_withdraw(actor=AnonymousUser(), request=request, access_key="bad")
    request = request_withdraw(actor=AnonymousUser(), request=request, access_key=key)
    assert request.status == RequestStatus.WITHDRAWN


def test_deadline_reminders_once_per_state(world, mailoutbox, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    soon = _registered(world, today - dt.timedelta(days=27))
    with django_capture_on_commit_callbacks(execute=True):
        assert request_deadline_reminders(actor=SYSTEM, today=today) == 1
    assert len(mailoutbox) == 1
    assert "dso@pitea.se" in mailoutbox[0].to and "registrator@pitea.se" in mailoutbox[0].to
    assert "D" not in mailoutbox[0].subject.split()  # the person's name stays out of the e-mail
    with django_capture_on_commit_callbacks(execute=True):
        assert request_deadline_reminders(actor=SYSTEM, today=today) == 0
    soon.refresh_from_db()
    later = soon.effective_due_on + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert request_deadline_reminders(actor=SYSTEM, today=later) == 1
        assert request_deadline_reminders(actor=SYSTEM, today=later) == 0
    assert len(mailoutbox) == 2
    with pytest.raises(PermissionDeniedError):
        request_deadline_reminders(actor=world.dpo, today=today)


def test_closed_requests_are_disposed_of_after_the_retention(world):
    request = _registered(world, timezone.localdate())
    request_refuse(actor=world.registrar, request=request, outcome="Manifestly unfounded.")
    request.refresh_from_db()
    assert requests_dispose_due(actor=SYSTEM, today=request.dispose_after) == 0
    assert requests_dispose_due(actor=SYSTEM, today=request.dispose_after + dt.timedelta(days=1)) == 1
    assert not SubjectRequest.objects.filter(pk=request.pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(request.pk)).exists()


def test_completing_an_access_request_makes_the_extract(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from insyn.privacy.models import SubjectExtract

    request = request_register(
        actor=world.registrar,
        controller=world.ks,
        kind="access",
        received_at=timezone.now(),
        name="Karin Lindberg",
        email="karin@example.se",
    )
    identity_confirm(actor=world.registrar, request=request, in_person=True, national_id="19121212-1212")
    request = request_complete(actor=world.dpo, request=request, outcome="Registerutdrag bifogat.")
    formats = sorted(SubjectExtract.objects.filter(request=request).values_list("format", flat=True))
    assert formats == ["json", "pdf"]
    assert request.status == RequestStatus.COMPLETED
