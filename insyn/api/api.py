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
    from insyn.core.api import documents_router, organisations_router

    api.add_router("/organisations", organisations_router)
    api.add_router("/governing-documents", documents_router)

    from insyn.records.api import router as records_router

    api.add_router("/records", records_router)

    from insyn.loans.api import router as loans_router
    from insyn.officials.api import router as officials_router

    api.add_router("/officials", officials_router)
    api.add_router("/loans", loans_router)


_mount_routers()
