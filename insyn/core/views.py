from __future__ import annotations

import posixpath
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from insyn.core import selectors
from insyn.core.exceptions import NotFoundError
from insyn.core.files import IMAGE_KINDS, serve_protected_file
from insyn.core.models.documents import GoverningDocument


def home_view(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "core/home.html", {})


# --- Admin search --------------------------------------------------------------------------


def admin_search(request: HttpRequest) -> HttpResponse:
    """`/admin/search/?q=`: what every Insyn app finds for the actor (`insyn.core.search`), grouped by kind,
    with Wagtail's other searches (pages, images, documents) linked beside it."""
    from wagtail.admin.forms.search import SearchForm

    from insyn.core.search import search_all

    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    groups: dict[str, list[Any]] = {}
    for hit in search_all(actor=request.user, query=query):
        groups.setdefault(hit.kind, []).append(hit)
    context = {
        "page_title": _("Search"),
        "search_form": form,
        "query": query,
        "groups": groups,
        "count": sum(len(hits) for hits in groups.values()),
    }
    return TemplateResponse(request, "core/admin/search.html", context)


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
        document = selectors.access_governing_document(actor=request.user, pk=pk)
    except NotFoundError:
        raise Http404 from None
    return governing_document_file_response(request, document)


def governing_document_media(request: HttpRequest, name: str) -> HttpResponseBase:
    try:
        document = selectors.governing_document_by_file(actor=request.user, name=name)
    except NotFoundError:
        raise Http404 from None
    return governing_document_file_response(request, document)


def wagtail_document_media(request: HttpRequest, name: str) -> HttpResponseBase:
    """A Wagtail document's stored file: sent to Wagtail's serve view, which applies collection privacy."""
    document = selectors.wagtail_document_by_file(actor=request.user, name=name)
    if document is None:
        raise Http404
    return redirect(document.url)


def wagtail_image_media(request: HttpRequest, name: str) -> HttpResponseBase:
    """Wagtail images (originals and renditions) for users of the admin; only real raster images, inline."""
    fieldfile = selectors.wagtail_image_file(actor=request.user, name=name)
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
