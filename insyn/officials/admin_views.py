"""The officials register's admin views: persons, memberships, the person page and the import.

A personal identity number is never shown in full in a list, a form or an export: every column
and export cell about a person comes from `person_view`, which masks it (and hides everything but
the name of a person with protected identity). The one way to see it unmasked is the person page's
"Show personal identity number" action, for those with the right; `person_view(reveal=True)` puts
that read on the audit trail.

Every read goes through `insyn.officials.selectors`, every write through `insyn.officials.services`.
`wagtail_hooks.py` only registers these views.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.base import ViewSetGroup

from insyn.core.admin_views import (
    InsynModelViewSet,
    MunicipalityFieldMixin,
    NoEditIndexView,
    ServiceCreateView,
    ServiceEditView,
    actor_organs,
)
from insyn.core.bounded_input import check_request, read_upload, request_too_large
from insyn.core.exceptions import DomainError, NotFoundError
from insyn.core.pending import pending_delete, pending_read, pending_save
from insyn.core.permissions import has_org_perm
from insyn.officials import selectors
from insyn.officials.forms import OfficialsImportForm, PersonChoiceField
from insyn.officials.models import Membership, Person
from insyn.officials.services import (
    membership_create,
    membership_update,
    officials_import,
    person_create,
    person_update,
)

# The hook other modules register to add a section to the person page: `fn(request, person)` returns
# safe HTML (`render_to_string`'s output) or None. Loans shows a person's loans and right to borrow there.
PERSON_DETAIL_PANELS_HOOK = "insyn_person_detail_panels"

# --- Persons --------------------------------------------------------------------------------------

PERSON_EXPORT = ["name", "national_id", "email", "phone", "party", "title", "protected_identity", "assignments"]


def person_url(person: Person) -> str:
    return reverse("officials_person_detail", args=[person.pk])


def _current_assignments(person: Person) -> str:
    # Prefetched for the whole list by selectors.persons_with_memberships.
    return "; ".join(f"{m.get_role_display()}, {m.organisation.name}" for m in selectors.current_memberships(person))


def person_row(actor: Any, person: Person) -> dict[str, Any]:
    """What the actor may see of a person in a list or an export: `person_view`, plus current assignments."""
    cached = getattr(person, "_insyn_row", None)
    if cached is not None and cached[0] is actor:
        return cached[1]  # type: ignore[no-any-return]
    row = selectors.person_view(actor=actor, person=person)
    hidden = person.protected_identity and not selectors.can_see_protected(actor, person)
    row["assignments"] = "" if hidden else _current_assignments(person)
    row["hidden"] = hidden
    person._insyn_row = (actor, row)  # type: ignore[attr-defined]
    return row


class PersonFilterSet(WagtailFilterSet):
    organ = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Organ"),
        field_name="memberships__organisation",
        queryset=actor_organs,
        distinct=True,
    )

    class Meta:
        model = Person
        fields = ["organ"]


class PersonIndexView(NoEditIndexView):
    selector_list = staticmethod(selectors.persons_with_memberships)
    add_perm = "officials.add_person"
    filterset_class = PersonFilterSet

    @cached_property
    def columns(self) -> list[Any]:
        return [
            TitleColumn(
                "name", label=gettext_lazy("Name"), accessor="name", get_url=person_url, sort_key="family_name"
            ),
            # Values from person_view for the requesting user, never from the model fields.
            Column("national_id", label=gettext_lazy("Personal identity number"), accessor=self._shown("national_id")),
            Column("party", label=gettext_lazy("Party"), accessor=self._shown("party")),
            Column("assignments", label=gettext_lazy("Current assignments"), accessor=self._shown("assignments")),
            Column(
                "protected_identity",
                label=gettext_lazy("Protected identity"),
                accessor=lambda person: _("yes") if person.protected_identity else "",
            ),
        ]

    def _shown(self, key: str) -> Callable[[Person], Any]:
        return lambda person: person_row(self.request.user, person).get(key, "")

    def to_row_dict(self, item: Any) -> dict[str, Any]:
        # The export shows what `person_view` shows: masked identity numbers, nothing but the name when protected.
        row = person_row(self.request.user, item)
        return {field: _cell(row.get(field, "")) for field in self.list_export}


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


class PersonCreateView(MunicipalityFieldMixin, ServiceCreateView):
    create_service = staticmethod(person_create)
    municipality_perm = "officials.add_person"
    form_field_querysets = {"user": selectors.linkable_users}

    def get_success_url(self) -> str:
        return person_url(self.object)


class PersonEditView(ServiceEditView):
    """Editing never shows the stored personal identity number: a new one may be typed to replace it."""

    selector_list = staticmethod(selectors.person_list)
    update_service = staticmethod(person_update)
    instance_kwarg = "person"
    form_field_querysets = {"user": selectors.linkable_users}

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        person = self.object
        shown = selectors.person_view(actor=self.request.user, person=person)
        if person.protected_identity and not selectors.can_see_protected(self.request.user, person):
            for name in list(form.fields):
                if name not in {"given_name", "family_name"}:
                    del form.fields[name]
            return form
        form.fields["new_national_id"] = forms.CharField(
            label=_("New personal identity number"),
            required=False,
            max_length=13,
            help_text=_("Now: %(masked)s. Leave empty to keep it.") % {"masked": shown["national_id"] or "–"},
        )
        return form

    def service_data(self, form: Any) -> dict[str, Any]:
        data = super().service_data(form)
        new = (form.cleaned_data.get("new_national_id") or "").strip()
        if new:
            data["national_id"] = new
        return data

    def get_delete_url(self) -> None:
        return None

    def get_success_url(self) -> str:
        return person_url(self.object)


class PersonViewSet(InsynModelViewSet):
    scope_selector = staticmethod(selectors.person_list)
    model = Person
    name = "officials_persons"
    url_prefix = "officials/persons"
    icon = "user"
    menu_label = gettext_lazy("Elected officials")
    copy_view_enabled = False
    index_view_class = PersonIndexView
    add_view_class = PersonCreateView
    edit_view_class = PersonEditView
    search_fields = ["given_name", "family_name"]  # never the identity number: a search would reveal it
    ordering = ["family_name", "given_name"]
    list_per_page = 50
    list_export = PERSON_EXPORT
    export_headings = {
        "name": gettext_lazy("Name"),
        "national_id": gettext_lazy("Personal identity number"),
        "email": gettext_lazy("E-mail"),
        "phone": gettext_lazy("Phone"),
        "party": gettext_lazy("Party"),
        "title": gettext_lazy("Title"),
        "protected_identity": gettext_lazy("Protected identity"),
        "assignments": gettext_lazy("Current assignments"),
    }
    export_filename = "elected-officials"
    form_fields = [
        "municipality",
        "given_name",
        "family_name",
        "national_id",
        "email",
        "phone",
        "address",
        "party",
        "title",
        "protected_identity",
        "external_id",
        "user",
    ]

    def get_form_class(self, for_update: bool = False) -> Any:
        if for_update:
            fields = [f for f in self.form_fields if f not in {"municipality", "national_id"}]
            return forms.modelform_factory(Person, fields=fields)
        return super().get_form_class(for_update)


# --- Memberships ----------------------------------------------------------------------------------


class MembershipFilterSet(WagtailFilterSet):
    organisation = django_filters.ModelChoiceFilter(label=gettext_lazy("Organ"), queryset=actor_organs)
    role = django_filters.ChoiceFilter(
        label=gettext_lazy("Role"),
        choices=Membership._meta.get_field("role").choices,
        widget=forms.RadioSelect,
        empty_label=gettext_lazy("All"),
    )

    class Meta:
        model = Membership
        fields = ["organisation", "role"]


class MembershipIndexView(NoEditIndexView):
    selector_list = staticmethod(selectors.membership_list)
    filterset_class = MembershipFilterSet

    @cached_property
    def columns(self) -> list[Any]:
        return [
            TitleColumn(
                "person",
                label=gettext_lazy("Person"),
                accessor="person.name",
                get_url=lambda m: self.get_edit_url(m) or person_url(m.person),
                sort_key="person__family_name",
            ),
            Column("organisation", label=gettext_lazy("Organ"), accessor="organisation.name"),
            Column("role", label=gettext_lazy("Role"), accessor="get_role_display", sort_key="role"),
            Column("start_date", label=gettext_lazy("Start date"), sort_key="start_date"),
            Column("end_date", label=gettext_lazy("End date"), sort_key="end_date"),
        ]


class MembershipCreateView(ServiceCreateView):
    create_service = staticmethod(membership_create)
    form_field_querysets = {"person": selectors.persons_by_name, "organisation": selectors.organs_for_membership}

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = super().get_initial()
        if self.request.GET.get("person", "").isdigit():
            initial["person"] = self.request.GET["person"]
        return initial

    def get_success_url(self) -> str:
        return person_url(self.object.person)


class MembershipEditView(ServiceEditView):
    """The person and the organ stay; the role, the dates and the rest may change (an end date moves loans)."""

    selector_list = staticmethod(selectors.membership_list)
    update_service = staticmethod(membership_update)
    instance_kwarg = "membership"

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        for name in ("person", "organisation", "post"):
            form.fields.pop(name, None)
        return form

    def get_page_subtitle(self) -> str:
        return f"{self.object.person.name} · {self.object.organisation.name}"

    def get_delete_url(self) -> None:
        return None

    def get_success_url(self) -> str:
        return person_url(self.object.person)


class MembershipViewSet(InsynModelViewSet):
    scope_selector = staticmethod(selectors.membership_list)
    model = Membership
    name = "officials_memberships"
    url_prefix = "officials/memberships"
    icon = "group"
    menu_label = gettext_lazy("Memberships")
    copy_view_enabled = False
    index_view_class = MembershipIndexView
    add_view_class = MembershipCreateView
    edit_view_class = MembershipEditView
    search_fields = ["person__given_name", "person__family_name", "organisation__name"]
    ordering = ["person__family_name", "person__given_name", "-start_date"]
    list_per_page = 50
    list_export = ["person.name", "organisation.name", "get_role_display", "start_date", "end_date", "is_external"]
    export_headings = {
        "person.name": gettext_lazy("Person"),
        "organisation.name": gettext_lazy("Organ"),
        "get_role_display": gettext_lazy("Role"),
        "start_date": gettext_lazy("Start date"),
        "end_date": gettext_lazy("End date"),
        "is_external": gettext_lazy("External member"),
    }
    export_filename = "memberships"
    form_fields = ["person", "organisation", "role", "start_date", "end_date", "is_external", "decision"]

    def formfield_for_dbfield(self, db_field: Any, **kwargs: Any) -> Any:
        if db_field.name == "person":
            # Two officials may share a name: the choice shows their organs (or birth year).
            kwargs["form_class"] = PersonChoiceField
        return super().formfield_for_dbfield(db_field, **kwargs)


class OfficialsGroup(ViewSetGroup):
    menu_label = gettext_lazy("Elected officials")
    menu_icon = "group"
    menu_order = 300
    items = (PersonViewSet, MembershipViewSet)


# --- The person page ------------------------------------------------------------------------------


def person_detail_panels(request: HttpRequest, person: Person) -> list[str]:
    """The sections other modules add to the person page (`PERSON_DETAIL_PANELS_HOOK`), in hook order."""
    panels = []
    for panel in hooks.get_hooks(PERSON_DETAIL_PANELS_HOOK):
        html = panel(request, person)
        if html is not None:
            panels.append(html)
    return panels


@require_http_methods(["GET", "POST"])
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """person_view's output, memberships and other modules' panels; POST reveals the identity number (audited)."""
    if not request.user.has_perm("officials.view_person"):
        raise PermissionDenied
    actor = request.user
    try:
        person = selectors.access_person(actor=actor, pk=pk)
    except NotFoundError:
        raise Http404 from None
    may_reveal = bool(person.national_id) and selectors.can_see_national_id(actor, person)
    reveal = request.method == "POST" and request.POST.get("action") == "reveal"
    if reveal and not may_reveal:
        raise PermissionDenied
    shown = selectors.person_view(actor=actor, person=person, reveal=reveal)
    hidden = person.protected_identity and not selectors.can_see_protected(actor, person)
    context: dict[str, Any] = {
        "person": person,
        "shown": shown,
        "hidden": hidden,
        "revealed": reveal,
        "may_reveal": may_reveal and not hidden,
        "memberships": selectors.person_memberships(actor=actor, person=person),
        "can_edit": has_org_perm(actor, "officials.change_person", person.municipality),
        "can_add_membership": actor.has_perm("officials.add_membership"),
        "page_title": shown["name"],
        # Safe HTML from the modules that registered the hook (loans: loans and the right to borrow).
        "extra_panels": person_detail_panels(request, person),
    }
    if reveal:
        messages.info(request, _("The personal identity number is shown. This read is on the audit trail."))
    return TemplateResponse(request, "officials/admin/person_detail.html", context)


# --- Import with preview --------------------------------------------------------------------------

# The previewed file, as read, waits under media/imports/pending/ (never served; removed after a day by
# `import_pending_cleanup_daily`) until it is confirmed, so the confirmation imports exactly what the
# preview showed. The session holds only its token and the choices: no personnummer in the session table,
# and one preview at a time per session.
SESSION_KEY = "officials-import-{token}"


def _forget_previews(request: HttpRequest) -> None:
    for key in [k for k in request.session.keys() if k.startswith("officials-import-")]:  # noqa: SIM118 (no __iter__)
        pending = request.session.pop(key)
        if isinstance(pending, dict) and isinstance(pending.get("file"), str):
            pending_delete(pending["file"])


def _non_field_error(form: Any, message: str) -> None:
    form.errors.setdefault(NON_FIELD_ERRORS, form.error_class(error_class="nonfield")).append(message)


def _import_page(request: HttpRequest, form: Any, preview: Any = None, status: int = 200) -> HttpResponse:
    context = {"form": form, "preview": preview, "page_title": _("Import elected officials")}
    return TemplateResponse(request, "officials/admin/import.html", context, status=status)


# CSRF is checked inside, after the upload's size: Django's CSRF check parses the whole body first.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def import_officials(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("officials.add_person"):
        raise PermissionDenied
    if request.method == "POST" and request_too_large(request):
        form = OfficialsImportForm(actor=request.user)
        try:
            check_request(request)
        except DomainError as exc:
            _non_field_error(form, str(exc.message))
            return _import_page(request, form, status=exc.status_code)
    return _import_officials(request)


@csrf_protect
def _import_officials(request: HttpRequest) -> HttpResponse:
    """Upload → preview (a dry run: counts, and the organisations that would be created) → confirm."""
    from insyn.officials.popolo import read_popolo

    actor = request.user
    token = request.POST.get("token", "")
    form = OfficialsImportForm(None if token else (request.POST or None), request.FILES or None, actor=actor)
    if request.method != "POST" or not (token or form.is_valid()):
        return _import_page(request, form, status=400 if request.method == "POST" else 200)
    expected: list[str] | None = None
    try:
        if token:
            # Confirmation: what the preview read, with the rights the actor holds now.
            pending = request.session.get(SESSION_KEY.format(token=token))
            if not pending:
                raise NotFoundError(_("The preview has expired; upload the file again."))
            municipality, parent = selectors.access_import_target(
                actor=actor, municipality_pk=pending["municipality"], parent_pk=pending["parent"]
            )
            popolo = json.loads(pending_read(pending["file"]))
            filename, expected = pending["filename"], pending["new_organisations"]
        else:
            upload = form.cleaned_data["file"]
            popolo, filename = read_popolo(read_upload(upload), filename=upload.name), upload.name
            municipality, parent = form.cleaned_data["municipality"], form.cleaned_data.get("parent")
        result = officials_import(
            actor=actor,
            municipality=municipality,
            popolo=popolo,
            dry_run=not token,
            create_organisations=True,
            organisations_parent=parent,
            expected_new_organisations=expected,
        )
    except DomainError as exc:
        _non_field_error(form, str(exc.message))
        return _import_page(request, form, status=exc.status_code)
    except (KeyError, TypeError):  # a session written by another version of this view
        _non_field_error(form, _("The preview has expired; upload the file again."))
        return _import_page(request, form, status=404)
    if token:
        _forget_previews(request)
        messages.success(
            request,
            _("Imported: %(persons)d persons and %(memberships)d memberships created, %(organisations)d organisations.")
            % {
                "persons": result.created["persons"],
                "memberships": result.created["memberships"],
                "organisations": len(result.new_organisations),
            },
        )
        return redirect("officials_persons:index")
    _forget_previews(request)
    token = secrets.token_hex(16)
    request.session[SESSION_KEY.format(token=token)] = {
        "municipality": municipality.pk,
        "parent": parent.pk if parent is not None else None,
        "file": pending_save(json.dumps(popolo, ensure_ascii=False).encode()),
        "filename": filename,
        "new_organisations": [o["name"] for o in result.new_organisations],
    }
    preview = {"result": result, "token": token, "municipality": municipality, "filename": filename}
    return _import_page(request, form, preview)
