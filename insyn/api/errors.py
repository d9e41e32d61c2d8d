"""One error shape for the whole API: {"code", "message", "detail"}."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from insyn.core.exceptions import DomainError


def error_body(code: str, message: Any, detail: Any = None) -> dict[str, Any]:
    return {"code": code, "message": str(message), "detail": detail}


def register_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, code: str, message: Any, detail: Any = None) -> HttpResponse:
        return api.create_response(request, error_body(code, message, detail), status=status)

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return respond(request, exc.status_code, exc.code, exc.message, exc.detail)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        detail = [
            {"loc": [str(p) for p in e.get("loc", [])], "msg": str(e.get("msg", "")), "type": e.get("type", "")}
            for e in exc.errors
        ]
        return respond(request, 400, "validation_error", _("The request is not valid."), detail)

    @api.exception_handler(DjangoValidationError)
    def django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return respond(request, 400, "validation_error", _("The request is not valid."), detail)

    @api.exception_handler(RequestDataTooBig)
    def request_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        # A body without Content-Length that grew past DATA_UPLOAD_MAX_MEMORY_SIZE while read
        # (a declared one is refused earlier, by insyn.api.middleware.ApiErrorMiddleware).
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return respond(request, 413, "request_too_large", _("The request body is too large."), {"max_bytes": limit})

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, "not_authenticated", _("Authentication is required."))

    @api.exception_handler(AuthorizationError)
    def authorization_error(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return respond(request, 403, "permission_denied", _("You do not have permission to do this."))

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, "permission_denied", _("You do not have permission to do this."))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, "not_found", _("Not found."))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {
            400: "bad_request",
            401: "not_authenticated",
            403: "permission_denied",
            404: "not_found",
            413: "request_too_large",
        }.get(exc.status_code, "error")
        return respond(request, exc.status_code, code, exc.message if hasattr(exc, "message") else str(exc))
