"""The admin pages of requests: list with deadline state, registration, the case page's actions."""

from __future__ import annotations

import pytest
from django.utils import timezone

from insyn.privacy.models import IdentityStatus, SubjectRequest
from insyn.privacy.services.requests import request_register
from insyn.privacy.tests.requests_helpers import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def _request(world, **extra):
    data = {"controller": world.ks, "kind": "objection", "received_at": timezone.now(), "name": "Anna A"}
    data.update(extra)
    return request_register(actor=world.registrar, **data)


def test_list_shows_requests_with_their_deadline_state(client, world):
    subject_request = _request(world)
    client.force_login(world.dpo)
    page = client.get("/admin/privacy/requests/").content.decode()
    assert subject_request.reference in page and 'data-state="on_time"' in page
    client.force_login(world.outsider)
    page = client.get("/admin/privacy/requests/").content.decode()
    assert subject_request.reference not in page
    assert client.get(f"/admin/privacy/requests/{subject_request.pk}/").status_code == 404


def test_registrar_registers_a_letter(client, world):
    client.force_login(world.registrar)
    response = client.post(
        "/admin/privacy/requests/register/",
        {
            "controller": world.ks.pk,
            "kind": "access",
            "channel_note": "letter",
            "received_at": "2026-01-31T10:00",
            "name": "Bertil B",
            "postal_address": "Storgatan 1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = SubjectRequest.objects.get()
    assert str(created.due_on) == "2026-03-02"  # 28 Feb 2026 is a Saturday
    assert created.channel == "staff"


def test_case_page_confirms_identity_in_person_and_masks_the_national_id_for_the_registrar(client, world):
    subject_request = _request(world)
    client.force_login(world.registrar)
    url = f"/admin/privacy/requests/{subject_request.pk}/"
    client.post(url, {"action": "in_person", "identity-national_id": "191212121212"})
    subject_request.refresh_from_db()
    assert subject_request.identity_status == IdentityStatus.VERIFIED
    page = client.get(url).content.decode()
    assert "121212-XXXX" in page and "19121212-1212" not in page
    client.force_login(world.dpo)
    assert "19121212-1212" in client.get(url).content.decode()


def test_case_page_makes_a_post_code_once_and_refuses_a_late_extension(client, world):
    # The letter goes to the registered address of the number on the request (review finding 1).
    subject_request = _request(
        world, received_at=timezone.now() - timezone.timedelta(days=80), national_id="19121212-1212"
    )
    client.force_login(world.registrar)
    url = f"/admin/privacy/requests/{subject_request.pk}/"
    page = client.post(url, {"action": "post_code"}).content.decode()
    assert 'id="post-code"' in page
    refused = client.post(
        url, {"action": "extend", "extend-reason": "Complex", "extend-notified_on": str(timezone.localdate())}
    ).content.decode()
    subject_request.refresh_from_db()
    assert subject_request.extended_due_on is None and "help-critical" in refused
