"""/integritet/begaran/: the public data-subject request form, its identity step and status page."""

from django.urls import path, register_converter

from insyn.privacy import views_requests as views
from insyn.privacy.selectors.requests import REFERENCE_FORMAT


class ReferenceConverter:
    """Only what a reference can look like reaches a view: anything else (a NUL byte) is a 404 before any query."""

    regex = REFERENCE_FORMAT

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReferenceConverter, "privacy_reference")

urlpatterns = [
    path("", views.request_form, name="request_form"),
    path("<privacy_reference:reference>/", views.request_status, name="request_status"),
    path("<privacy_reference:reference>/nyckel/", views.request_key, name="request_key"),
    path("<privacy_reference:reference>/identitet/", views.request_identity, name="request_identity"),
    path("<privacy_reference:reference>/e-legitimation/", views.request_eid, name="request_eid"),
    path("<privacy_reference:reference>/e-legitimation/test/", views.request_eid_test, name="request_eid_test"),
]
