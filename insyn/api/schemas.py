"""Schemas every router shares."""

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    code: str
    message: str
    detail: Any = None


# The error responses of every endpoint that reads or changes one object.
ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
