"""Forms outside the services: Wagtail's document upload form, checked by content."""

from __future__ import annotations

from typing import Any

from wagtail.documents.forms import BaseDocumentForm

from insyn.core.files import WAGTAIL_DOCUMENT_EXTENSIONS, UploadValidator

_check_document = UploadValidator(WAGTAIL_DOCUMENT_EXTENSIONS)


class ProtectedDocumentForm(BaseDocumentForm):
    """Wagtail documents (WAGTAILDOCS_DOCUMENT_FORM_BASE): the extension list, and content that matches it."""

    def clean_file(self) -> Any:
        value = self.cleaned_data.get("file")
        if value and value is not self.initial.get("file"):
            _check_document(value)
        return value
