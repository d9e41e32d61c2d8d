"""Protected files: uploads are checked by content, downloads go through views that check the actor's right.

Nothing under MEDIA_ROOT is served by its URL alone. Each kind of file has a download view in its app that
looks the object up through the app's selector (so another municipality gets 404), writes an audit entry
where the file holds personal data, and answers with `serve_protected_file`. That function:

* sniffs the stored content and sends that type (never `text/html`; unknown or markup is
  `application/octet-stream`),
* sends `Content-Disposition: attachment` except for PDFs and raster images where the caller allows inline,
* sends `X-Content-Type-Options: nosniff` and `Cache-Control: private, no-store`,
* streams the file itself (`INSYN_FILE_SERVE = "stream"`, the default and `make run`), or leaves the bytes
  to the web server with `X-Accel-Redirect` (nginx) or `X-Sendfile` (Apache, lighttpd).

`check_upload` refuses a new upload whose extension is not in the field's allow-list or whose content is
not what the extension says (HTML, SVG or script renamed `.pdf` or `.txt` included).
"""

from __future__ import annotations

import posixpath
import uuid
import zipfile
from collections.abc import Collection
from pathlib import PurePosixPath
from typing import IO, Any, TypeGuard
from urllib.parse import quote

import filetype
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files import File
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from insyn.core.exceptions import ValidationFailed

HEAD_BYTES = 8192

# The kind of content each accepted extension must hold.
KIND_OF_EXTENSION = {
    "pdf": "pdf",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "gif": "gif",
    "webp": "webp",
    "docx": "docx",
    "xlsx": "xlsx",
    "pptx": "pptx",
    "odt": "odt",
    "ods": "ods",
    "odp": "odp",
    "txt": "text",
    "csv": "text",
}

MIME_OF_KIND = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}

# Only these may be shown in the browser (and only where the view allows it); everything else is an attachment.
INLINE_KINDS = frozenset({"pdf", "png", "jpeg", "gif", "webp"})
IMAGE_KINDS = frozenset({"png", "jpeg", "gif", "webp"})

# Allow-lists of extensions per field.
GOVERNING_DOCUMENT_EXTENSIONS = ("pdf", "docx", "odt", "xlsx", "ods", "txt")
WAGTAIL_DOCUMENT_EXTENSIONS = ("pdf", "docx", "odt", "xlsx", "ods", "csv", "txt")

_FILETYPE_KINDS = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpeg",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/zip": "zip",
    **{mime: kind for kind, mime in MIME_OF_KIND.items() if kind not in {"pdf", "png", "jpeg", "gif", "webp"}},
}
# Markers of active content; a text upload holding any of them is refused and never served as text.
_MARKUP_MARKERS = (
    b"<!doctype",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<svg",
    b"<iframe",
    b"<object",
    b"<embed",
    b"<meta",
    b"<link",
    b"<style",
    b"<img",
    b"<?xml",
    b"<xml",
    b"javascript:",
)
_OOXML_PARTS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx", "ppt/presentation.xml": "pptx"}
_ODF_MIMES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}


def _as_text(head: bytes) -> str | None:
    """`head` decoded when it looks like plain text (UTF-8/16 or a single-byte code page), else None."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="ignore")
    if any(b < 0x09 or 0x0E <= b < 0x20 for b in head if b != 0x1B):
        return None
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut at the end of the sample
            return head[: exc.start].decode("utf-8")
        return head.decode("cp1252", errors="replace")


def _looks_like_markup(text: str) -> bool:
    sample = text.lstrip().lower().encode("utf-8", errors="ignore").replace(b"\x00", b"")
    return sample.startswith(b"<") or any(marker in sample for marker in _MARKUP_MARKERS)


def sniff(head: bytes) -> str:
    """The kind of content from the first bytes: a key of MIME_OF_KIND, "zip", "text", "markup" or "binary"."""
    guess = filetype.guess(head) if head else None
    if guess is not None:
        return _FILETYPE_KINDS.get(guess.mime, "binary")
    text = _as_text(head)
    if text is None:
        return "binary"
    return "markup" if _looks_like_markup(text) else "text"


def _zip_kind(handle: IO[bytes]) -> str:
    """docx/xlsx/pptx/odt/ods/odp by the archive's parts, else "zip"; "binary" when it is no valid archive."""
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                odf = archive.read("mimetype").decode("ascii", errors="replace").strip()
                return _ODF_MIMES.get(odf, "zip")
            if "[Content_Types].xml" in names:
                for part, kind in _OOXML_PARTS.items():
                    if part in names:
                        return kind
            return "zip"
    except (zipfile.BadZipFile, OSError, ValueError):
        return "binary"


def detect_kind(handle: IO[bytes]) -> str:
    """The kind of the whole file (zip-based office formats checked by their parts)."""
    handle.seek(0)
    head = handle.read(HEAD_BYTES)
    kind = sniff(head)
    if kind == "zip" or kind in {"docx", "xlsx", "pptx", "odt", "ods", "odp"}:
        handle.seek(0)
        kind = _zip_kind(handle)
    handle.seek(0)
    return kind


def _extension(name: str) -> str:
    return PurePosixPath(name).suffix.lower().lstrip(".")


def check_upload(file: File[Any], *, allowed: Collection[str], field: str = "file") -> None:
    """Refuse `file` unless its extension is allowed and its content is what the extension says."""
    name = PurePosixPath(file.name or "").name
    extension = _extension(name)
    if extension not in allowed or extension not in KIND_OF_EXTENSION:
        message = _("Files of this type are not accepted (%(name)s). Accepted: %(allowed)s.") % {
            "name": name,
            "allowed": ", ".join(sorted(allowed)),
        }
        raise ValidationFailed(message, code="file_type_refused", detail={field: [message]})
    file.open("rb")
    try:
        kind = detect_kind(file)
    finally:
        file.seek(0)
    if kind != KIND_OF_EXTENSION[extension]:
        message = _("The content of %(name)s is not a %(extension)s file.") % {
            "name": name,
            "extension": extension.upper(),
        }
        raise ValidationFailed(message, code="file_content_refused", detail={field: [message]})


def is_new_upload(value: Any) -> TypeGuard[File[Any]]:
    """True for a file being uploaded now (not one already in storage, not "clear", not nothing)."""
    if isinstance(value, FieldFile):
        return not getattr(value, "_committed", True)
    return isinstance(value, File)


class UploadValidator:
    """A Django validator for forms outside the services (Wagtail documents)."""

    def __init__(self, allowed: Collection[str]) -> None:
        self.allowed = tuple(allowed)

    def __call__(self, value: Any) -> None:
        if not is_new_upload(value):
            return
        try:
            check_upload(value, allowed=self.allowed)
        except ValidationFailed as exc:
            raise ValidationError(str(exc.message), code=exc.code) from exc

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadValidator) and other.allowed == self.allowed

    def __hash__(self) -> int:
        return hash(self.allowed)


def token_path(prefix: str, filename: str) -> str:
    """`prefix/<random 32 hex>/<safe original name>`: names no one can guess."""
    safe = get_valid_filename(PurePosixPath(filename).name)[-100:] or "file"
    return posixpath.join(prefix, uuid.uuid4().hex, safe)


def _serve_mode() -> str:
    mode = getattr(settings, "INSYN_FILE_SERVE", "stream")
    if mode not in {"stream", "x-accel-redirect", "x-sendfile"}:
        raise ImproperlyConfigured(f"INSYN_FILE_SERVE must be stream, x-accel-redirect or x-sendfile, not {mode!r}.")
    return str(mode)


def _local_path(fieldfile: FieldFile) -> str | None:
    try:
        return str(fieldfile.path)
    except NotImplementedError:  # remote storage (S3): no path on this machine
        return None


def serve_protected_file(
    request: HttpRequest, fieldfile: FieldFile, *, filename: str = "", inline_ok: bool = False
) -> HttpResponseBase:
    """Answer with the stored file after the caller has checked the right (and audited the read)."""
    if not fieldfile or not fieldfile.name:
        raise Http404
    storage = fieldfile.storage
    try:
        handle = storage.open(fieldfile.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    head = handle.read(HEAD_BYTES)
    kind = sniff(head)
    download_name = filename or PurePosixPath(fieldfile.name).name
    if kind in MIME_OF_KIND:
        content_type = MIME_OF_KIND[kind]
    elif kind == "text":
        content_type = "text/csv" if _extension(download_name) == "csv" else "text/plain"
    else:  # markup, archives, anything unknown: bytes to save, never a page
        content_type = "application/octet-stream"
    as_attachment = not (inline_ok and kind in INLINE_KINDS)

    mode = _serve_mode()
    local_path = _local_path(fieldfile)
    response: HttpResponseBase
    if mode == "stream" or local_path is None:
        handle.seek(0)
        response = FileResponse(handle, content_type=content_type)
    else:
        handle.close()
        response = HttpResponse(b"", content_type=content_type)
        if mode == "x-accel-redirect":
            prefix = getattr(settings, "INSYN_X_ACCEL_PREFIX", "/protected-media/").rstrip("/") + "/"
            response["X-Accel-Redirect"] = prefix + quote(fieldfile.name)
        else:
            response["X-Sendfile"] = local_path
    disposition = content_disposition_header(as_attachment, download_name)
    if disposition:
        response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response
