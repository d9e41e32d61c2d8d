"""Downloads of core's protected files, mounted at /files/."""

from django.urls import path

from insyn.core import views

app_name = "core"
urlpatterns = [
    path("governing-documents/<int:pk>/", views.governing_document_file, name="governing_document_file"),
]
