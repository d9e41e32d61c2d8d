"""Response compression: Django's GZipMiddleware, minus streamed file downloads.

Django's middleware (>= 4.2) pads every gzip header with 0-99 random bytes against BREACH, which is why it
is used rather than a hand-written one. It would also gzip streamed responses on the fly: the protected
downloads (`insyn.core.files.serve_protected_file`, a FileResponse) are mostly PDF, XLSX, ODS or DOCX,
already compressed, and gzipping them costs CPU and drops their Content-Length. Those pass untouched.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware


class CompressionMiddleware(GZipMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if response.streaming:
            return response
        compressed: HttpResponseBase = super().process_response(request, response)
        return compressed
