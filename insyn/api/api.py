from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from insyn.api.auth import ActiveSessionAuth, TokenAuth
from insyn.api.errors import register_error_handlers


class InsynAPI(NinjaAPI):
    """django-ninja's API with the OpenAPI schema built once per process (and language), not per request.

    Building it walks every router and schema (about 0.1 s of CPU); the routers are all mounted at import,
    so the schema cannot change while the process runs. Titles and descriptions may be translated, hence
    one schema per language.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.openapi_schemas: dict[tuple[str | None, tuple[tuple[str, Any], ...], str | None], OpenAPISchema] = {}

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        key = (path_prefix, tuple(sorted((path_params or {}).items())), get_language())
        if key not in self.openapi_schemas:
            self.openapi_schemas[key] = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return self.openapi_schemas[key]


api = InsynAPI(
    title="Insyn API",
    version="1",
    description=(
        "Insyn's JSON API. Authenticate with a personal API token (`Authorization: Bearer wagtail_…`, "
        "created in the admin under Settings → API tokens) or with the admin session. "
        "Errors are `{code, message, detail}`; bad input is a 400, never a 500. Lists take `limit` 1–500 "
        "(default 100) and `offset` 0–10,000,000; a JSON body over 2.5 MB (DATA_UPLOAD_MAX_MEMORY_SIZE) is a 413. "
        "In PATCH bodies a field left out keeps its value; `null` is accepted only where the schema allows it."
    ),
    urls_namespace="insyn_api_v1",
    auth=[TokenAuth(), ActiveSessionAuth()],
)
register_error_handlers(api)


def _mount_routers() -> None:
    # Each app declares its routers on its AppConfig (insyn.core.registry).
    from insyn.core.registry import api_routers, import_string

    for prefix, dotted in api_routers():
        api.add_router(prefix, import_string(dotted))  # type: ignore[arg-type]


_mount_routers()
