"""The privacy API under /api/v1/privacy: one router made of one module per part."""

from __future__ import annotations

from ninja import Router

from insyn.privacy.api_breaches import router as breaches_router
from insyn.privacy.api_notices import router as notices_router
from insyn.privacy.api_register import router as register_router
from insyn.privacy.api_register_io import router as register_io_router
from insyn.privacy.api_requests import router as requests_router
from insyn.privacy.api_search import router as search_router

router = Router(tags=["privacy"])
router.add_router("", register_router)
router.add_router("", register_io_router)
router.add_router("", notices_router)
router.add_router("", requests_router)
router.add_router("", search_router)
router.add_router("", breaches_router)
