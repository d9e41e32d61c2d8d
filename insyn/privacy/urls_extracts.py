"""Register extract files (mounted at /integritet/utdrag/ in the "privacy" namespace)."""

from django.urls import URLPattern, path

from insyn.privacy import views_extracts

urlpatterns: list[URLPattern] = [
    path("<int:pk>/fil/", views_extracts.extract_file, name="extract_file"),
]
