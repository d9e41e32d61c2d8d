"""/integritet/: the index of published notices, and each notice at /integritet/<municipality>/<organ>/<notice>/."""

from django.urls import path

from insyn.privacy import views_notices as views

_NOTICE = "<slug:municipality>/<slug:controller>/<slug:notice>/"

urlpatterns = [
    path("", views.notice_index, name="notice_index"),
    path(_NOTICE, views.notice_detail, name="notice"),
    path(f"{_NOTICE}pdf/", views.notice_version_pdf, name="notice_pdf"),
    path(f"{_NOTICE}versioner/", views.notice_history, name="notice_history"),
    path(f"{_NOTICE}versioner/<int:number>/", views.notice_detail, name="notice_version"),
    path(f"{_NOTICE}versioner/<int:number>/pdf/", views.notice_version_pdf, name="notice_version_pdf"),
]
