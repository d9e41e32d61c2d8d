"""The Content-Security-Policy on every response: django-csp, with frame-ancestors following X-Frame-Options.

Settings say `frame-ancestors 'none'` (like `X_FRAME_OPTIONS = "DENY"`). Wagtail's preview views mark their
responses SAMEORIGIN (`xframe_options_sameorigin_override`) because the editor shows them in an iframe; a
browser that reads CSP ignores X-Frame-Options, so those responses get `frame-ancestors 'self'` instead.
Wagtail renders a preview through the whole middleware stack (`make_preview_request`), so the inner pass
has already put the default policy on it: for those responses it is built again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from csp.constants import HEADER, SELF
from csp.middleware import CSPMiddleware, PolicyParts

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase


def _framed_by_own_pages(response: HttpResponseBase) -> bool:
    return str(response.get("X-Frame-Options", "")).upper() == "SAMEORIGIN"


class InsynCSPMiddleware(CSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if _framed_by_own_pages(response) and HEADER in response:
            del response[HEADER]
        return super().process_response(request, response)

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if _framed_by_own_pages(response):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts
