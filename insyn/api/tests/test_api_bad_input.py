"""Bad input gets a 4xx in the {code, message, detail} shape, never a 500; the OpenAPI file says so.

One test per cause of the 500s schemathesis found: null for a field the database refuses, an offset or an
id past 2**63, a body over DATA_UPLOAD_MAX_MEMORY_SIZE, a control character in a person's name.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from wagtail.models import APIToken

from insyn.core.tests.factories import make_document, make_municipality, make_organ, make_user_with_role
from insyn.officials.services import membership_create, person_create

HUGE = 2**63  # one past the largest id SQLite and PostgreSQL bigint hold


@pytest.fixture
def tenant(db: Any) -> dict[str, Any]:
    from insyn.core.permissions import SYSTEM
    from insyn.records.tests.factories import import_plan

    municipality = make_municipality("Nollby kommun")
    board = make_organ(municipality)
    administrator = make_user_with_role(municipality, "administrator", username="nollby.admin")
    _token, plaintext = APIToken.create_token(user=administrator, name="test")
    person = person_create(actor=SYSTEM, municipality=municipality, given_name="Anna", family_name="Lind")
    membership = membership_create(actor=SYSTEM, person=person, organisation=board, role="ledamot")
    plan = import_plan(board)
    return {
        "headers": {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"},
        "municipality": municipality,
        "board": board,
        "document": make_document(board),
        "person": person,
        "membership": membership,
        "document_type": plan.document_types.first(),
    }


def openapi(client: Any) -> dict[str, Any]:
    """The OpenAPI file as clients (and schemathesis) read it."""
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema: dict[str, Any] = response.json()
    return schema


def patch(client: Any, url: str, body: Any, headers: dict[str, str]) -> Any:
    return client.patch(url, data=json.dumps(body), content_type="application/json", **headers)


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    assert set(body) == {"code", "message", "detail"}
    assert body["code"] == code
    return body


NOT_NULL = {
    "organisations/{board}": [
        "name",
        "short_name",
        "organisation_number",
        "is_controller",
        "is_archive_creator",
        "email",
        "active",
    ],
    "governing-documents/{document}": [
        "title",
        "document_type",
        "decision_body",
        "paragraph",
        "registration_number",
        "version",
        "responsible_unit",
        "description",
        "applies_to",
        "status",
    ],
    "officials/persons/{person}": [
        "given_name",
        "family_name",
        "national_id",
        "email",
        "phone",
        "party",
        "title",
        "protected_identity",
    ],
    "officials/memberships/{membership}": ["role", "is_external"],
    "records/document-types/{document_type}": ["name", "analog_format", "remarks", "action", "trigger", "align"],
}


@pytest.mark.parametrize(("path", "field"), [(path, field) for path, fields in NOT_NULL.items() for field in fields])
def test_null_for_a_field_the_database_refuses_is_a_400(
    client: Any, tenant: dict[str, Any], path: str, field: str
) -> None:
    url = "/api/v1/" + path.format(**{key: getattr(value, "pk", None) for key, value in tenant.items()})

    body = assert_error(patch(client, url, {field: None}, tenant["headers"]), 400, "validation_error")

    assert [item["loc"][-1] for item in body["detail"]] == [field]


def test_a_field_left_out_keeps_its_value_and_a_nullable_one_may_be_cleared(
    client: Any, tenant: dict[str, Any]
) -> None:
    document = tenant["document"]
    url = f"/api/v1/governing-documents/{document.pk}"

    response = patch(client, url, {"valid_until": None, "version": "2"}, tenant["headers"])

    assert response.status_code == 200, response.content
    assert response.json()["title"] == document.title
    assert response.json()["valid_until"] is None
    assert response.json()["version"] == "2"


def test_the_openapi_file_calls_no_patched_field_nullable_that_the_database_refuses(client: Any) -> None:
    schemas = openapi(client)["components"]["schemas"]
    for name, fields in {
        "OrganisationPatch": NOT_NULL["organisations/{board}"],
        "DocumentPatch": NOT_NULL["governing-documents/{document}"],
        "PersonPatch": NOT_NULL["officials/persons/{person}"],
        "MembershipPatch": NOT_NULL["officials/memberships/{membership}"],
        "DocumentTypePatch": NOT_NULL["records/document-types/{document_type}"],
    }.items():
        properties = schemas[name]["properties"]
        for field in fields:
            assert "anyOf" not in properties[field], (name, field)
            assert properties[field].get("type") != "null", (name, field)
            assert "default" not in properties[field], (name, field)
    assert {"type": "null"} in schemas["DocumentPatch"]["properties"]["valid_until"]["anyOf"]


LISTS = [
    "organisations",
    "governing-documents",
    "records/plans",
    "officials/persons",
    "loans/devices",
    "loans/kits",
    "loans/loans",
]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    "query", [{"offset": HUGE}, {"offset": 10_000_001}, {"offset": -1}, {"limit": 0}, {"limit": 501}, {"limit": HUGE}]
)
def test_offset_and_limit_out_of_bounds_are_a_400(
    client: Any, tenant: dict[str, Any], path: str, query: dict[str, int]
) -> None:
    assert_error(client.get(f"/api/v1/{path}", query, **tenant["headers"]), 400, "validation_error")


@pytest.mark.parametrize("path", LISTS)
def test_the_largest_offset_and_limit_are_answered(client: Any, tenant: dict[str, Any], path: str) -> None:
    response = client.get(f"/api/v1/{path}", {"offset": 10_000_000, "limit": 500}, **tenant["headers"])

    assert response.status_code == 200
    assert response.json()["items"] == []


def test_the_openapi_file_states_the_bounds_of_every_list(client: Any) -> None:
    paths = openapi(client)["paths"]
    for path in LISTS:
        parameters = {p["name"]: p["schema"] for p in paths[f"/api/v1/{path}"]["get"]["parameters"]}
        assert (parameters["limit"]["minimum"], parameters["limit"]["maximum"]) == (1, 500)
        assert (parameters["offset"]["minimum"], parameters["offset"]["maximum"]) == (0, 10_000_000)


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/organisations/{HUGE}",
        f"/api/v1/governing-documents/{HUGE}",
        f"/api/v1/records/plans/{HUGE}",
        f"/api/v1/officials/persons/{HUGE}",
        f"/api/v1/loans/loans/{HUGE}",
        f"/api/v1/organisations?municipality_id={HUGE}",
        f"/api/v1/records/plans?organisation_id={HUGE}",
    ],
)
def test_an_id_past_the_integer_range_is_a_400(client: Any, tenant: dict[str, Any], url: str) -> None:
    assert_error(client.get(url, **tenant["headers"]), 400, "validation_error")


def test_an_id_past_the_integer_range_in_a_body_is_a_400(client: Any, tenant: dict[str, Any]) -> None:
    body = {"person_id": HUGE, "organisation_id": tenant["board"].pk, "role": "ledamot"}

    response = client.post(
        "/api/v1/officials/memberships", data=json.dumps(body), content_type="application/json", **tenant["headers"]
    )

    assert_error(response, 400, "validation_error")


def test_a_path_no_route_matches_gets_the_json_404(client: Any, tenant: dict[str, Any]) -> None:
    response = client.get("/api/v1/officials/persons/null,null/memberships", **tenant["headers"])

    assert_error(response, 404, "not_found")


def test_a_body_over_the_upload_limit_is_a_413_before_it_is_read(
    client: Any, tenant: dict[str, Any], settings: Any
) -> None:
    body = json.dumps({"given_name": "A" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)})
    url = f"/api/v1/officials/persons/{tenant['person'].pk}"

    response = client.patch(url, data=body, content_type="application/json", **tenant["headers"])

    error = assert_error(response, 413, "request_too_large")
    assert error["detail"] == {"max_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}


def test_a_too_large_body_reaching_a_view_is_a_413_too(tenant: dict[str, Any], settings: Any) -> None:
    """Without the middleware (the view called directly), Django's RequestDataTooBig is mapped by the API."""
    from django.test import RequestFactory
    from django.urls import resolve

    url = f"/api/v1/officials/persons/{tenant['person'].pk}"
    body = json.dumps({"given_name": "A" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)})
    request = RequestFactory().patch(url, data=body, content_type="application/json", **tenant["headers"])
    match = resolve(url)

    response = match.func(request, *match.args, **match.kwargs)

    assert response.status_code == 413
    assert json.loads(response.content)["code"] == "request_too_large"


def test_every_operation_documents_its_error_responses(client: Any) -> None:
    paths = openapi(client)["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert {"400", "401", "403", "404"} <= documented, (method, path)
            if method in {"post", "patch", "put"}:
                assert {"409", "413"} <= documented, (method, path)
            for status in documented - {"200", "201", "204"}:  # 204: nothing to describe
                content = operation["responses"][status]["content"]["application/json"]["schema"]
                assert content == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, status)


def test_a_control_character_in_a_name_is_a_400_not_a_broken_export(client: Any, tenant: dict[str, Any]) -> None:
    url = f"/api/v1/officials/persons/{tenant['person'].pk}"

    body = assert_error(patch(client, url, {"family_name": "Lind\x1b[31m"}, tenant["headers"]), 400, "validation_error")

    assert "family_name" in body["detail"]


def test_nul_in_the_query_string_is_a_400(client: Any, tenant: dict[str, Any]) -> None:
    """PostgreSQL cannot compare text with NUL in it: a search for it was a 500 there."""
    assert_error(
        client.get("/api/v1/officials/persons", {"q": "An\x00na"}, **tenant["headers"]), 400, "validation_error"
    )


def test_nul_in_a_json_body_is_a_400_but_the_text_backslash_u0000_is_fine(client: Any, tenant: dict[str, Any]) -> None:
    url = f"/api/v1/officials/persons/{tenant['person'].pk}"

    assert_error(patch(client, url, {"title": "ordf\x00rande"}, tenant["headers"]), 400, "validation_error")
    response = patch(client, url, {"title": "ordf\\u0000rande"}, tenant["headers"])

    assert response.status_code == 200, response.content
    assert response.json()["title"] == "ordf\\u0000rande"


def test_a_raw_file_upload_is_left_to_its_own_import_limit(client: Any, tenant: dict[str, Any]) -> None:
    """The JSON body limit (DATA_UPLOAD_MAX_MEMORY_SIZE) is not applied to a raw upload of a plan file."""
    body = b"Handlingstyp;Bevaras/Gallras\r\n" + b"x;y\r\n" * (600 * 1024)  # 3.6 MB, over 2.5 MB

    response = client.post(
        f"/api/v1/records/plans/import-file?organisation_id={tenant['board'].pk}&filename=plan.csv&dry_run=true",
        data=body,
        content_type="application/octet-stream",
        **tenant["headers"],
    )

    assert response.status_code != 413, response.content


@pytest.mark.parametrize(
    "change",
    [
        {"adopted_on": "not a date"},
        {"revisions": [{"date": "2024-13-45"}]},
        {"title": ["a list"]},
        {"areas": [{"code": "1", "name": "Styrning", "groups": [{"code": "1.1", "name": 7}]}]},
        {
            "areas": [
                {
                    "code": "1",
                    "name": "x",
                    "groups": [
                        {
                            "code": "1.1",
                            "name": "y",
                            "processes": [{"code": "1.1.1", "name": "z", "activities": [{"name": "A" * 301}]}],
                        }
                    ],
                }
            ]
        },
        {"revisions": [{"date": "2024-01-01", "version": "v" * 21}]},
    ],
)
def test_a_malformed_plan_in_a_json_import_is_a_400(
    client: Any, tenant: dict[str, Any], change: dict[str, Any]
) -> None:
    plan = {"title": "Dokumenthanteringsplan", "status": "draft", **change}
    body = {"organisation_id": tenant["board"].pk, "plan": plan, "dry_run": True}

    response = client.post(
        "/api/v1/records/plans/import", data=json.dumps(body), content_type="application/json", **tenant["headers"]
    )

    assert_error(response, 400, "validation_error")
