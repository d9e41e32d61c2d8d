"""Registrations of the officials register in the Wagtail admin; the views are in `admin_views.py`."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from insyn.core.admin_views import register_choice_scope
from insyn.officials import admin_views, selectors
from insyn.officials.models import Post

register_choice_scope(Post, selectors.post_list)


@hooks.register("register_admin_viewset")
def register_viewsets() -> list[Any]:
    return [admin_views.OfficialsGroup()]


@hooks.register("register_admin_urls")
def register_urls() -> list[URLPattern]:
    return [
        path("officials/person/<int:pk>/", admin_views.person_detail, name="officials_person_detail"),
        path("officials/import/", admin_views.import_officials, name="officials_import"),
    ]


class _ImportMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return bool(request.user.has_perm("officials.add_person"))


@hooks.register("register_admin_menu_item")
def register_import_menu_item() -> MenuItem:
    return _ImportMenuItem(_("Import elected officials"), reverse("officials_import"), icon_name="upload", order=310)
