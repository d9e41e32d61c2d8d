"""Every public door under /integritet/, enumerated from the URL resolver, tried by an anonymous visitor and by
every role of Torsby with Piteå's notices, request references and extract ids.

Published notices are public by design (anyone reads them, in any municipality); nothing else is: not a draft
notice, not a request (its status page needs its access key), not an extract file (it needs the right to the
request it belongs to).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from insyn.core.models import AuditEntry
from insyn.core.permissions import forget_scope
from insyn.core.roles import ROLES
from insyn.officials.models import Person
from insyn.privacy.models import Breach, Notice, NoticeVersion, SubjectExtract, SubjectRequest
from tests.security.privacy_tenant import DRAFT_WORD
from tests.security.tenants import Tenant, build_tenant

pytestmark = pytest.mark.django_db

# Every route under /integritet/ by URL name, and what it holds; a new route fails the enumeration until added.
PUBLIC_ROUTES = {
    "privacy:notice_index": "published notices of every municipality",
    "privacy:notice": "a notice's published version",
    "privacy:notice_pdf": "the published version as PDF/A",
    "privacy:notice_history": "published and superseded versions",
    "privacy:notice_version": "one published or superseded version by number",
    "privacy:notice_version_pdf": "the same as PDF/A",
    "privacy:request_form": "the request form (controllers' names are public)",
    "privacy:request_status": "a request, with its access key only",
    "privacy:request_key": "the access-key form of a request",
    "privacy:request_identity": "the identity step, with the access key only",
    "privacy:request_eid": "the e-ID return, with the access key only",
    "privacy:request_eid_test": "the test e-ID page, with the access key only",
    "privacy:extract_file": "an extract file, for those with the right to its request",
}


@dataclass
class Public:
    pitea: Tenant
    torsby: Tenant
    request: SubjectRequest  # Piteå's request from the public form
    key: str  # its access key
    torsby_key: str  # the access key of Torsby's own public request
    secrets: list[str]  # what of Piteå's no visitor may see, lower-case


def public_routes() -> Iterator[tuple[str, str]]:
    """(path, name) of every route under integritet/."""

    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
        for item in patterns:
            if isinstance(item, URLResolver):
                inner = ":".join(part for part in (namespace, item.namespace or "") if part)
                yield from walk(item.url_patterns, prefix + str(item.pattern), inner)
            elif isinstance(item, URLPattern):
                yield prefix + str(item.pattern), f"{namespace}:{item.name}" if namespace else str(item.name)

    for path, name in walk(get_resolver().url_patterns, "", ""):
        if path.startswith("integritet/"):
            yield path, name


def _notice_slugs(version: NoticeVersion) -> dict[str, str]:
    from insyn.privacy.selectors.notices import slugs_of

    municipality, controller, notice = slugs_of(version.notice)
    return {"municipality": municipality, "controller": controller, "notice": notice}


def fill(path: str, p: Public, tenant: Tenant) -> list[str]:
    """Concrete URLs for a route with `tenant`'s values: its notice (version 1 published, 2 a draft), its public
    request's reference, its extract and request ids."""
    version = tenant.objects[NoticeVersion][0]
    values = {
        **_notice_slugs(version),
        "reference": p.request.reference if tenant is p.pitea else tenant.objects[SubjectRequest][0].reference,
        "pk": str((tenant.objects[SubjectExtract] or tenant.objects[SubjectRequest])[0].pk),
    }
    url = "/" + path
    for name, value in values.items():
        url = re.sub(rf"<[a-z_]+:{name}>", value, url)
    if "<int:number>" in url:
        return [url.replace("<int:number>", str(number)) for number in (1, 2, 3)]
    assert "<" not in url, f"no value for a converter of {path}"
    return [url]


def _body(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace").lower()


@pytest.fixture(scope="module")
def _built(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Public]:
    from insyn.privacy.services.requests import request_submit_public

    with django_db_blocker.unblock(), transaction.atomic():
        pitea = build_tenant("Piteå kommun")
        torsby = build_tenant("Torsby kommun")
        request, key = request_submit_public(
            actor=AnonymousUser(),
            controller=pitea.base.ks,
            kind="access",
            name="Hemlig Piteåbo",
            email="hemlig@pitea.example",
            description="Vad har ni om mig i Piteå?",
        )
        _torsby_request, torsby_key = request_submit_public(
            actor=AnonymousUser(), controller=torsby.base.ks, kind="access", name="Torsbybo", email="t@torsby.example"
        )
        staff_request = pitea.objects[SubjectRequest][0]
        secrets = [
            f"{DRAFT_WORD} Piteå",  # the activity only Piteå's draft notice holds
            request.name,
            request.description,
            request.email,
            staff_request.name,
            staff_request.description,
            pitea.objects[Breach][0].title,
            pitea.objects[Person][0].name,
        ]
        yield Public(pitea, torsby, request, key, torsby_key, [s.lower() for s in secrets])
        transaction.set_rollback(True)


@pytest.fixture
def public(_built: Public, db: Any) -> Public:
    for tenant in (_built.pitea, _built.torsby):
        for user in tenant.users.values():
            forget_scope(user)
    return _built


def _state() -> tuple[Any, ...]:
    """What a refused request must leave alone: the requests, extracts, notices, and the non-read audit trail."""
    return (
        list(SubjectRequest.objects.order_by("pk").values()),
        list(SubjectExtract.objects.order_by("pk").values()),
        list(NoticeVersion.objects.order_by("pk").values_list("pk", "status", "published_at")),
        AuditEntry.objects.exclude(action="read").count(),
    )


def _assert_nothing_private(response: Any, url: str, p: Public, who: str) -> None:
    assert response.status_code < 500, f"{url} as {who} answered {response.status_code}"
    body = _body(response)
    leaked = [secret for secret in p.secrets if secret in body]
    assert not leaked, f"{url} shows {leaked} to {who}"


def test_every_public_privacy_route_is_walked() -> None:
    names = {name for _path, name in public_routes()}
    assert names == set(PUBLIC_ROUTES), (
        f"routes under /integritet/ not reviewed: {sorted(names - set(PUBLIC_ROUTES))}; "
        f"gone: {sorted(set(PUBLIC_ROUTES) - names)}"
    )


def test_anonymous_visitor_sees_published_notices_and_nothing_else(public: Public) -> None:
    client = Client()
    before = _state()
    tried = 0
    for path, _name in public_routes():
        for url in fill(path, public, public.pitea):
            tried += 1
            _assert_nothing_private(client.get(url), url, public, "an anonymous visitor")
            _assert_nothing_private(client.post(url, {"action": "withdraw"}), url, public, "an anonymous visitor")
    assert tried >= len(PUBLIC_ROUTES)
    assert _state() == before, "an anonymous visitor without a key changed a request, an extract or a notice"


def test_the_published_notice_is_public_and_its_draft_is_not(public: Public) -> None:
    client = Client()
    published, draft = public.pitea.objects[NoticeVersion][:2]
    assert (published.number, draft.number) == (1, 2)
    slugs = _notice_slugs(published)
    base = f"/integritet/{slugs['municipality']}/{slugs['controller']}/{slugs['notice']}/"
    page = client.get(base, HTTP_ACCEPT_LANGUAGE="sv")
    assert page.status_code == 200
    assert "nämndadministration piteå" in _body(page)  # the published activity (the positive control)
    assert client.get(f"{base}versioner/1/").status_code == 200
    assert client.get(f"{base}versioner/1/pdf/").status_code == 200
    assert client.get(f"{base}versioner/2/").status_code == 404
    assert client.get(f"{base}versioner/2/pdf/").status_code == 404
    index = _body(client.get("/integritet/"))
    assert "information till förtroendevalda i piteå" in index and DRAFT_WORD.lower() not in index


def test_a_notice_with_only_a_draft_is_not_public(public: Public) -> None:
    published = public.pitea.objects[NoticeVersion][0]
    slugs = _notice_slugs(published)
    base = f"/integritet/{slugs['municipality']}/{slugs['controller']}/{slugs['notice']}/"
    # Withdraw the published version from the public site by superseding it with nothing: only a draft is left.
    NoticeVersion.objects.filter(pk=published.pk).update(status="superseded")
    client = Client()
    assert client.get(base).status_code == 404
    assert client.get(f"{base}pdf/").status_code == 404
    assert DRAFT_WORD.lower() not in _body(client.get("/integritet/"))
    assert DRAFT_WORD.lower() not in _body(client.get(f"{base}versioner/"))
    assert Notice.objects.filter(pk=published.notice_id, versions__status="draft").exists()


def test_a_request_status_page_needs_its_access_key(public: Public) -> None:
    reference = public.request.reference
    client = Client()
    response = client.get(f"/integritet/begaran/{reference}/")
    assert response.status_code == 302 and response["Location"].endswith(f"/integritet/begaran/{reference}/nyckel/")
    # Another request's key, then a wrong one: the same answer, and nothing shown.
    for key in (public.torsby_key, "fel-nyckel"):
        answer = client.post(f"/integritet/begaran/{reference}/nyckel/", {"access_key": key})
        assert answer.status_code == 200
        _assert_nothing_private(answer, reference, public, "a visitor with a wrong key")
        _assert_nothing_private(client.get(f"/integritet/begaran/{reference}/", follow=True), reference, public, "x")
    # The right key opens it (the positive control).
    answer = client.post(f"/integritet/begaran/{reference}/nyckel/", {"access_key": public.key})
    assert answer.status_code == 302
    status = client.get(f"/integritet/begaran/{reference}/")
    assert status.status_code == 200 and reference.lower() in _body(status)


def test_a_staff_registered_request_has_no_public_page(public: Public) -> None:
    staff_request = public.pitea.objects[SubjectRequest][0]
    client = Client()
    for key in ("", public.key, public.torsby_key):
        answer = client.post(f"/integritet/begaran/{staff_request.reference}/nyckel/", {"access_key": key})
        _assert_nothing_private(answer, staff_request.reference, public, "a visitor")
        followed = client.get(f"/integritet/begaran/{staff_request.reference}/", follow=True)
        _assert_nothing_private(followed, staff_request.reference, public, "a visitor")
        assert followed.redirect_chain, "the status page of a request without a key redirects to the key form"


def test_extract_files_need_the_right_to_their_request(public: Public) -> None:
    extracts = public.pitea.objects[SubjectExtract]
    assert extracts, "the tenant holds an extract (tests/security/privacy_tenant.py)"
    url = f"/integritet/utdrag/{extracts[0].pk}/fil/"
    anonymous = Client().get(url)
    refused = anonymous.status_code in (403, 404)
    to_login = anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/")
    assert refused or to_login, anonymous.status_code
    for role in ROLES:
        client = Client()
        client.force_login(public.torsby.users[role.code])
        response = client.get(url)
        assert response.status_code == 404, f"Torsby's {role.code} got Piteå's extract: {response.status_code}"
    # Piteå's DPO may (the positive control), and Torsby's DPO opens Torsby's own.
    client = Client()
    client.force_login(public.pitea.users["dpo"])
    assert client.get(url).status_code == 200
    client.force_login(public.torsby.users["dpo"])
    own = public.torsby.objects[SubjectExtract][0]
    assert client.get(f"/integritet/utdrag/{own.pk}/fil/").status_code == 200


@pytest.mark.parametrize("role", [role.code for role in ROLES])
def test_torsby_role_walks_every_public_route_with_pitea_values(role: str, public: Public) -> None:
    client = Client()
    client.force_login(public.torsby.users[role])
    before = _state()
    for path, _name in public_routes():
        for url in fill(path, public, public.pitea):
            response = client.get(url)
            _assert_nothing_private(response, url, public, f"Torsby's {role}")
            if "/utdrag/" in url:
                assert response.status_code == 404, f"{url} as Torsby's {role}: {response.status_code}"
            _assert_nothing_private(client.post(url, {"action": "withdraw"}), url, public, f"Torsby's {role}")
    # Piteå's request by its id in the API, and by its reference in the admin list: not found, not shown.
    api = client.get(f"/api/v1/privacy/requests/{public.request.pk}")
    assert api.status_code in (401, 403, 404), api.status_code
    listing = client.get(f"/admin/privacy/requests/?q={public.request.reference}")
    _assert_nothing_private(listing, "/admin/privacy/requests/", public, f"Torsby's {role}")
    assert client.get(f"/admin/privacy/requests/{public.request.pk}/").status_code in (302, 403, 404)
    assert _state() == before, f"Torsby's {role} changed Piteå's requests, extracts or notices"
