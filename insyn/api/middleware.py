"""Errors under /api/ that arise before or outside a ninja operation, in the API's {code, message, detail} shape."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from insyn.api.errors import error_body

API_PREFIX = "/api/"
# Bodies Django reads through `request.body`, which refuses more than DATA_UPLOAD_MAX_MEMORY_SIZE.
# Raw uploads (application/octet-stream, multipart files) are read by their endpoints under their own
# limit (`insyn.core.bounded_input`, INSYN_IMPORT_MAX_BYTES) and are not checked here.
_MEMORY_BODY_TYPES = ("application/json", "application/x-www-form-urlencoded")
# A JSON string holding NUL: `\u0000` after an even number of backslashes (`\\u0000` is the text "\u0000").
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def too_large_response() -> JsonResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return JsonResponse(
        error_body("request_too_large", _("The request body is too large."), {"max_bytes": limit}), status=413
    )


def nul_response(where: str) -> JsonResponse:
    # PostgreSQL cannot store or compare NUL in text (a 500 there); no Insyn value holds one.
    message = _("Text may not contain the NUL character.")
    return JsonResponse(error_body("validation_error", message, [{"loc": [where], "msg": message}]), status=400)


def declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class ApiErrorMiddleware:
    """Under /api/ only:

    - 413 for a JSON (or form) body over DATA_UPLOAD_MAX_MEMORY_SIZE, decided on Content-Length before
      anything reads it (one that slips through, e.g. without Content-Length, gets the same 413 from
      the API's `RequestDataTooBig` handler in `insyn.api.errors`);
    - 400 for NUL in the query string or a JSON body;
    - a JSON 404 when no route matches (`/api/v1/records/plans/abc`), instead of the HTML page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        refused = self.refuse(request)
        if refused is not None:
            return refused
        response = self.get_response(request)
        if response.status_code == 404 and not response.get("Content-Type", "").startswith("application/json"):
            return JsonResponse(error_body("not_found", _("Not found.")), status=404)
        return response

    def refuse(self, request: HttpRequest) -> HttpResponse | None:
        for key, values in request.GET.lists():
            if any("\x00" in text for text in (key, *values)):
                return nul_response("query")
        if request.content_type not in _MEMORY_BODY_TYPES:
            return None
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and declared_length(request) > limit:
            return too_large_response()
        if request.content_type == "application/json" and declared_length(request) and _JSON_NUL.search(request.body):
            return nul_response("body")
        return None
