"""Archivists' views in the Wagtail admin: plan tree, import with preview, adopt, new version, compare, export."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from insyn.core.admin_views import ScopedInspectView
from insyn.core.bounded_input import check_request, read_upload, request_too_large
from insyn.core.exceptions import DomainError, NotFoundError
from insyn.core.pending import pending_delete, pending_read, pending_save
from insyn.core.selectors import organisations_for_perm
from insyn.records import selectors, services
from insyn.records.diff import plan_diff
from insyn.records.exceptions import UnclearRulesUnconfirmed
from insyn.records.export import CONTENT_TYPES, export_filename, export_plan
from insyn.records.forms import PlanAdoptForm, PlanConfirmForm, PlanImportForm
from insyn.records.models import RetentionPlan
from insyn.records.pdf_delivery import pdf_page_response
from insyn.records.plandata import PlanFileError


def _plan(request: HttpRequest, pk: Any) -> RetentionPlan:
    """A plan of the actor's admin scope; 404 alike for a missing plan and another municipality's."""
    try:
        return selectors.access_plan(actor=request.user, pk=pk, work_with=True)
    except NotFoundError:
        raise Http404 from None


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    may_edit = selectors.plan_can_edit(actor=request.user, plan=plan)
    context = {
        "plan": plan,
        "areas": selectors.plan_tree(plan),
        "versions": selectors.plan_versions(actor=request.user, plan=plan),
        "unclear": selectors.plan_unclear_rows(plan).count(),
        "can_edit": plan.status == "draft" and may_edit,
        "can_version": plan.status == "adopted" and may_edit,
        "export_formats": ["pdf", "xlsx", "ods", "csv", "json"],
        "page_title": str(plan),
    }
    return TemplateResponse(request, "records/admin/plan_detail.html", context)


def _refused(request: HttpRequest, organisations: Any) -> HttpResponse:
    """The import page with the upload-size error, answered without reading the body."""
    form = PlanImportForm(organisations=organisations)
    try:
        check_request(request)
    except DomainError as exc:
        form.errors[NON_FIELD_ERRORS] = form.error_class([str(exc.message)], error_class="nonfield")
        context = {"form": form, "preview": None, "page_title": _("Import a plan")}
        return TemplateResponse(request, "records/admin/plan_import.html", context, status=exc.status_code)
    return _plan_import(request, organisations)


# CSRF is checked inside, after the upload's size: Django's CSRF check parses the whole body first.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest) -> HttpResponse:
    organisations = organisations_for_perm(actor=request.user, perm="records.add_retentionplan")
    if request.method == "POST" and request_too_large(request):
        return _refused(request, organisations)
    return _plan_import(request, organisations)


def _form_error(form: Any, message: str) -> None:
    """A non-field error on `form`, bound or not: the page shows it once, above the form."""
    form.errors.setdefault(NON_FIELD_ERRORS, form.error_class(error_class="nonfield")).append(message)


@csrf_protect
def _plan_import(request: HttpRequest, organisations: Any) -> HttpResponse:
    """Upload → preview (a dry run: exactly what will be written, row by row) → confirm, with unclear rules fixed."""
    from insyn.records.grammar import parser_for, user_rules
    from insyn.records.import_preview import Readings, apply_choices, build_preview, unclear_choices
    from insyn.records.importers import read_plan

    token = request.POST.get("token", "")
    # A confirmation posts no upload: its form stays unbound, so only real errors show on it.
    form = PlanImportForm(None if token else (request.POST or None), request.FILES or None, organisations=organisations)
    preview = None
    status = 200
    refused = False
    if request.method == "POST" and (token or form.is_valid()):
        try:
            if token:
                # Confirmation: the same bytes the preview read, kept under a random name.
                meta = request.session.get(f"plan-import-{token}")
                if not meta:
                    raise NotFoundError(_("The preview has expired; upload the file again."))
                content = pending_read(token)
                organisation = organisations.filter(pk=meta["organisation"]).first()
                if organisation is None:  # the actor lost the right meanwhile
                    raise NotFoundError(_("The preview has expired; upload the file again."))
                filename, fmt, lang = meta["filename"], meta["format"], meta["lang"]
            else:
                upload = form.cleaned_data["file"]
                content, filename = read_upload(upload), upload.name
                organisation = form.cleaned_data["organisation"]
                fmt, lang = form.cleaned_data["format"], form.cleaned_data["lang"]
            data = read_plan(content, filename=filename, format=fmt, lang=lang, parse=parser_for(organisation))
            data.organisation = data.organisation or organisation.name
            data.title = data.title or PurePath(filename).stem
            readings = Readings(lang, user_rules(getattr(organisation, "municipality_id", None)))
            # The choices come from the file read again here, never from the posted form.
            choices = unclear_choices(data, readings=readings)
            confirm = PlanConfirmForm(request.POST if token else None, choices=choices, initial={"title": data.title})
            if token:
                if confirm.is_valid():
                    apply_choices(choices, confirm.chosen())
                    data.title = confirm.cleaned_data["title"] or data.title
                else:
                    refused = True
            result = services.plan_import(
                actor=request.user,
                organisation=organisation,
                data=data,
                dry_run=not token or refused,
                source=filename,
            )
        except PlanFileError as exc:
            _form_error(form, str(exc))
            status = 400
        except DomainError as exc:
            _form_error(form, str(exc.message))
            status = exc.status_code
        else:
            if token and not refused:
                pending_delete(token)
                request.session.pop(f"plan-import-{token}", None)
                messages.success(
                    request, _("The plan was imported.") if not result.unchanged else _("Nothing changed.")
                )
                assert result.plan is not None
                return redirect("records_plan_detail", pk=result.plan.pk)
            if not token:
                token = pending_save(content)
                request.session[f"plan-import-{token}"] = {
                    "organisation": organisation.pk,
                    "filename": filename,
                    "format": fmt,
                    "lang": lang,
                }
            status = 400 if refused else 200
            preview = {
                "data": data,
                "result": result,
                "token": token,
                "organisation": organisation,
                "rows": build_preview(data, readings=readings),
                "confirm": confirm,
            }
    context = {"form": form, "preview": preview, "page_title": _("Import a plan")}
    return TemplateResponse(request, "records/admin/plan_import.html", context, status=status)


@require_http_methods(["GET", "POST"])
def plan_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    initial = {"adopted_by": plan.adopted_by, "version": plan.version, "paragraph": plan.paragraph}
    unclear = selectors.plan_unclear_rows(plan) if plan.status == "draft" else []
    form = PlanAdoptForm(request.POST or None, initial=initial, unclear_rows=unclear)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_adopt(actor=request.user, plan=plan, **form.adopt_kwargs())
        except UnclearRulesUnconfirmed as exc:
            form.add_error(None, str(exc.message))
            for row in exc.rows:
                if form.unclear_field(row.pk) in form.fields:
                    form.add_error(form.unclear_field(row.pk), _("Give the reason this rule may be adopted as it is."))
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The plan is adopted. It can no longer be changed."))
            return redirect("records_plan_detail", pk=plan.pk)
    return TemplateResponse(
        request, "records/admin/plan_adopt.html", {"plan": plan, "form": form, "page_title": _("Adopt the plan")}
    )


@require_POST
def plan_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    try:
        draft = services.plan_new_version(actor=request.user, plan=plan)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("records_plan_detail", pk=plan.pk)
    messages.success(request, _("A draft of the next version was created."))
    return redirect("records_plan_detail", pk=draft.pk)


def plan_compare(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    other_id = request.GET.get("other") or (plan.previous_version_id and str(plan.previous_version_id))
    diff = other = None
    if other_id:
        other = _plan(request, other_id)
        diff = plan_diff(selectors.plan_data(other), selectors.plan_data(plan))
    context = {
        "plan": plan,
        "other": other,
        "diff": diff,
        "candidates": selectors.plan_compare_candidates(actor=request.user, plan=plan),
        "page_title": _("Compare versions"),
    }
    return TemplateResponse(request, "records/admin/plan_compare.html", context)


def plan_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    plan = _plan(request, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    if fmt == "pdf":  # never rendered in the request (pdf_delivery)
        return pdf_page_response(
            request, plan, template="records/admin/plan_pdf_pending.html", disposition="attachment"
        )
    response = HttpResponse(export_plan(plan, fmt, language=request.LANGUAGE_CODE), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{export_filename(plan, fmt)}"'
    return response


def plan_detail_url(plan: RetentionPlan) -> str:
    return reverse("records_plan_detail", args=[plan.pk])


class DocumentTypeInspectView(ScopedInspectView):
    """A document type as stored: the retention text with the span its rule was read from, extras, new fields."""

    selector_list = staticmethod(selectors.document_type_admin_list)
    template_name = "records/admin/document_type_inspect.html"
    fields = ["name", "activity", "plan"]

    def get_edit_url(self) -> str | None:
        return None if self.object.plan.is_frozen else super().get_edit_url()

    def get_delete_url(self) -> str | None:
        return None if self.object.plan.is_frozen else super().get_delete_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from insyn.records.grammar import user_rules
        from insyn.records.retention_display import (
            distinct_candidates,
            mark_spans,
            plan_language,
            reading_of,
            spans_for,
        )

        context: dict[str, Any] = super().get_context_data(**kwargs)
        row, plan = self.object, self.object.plan
        rules = user_rules(plan.organisation.municipality_id)
        lang = plan_language(plan)
        if row.action == "unclear":
            reading = reading_of(row.retention_text, lang, rules)
            context["retention_html"] = mark_spans(row.retention_text, reading.spans)
            context["candidates"] = distinct_candidates(reading)
        else:
            context["retention_html"] = mark_spans(row.retention_text, spans_for(row.retention_text, row, lang, rules))
        context["row"] = row
        return context
