"""Review findings 1 and 10(a): a request's automatic search uses only the verified national id.

Two officials called Anna Svensson in Piteå; an erasure request verified with A's personnummer must leave B
alone (B is listed for a check by hand). "Mallory" fills in the form with B's e-mail and is verified with his
own number: his extract holds nothing of B. Every identity check ends with a valid national id, and a
requester cannot restart a failed check.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from insyn.core.exceptions import ValidationFailed
from insyn.core.models import Organisation
from insyn.core.tests.factories import make_user_with_role
from insyn.loans.tests.conftest import build_pitea, make_official
from insyn.officials.models import Person
from insyn.privacy.exceptions import RequestStateError
from insyn.privacy.models import ErasureItem, IdentityStatus, SubjectExtract
from insyn.privacy.services.erasure import ERASE, KEEP, MANUAL_REVIEW, erasure_execute, erasure_plan
from insyn.privacy.services.requests import (
    candidate_query_for,
    identity_confirm,
    identity_start,
    request_complete,
    request_register,
    request_submit_public,
    subject_query_for,
)

PNR_A = "19811218-9876"
PNR_B = "19121212-1212"
PNR_MALLORY = "19900101-0017"  # no official holds it


@pytest.fixture
def world(db: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path / "media"
    pitea = build_pitea()
    Organisation.objects.filter(pk=pitea.ks.pk).update(is_controller=True)
    pitea.ks.refresh_from_db()
    anna_a = make_official(pitea.municipality, given_name="Anna", family_name="Svensson")
    anna_b = make_official(pitea.municipality, given_name="Anna", family_name="Svensson")
    Person.objects.filter(pk=anna_a.pk).update(national_id=PNR_A, phone="070-111 11 11")
    Person.objects.filter(pk=anna_b.pk).update(
        national_id=PNR_B, phone="070-222 22 22", address="Storgatan 2, 941 31 Piteå"
    )
    anna_a.refresh_from_db()
    anna_b.refresh_from_db()
    dpo = make_user_with_role(pitea.municipality, "dpo", username="dpo.pitea", email="dpo@pitea.example")
    return {"pitea": pitea, "a": anna_a, "b": anna_b, "dpo": dpo}


def _register(world: dict[str, Any], kind: str, **kwargs: Any) -> Any:
    return request_register(
        actor=world["dpo"], controller=world["pitea"].ks, kind=kind, received_at=timezone.now(), **kwargs
    )


def test_erasure_verified_for_a_leaves_b_of_the_same_name_and_lists_b_for_a_check_by_hand(world) -> None:
    a, b, dpo = world["a"], world["b"], world["dpo"]
    b_before = (b.national_id, b.email, b.phone, b.address, b.user.email, b.user.password)
    request = _register(world, "erasure", name="Anna Svensson")
    identity_confirm(actor=dpo, request=request, in_person=True, national_id=PNR_A)
    request.refresh_from_db()

    plan = erasure_plan(actor=dpo, request=request)
    b_items = [item for item in plan if item.model_label == "officials.person" and item.object_id == str(b.pk)]
    assert [(i.action, i.reason_code, i.fields) for i in b_items] == [(KEEP, MANUAL_REVIEW, [])]
    a_items = [item for item in plan if item.model_label == "officials.person" and item.object_id == str(a.pk)]
    assert any(item.action == ERASE for item in a_items)

    erasure_execute(actor=dpo, request=request)
    b.refresh_from_db()
    b.user.refresh_from_db()
    assert (b.national_id, b.email, b.phone, b.address, b.user.email, b.user.password) == b_before
    a.refresh_from_db()
    assert (a.national_id, a.phone) == ("", "")
    stored = ErasureItem.objects.get(request=request, model_label="officials.person", object_id=str(b.pk))
    assert (stored.outcome, stored.reason_code) == ("kept", MANUAL_REVIEW)
    # B's login is reached only from B: a candidate too, never touched.
    user_items = ErasureItem.objects.filter(request=request, model_label="auth.user", object_id=str(b.user.pk))
    assert all(row.outcome == "kept" and row.reason_code == MANUAL_REVIEW for row in user_items)


def test_an_access_extract_holds_only_what_the_verified_number_finds(world) -> None:
    b, dpo = world["b"], world["dpo"]
    request, _key = request_submit_public(
        actor=AnonymousUser(), controller=world["pitea"].ks, kind="access", name="Mallory", email=b.email
    )
    # Mallory is verified in person with his own number, not B's.
    identity_confirm(actor=dpo, request=request, in_person=True, national_id=PNR_MALLORY)
    request.refresh_from_db()
    assert subject_query_for(request).emails == () and subject_query_for(request).names == ()
    assert candidate_query_for(request).emails == (b.email,)
    request_complete(actor=dpo, request=request, outcome="Extract sent.")
    extract = SubjectExtract.objects.get(request=request, format="json")
    data = json.loads(extract.file.read())
    raw = json.dumps(data, ensure_ascii=False)
    assert PNR_B not in raw and "070-222" not in raw and "Storgatan 2" not in raw
    # B's e-mail appears only where Mallory typed it: his own request and its audit entries.
    with_email = {hit["model"] for hit in data["hits"] if b.email in json.dumps(hit, ensure_ascii=False)}
    assert with_email <= {"privacy.subjectrequest", "core.auditentry"}
    assert not any(hit["model"] in ("officials.person", "auth.user") for hit in data["hits"])


def test_in_person_verification_needs_a_valid_national_id(world) -> None:
    request = _register(world, "access", name="Anna Svensson")
    for bad in ("", "12345"):
        with translation.override("en"), pytest.raises(ValidationFailed, match="personal identity number"):
            identity_confirm(actor=world["dpo"], request=request, in_person=True, national_id=bad)
    request.refresh_from_db()
    assert request.identity_status != IdentityStatus.VERIFIED


def test_a_post_code_is_made_only_for_a_national_id_and_verifies_that_number(world) -> None:
    request, key = request_submit_public(
        actor=AnonymousUser(), controller=world["pitea"].ks, kind="access", name="Anna", email="anna@example.org"
    )
    with translation.override("en"), pytest.raises(ValidationFailed, match="personal identity number"):
        identity_start(actor=world["dpo"], request=request, method="post")
    challenge = identity_start(actor=world["dpo"], request=request, method="post", national_id="198112189876")
    identity_confirm(actor=AnonymousUser(), request=request, post_code=challenge.post_code, access_key=key)
    request.refresh_from_db()
    assert request.identity_status == IdentityStatus.VERIFIED and request.national_id == PNR_A


def test_the_requester_cannot_restart_a_failed_check_but_a_handler_can(world, settings) -> None:
    settings.INSYN_PRIVACY_IDENTITY_MAX_ATTEMPTS = 2
    request, key = request_submit_public(
        actor=AnonymousUser(), controller=world["pitea"].ks, kind="access", name="Anna", email="anna@example.org"
    )
    identity_start(actor=world["dpo"], request=request, method="post", national_id=PNR_A)
    for _attempt in range(2):
        with pytest.raises(ValidationFailed):
            identity_confirm(actor=AnonymousUser(), request=request, post_code="AAAAAAAAAA", access_key=key)
    request.refresh_from_db()
    assert request.identity_status == IdentityStatus.FAILED
    with pytest.raises(RequestStateError):
        identity_start(actor=AnonymousUser(), request=request, method="post", access_key=key)
    request.refresh_from_db()
    assert (request.identity_status, request.identity_attempts) == (IdentityStatus.FAILED, 2)
    identity_start(actor=world["dpo"], request=request, method="post")
    request.refresh_from_db()
    assert (request.identity_status, request.identity_attempts) == (IdentityStatus.PENDING, 0)
