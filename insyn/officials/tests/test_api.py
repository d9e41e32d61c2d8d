"""Officials and loans through the API: masking, scoping and the same rules as the admin."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import APIToken

from insyn.core.models import AuditEntry
from insyn.core.permissions import SYSTEM
from insyn.core.tests.factories import make_document, make_municipality, make_organ, make_user_with_role
from insyn.loans.eligibility import PITEA_22KS572_V1
from insyn.loans.models import LoanRuleSet
from insyn.loans.services import device_create, kit_create
from insyn.officials.api import PersonOut
from insyn.officials.services import membership_create, person_create

PNR = "19811218-9876"


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {APIToken.create_token(user=user, name='t')[1]}"}


@pytest.fixture
def pitea(db):
    municipality = make_municipality("Piteå kommun")
    board = make_organ(municipality)
    nämnd = make_organ(municipality, "Barn- och utbildningsnämnden", "namnd")
    document = make_document(
        board, registration_number="22KS572", document_type="instruction", valid_until=dt.date(2030, 12, 31)
    )
    LoanRuleSet.objects.create(document=document, version="1", valid_from=dt.date(2022, 9, 30), rules=PITEA_22KS572_V1)
    person = person_create(
        actor=SYSTEM,
        municipality=municipality,
        given_name="Anna",
        family_name="Lindberg",
        national_id=PNR,
        external_id="p1",
    )
    hidden = person_create(
        actor=SYSTEM,
        municipality=municipality,
        given_name="Dold",
        family_name="Person",
        national_id="19701063-2391",
        email="dold@example.org",
        protected_identity=True,
    )
    membership_create(actor=SYSTEM, person=person, organisation=nämnd, role="ersattare", start_date=dt.date(2023, 1, 1))
    tablet = device_create(actor=SYSTEM, municipality=municipality, device_type="tablet", serial_number="T1")
    kit = kit_create(actor=SYSTEM, municipality=municipality, label="Surfplatta 1", kind="tablet", devices=[tablet])
    return {"municipality": municipality, "person": person, "hidden": hidden, "kit": kit, "nämnd": nämnd}


def test_secretary_sees_masked_personnummer_and_protected_only_by_name(client, pitea):
    secretary = make_user_with_role(pitea["municipality"], "secretary")
    body = client.get("/api/v1/officials/persons", **bearer(secretary)).json()
    text = json.dumps(body)
    assert "811218-XXXX" in text and "19811218-9876" not in text and "8112189876" not in text
    hidden = next(p for p in body["items"] if p["id"] == pitea["hidden"].pk)
    assert hidden["name"] == "Dold Person" and hidden["email"] == "" and hidden["national_id"] == ""
    revealed = client.get(f"/api/v1/officials/persons/{pitea['person'].pk}?reveal=true", **bearer(secretary)).json()
    assert revealed["national_id"] == "811218-XXXX"
    assert not AuditEntry.objects.filter(action="read").exists()


def test_administrator_reveal_is_audited(client, pitea):
    admin = make_user_with_role(pitea["municipality"], "administrator")
    body = client.get(f"/api/v1/officials/persons/{pitea['person'].pk}?reveal=true", **bearer(admin)).json()
    assert body["national_id"] == PNR
    entry = AuditEntry.objects.get(action="read")
    assert entry.actor_id == admin.pk and entry.object_id == str(pitea["person"].pk)
    listed = client.get("/api/v1/officials/persons", **bearer(admin)).json()
    assert PNR not in json.dumps(listed)  # lists stay masked; only an explicit reveal shows the number


def test_invalid_personnummer_is_refused_with_the_field(client, pitea):
    admin = make_user_with_role(pitea["municipality"], "administrator")
    response = client.post(
        "/api/v1/officials/persons",
        data=json.dumps(
            {
                "municipality_id": pitea["municipality"].pk,
                "given_name": "A",
                "family_name": "B",
                "national_id": "811218-9877",
            }
        ),
        content_type="application/json",
        **bearer(admin),
    )
    assert response.status_code == 400 and "national_id" in response.json()["detail"]


def test_checkout_through_api_follows_eligibility_and_scoping(client, pitea):
    it = make_user_with_role(pitea["municipality"], "it")
    payload = {"kit_id": pitea["kit"].pk, "person_id": pitea["hidden"].pk, "handover": {}}
    refused = client.post(
        "/api/v1/loans/loans", data=json.dumps(payload), content_type="application/json", **bearer(it)
    )
    assert refused.status_code == 409 and refused.json()["code"] == "not_eligible"
    payload["person_id"] = pitea["person"].pk
    payload["handover"] = {"user_id": "anli01", "email": "anna@example.org", "meeting_app_login": True}
    created = client.post(
        "/api/v1/loans/loans", data=json.dumps(payload), content_type="application/json", **bearer(it)
    )
    assert created.status_code == 201, created.content
    loan = created.json()
    assert loan["instruction"] == "22KS572 v1" and loan["receipts"][0]["kind"] == "checkout"
    again = client.post("/api/v1/loans/loans", data=json.dumps(payload), content_type="application/json", **bearer(it))
    assert again.status_code == 409
    pdf = client.get(f"/api/v1/loans/loans/{loan['id']}/receipts/{loan['receipts'][0]['id']}/pdf", **bearer(it))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    other = make_user_with_role(make_municipality("Torsby kommun"), "it")
    assert client.get(f"/api/v1/loans/loans/{loan['id']}", **bearer(other)).status_code == 404
    # Eligibility is a loans question: GET /api/v1/loans/persons/{id}/eligibility (loans' tests); officials has none.
    assert client.get(f"/api/v1/officials/persons/{pitea['person'].pk}/eligibility", **bearer(it)).status_code == 404


def _list_queries(client: Any, headers: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/officials/persons?limit=5", **headers).status_code == 200
    return len(queries.captured_queries)


def test_person_list_builds_views_for_the_requested_page_only(client, pitea, monkeypatch):
    from insyn.officials import selectors

    def add(first: int, last: int) -> None:
        for number in range(first, last):
            person_create(
                actor=SYSTEM, municipality=pitea["municipality"], given_name="Per", family_name=f"Son{number:02d}"
            )

    add(0, 25)
    headers = bearer(make_user_with_role(pitea["municipality"], "secretary"))
    viewed = []
    real_view = selectors.person_view

    def spy(**kwargs: Any) -> dict[str, Any]:
        viewed.append(kwargs["person"].pk)
        return real_view(**kwargs)

    monkeypatch.setattr(selectors, "person_view", spy)

    body = client.get("/api/v1/officials/persons?limit=5&offset=10", **headers).json()

    assert body["count"] == 27 and len(body["items"]) == 5 and len(viewed) == 5
    assert set(body["items"][0]) == set(PersonOut.model_fields)
    everyone = client.get("/api/v1/officials/persons?limit=500", **headers).json()["items"]
    assert body["items"] == everyone[10:15]
    # A page costs the same queries however many persons the municipality has.
    few = _list_queries(client, headers)
    add(25, 65)
    assert _list_queries(client, headers) == few
