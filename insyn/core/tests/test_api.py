from __future__ import annotations

import json

import pytest
from openapi_spec_validator import validate
from wagtail.models import APIToken

from insyn.core.models import AuditEntry, GoverningDocument


def bearer(user):
    _token, plaintext = APIToken.create_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def test_openapi_is_valid_openapi_3(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    validate(spec)
    assert "/api/v1/organisations" in spec["paths"]


def test_organisations_without_token_answer_401(client, db):
    response = client.get("/api/v1/organisations")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_revoked_or_wrong_token_is_refused(client, two_municipalities):
    pitea, _ = two_municipalities
    token, plaintext = APIToken.create_token(user=pitea.registrar, name="t")
    assert client.get("/api/v1/organisations", HTTP_AUTHORIZATION=f"Bearer {plaintext}").status_code == 200
    token.revoke()
    assert client.get("/api/v1/organisations", HTTP_AUTHORIZATION=f"Bearer {plaintext}").status_code == 401
    assert client.get("/api/v1/organisations", HTTP_AUTHORIZATION="Bearer wagtail_nonsense").status_code == 401


def test_token_lists_only_own_municipality(client, two_municipalities):
    pitea, torsby = two_municipalities
    response = client.get("/api/v1/governing-documents", **bearer(pitea.registrar))
    ids = {item["id"] for item in response.json()["items"]}
    assert pitea.document.pk in ids
    assert torsby.document.pk not in ids
    orgs = client.get("/api/v1/organisations", **bearer(pitea.registrar)).json()["items"]
    assert {o["municipality_id"] for o in orgs} == {pitea.municipality.pk}


def test_api_cannot_read_or_change_another_municipality(client, two_municipalities):
    pitea, torsby = two_municipalities
    headers = bearer(pitea.registrar)
    assert client.get(f"/api/v1/governing-documents/{torsby.document.pk}", **headers).status_code == 404
    response = client.patch(
        f"/api/v1/governing-documents/{torsby.document.pk}",
        data=json.dumps({"title": "Kapad"}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 404
    response = client.post(
        "/api/v1/governing-documents",
        data=json.dumps({"organisation_id": torsby.board.pk, "title": "Intrång", "document_type": "policy"}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 404
    torsby.document.refresh_from_db()
    assert torsby.document.title != "Kapad"
    assert not GoverningDocument.objects.filter(title="Intrång").exists()


def test_create_and_update_document_through_api_is_audited(client, two_municipalities):
    pitea, _ = two_municipalities
    headers = bearer(pitea.registrar)
    response = client.post(
        "/api/v1/governing-documents",
        data=json.dumps(
            {
                "organisation_id": pitea.board.pk,
                "title": "Riktlinje för sociala medier",
                "document_type": "guideline",
                "valid_from": "2026-01-01",
                "valid_until": "2027-12-31",
                "status": "in_force",
            }
        ),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    doc_id = response.json()["id"]
    response = client.patch(
        f"/api/v1/governing-documents/{doc_id}",
        data=json.dumps({"version": "2", "reason": "revision"}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200
    assert response.json()["version"] == "2"
    entries = AuditEntry.objects.filter(object_type="core.governingdocument", object_id=str(doc_id)).order_by("id")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes == {"version": ["", "2"]}
    assert entries[1].reason == "revision"
    assert entries[1].actor_id == pitea.registrar.pk


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"organisation_id": "x", "title": "A", "document_type": "policy"}, 400),
        ({"organisation_id": 1, "title": "", "document_type": "policy"}, 400),
        ({"title": "A", "document_type": "nonsense"}, 400),
        ({"organisation_id": 999999, "title": "A", "document_type": "policy"}, 404),
    ],
)
def test_bad_input_gets_error_shape_not_500(client, two_municipalities, payload, status):
    pitea, _ = two_municipalities
    response = client.post(
        "/api/v1/governing-documents",
        data=json.dumps(payload),
        content_type="application/json",
        **bearer(pitea.registrar),
    )
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"code", "message", "detail"}


def test_malformed_json_and_domain_errors_are_400(client, two_municipalities):
    pitea, _ = two_municipalities
    headers = bearer(pitea.registrar)
    response = client.post("/api/v1/governing-documents", data="{not json", content_type="application/json", **headers)
    assert response.status_code == 400
    response = client.post(
        "/api/v1/governing-documents",
        data=json.dumps(
            {
                "organisation_id": pitea.board.pk,
                "title": "Baklänges",
                "document_type": "policy",
                "valid_from": "2027-01-01",
                "valid_until": "2026-01-01",
            }
        ),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert "valid_until" in response.json()["detail"]


def test_role_without_write_gets_403(client, two_municipalities):
    from insyn.core.tests.factories import make_user_with_role

    pitea, _ = two_municipalities
    official = make_user_with_role(pitea.municipality, "elected_official")
    response = client.patch(
        f"/api/v1/governing-documents/{pitea.document.pk}",
        data=json.dumps({"title": "Ändrad"}),
        content_type="application/json",
        **bearer(official),
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_session_authentication_works_and_needs_csrf(two_municipalities):
    from django.test import Client

    pitea, _ = two_municipalities
    client = Client(enforce_csrf_checks=True)
    client.force_login(pitea.registrar)
    assert client.get("/api/v1/organisations").status_code == 200
    response = client.post(
        "/api/v1/governing-documents",
        data=json.dumps({"organisation_id": pitea.board.pk, "title": "Utan CSRF", "document_type": "policy"}),
        content_type="application/json",
    )
    assert response.status_code in {401, 403}
    assert not GoverningDocument.objects.filter(title="Utan CSRF").exists()


def test_list_documents_query_count_is_constant(client, two_municipalities, django_assert_max_num_queries):
    from insyn.core.tests.factories import make_document

    pitea, _ = two_municipalities
    for _ in range(15):
        make_document(pitea.board)
    headers = bearer(pitea.registrar)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/governing-documents?limit=100", **headers)
    assert response.json()["count"] == 16


def test_organisations_created_and_updated_through_api_within_own_tree(client, two_municipalities):
    from insyn.core.tests.factories import make_user_with_role

    pitea, torsby = two_municipalities
    headers = bearer(make_user_with_role(pitea.municipality, "administrator"))

    def post(payload):
        return client.post(
            "/api/v1/organisations", data=json.dumps(payload), content_type="application/json", **headers
        )

    created = post(
        {"name": "Kulturnämnden", "kind": "organ", "organ_type": "namnd", "parent_id": pitea.municipality.pk}
    )
    assert created.status_code == 201, created.content
    assert created.json()["municipality_id"] == pitea.municipality.pk
    assert (
        post(
            {"name": "Intrång", "kind": "organ", "organ_type": "namnd", "parent_id": torsby.municipality.pk}
        ).status_code
        == 404
    )
    assert post({"name": "Ny kommun", "kind": "municipality"}).status_code == 403
    assert post({"name": "Utan typ", "kind": "organ", "parent_id": pitea.municipality.pk}).status_code == 400
    response = client.patch(
        f"/api/v1/organisations/{created.json()['id']}",
        data=json.dumps({"is_controller": True, "organisation_number": "212000-2742"}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200 and response.json()["is_controller"] is True
    response = client.patch(
        f"/api/v1/organisations/{created.json()['id']}",
        data=json.dumps({"organisation_number": "212000-2743"}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 400 and "organisation_number" in response.json()["detail"]
