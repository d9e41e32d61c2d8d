"""The request API: the same rules as the services, no 403/404 difference for another municipality."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import APIToken

from insyn.privacy.tests.requests_helpers import make_world

pytestmark = pytest.mark.django_db
BASE = "/api/v1/privacy/requests"


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {APIToken.create_token(user=user, name='t')[1]}"}


@pytest.fixture
def world():
    return make_world()


def _create(client, world, user=None, **extra):
    body = {"controller_id": world.ks.pk, "kind": "access", "name": "Anna Andersson", "email": "anna@example.se"}
    body.update(extra)
    return client.post(BASE, body, content_type="application/json", **bearer(user or world.registrar))


def test_registrar_creates_lists_and_reads_a_request(client, world):
    response = _create(client, world, received_at="2024-01-31T09:00:00+01:00")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["channel"] == "api" and created["due_on"] == "2024-02-29"
    listed = client.get(BASE, **bearer(world.dpo)).json()
    assert [r["id"] for r in listed["items"]] == [created["id"]]
    assert client.get(f"{BASE}/{created['id']}", **bearer(world.dpo)).json()["reference"] == created["reference"]


def test_another_municipality_gets_404_as_for_a_missing_id(client, world):
    created = _create(client, world).json()
    assert client.get(f"{BASE}/{created['id']}", **bearer(world.outsider)).status_code == 404
    assert client.get(f"{BASE}/999999", **bearer(world.outsider)).status_code == 404
    assert client.get(BASE, **bearer(world.outsider)).json()["items"] == []
    assert client.get(BASE).status_code == 401


def test_registering_for_a_controller_outside_the_subtree_is_refused(client, world):
    assert _create(client, world, controller_id=world.bun.pk).status_code == 403


def test_bounded_and_validated_input(client, world):
    assert _create(client, world, name="x" * 201).status_code == 400
    assert _create(client, world, kind="gossip").status_code == 400
    future = (timezone.now() + dt.timedelta(days=2)).isoformat()
    assert _create(client, world, received_at=future).status_code == 400


def test_identity_extend_and_complete_through_the_api(client, world):
    # A post code is addressed to the number on the request (review finding 1).
    created = _create(client, world, kind="objection", national_id="191212121212").json()
    url = f"{BASE}/{created['id']}"
    headers = bearer(world.registrar)
    refused = client.post(f"{url}/complete", {"outcome": "Done"}, content_type="application/json", **headers)
    assert refused.status_code == 409
    post = client.post(f"{url}/identity", {"method": "post"}, content_type="application/json", **headers).json()
    assert len(post["post_code"]) == 10 and post["identity_status"] == "pending"
    seen = client.post(
        f"{url}/identity",
        {"in_person": True, "national_id": "191212121212"},
        content_type="application/json",
        **headers,
    ).json()
    assert seen["identity_status"] == "verified" and seen["method"] == "in_person"
    no_reason = client.post(
        f"{url}/extend",
        {"reason": "", "notified_on": str(timezone.localdate())},
        content_type="application/json",
        **headers,
    )
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "extension_refused"
    extended = client.post(
        f"{url}/extend",
        {"reason": "Many systems", "notified_on": str(timezone.localdate())},
        content_type="application/json",
        **headers,
    )
    assert extended.status_code == 200 and extended.json()["extended_due_on"]
    done = client.post(
        f"{url}/complete", {"outcome": "Processing stopped."}, content_type="application/json", **headers
    )
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert client.post(f"{url}/refuse", {"outcome": "x"}, content_type="application/json", **headers).status_code == 409


def test_per_month_counts(client, world):
    _create(client, world)
    rows = client.get(f"{BASE}/per-month?months=3", **bearer(world.dpo)).json()
    assert len(rows) == 3 and rows[-1]["total"] == 1 and rows[-1]["counts"] == {"access": 1}
