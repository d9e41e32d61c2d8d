"""Public pages under /integritet/: published notices and the data-subject request form; extract files."""

from django.urls import include, path

app_name = "privacy"

urlpatterns = [
    path("begaran/", include("insyn.privacy.urls_requests")),
    path("utdrag/", include("insyn.privacy.urls_extracts")),
    path("", include("insyn.privacy.urls_notices")),
]
