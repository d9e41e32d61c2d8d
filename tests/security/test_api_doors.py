"""Every API operation, enumerated from the OpenAPI document, tried by every role of one municipality with
the other municipality's ids.

The rule (Zulip's `access_*` helpers): another municipality's object answers exactly as an id that does
not exist, so an outsider cannot learn which ids exist, and nothing of it shows or changes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from insyn.api.api import api
from insyn.core.models import GoverningDocument, Organisation
from insyn.core.permissions import forget_scope
from insyn.core.roles import ROLES
from insyn.loans.models import BroadbandRequest, Device, Incident, Kit, Loan, Receipt
from insyn.officials.models import Membership, Person
from insyn.privacy.models import Breach, Notice, ProcessingActivity, Register, SubjectExtract, SubjectRequest
from insyn.records.models import DocumentType, RetentionPlan
from tests.security.privacy_tenant import DRAFT_WORD
from tests.security.tenants import MARKER, Tenant, build_tenant, fingerprint

pytestmark = pytest.mark.django_db

MISSING = 10**9
# Path parameters that are not ids: a notice's version 2 is its draft (tests/security/privacy_tenant.py), the one
# version a public door must never show; a register's versions compared with themselves.
PATH_VALUES = {"number": 2, "a": 1, "b": 1}


def _pitea_draft(tenant: Tenant) -> RetentionPlan:
    # Adopted plans are public by design (every visitor reads them), so the private door is the draft.
    return next(plan for plan in tenant.objects[RetentionPlan] if plan.status == "draft")


def _drafts(tenant: Tenant) -> list[str]:
    """What no public door may show: the draft plan's title, the activity only the draft notice holds."""
    return [_pitea_draft(tenant).title.lower(), f"{DRAFT_WORD} {tenant.municipality.name.split()[0]}".lower()]


def _id_of(name: str, tenant: Tenant, path: str = "") -> int | None:
    """The foreign id for a path or body field, by its name (and, for a name two modules use, the path)."""
    draft = _pitea_draft(tenant)
    if path.startswith("/api/v1/privacy/") and name == "request_id":
        return int(tenant.objects[SubjectRequest][0].pk)
    table: dict[str, Any] = {
        "organisation_id": tenant.municipality,
        "municipality_id": tenant.municipality,
        "document_id": tenant.objects[GoverningDocument][0],
        "plan_id": draft,
        "old_id": draft,
        "new_id": draft,
        "row_id": draft.document_types.first(),
        "person_id": tenant.objects[Person][0],
        "membership_id": tenant.objects[Membership][0],
        "loan_id": tenant.objects[Loan][0],
        "receipt_id": tenant.objects[Receipt][0],
        "incident_id": tenant.objects[Incident][0],
        "request_id": tenant.objects[BroadbandRequest][0],
        "kit_id": tenant.objects[Kit][0],
        "device_id": tenant.objects[Device][0],
        "controller_id": tenant.base.ks,
        "register_id": tenant.objects[Register][0],
        "activity_id": tenant.objects[ProcessingActivity][0],
        "notice_id": tenant.objects[Notice][0],
        "breach_id": tenant.objects[Breach][0],
        "extract_id": (tenant.objects[SubjectExtract] or [None])[0],
    }
    obj = table.get(name)
    return None if obj is None else int(obj.pk)


def _example(schema: dict[str, Any], components: dict[str, Any], depth: int = 0) -> Any:
    """A minimal value of the schema's type, enough to pass validation and reach the lookup."""
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[-1]], components, depth)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return _example(options[0], components, depth)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 3:
            return {}
        return {
            name: _example(prop, components, depth + 1)
            for name, prop in schema.get("properties", {}).items()
            if name in schema.get("required", [])
        }
    if kind == "array":
        return []
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return "2025-03-03"
    if schema.get("format") == "date-time":
        return "2025-03-03T10:00:00+01:00"
    return "x"


def operations() -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            yield method.upper(), path, op, components


def _request(
    client: Client, method: str, path: str, op: dict[str, Any], components: dict[str, Any], ids: dict[str, int]
) -> Any:
    url = path
    query: dict[str, Any] = {}
    for param in op.get("parameters", []):
        name = param["name"]
        if param["in"] == "path":
            url = url.replace("{" + name + "}", str(ids.get(name, PATH_VALUES.get(name, MISSING))))
        elif param["in"] == "query" and (param.get("required") or name in ids):
            query[name] = ids.get(name, _example(param.get("schema", {}), components))
    body: Any = None
    content = op.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        body = _example(content["application/json"]["schema"], components)
        if isinstance(body, dict):
            for key in list(body):
                if key in ids:
                    body[key] = ids[key]
    if method == "GET":
        return client.get(url, query)
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return client.generic(method, url, json.dumps(body) if body is not None else "", content_type="application/json")


def _foreign_names(op: dict[str, Any], path: str, components: dict[str, Any]) -> set[str]:
    names = {p["name"] for p in op.get("parameters", []) if p["in"] in ("path", "query")}
    content = op.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        body = _example(content["application/json"]["schema"], components)
        if isinstance(body, dict):
            names |= set(body)
    return {name for name in names if name.endswith("_id")}


@pytest.fixture(scope="module")
def _built(django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[Tenant, Tenant]]:
    with django_db_blocker.unblock(), transaction.atomic():
        pitea = build_tenant("Piteå kommun")
        torsby = build_tenant("Torsby kommun")
        yield pitea, torsby
        transaction.set_rollback(True)


@pytest.fixture
def tenants(_built: tuple[Tenant, Tenant], db: Any) -> tuple[Tenant, Tenant]:
    for tenant in _built:
        for users in tenant.objects.values():
            for user in users:
                if hasattr(user, "_insyn_scope"):
                    forget_scope(user)
    return _built


ACTORS = [role.code for role in ROLES] + ["official"]


@pytest.mark.parametrize("actor", ACTORS)
def test_another_municipalitys_ids_answer_as_missing_ones(actor: str, tenants: tuple[Tenant, Tenant]) -> None:
    pitea, torsby = tenants
    client = Client()
    user = torsby.objects[Person][0].user if actor == "official" else torsby.users[actor]
    client.force_login(user)
    tried = 0
    for method, path, op, components in operations():
        names = _foreign_names(op, path, components)
        if not names:
            continue
        foreign = {name: _id_of(name, pitea, path) for name in names}
        if None in foreign.values():
            continue
        missing = dict.fromkeys(names, MISSING)
        before = fingerprint()
        answer_foreign = _request(client, method, path, op, components, foreign)  # type: ignore[arg-type]
        answer_missing = _request(client, method, path, op, components, missing)
        tried += 1
        assert answer_foreign.status_code < 500, f"{method} {path} as {actor}: {answer_foreign.status_code}"
        assert answer_foreign.status_code == answer_missing.status_code, (
            f"{method} {path} as Torsby's {actor}: Piteå's id answers {answer_foreign.status_code}, "
            f"a missing id {answer_missing.status_code}"
        )
        streamed = answer_foreign.streaming
        body = b"".join(answer_foreign.streaming_content) if streamed else answer_foreign.content
        text = body.decode("utf-8", "replace").lower()
        public = method == "GET" and _request(Client(), method, path, op, components, foreign).status_code == 200
        if public:
            # A public operation shows Piteå's adopted plans and published notices to anyone, by design; never
            # a draft.
            for draft in _drafts(pitea):
                assert draft not in text and json.dumps(draft) not in text, f"{method} {path} shows Piteå's draft"
        else:
            assert MARKER not in text and "pite\\u00e5" not in text, f"{method} {path} shows Piteå's data to {actor}"
        assert fingerprint() == before, f"{method} {path} as Torsby's {actor} changed data"
    assert tried >= 60


def test_the_walk_covers_every_operation_with_an_id() -> None:
    """An operation taking an id nobody mapped would be skipped silently by the walk: fail instead."""
    known = {
        "organisation_id",
        "municipality_id",
        "document_id",
        "plan_id",
        "old_id",
        "new_id",
        "row_id",
        "person_id",
        "membership_id",
        "loan_id",
        "receipt_id",
        "incident_id",
        "request_id",
        "kit_id",
        "device_id",
        "controller_id",
        "register_id",
        "activity_id",
        "notice_id",
        "breach_id",
        "extract_id",
    }
    unmapped = []
    for method, path, op, components in operations():
        for name in _foreign_names(op, path, components):
            if name not in known:
                unmapped.append(f"{method} {path}: {name}")
    assert not unmapped, unmapped
    assert {Organisation, DocumentType}  # the models behind the names are built by tests.security.tenants


def test_half_a_utf16_pair_in_an_imported_plan_is_a_400(tenants: tuple[Tenant, Tenant]) -> None:
    """Valid JSON, but no text: "\\ud800" cannot be stored (SQLite raises, PostgreSQL refuses)."""
    _pitea, torsby = tenants
    client = Client()
    client.force_login(torsby.users["archivist"])
    organisation = torsby.municipality.pk
    plans_before = RetentionPlan.objects.count()
    body = '{"organisation_id": ORG, "plan": {"title": "\\ud800 plan"}}'.replace("ORG", str(organisation))
    response = client.post("/api/v1/records/plans/import", body, content_type="application/json")
    assert response.status_code == 400, response.content
    response = client.post(
        f"/api/v1/records/plans/import-file?organisation_id={organisation}&filename=plan.json&format=json",
        b'{"title": "\\udc00"}',
        content_type="application/octet-stream",
    )
    assert response.status_code == 400, response.content
    assert RetentionPlan.objects.count() == plans_before


def test_a_request_for_another_municipalitys_controller_answers_as_a_missing_one(
    tenants: tuple[Tenant, Tenant],
) -> None:
    """Found by the walk: POST /privacy/requests with Piteå's board answered 403 and a missing id 404, telling
    Torsby which organisations exist. Now both are 404, and nothing is registered."""
    pitea, torsby = tenants
    client = Client()
    client.force_login(torsby.users["dpo"])
    before = SubjectRequest.objects.count()
    body = {"kind": "access", "received_at": "2025-03-03T10:00:00+01:00", "name": "Kapad"}
    answers = [
        client.post("/api/v1/privacy/requests", {**body, "controller_id": cid}, content_type="application/json")
        for cid in (pitea.base.ks.pk, MISSING)
    ]
    assert [a.status_code for a in answers] == [404, 404], [a.content for a in answers]
    assert SubjectRequest.objects.count() == before
