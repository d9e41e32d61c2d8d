"""The DPO's subject search in the Wagtail admin, and its blocks on a data-subject request's page.

- `/admin/privacy/subject-search/`: the form (POST only: a personnummer in a query string ends up in access
  logs), the hits grouped by module with each hit's register activities, and the register extract (PDF/A +
  JSON) made from the same query. The search and the extract are audited by their services.
- On a request's page (`admin_requests.request_detail` adds `request_subject_context`): the dry-run erasure
  plan of an erasure or restriction request, a button that opens the search filled from the request, and the
  restrictions made with a form to lift one.

Reads through `insyn.privacy.selectors`/`subject_search`, writes through `insyn.privacy.services`. Only actors
holding `privacy.view_subject_data` see the page (403 for others, as the requests pages answer); a request of
another municipality is a 404.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from insyn.core.actor import Actor
from insyn.core.exceptions import DomainError, NotFoundError, PermissionDeniedError
from insyn.core.models.organisations import Organisation
from insyn.core.permissions import actor_scope, has_org_perm
from insyn.privacy.forms_subject import RestrictionLiftForm, SubjectSearchForm, initial_from_request
from insyn.privacy.models import IdentityStatus, RequestKind, SubjectRequest
from insyn.privacy.selectors import requests as request_selectors

VIEW_SUBJECT_DATA = "privacy.view_subject_data"
ERASE_SUBJECT_DATA = "privacy.erase_subject_data"
VIEW_NATIONAL_ID = "officials.view_national_id"
OPEN_STATUSES = ("received", "in_progress")
LANGUAGES = ("sv", "en", "pl")


def may_use_subject_search(actor: Actor) -> bool:
    scope = actor_scope(actor)
    return scope.is_superuser or bool(scope.municipalities_with(VIEW_SUBJECT_DATA))


def _municipalities(actor: Actor) -> dict[int, Organisation]:
    """The municipalities the actor may search in: those of the organisations where they hold the right."""
    from insyn.core.selectors import organisations_for_perm
    from insyn.privacy.selectors.subject import may_search

    found: dict[int, Organisation] = {}
    for organisation in organisations_for_perm(actor=actor, perm=VIEW_SUBJECT_DATA).select_related("municipality"):
        municipality = organisation.municipality or organisation
        if municipality.pk not in found and may_search(actor, municipality.pk):
            found[municipality.pk] = municipality
    return dict(sorted(found.items(), key=lambda item: item[1].name))


def _form(actor: Actor, municipalities: dict[int, Organisation], data: Any = None, **kwargs: Any) -> SubjectSearchForm:
    chosen: Organisation | None = None
    if data is not None:
        try:
            chosen = municipalities.get(int(str(data.get("municipality", ""))[:12]))
        except ValueError:
            chosen = None
    elif kwargs.get("initial"):
        chosen = municipalities.get(kwargs["initial"].get("municipality"))
    show = chosen is not None and has_org_perm(actor, VIEW_NATIONAL_ID, chosen)
    return SubjectSearchForm(
        data,
        municipalities=[(pk, m.name) for pk, m in municipalities.items()],
        show_national_id=show,
        **kwargs,
    )


def _place_error(form: SubjectSearchForm, exc: DomainError) -> None:
    if isinstance(exc, PermissionDeniedError):
        raise PermissionDenied(str(exc.message))
    if isinstance(exc, NotFoundError):
        raise Http404
    field = exc.detail.get("field") if isinstance(exc.detail, dict) else None
    form.add_error(field if field in form.fields else None, str(exc.message))


def _for_request(actor: Actor, pk: int | None) -> SubjectRequest | None:
    if not pk:
        return None
    try:
        return request_selectors.access_request(actor=actor, pk=pk)
    except NotFoundError:
        raise Http404 from None


def _module_name(label: str) -> str:
    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return label


def _grouped(result: Any) -> list[dict[str, Any]]:
    return [
        {"module": module, "name": _module_name(module), "hits": hits} for module, hits in result.by_module().items()
    ]


@never_cache
@require_http_methods(["GET", "POST"])
def subject_search_view(request: HttpRequest) -> HttpResponse:
    """GET: the empty form. POST `action`: "prefill" (from a request's page), "search" or "extract"."""
    if not may_use_subject_search(request.user):
        raise PermissionDenied
    municipalities = _municipalities(request.user)
    if not municipalities:
        raise PermissionDenied
    context: dict[str, Any] = {"page_title": _("Subject search"), "groups": None, "extracts": None}
    action = str(request.POST.get("action", ""))[:20] if request.method == "POST" else ""
    subject_request: SubjectRequest | None = None
    if action == "prefill":
        try:
            pk = int(str(request.POST.get("request", ""))[:12])
        except ValueError:
            raise Http404 from None
        subject_request = _for_request(request.user, pk)
        assert subject_request is not None
        national_id = ""
        if subject_request.national_id and has_org_perm(request.user, VIEW_SUBJECT_DATA, subject_request.controller):
            national_id = request_selectors.national_id_for(actor=request.user, request=subject_request)
        form = _form(
            request.user, municipalities, initial=initial_from_request(subject_request, national_id=national_id)
        )
    elif action in ("search", "extract"):
        form = _form(request.user, municipalities, request.POST)
        if form.is_valid():
            subject_request = _for_request(request.user, form.cleaned_data.get("request"))
            try:
                if action == "search":
                    context.update(_search(request, form))
                else:
                    context.update(_extract(request, form, subject_request))
            except DomainError as exc:
                _place_error(form, exc)
    else:
        form = _form(request.user, municipalities, initial={"municipality": next(iter(municipalities))})
    context.update({"form": form, "subject_request": subject_request})
    return TemplateResponse(request, "privacy/admin/subject_search.html", context)


def _search(request: HttpRequest, form: SubjectSearchForm) -> dict[str, Any]:
    from insyn.privacy.subject_search import subject_search

    result = subject_search(
        actor=request.user, municipality_id=form.cleaned_data["municipality"], query=form.as_query()
    )
    return {"groups": _grouped(result), "count": len(result.hits), "truncated": result.truncated}


def _extract(request: HttpRequest, form: SubjectSearchForm, subject_request: SubjectRequest | None) -> dict[str, Any]:
    from insyn.privacy.services.extracts import extract_create

    language = (translation.get_language() or "sv")[:2]
    made = extract_create(
        actor=request.user,
        municipality_id=form.cleaned_data["municipality"],
        query=form.as_query(),
        request=subject_request,
        formats=("pdf", "json"),
        language=language if language in LANGUAGES else "sv",
    )
    return {
        "extracts": [
            {"extract": extract, "url": reverse("privacy:extract_file", args=[extract.pk])} for extract in made
        ]
    }


# --- Blocks of a request's page --------------------------------------------------------------------------


def request_subject_context(request: HttpRequest, subject_request: SubjectRequest) -> dict[str, Any]:
    """What `request_detail.html` shows in its subject block: the dry-run plan, the search button, the
    restrictions with their lift forms. The plan is a search of the person's data, audited by its service."""
    actor = request.user
    controller = subject_request.controller
    may_see = has_org_perm(actor, VIEW_SUBJECT_DATA, controller)
    is_open = subject_request.status in OPEN_STATUSES
    context: dict[str, Any] = {
        "subject_search_button": may_see
        and bool(subject_request.national_id)
        and subject_request.identity_status == IdentityStatus.VERIFIED,
        "erasure_plan": None,
        "erasure_plan_error": "",
        "restrictions": [],
        "can_lift": False,
    }
    kinds = (RequestKind.ERASURE, RequestKind.RESTRICTION)
    if may_see and is_open and subject_request.kind in kinds and not subject_request.erasure_items.exists():
        from insyn.privacy.services.erasure import erasure_plan

        try:
            context["erasure_plan"] = erasure_plan(actor=actor, request=subject_request)
        except DomainError as exc:
            context["erasure_plan_error"] = str(exc.message)
    if subject_request.kind == RequestKind.RESTRICTION or may_see:
        context["restrictions"] = list(subject_request.restrictions.all())
        context["can_lift"] = has_org_perm(actor, ERASE_SUBJECT_DATA, controller)
        context["lift_form"] = RestrictionLiftForm(prefix="lift")
    return context


@require_POST
def restriction_lift_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift one of the request's restrictions; the reason is required and goes to the audit trail."""
    from insyn.privacy.services.erasure import restriction_lift

    if not request_selectors.is_staff_in_scope(request.user):
        raise PermissionDenied
    subject_request = _for_request(request.user, pk)
    assert subject_request is not None
    form = RestrictionLiftForm(request.POST, prefix="lift")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("privacy_request_detail", pk=pk)
    restriction = subject_request.restrictions.filter(pk=form.cleaned_data["restriction"]).first()
    if restriction is None:
        raise Http404
    try:
        restriction_lift(actor=request.user, restriction=restriction, reason=form.cleaned_data["reason"])
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except NotFoundError:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The restriction of “%(place)s” is lifted.") % {"place": restriction.object_label})
    return redirect("privacy_request_detail", pk=pk)


@hooks.register("register_admin_urls")
def register_subject_urls() -> list[URLPattern]:
    return [
        path("privacy/subject-search/", subject_search_view, name="privacy_subject_search"),
        path("privacy/requests/<int:pk>/lift-restriction/", restriction_lift_view, name="privacy_restriction_lift"),
    ]


class _SubjectSearchMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return may_use_subject_search(request.user)


@hooks.register("register_privacy_menu_item")
def register_subject_search_menu_item() -> MenuItem:
    return _SubjectSearchMenuItem(
        gettext_lazy("Subject search"), reverse("privacy_subject_search"), icon_name="search", order=45
    )
