from __future__ import annotations

from ninja import NinjaAPI

from insyn.api.auth import ActiveSessionAuth, TokenAuth
from insyn.api.errors import register_error_handlers

api = NinjaAPI(
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
