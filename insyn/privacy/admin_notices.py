"""Privacy notices in the Wagtail admin: the list, a notice with its versions and the draft's diff, publish/discard.

Drafts are seen here only, by those who may see the controller's notices; the DPO (privacy.publish_notice)
publishes them. Every change goes through services/notices.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from insyn.core.actor import Actor
from insyn.core.exceptions import DomainError, NotFoundError
from insyn.core.selectors import organisations_for_perm
from insyn.privacy import notice_builder
from insyn.privacy.models import NoticeStatus
from insyn.privacy.notice_pdf import notice_pdf, pdf_filename
from insyn.privacy.selectors import notices as selectors
from insyn.privacy.services import notices as services


def _actor(request: HttpRequest) -> Actor:
    return request.user


@require_GET
def notice_admin_list(request: HttpRequest) -> HttpResponse:
    notices = list(selectors.notice_list(actor=_actor(request)).prefetch_related("versions"))
    rows = []
    for notice in notices:
        versions = list(notice.versions.all())
        rows.append(
            {
                "notice": notice,
                "draft": next((v for v in versions if v.status == NoticeStatus.DRAFT), None),
                "published": next((v for v in versions if v.status == NoticeStatus.PUBLISHED), None),
            }
        )
    context = {
        "rows": rows,
        "controllers": organisations_for_perm(actor=_actor(request), perm="privacy.change_notice").filter(kind="organ"),
        "page_title": _("Privacy notices"),
    }
    return TemplateResponse(request, "privacy/notice_admin_list.html", context)


@require_POST
def notice_admin_regenerate(request: HttpRequest) -> HttpResponse:
    try:
        controller = selectors.access_controller(actor=_actor(request), pk=request.POST.get("controller", ""))
        made = services.notice_regenerate_for(
            actor=_actor(request), controller_id=controller.pk, reason=_("Made from the register on request")
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(count)d draft(s) made or refreshed.") % {"count": len(made)})
    return redirect("privacy_notice_list")


@require_GET
def notice_admin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notice = selectors.access_notice(actor=_actor(request), pk=pk)
    except NotFoundError:
        raise Http404 from None
    lang = request.GET.get("lang", "sv")
    lang = lang if lang in notice_builder.LANGUAGES else "sv"
    versions = list(selectors.notice_versions(actor=_actor(request), notice=notice))
    shown = next((v for v in versions if v.status == NoticeStatus.DRAFT), None) or next(
        (v for v in versions if v.status == NoticeStatus.PUBLISHED), None
    )
    before = selectors.previous_version(shown) if shown else None
    context = {
        "notice": notice,
        "versions": versions,
        "shown": shown,
        "content": (shown.content.get(lang) if shown else None),
        "changes": notice_builder.content_diff(before.content.get(lang) if before else None, shown.content[lang])
        if shown
        else [],
        "lang": lang,
        "languages": notice_builder.LANGUAGES,
        "can_publish": selectors.can_publish(actor=_actor(request), notice=notice),
        "page_title": str(notice),
    }
    return TemplateResponse(request, "privacy/notice_admin_detail.html", context)


def _version(request: HttpRequest, pk: int, number: int) -> Any:
    try:
        return selectors.access_version_by_number(actor=_actor(request), notice_pk=pk, number=number)
    except NotFoundError:
        raise Http404 from None


@require_POST
def notice_admin_publish(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    try:
        services.notice_publish(actor=_actor(request), version=_version(request, pk, number))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The notice is published."))
    return redirect("privacy_notice_detail", pk=pk)


@require_POST
def notice_admin_discard(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    try:
        services.notice_discard(actor=_actor(request), version=_version(request, pk, number))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The draft is discarded."))
    return redirect("privacy_notice_detail", pk=pk)


@require_GET
def notice_admin_pdf(request: HttpRequest, pk: int, number: int, lang: str) -> HttpResponse:
    version = _version(request, pk, number)
    lang = lang if lang in notice_builder.LANGUAGES else "sv"
    response = HttpResponse(notice_pdf(version, lang), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(version, lang)}"'
    return response


@hooks.register("register_admin_urls")
def register_urls() -> list[Any]:
    return [
        path("privacy/notices/", notice_admin_list, name="privacy_notice_list"),
        path("privacy/notices/regenerate/", notice_admin_regenerate, name="privacy_notice_regenerate"),
        path("privacy/notices/<int:pk>/", notice_admin_detail, name="privacy_notice_detail"),
        path("privacy/notices/<int:pk>/<int:number>/publish/", notice_admin_publish, name="privacy_notice_publish"),
        path("privacy/notices/<int:pk>/<int:number>/discard/", notice_admin_discard, name="privacy_notice_discard"),
        path("privacy/notices/<int:pk>/<int:number>/pdf/<str:lang>/", notice_admin_pdf, name="privacy_notice_pdf"),
    ]


class _NoticesMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return bool(request.user.has_perm("privacy.view_notice"))


@hooks.register("register_privacy_menu_item")  # under "Data protection" (admin_register.PRIVACY_MENU_HOOK)
def register_menu_item() -> MenuItem:
    return _NoticesMenuItem(
        gettext_lazy("Privacy notices"), reverse("privacy_notice_list"), icon_name="doc-full", order=40
    )
