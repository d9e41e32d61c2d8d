"""Forms outside the services: Wagtail's document upload form, checked by content; uploads kept across errors."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import Any

from django import forms
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm

from insyn.core.files import WAGTAIL_DOCUMENT_EXTENSIONS, UploadValidator
from insyn.core.models import Organisation

_check_document = UploadValidator(WAGTAIL_DOCUMENT_EXTENSIONS)


# --- Organisations named with their municipality ---------------------------------------------------
#
# Every municipality has its "Kommunstyrelsen": wherever an organisation is chosen (admin forms, list
# filters, import forms) it reads "Kommunstyrelsen (Piteå kommun)". `scope_choice_fields` labels every
# model choice of an admin form or filter; a form of its own uses `OrganisationChoiceField`.


def organisation_label(organisation: Organisation) -> str:
    """An organ or unit with its municipality ("Kommunstyrelsen (Piteå kommun)"): every municipality has one."""
    municipality = organisation.municipality if organisation.kind != "municipality" else None
    if municipality is None or municipality.pk == organisation.pk:
        return organisation.name
    return f"{organisation.name} ({municipality.name})"


class _WithMunicipality:
    """A choice iterator that reads each organisation's municipality in the same query (the label needs it)."""

    queryset: Any

    def __init__(self, field: forms.ModelChoiceField[Any]) -> None:
        super().__init__(field)  # type: ignore[call-arg]
        if isinstance(self.queryset, QuerySet) and not self.queryset.query.combinator:
            self.queryset = self.queryset.select_related("municipality")


def label_organisation_choices(field: forms.Field) -> None:
    """Set before the queryset: Django builds the widget's choices with the iterator when a queryset is set."""
    iterator = field.iterator  # type: ignore[attr-defined]
    if not issubclass(iterator, _WithMunicipality):
        field.iterator = type(iterator.__name__, (_WithMunicipality, iterator), {})  # type: ignore[attr-defined]
    field.label_from_instance = organisation_label  # type: ignore[attr-defined]


class OrganisationChoiceField(forms.ModelChoiceField[Organisation]):
    """A choice among organisations, each named with its municipality (a municipality by its name alone)."""

    iterator = type("OrganisationChoiceIterator", (_WithMunicipality, forms.models.ModelChoiceIterator), {})

    def label_from_instance(self, obj: Organisation) -> str:
        return organisation_label(obj)


class ProtectedDocumentForm(BaseDocumentForm):
    """Wagtail documents (WAGTAILDOCS_DOCUMENT_FORM_BASE): the extension list, and content that matches it."""

    def clean_file(self) -> Any:
        value = self.cleaned_data.get("file")
        if value and value is not self.initial.get("file"):
            _check_document(value)
        return value


# --- An upload kept across a refused form --------------------------------------------------------
#
# A browser never sends a file again when a form comes back with errors, so the upload of a refused form
# is kept: its bytes go under `imports/pending/` (never served by URL; the daily `import_pending_cleanup_daily`
# removes what nobody saved within a day), its token and name in the user's session. The form carries the
# token in a hidden input beside the file input and says which file is kept; sent back without a new
# file, the form gets the kept one.

KEPT_UPLOADS = "insyn-kept-uploads"
KEPT_UPLOAD_DIR = "imports/pending"
MAX_KEPT_UPLOADS = 10


def _kept_path(token: str) -> str:
    return f"{KEPT_UPLOAD_DIR}/{token}"


def keep_upload(request: HttpRequest, upload: File[Any]) -> str:
    """Store `upload` for this session; return its token."""
    token = uuid.uuid4().hex
    upload.seek(0)
    default_storage.save(_kept_path(token), upload)
    upload.seek(0)
    kept: dict[str, str] = dict(request.session.get(KEPT_UPLOADS, {}))
    while len(kept) >= MAX_KEPT_UPLOADS:  # the oldest goes
        oldest = next(iter(kept))
        del kept[oldest]
        default_storage.delete(_kept_path(oldest))
    kept[token] = PurePosixPath(upload.name or "file").name
    request.session[KEPT_UPLOADS] = kept
    return token


def kept_upload(request: HttpRequest, token: str) -> UploadedFile | None:
    """The upload kept under `token` in this session (another session's token is nothing), or None."""
    name = request.session.get(KEPT_UPLOADS, {}).get(token)
    if not name or not token.isalnum():
        return None
    try:
        content = default_storage.open(_kept_path(token)).read()
    except FileNotFoundError:
        return None
    return SimpleUploadedFile(name, content)


def discard_kept_upload(request: HttpRequest, token: str) -> None:
    kept: dict[str, str] = dict(request.session.get(KEPT_UPLOADS, {}))
    if kept.pop(token, None) is not None and token.isalnum():
        default_storage.delete(_kept_path(token))
        request.session[KEPT_UPLOADS] = kept


class KeptFileInput(forms.ClearableFileInput):
    """A file input that says which upload is kept from the refused attempt and sends its token back."""

    kept: tuple[str, str] | None = None  # (token, file name)

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        html = super().render(name, value, attrs, renderer)
        if self.kept is None:
            return html
        token, filename = self.kept
        notice = _("File kept: %(name)s. It is saved with the form unless you choose another file.") % {
            "name": filename
        }
        return format_html(
            '{}<input type="hidden" name="{}-kept" value="{}"><p class="help insyn-kept-file">{}</p>',
            html,
            name,
            token,
            notice,
        )
