"""Register extracts are served only through a view that checks the right to the request they belong to."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from insyn.core.exceptions import NotFoundError
from insyn.privacy.services.extracts import extract_open


@require_GET
@login_required
def extract_file(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        name, content, content_type = extract_open(actor=request.user, pk=pk)
    except NotFoundError as exc:
        raise Http404 from exc
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"  # personal data: never kept by a browser or proxy cache
    response["X-Content-Type-Options"] = "nosniff"
    return response
