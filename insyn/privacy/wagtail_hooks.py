"""Wagtail registrations of the privacy app: each part keeps its own in an `admin_*` module."""

from insyn.privacy import (  # noqa: F401  (importing registers their hooks)
    admin_breaches,
    admin_dashboard,
    admin_import,
    admin_notices,
    admin_register,
    admin_requests,
    admin_subject,
    admin_taxonomy,
)
