"""A notice version as PDF/A-2b (WeasyPrint, as loans/receipts.py), kept in storage once rendered.

A published or superseded version never changes, so its PDF is rendered once per language and then
served from storage; a draft's PDF (admin preview) is rendered each time and never stored.
WeasyPrint is imported inside the function: `django.setup()` and quick commands never pay for it.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation

from insyn.privacy.models import NoticeStatus, NoticeVersion
from insyn.privacy.notice_builder import LANGUAGES


def _content(version: NoticeVersion, language: str) -> dict[str, object]:
    lang = language if language in LANGUAGES else "sv"
    content: dict[str, object] = (version.content or {}).get(lang) or (version.content or {}).get("sv") or {}
    return content


def render_html(version: NoticeVersion, language: str) -> str:
    with translation.override(language):
        return render_to_string("privacy/notice_pdf.html", {"content": _content(version, language), "version": version})


def notice_pdf(version: NoticeVersion, language: str) -> bytes:
    language = language if language in LANGUAGES else "sv"
    frozen = version.status in (NoticeStatus.PUBLISHED, NoticeStatus.SUPERSEDED)
    name = f"privacy/notices/notice-{version.notice_id}-v{version.number}-{version.source_digest[:16]}-{language}.pdf"
    if frozen and default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            return bytes(handle.read())
    import weasyprint  # heavy (fonts, cairo): only where a PDF is rendered

    pdf: bytes = weasyprint.HTML(string=render_html(version, language)).write_pdf(pdf_variant="pdf/a-2b")
    if frozen and not default_storage.exists(name):
        default_storage.save(name, ContentFile(pdf))
    return pdf


def pdf_filename(version: NoticeVersion, language: str) -> str:
    return f"{version.notice.slug}-v{version.number}-{language}.pdf"
