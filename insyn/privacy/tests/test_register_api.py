"""The register's API under /api/v1/privacy/: the same services, the same refusals, one 404 for "not yours"."""

from __future__ import annotations

import json
from typing import Any

import pytest
from wagtail.models import APIToken

from insyn.core.tests.factories import make_municipality, make_organ, make_user_with_role
from insyn.privacy.tests.test_register_checks import BILDBANK
from insyn.privacy.tests.test_register_services import Sodertalje, activity, build

API = "/api/v1/privacy"


def bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {APIToken.create_token(user=user, name='t')[1]}"}


def send(client: Any, method: str, url: str, user: Any | None, payload: Any = None) -> Any:
    headers = bearer(user) if user is not None else {}
    body = json.dumps(payload) if payload is not None else None
    return getattr(client, method)(
        url, data=body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **headers
    )


@pytest.fixture
def s(db: Any) -> Sodertalje:
    return build()


def test_a_contact_writes_activities_and_the_dpo_approves_through_the_api(client: Any, s: Sodertalje) -> None:
    url = f"{API}/registers/{s.register.pk}/activities"
    created = send(client, "post", url, s.contact, activity())
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft"
    assert body["personal_data_categories"][2]["special"] == "art9"
    activity_id = body["id"]

    listed = send(client, "get", url, s.contact).json()
    assert [item["name"] for item in listed["items"]] == ["Hantering av färdtjänst"]

    changed = activity(purposes=["Ansökan om färdtjänst", "Beslut om färdtjänst"])
    replaced = send(client, "put", f"{API}/activities/{activity_id}", s.contact, changed)
    assert replaced.status_code == 200 and replaced.json()["purposes"][1] == "Beslut om färdtjänst"

    refused = send(client, "post", f"{API}/registers/{s.register.pk}/approve", s.contact, {"note": ""})
    assert refused.status_code == 403
    approved = send(client, "post", f"{API}/registers/{s.register.pk}/approve", s.dpo, {"note": "Första"})
    assert approved.status_code == 200 and approved.json()["number"] == 1
    versions = send(client, "get", f"{API}/registers/{s.register.pk}/versions", s.dpo).json()
    assert [v["number"] for v in versions] == [1]

    send(client, "put", f"{API}/activities/{activity_id}", s.contact, activity())
    diff = send(client, "get", f"{API}/registers/{s.register.pk}/versions/1/diff/0", s.dpo)
    assert diff.status_code == 200
    assert [(d["activity"], d["field"]) for d in diff.json()] == [("Hantering av färdtjänst", "purposes")]

    register = send(client, "get", f"{API}/registers/{s.register.pk}", s.dpo).json()
    assert (register["status"], register["version"]) == ("draft", 1)
    assert send(client, "delete", f"{API}/activities/{activity_id}", s.contact).status_code == 204


def test_approval_refused_lists_the_missing_fields(client: Any, s: Sodertalje) -> None:
    created = send(
        client, "post", f"{API}/registers/{s.register.pk}/activities", s.contact, activity(purposes=[], legal_bases=[])
    )
    answer = send(client, "post", f"{API}/activities/{created.json()['id']}/approve", s.dpo)
    assert answer.status_code == 409
    assert answer.json()["code"] == "approval_refused"
    assert answer.json()["detail"]["missing"] == ["purposes", "legal_bases"]


def test_unknown_taxonomy_keys_are_a_400_naming_them(client: Any, s: Sodertalje) -> None:
    data = activity(data_subject_categories=[{"key": "se.nobody"}])
    answer = send(client, "post", f"{API}/registers/{s.register.pk}/activities", s.contact, data)
    assert answer.status_code == 400
    assert answer.json()["detail"] == {"unknown_keys": ["se.nobody"]}


def test_warnings_of_the_register(client: Any, s: Sodertalje) -> None:
    send(client, "post", f"{API}/registers/{s.register.pk}/activities", s.contact, BILDBANK)
    warnings = send(client, "get", f"{API}/registers/{s.register.pk}/warnings", s.dpo).json()
    assert ("Bildbank för kommunens kommunikationsmaterial", "art6f_public_authority") in [
        (w["activity"], w["code"]) for w in warnings
    ]


def test_create_a_register_and_patch_it(client: Any, s: Sodertalje) -> None:
    organ = make_organ(s.municipality, "Kultur- och fritidsnämnden", "namnd")
    created = send(client, "post", f"{API}/registers", s.dpo, {"controller_id": organ.pk, "title": "KFN:s register"})
    assert created.status_code == 201, created.content
    patched = send(client, "patch", f"{API}/registers/{created.json()['id']}", s.dpo, {"dpo_name": "Eva"})
    assert patched.status_code == 200 and patched.json()["dpo_name"] == "Eva"
    again = send(client, "post", f"{API}/registers", s.dpo, {"controller_id": organ.pk, "title": "Två"})
    assert again.status_code == 400  # one register per controller and kind


def test_another_municipality_gets_404_and_an_anonymous_visitor_401(client: Any, s: Sodertalje) -> None:
    saved = send(client, "post", f"{API}/registers/{s.register.pk}/activities", s.contact, activity()).json()
    stranger = make_user_with_role(make_organ(make_municipality("Nykvarns kommun"), "Kommunstyrelsen"), "dpo")
    urls = [
        ("get", f"{API}/registers/{s.register.pk}", None),
        ("patch", f"{API}/registers/{s.register.pk}", {"title": "x"}),
        ("post", f"{API}/registers/{s.register.pk}/approve", {"note": ""}),
        ("get", f"{API}/registers/{s.register.pk}/versions", None),
        ("get", f"{API}/registers/{s.register.pk}/warnings", None),
        ("get", f"{API}/registers/{s.register.pk}/activities", None),
        ("post", f"{API}/registers/{s.register.pk}/activities", activity()),
        ("get", f"{API}/activities/{saved['id']}", None),
        ("put", f"{API}/activities/{saved['id']}", activity()),
        ("delete", f"{API}/activities/{saved['id']}", None),
        ("post", f"{API}/activities/{saved['id']}/approve", None),
    ]
    for method, url, payload in urls:
        assert send(client, method, url, stranger, payload).status_code == 404, (method, url)
        assert send(client, method, url, None, payload).status_code == 401, (method, url)
    assert send(client, "get", f"{API}/registers", stranger).json()["items"] == []
    # "missing" and "not yours" are one answer
    assert send(client, "get", f"{API}/registers/{s.register.pk + 1000}", s.dpo).status_code == 404
