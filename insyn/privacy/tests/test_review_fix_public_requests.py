"""Review findings 4 and 8 on the public request pages: the rate limit counts per visitor behind nginx, in the
database, and per request for the identity step; a reference that cannot be one is a 404 before any query."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from insyn.core.exceptions import NotFoundError
from insyn.privacy.models import SubjectRequest
from insyn.privacy.models.notices import PublicAttempt
from insyn.privacy.selectors.requests import access_request_by_key
from insyn.privacy.tests.requests_helpers import World, make_world

pytestmark = pytest.mark.django_db
FORM = "/integritet/begaran/"


@pytest.fixture
def world() -> World:
    cache.clear()
    return make_world()


def _submit(client: Client, world: World, **meta: Any) -> Any:
    data = {"controller": str(world.ks.pk), "kind": "access", "name": "Anna Andersson", "email": "anna@example.se"}
    return client.post(FORM, data, **meta)


def test_visitors_behind_the_proxy_each_have_their_own_counter(world: World) -> None:
    # nginx on 127.0.0.1 (docs/deployment.md) connects for everyone and writes the visitor in X-Forwarded-For.
    first, second = Client(), Client()
    for _ in range(5):
        assert _submit(first, world, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302
    assert _submit(first, world, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    assert _submit(second, world, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.20").status_code == 302
    assert SubjectRequest.objects.count() == 6


def test_only_the_entry_the_proxy_wrote_counts(world: World) -> None:
    # A client cannot choose its counter by sending its own X-Forwarded-For: the proxy's entry is the right-most.
    client = Client()
    for number in range(5):
        forged = f"192.0.2.{number}, 198.51.100.7"
        assert _submit(client, world, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forged).status_code == 302
    assert (
        _submit(client, world, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.99, 198.51.100.7").status_code
        == 429
    )


def test_a_forwarded_header_from_an_untrusted_address_is_ignored(world: World) -> None:
    client = Client()
    for number in range(5):
        meta = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": f"192.0.2.{number}"}
        assert _submit(client, world, **meta).status_code == 302
    assert _submit(client, world, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.50").status_code == 429


def test_the_trusted_proxies_come_from_the_setting(world: World, settings: Any) -> None:
    settings.FORWARDED_ALLOW_IPS = "10.0.0.0/8"
    client = Client()
    for number in range(5):
        meta = {"REMOTE_ADDR": "10.1.2.3", "HTTP_X_FORWARDED_FOR": f"192.0.2.{number}"}
        assert _submit(client, world, **meta).status_code == 302
    # 127.0.0.1 is no longer a proxy: its forwarded header is ignored and it is counted as itself.
    for number in range(5):
        meta = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": f"192.0.2.{number}"}
        assert _submit(client, world, **meta).status_code == 302
    assert _submit(client, world, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.77").status_code == 429


def test_the_count_is_shared_by_every_process_and_keeps_no_address(world: World) -> None:
    client = Client()
    for _ in range(5):
        assert _submit(client, world, REMOTE_ADDR="198.51.100.7").status_code == 302
    cache.clear()  # what another server process's own memory holds: nothing
    assert _submit(client, world, REMOTE_ADDR="198.51.100.7").status_code == 429
    assert PublicAttempt.objects.filter(bucket="submit").count() == 5
    assert not PublicAttempt.objects.filter(key__contains="198.51").exists()


def test_identity_attempts_are_counted_per_request_too(world: World) -> None:
    client = Client()
    assert _submit(client, world).status_code == 302
    reference = SubjectRequest.objects.get().reference
    url = f"/integritet/begaran/{reference}/identitet/"
    for number in range(10):
        response = client.post(url, {"method": ""}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
        assert response.status_code == 200
    response = client.post(url, {"method": ""}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/integritet/begaran/%00/nyckel/"),
        ("post", "/integritet/begaran/%00/"),
        ("post", "/integritet/begaran/DSR-2026-1-AB%00/identitet/"),
        ("get", "/integritet/begaran/DSR-2026-1-AB%00/"),
        # Lower case or too long: not a reference (what is left matches no other public page either).
        ("get", "/integritet/begaran/dsr-2026-1-ab/e-legitimation/"),
        ("get", f"/integritet/begaran/{'A' * 41}/nyckel/"),
    ],
)
def test_a_reference_that_cannot_be_one_is_not_found_before_any_query(world: World, method: str, path: str) -> None:
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, {"access_key": "guess"})
    assert response.status_code == 404
    assert not [q for q in queries.captured_queries if "privacy_subjectrequest" in q["sql"]]


def test_the_selector_refuses_a_malformed_reference_without_a_query(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0), pytest.raises(NotFoundError):
        access_request_by_key(reference="DSR\x00", access_key="guess")
