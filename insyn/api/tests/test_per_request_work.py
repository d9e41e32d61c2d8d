"""No wasted work per request (issue #9): the OpenAPI schema is built once, database connections are kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from ninja import NinjaAPI

from insyn.api.api import api


@pytest.fixture
def schema_builds(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every call of django-ninja's own schema builder, counted by wrapping the real method."""
    builds: list[dict[str, Any]] = []
    real = NinjaAPI.get_openapi_schema

    def counting(self: NinjaAPI, **kwargs: Any) -> Any:
        builds.append(kwargs)
        return real(self, **kwargs)

    monkeypatch.setattr(NinjaAPI, "get_openapi_schema", counting)
    monkeypatch.setattr(api, "openapi_schemas", {})  # as in a fresh process
    return builds


@pytest.mark.django_db
def test_openapi_json_is_built_once_for_many_requests(client: Any, schema_builds: list[dict[str, Any]]) -> None:
    first = client.get("/api/v1/openapi.json")
    second = client.get("/api/v1/openapi.json")

    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert len(first.json()["paths"]) > 10
    assert len(schema_builds) == 1


@pytest.mark.django_db
def test_each_language_gets_its_own_schema(schema_builds: list[dict[str, Any]]) -> None:
    with translation.override("sv"):
        swedish = api.get_openapi_schema()
        assert api.get_openapi_schema() is swedish
    with translation.override("pl"):
        polish = api.get_openapi_schema()

    assert polish is not swedish
    assert len(schema_builds) == 2


@pytest.mark.django_db(transaction=True)
def test_a_database_connection_outlives_the_request(settings: Any) -> None:
    """Django closes a connection at the end of a request unless CONN_MAX_AGE keeps it (SQLite and PostgreSQL)."""
    from django.db import close_old_connections, connection

    assert settings.DATABASES["default"]["CONN_MAX_AGE"] >= 60
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    connection.ensure_connection()
    before = connection.connection

    close_old_connections()  # what Django runs on request_started and request_finished
    connection.ensure_connection()

    assert connection.connection is before
