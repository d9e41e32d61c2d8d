"""/integritet/begaran/: the public data-subject request form, its identity step and status page."""

from django.urls import path

from insyn.privacy import views_requests as views

urlpatterns = [
    path("", views.request_form, name="request_form"),
    path("<str:reference>/", views.request_status, name="request_status"),
    path("<str:reference>/nyckel/", views.request_key, name="request_key"),
    path("<str:reference>/identitet/", views.request_identity, name="request_identity"),
    path("<str:reference>/e-legitimation/", views.request_eid, name="request_eid"),
    path("<str:reference>/e-legitimation/test/", views.request_eid_test, name="request_eid_test"),
]
