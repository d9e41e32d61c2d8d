"""Schemathesis against /api/v1/openapi.json, in process (WSGI), as a municipality administrator with data.

Every operation in the OpenAPI file is run (none excluded) with the checks `not_a_server_error`,
`status_code_conformance` and `response_schema_conformance`; any finding fails the test. Bounded so that
it belongs to the normal suite (`make test`, SQLite and PostgreSQL): `MAX_EXAMPLES` generated cases per
operation, derandomised (the same cases on every run). The data is built once per run (see `api_token`).
Run alone with `pytest -n 0 -k schemathesis`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance
from wagtail.models import APIToken

from config.wsgi import application

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
MAX_EXAMPLES = 25


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(scope="module")
def api_token(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[str]:
    """A personal API token of Piteå's administrator; Piteå has organs, documents, a plan, officials and kits.

    Built once for all operations, inside a transaction rolled back at the end (what Django's
    `TestCase.setUpTestData` does); each operation runs in a savepoint of its own (the `db` fixture).
    """
    from insyn.core.tests.factories import make_user_with_role
    from insyn.loans.tests.conftest import build_pitea, make_kit, make_official
    from insyn.records.tests.factories import import_plan

    media = tmp_path_factory.mktemp("media")
    email = "django.core.mail.backends.locmem.EmailBackend"
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, EMAIL_BACKEND=email):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            pitea = build_pitea()
            admin = make_user_with_role(pitea.municipality, "administrator", username="admin.pitea")
            import_plan(pitea.ks)
            make_official(pitea.municipality, [(pitea.ks, "ledamot")])
            make_kit(pitea.municipality, pitea.it, "tablet")
            _token, plaintext = APIToken.create_token(user=admin, name="schemathesis")
            yield plaintext
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def _connections_kept() -> Iterator[None]:
    """The WSGI handler sends request_started/finished, whose `close_old_connections` would close the test's
    connection (its open transaction makes it look unusable): on PostgreSQL every later query would fail.
    Django's own test client disconnects it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_schemathesis(case: Any, api_token: str, db: Any, _connections_kept: None) -> None:
    # identity: the WSGI test client hands back gzip bytes undecoded (GZipMiddleware); a real client decodes them.
    headers = {"Authorization": f"Bearer {api_token}", "Accept-Encoding": "identity"}
    case.call_and_validate(headers=headers, checks=CHECKS)
