"""The public site's privacy notices: the published version of each, its earlier versions, and the PDF.

Only published (and, in the history, superseded) versions are shown, to anyone: drafts are the DPO's
business and appear only in the admin. The notice is shown in the visitor's language (sv/pl/en).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET

from insyn.core.exceptions import NotFoundError
from insyn.privacy import notice_builder
from insyn.privacy.models import Notice, NoticeVersion
from insyn.privacy.notice_pdf import notice_pdf, pdf_filename
from insyn.privacy.selectors import notices as selectors


def _language() -> str:
    lang = (translation.get_language() or "sv")[:2]
    return lang if lang in notice_builder.LANGUAGES else "sv"


def _notice_or_404(municipality: str, controller: str, notice: str) -> Notice:
    try:
        return selectors.public_notice(municipality=municipality, controller=controller, notice=notice)
    except NotFoundError:
        raise Http404 from None


def _version_or_404(notice: Notice, number: int | None = None) -> NoticeVersion:
    try:
        return selectors.public_version(notice=notice, number=number)
    except NotFoundError:
        raise Http404 from None


def notice_url(notice: Notice, name: str = "notice", address: tuple[str, str, str] | None = None, **extra: Any) -> str:
    m, c, n = address or selectors.slugs_of(notice)
    return reverse(f"privacy:{name}", kwargs={"municipality": m, "controller": c, "notice": n, **extra})


@require_GET
def notice_index(request: HttpRequest) -> HttpResponse:
    lang = _language()
    by_municipality: dict[str, list[dict[str, str]]] = {}
    versions = list(selectors.published_versions())
    addresses = selectors.public_addresses(version.notice for version in versions)
    for version in versions:
        notice = version.notice
        municipality = notice.controller.municipality or notice.controller
        by_municipality.setdefault(municipality.name, []).append(
            {
                "url": notice_url(notice, address=addresses[notice.pk]),
                "title": str((version.content.get(lang) or {}).get("title", notice)),
                "controller": notice.controller.name,
            }
        )
    return TemplateResponse(request, "privacy/notice_index.html", {"by_municipality": by_municipality})


@require_GET
def notice_detail(
    request: HttpRequest, municipality: str, controller: str, notice: str, number: int | None = None
) -> HttpResponse:
    found = _notice_or_404(municipality, controller, notice)
    version = _version_or_404(found, number)
    lang = _language()
    context = {
        "content": version.content.get(lang) or version.content.get("sv"),
        "version": version,
        "is_current": version.status == "published",
        "current_url": notice_url(found),
        "pdf_url": notice_url(found, "notice_version_pdf", number=version.number),
        "history_url": notice_url(found, "notice_history"),
    }
    return TemplateResponse(request, "privacy/notice.html", context)


@require_GET
def notice_history(request: HttpRequest, municipality: str, controller: str, notice: str) -> HttpResponse:
    found = _notice_or_404(municipality, controller, notice)
    lang = _language()
    versions = selectors.public_history(notice=found)
    items = []
    for index, version in enumerate(versions):
        before = versions[index + 1] if index + 1 < len(versions) else None
        items.append(
            {
                "version": version,
                "url": notice_url(found, "notice_version", number=version.number),
                "changes": notice_builder.content_diff(
                    before.content.get(lang) if before else None, version.content.get(lang) or {}
                )
                if before
                else [],
            }
        )
    title = (versions[0].content.get(lang) or {}).get("title", str(found)) if versions else str(found)
    return TemplateResponse(request, "privacy/notice_history.html", {"items": items, "title": title})


@require_GET
def notice_version_pdf(
    request: HttpRequest, municipality: str, controller: str, notice: str, number: int | None = None
) -> HttpResponse:
    found = _notice_or_404(municipality, controller, notice)
    version = _version_or_404(found, number)
    lang = _language()
    response = HttpResponse(notice_pdf(version, lang), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf_filename(version, lang)}"'
    return response
