from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def home_view(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "core/home.html", {})
