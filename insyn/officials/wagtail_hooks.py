"""The officials register in the Wagtail admin: persons with their memberships, and the person page.

A personal identity number is never shown in full in a list, a form or an export: every column
and export cell about a person comes from `person_view`, which masks it (and hides everything but
the name of a person with protected identity). The one way to see it unmasked is the person page's
"Show personal identity number" action, for those with the right; `person_view(reveal=True)` puts
that read on the audit trail.

"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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
    register_choice_scope,
)
from insyn.core.exceptions import NotFoundError
from insyn.core.models import Organisation
from insyn.core.permissions import has_org_perm
from insyn.core.selectors import claimable_users, organisations_for_perm
from insyn.officials import selectors
from insyn.officials.models import Membership, Person, Post
from insyn.officials.services import membership_create, membership_update, person_create, person_update

# --- Persons --------------------------------------------------------------------------------------

PERSON_EXPORT = ["name", "national_id", "email", "phone", "party", "title", "protected_identity", "assignments"]


def person_url(person: Person) -> str:
    return reverse("officials_person_detail", args=[person.pk])


def _current_assignments(person: Person) -> str:
    today = timezone.localdate()
    current = [
        f"{m.get_role_display()}, {m.organisation.name}"
        for m in person.memberships.all()  # prefetched by persons_with_memberships
        if (m.start_date is None or m.start_date <= today) and (m.end_date is None or m.end_date >= today)
    ]
    return "; ".join(current)


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


def linkable_users(*, actor: Any) -> QuerySet[Any]:
    """Logins that may be linked to an official: those in the actor's municipalities, or in none yet."""
    return claimable_users(actor=actor, perms=("officials.change_person", "officials.add_person"))


class PersonCreateView(MunicipalityFieldMixin, ServiceCreateView):
    create_service = staticmethod(person_create)
    municipality_perm = "officials.add_person"
    form_field_querysets = {"user": linkable_users}

    def get_success_url(self) -> str:
        return person_url(self.object)


class PersonEditView(ServiceEditView):
    """Editing never shows the stored personal identity number: a new one may be typed to replace it."""

    selector_list = staticmethod(selectors.person_list)
    update_service = staticmethod(person_update)
    instance_kwarg = "person"
    form_field_querysets = {"user": linkable_users}

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


def _membership_organs(*, actor: Any) -> QuerySet[Organisation]:
    return organisations_for_perm(actor=actor, perm="officials.add_membership").filter(kind="organ")


def _persons_by_name(*, actor: Any) -> QuerySet[Person]:
    return selectors.person_list(actor=actor).order_by("family_name", "given_name")


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


register_choice_scope(Post, selectors.post_list)


class MembershipCreateView(ServiceCreateView):
    create_service = staticmethod(membership_create)
    form_field_querysets = {"person": _persons_by_name, "organisation": _membership_organs}

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


class OfficialsGroup(ViewSetGroup):
    menu_label = gettext_lazy("Elected officials")
    menu_icon = "group"
    menu_order = 300
    items = (PersonViewSet, MembershipViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets() -> list[Any]:
    return [OfficialsGroup()]


# --- The person page ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """person_view's output, memberships, loans and eligibility; POST reveals the identity number (audited)."""
    if not request.user.has_perm("officials.view_person"):
        raise PermissionDenied
    actor = request.user
    try:
        person = selectors.person_get(actor=actor, pk=pk)
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
        "memberships": selectors.membership_list(actor=actor, person_id=person.pk).order_by("-start_date"),
        "can_edit": has_org_perm(actor, "officials.change_person", person.municipality),
        "can_add_membership": actor.has_perm("officials.add_membership"),
        "page_title": shown["name"],
    }
    if actor.has_perm("loans.view_loan"):
        from insyn.loans.models import DeviceType
        from insyn.loans.selectors import loan_list
        from insyn.loans.services import person_eligibility

        context["loans"] = loan_list(actor=actor).filter(person=person)
        context["eligibility"], _rule_set = person_eligibility(person=person, on=timezone.localdate())
        context["eligible_devices"] = [DeviceType(device).label for device in context["eligibility"].devices]
        context["can_lend"] = has_org_perm(actor, "loans.add_loan", person.municipality)
    if reveal:
        messages.info(request, _("The personal identity number is shown. This read is on the audit trail."))
    return TemplateResponse(request, "officials/admin/person_detail.html", context)


@hooks.register("register_admin_urls")
def register_urls() -> list[URLPattern]:
    return [path("officials/person/<int:pk>/", person_detail, name="officials_person_detail")]
