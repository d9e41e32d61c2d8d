"""A plan's PDF for a request: the stored file, or 202 while a background task renders it.

No request renders a PDF (a large plan takes seconds and hundreds of megabytes, longer than a web
worker may hold; docs/decisions/0004-plan-pdf-engine.md): the first request for a plan and language
without a stored PDF queues `tasks.render_plan_pdfs` once and answers 202 with `Retry-After`; the
next request after the worker has finished gets the file. With the immediate task backend (no worker)
the task has run by the time it is queued, and the file is served at once.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from insyn.records.export import CONTENT_TYPES, export_filename, pdf_render_requested, stored_pdf
from insyn.records.models import RetentionPlan

RETRY_AFTER_SECONDS = 30
PENDING_CODE = "pdf_pending"


def _file(plan: RetentionPlan, content: bytes, disposition: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES["pdf"])
    response["Content-Disposition"] = f'{disposition}; filename="{export_filename(plan, "pdf")}"'
    return response


def _prepared(plan: RetentionPlan, language: str) -> bytes | None:
    content = stored_pdf(plan, language)
    if content is None:
        pdf_render_requested(plan, language)
        content = stored_pdf(plan, language)  # rendered already if the task backend runs tasks at once
    return content


def _pending(response: HttpResponse) -> HttpResponse:
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"  # a proxy must not keep "being prepared" in place of the file
    return response


def pending_message() -> str:
    return _("The PDF is being prepared. Try again in a minute.")


def pdf_page_response(request: HttpRequest, plan: RetentionPlan, *, template: str, disposition: str) -> HttpResponse:
    """The stored PDF, or a short page in the user's language (status 202) saying it is being prepared."""
    content = _prepared(plan, request.LANGUAGE_CODE)
    if content is not None:
        return _file(plan, content, disposition)
    context: dict[str, Any] = {
        "plan": plan,
        "page_title": _("PDF being prepared"),
        "message": pending_message(),
        "retry_after": RETRY_AFTER_SECONDS,
    }
    return _pending(TemplateResponse(request, template, context, status=202))


def pdf_api_response(request: HttpRequest, plan: RetentionPlan, *, disposition: str) -> HttpResponse:
    """The stored PDF, or 202 with the API's error shape (`code` pdf_pending) and `Retry-After`."""
    content = _prepared(plan, request.LANGUAGE_CODE)
    if content is not None:
        return _file(plan, content, disposition)
    body = {"code": PENDING_CODE, "message": pending_message(), "detail": {"retry_after": RETRY_AFTER_SECONDS}}
    return _pending(JsonResponse(body, status=202))
