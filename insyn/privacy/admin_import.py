"""Admin: import a register file (upload → preview → confirm) and export links, registered with Wagtail hooks.

The previewed file waits under media/imports/pending/ (`insyn.core.pending`; removed after a day) until it is
confirmed, so the confirmation imports exactly the file the preview showed, read again with the rights the
actor holds then. The session holds only the token, the controller and the file name.
"""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from insyn.core.bounded_input import check_request, read_upload, request_too_large
from insyn.core.exceptions import DomainError, NotFoundError
from insyn.core.forms import OrganisationChoiceField
from insyn.core.pending import pending_delete, pending_read, pending_save
from insyn.core.selectors import organisations_for_perm
from insyn.privacy.exporting import FORMATS, register_export
from insyn.privacy.services.importing import IMPORT_PERMISSION, register_import, register_import_preview

SESSION_KEY = "privacy-register-import-{token}"


class RegisterImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "XLSX, ODS or CSV with one row per processing activity (SKR's template, or columns such as "
            "Behandlingsaktivitet, Ändamål, Rättslig grund …)."
        ),
    )
    controller = OrganisationChoiceField(queryset=None, label=gettext_lazy("Controller"))
    title = forms.CharField(
        label=gettext_lazy("Title of a new register"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Used only when the controller has no register yet."),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["controller"]
        field.queryset = organisations_for_perm(actor=actor, perm=IMPORT_PERMISSION).filter(kind="organ")


def _forget_previews(request: HttpRequest) -> None:
    for key in [k for k in request.session.keys() if k.startswith("privacy-register-import-")]:  # noqa: SIM118
        pending = request.session.pop(key)
        if isinstance(pending, dict) and isinstance(pending.get("file"), str):
            pending_delete(pending["file"])


def _error(form: Any, message: str) -> None:
    form.errors.setdefault(NON_FIELD_ERRORS, form.error_class(error_class="nonfield")).append(message)


def _page(request: HttpRequest, form: Any, preview: Any = None, status: int = 200) -> HttpResponse:
    context = {"form": form, "preview": preview, "page_title": _("Import a processing register")}
    return TemplateResponse(request, "privacy/admin/import_register.html", context, status=status)


# CSRF is checked inside, after the upload's size: Django's CSRF check parses the whole body first.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def import_register(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied
    if request.method == "POST" and request_too_large(request):
        form = RegisterImportForm(actor=request.user)
        try:
            check_request(request)
        except DomainError as exc:
            _error(form, str(exc.message))
            return _page(request, form, status=exc.status_code)
    return _import_register(request)


@csrf_protect
def _import_register(request: HttpRequest) -> HttpResponse:
    actor = request.user
    token = request.POST.get("token", "")
    form = RegisterImportForm(None if token else (request.POST or None), request.FILES or None, actor=actor)
    if request.method != "POST" or not (token or form.is_valid()):
        return _page(request, form, status=400 if request.method == "POST" else 200)
    try:
        if token:
            pending = request.session.get(SESSION_KEY.format(token=token))
            if not pending:
                raise NotFoundError(_("The preview has expired; upload the file again."))
            controller = form.fields["controller"].queryset.filter(pk=pending["controller"]).first()  # type: ignore[attr-defined]
            if controller is None:
                raise NotFoundError(_("The preview has expired; upload the file again."))
            content, filename, title = pending_read(pending["file"]), pending["filename"], pending["title"]
        else:
            upload = form.cleaned_data["file"]
            content, filename = read_upload(upload), str(upload.name)
            controller, title = form.cleaned_data["controller"], form.cleaned_data["title"]
        read = register_import_preview(actor=actor, controller=controller, content=content, filename=filename)
        if token:
            result = register_import(actor=actor, controller=controller, data=read, title=title)
    except DomainError as exc:
        _error(form, str(exc.message))
        return _page(request, form, status=exc.status_code)
    except (KeyError, TypeError):  # a session written by another version of this view
        _error(form, _("The preview has expired; upload the file again."))
        return _page(request, form, status=404)
    if token:
        _forget_previews(request)
        messages.success(
            request,
            _("Imported: %(created)d activities created, %(skipped)d already in the register, %(terms)d new terms.")
            % {"created": len(result.created), "skipped": len(result.skipped), "terms": len(result.new_terms)},
        )
        return redirect("privacy_register_import")
    _forget_previews(request)
    token = secrets.token_hex(16)
    request.session[SESSION_KEY.format(token=token)] = {
        "controller": controller.pk,
        "file": pending_save(content),
        "filename": filename,
        "title": title,
    }
    preview = {"read": read, "token": token, "controller": controller, "filename": filename}
    return _page(request, form, preview)


@require_GET
def export_register(request: HttpRequest, register_id: int, fmt: str) -> HttpResponse:
    """An export link of the register admin: the same files as the API and the CLI."""
    language = request.GET.get("lang", "sv")
    if fmt not in FORMATS or language not in ("sv", "pl", "en"):
        raise Http404
    try:
        content, filename, content_type = register_export(
            actor=request.user, register_id=register_id, fmt=fmt, language=language
        )
    except NotFoundError:  # missing and not yours alike
        raise Http404 from None
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_links(register_id: int) -> list[tuple[str, str]]:
    """(format, URL) of a register's exports, for the register admin's page."""
    return [(fmt, reverse("privacy_register_export", args=[register_id, fmt])) for fmt in FORMATS]


class _ImportMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return bool(request.user.has_perm(IMPORT_PERMISSION))


# The "Data protection" menu of admin_register.py collects its items from this hook (PRIVACY_MENU_HOOK there).
@hooks.register("register_privacy_menu_item")
def register_import_menu_item() -> MenuItem:
    return _ImportMenuItem(
        gettext_lazy("Import a register"), reverse("privacy_register_import"), icon_name="upload", order=90
    )


@hooks.register("register_admin_urls")
def register_urls() -> list[URLPattern]:
    return [
        path("privacy/register-import/", import_register, name="privacy_register_import"),
        path("privacy/registers/<int:register_id>/export/<str:fmt>/", export_register, name="privacy_register_export"),
    ]
