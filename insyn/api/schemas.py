"""Schemas and field types every router shares."""

from typing import Annotated, Any

from ninja import Field, Path, Schema

# The largest id SQLite and PostgreSQL `bigint` hold: a larger one is refused with 400 before any query
# (SQLite raises OverflowError on it, a 500).
MAX_ID = 2**63 - 1

# An object's id in a request body or query string.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# An object's id in the URL path (`/plans/{int:plan_id}`).
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


class ErrorOut(Schema):
    code: str
    message: str
    detail: Any = None


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def Unchanged(**constraints: Any) -> Any:
    """A PATCH field that may be left out (then it keeps its value) but never be null.

    The field's type has no `None`, so `null` is refused with 400 (`validation_error`) and the OpenAPI
    file does not call it nullable; the `None` default only marks "not sent" and is left out of the
    schema. Read the payload with `payload.dict(exclude_unset=True)`.
    """
    return Field(None, json_schema_extra=_no_default, **constraints)


_ERROR_CODES = (400, 401, 403, 404)
# Every operation: a bad parameter (400), no or a wrong token (401), no permission (403), not found (404;
# also an id that is not a number in the path).
READ_ERRORS: dict[int, type[Schema]] = dict.fromkeys(_ERROR_CODES, ErrorOut)
# Operations that change state add a conflict (409) and a body over DATA_UPLOAD_MAX_MEMORY_SIZE (413).
WRITE_ERRORS: dict[int, type[Schema]] = dict.fromkeys((*_ERROR_CODES, 409, 413), ErrorOut)
# What `ERRORS` always meant (400, 401, 403, 404, 409); new code picks READ_ERRORS or WRITE_ERRORS.
ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 409: ErrorOut}
