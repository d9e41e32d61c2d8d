from __future__ import annotations

import posixpath
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.module_loading import import_string

from insyn.core import selectors
from insyn.core.exceptions import NotFoundError
from insyn.core.files import IMAGE_KINDS, serve_protected_file
from insyn.core.models.documents import GoverningDocument


def home_view(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "core/home.html", {})


# --- Protected files ---------------------------------------------------------------------


def media_serve(request: HttpRequest, path: str) -> HttpResponseBase:
    """The only door to MEDIA_URL: a path is served only through the object that owns it.

    Anonymous visitors go to the login page whatever the path (so nothing tells which files exist).
    `INSYN_MEDIA_OWNERS` maps a folder to the view that finds the owning object through its selector
    and checks the actor's right; every other path is 404 (import files, plan PDFs, anything unknown).
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    name = posixpath.normpath(path).lstrip("/")
    if name.startswith("..") or name in {"", "."}:
        raise Http404
    for prefix, view in settings.INSYN_MEDIA_OWNERS.items():
        if name.startswith(prefix):
            response: HttpResponseBase = import_string(view)(request, name)
            return response
    raise Http404


def governing_document_file_response(request: HttpRequest, document: GoverningDocument) -> HttpResponseBase:
    if not document.file:
        raise Http404
    return serve_protected_file(request, document.file, filename=PurePosixPath(document.file.name).name, inline_ok=True)


@login_required
def governing_document_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The file of a governing document, for whoever may see the document (another municipality: 404)."""
    try:
        document = selectors.governing_document_get(actor=request.user, pk=pk)
    except NotFoundError:
        raise Http404 from None
    return governing_document_file_response(request, document)


def governing_document_media(request: HttpRequest, name: str) -> HttpResponseBase:
    document = selectors.governing_document_list(actor=request.user).filter(file=name).first()
    if document is None:
        raise Http404
    return governing_document_file_response(request, document)


def wagtail_document_media(request: HttpRequest, name: str) -> HttpResponseBase:
    """A Wagtail document's stored file: sent to Wagtail's serve view, which applies collection privacy."""
    from wagtail.documents import get_document_model

    document = get_document_model().objects.filter(file=name).first()
    if document is None:
        raise Http404
    return redirect(document.url)


def wagtail_image_media(request: HttpRequest, name: str) -> HttpResponseBase:
    """Wagtail images (originals and renditions) for users of the admin; only real raster images, inline."""
    from wagtail.images import get_image_model

    if not request.user.has_perm("wagtailadmin.access_admin"):
        raise Http404
    image_model = get_image_model()
    image = image_model.objects.filter(file=name).first()
    fieldfile = image.file if image is not None else None
    if fieldfile is None:
        rendition = image_model.get_rendition_model().objects.filter(file=name).first()
        fieldfile = rendition.file if rendition is not None else None
    if fieldfile is None:
        raise Http404
    response = serve_protected_file(request, fieldfile, inline_ok=True)
    if response["Content-Type"] not in {f"image/{kind}" for kind in IMAGE_KINDS}:
        # Close only the file: HttpResponse.close() would send request_finished in the middle of the
        # request, and Django's handler then closes the database connection under the view.
        stream = getattr(response, "file_to_stream", None)
        if stream is not None:
            stream.close()
        raise Http404  # not an image: Wagtail validates uploads with Willow, so this is a file put there by hand
    return response
