"""Limit/offset pagination with bounds the OpenAPI file states: out of range is a 400, never a 500."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 500
MAX_OFFSET = 10_000_000  # far beyond any list Insyn holds, far below what SQLite's integers overflow at


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """`?limit=1..500&offset=0..10000000`; ninja's own offset had no upper bound (2**63 was a 500)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
