"""Admin of the taxonomy: every term the actor may see; a DPO adds and edits their municipality's own terms.

Insyn's built-in terms (fideslang keys and the `se.` additions) are listed read-only: their edit URL is not
offered and the edit view finds only local terms, so a built-in one answers 404 there.
"""

from __future__ import annotations

from typing import Any

from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from insyn.core.admin_views import (
    InsynModelViewSet,
    NoEditIndexView,
    ScopedInspectView,
    ServiceCreateView,
    ServiceEditView,
)
from insyn.privacy.models import TaxonomyTerm
from insyn.privacy.selectors.taxonomy import local_terms, taxonomy_terms
from insyn.privacy.services.taxonomy import ADD_TERM, term_create, term_update


def _all_terms(*, actor: Any) -> Any:
    return taxonomy_terms(actor=actor)


class TermIndexView(NoEditIndexView):
    selector_list = staticmethod(_all_terms)
    add_perm = ADD_TERM

    def get_edit_url(self, instance: Any) -> str | None:
        return super().get_edit_url(instance) if instance.municipality_id is not None else None


class TermInspectView(ScopedInspectView):
    selector_list = staticmethod(_all_terms)


class TermCreateView(ServiceCreateView):
    create_service = staticmethod(term_create)


class TermEditView(ServiceEditView):
    selector_list = staticmethod(local_terms)
    update_service = staticmethod(term_update)
    instance_kwarg = "term"


class TaxonomyTermViewSet(InsynModelViewSet):
    model = TaxonomyTerm
    scope_selector = staticmethod(_all_terms)
    name = "privacy_taxonomy"
    url_prefix = "privacy/taxonomy"
    icon = "tag"
    menu_label = _("Taxonomy")
    add_to_admin_menu = True
    menu_hook = "register_privacy_menu_item"  # admin_register.PRIVACY_MENU_HOOK: under "Data protection"
    menu_order = 30
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = TermIndexView
    inspect_view_class = TermInspectView
    add_view_class = TermCreateView
    edit_view_class = TermEditView
    list_display = ["label_sv", "key", "kind", "special", "national_id", "protected_identity", "municipality"]
    list_filter = ["kind", "special", "fideslang"]
    search_fields = ["key", "label_sv", "label_pl", "label_en"]
    # The municipality is the DPO's own (the service sets it); key and kind are fixed once created.
    add_form_fields = [
        "kind",
        "key",
        "label_sv",
        "label_pl",
        "label_en",
        "description",
        "special",
        "national_id",
        "protected_identity",
        "children",
    ]
    edit_form_fields = [
        "label_sv",
        "label_pl",
        "label_en",
        "description",
        "special",
        "national_id",
        "protected_identity",
        "children",
    ]
    form_fields = add_form_fields

    def get_form_class(self, for_update: bool = False) -> Any:
        fields = self.edit_form_fields if for_update else self.add_form_fields
        return modelform_factory(self.model, formfield_callback=self.formfield_for_dbfield, fields=fields)


@hooks.register("register_admin_viewset")
def register_taxonomy_viewset() -> TaxonomyTermViewSet:
    return TaxonomyTermViewSet()
