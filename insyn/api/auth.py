from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import SessionAuth
from wagtail.api.v3.auth import BearerTokenAuth


class TokenAuth(BearerTokenAuth):
    """`Authorization: Bearer wagtail_…` with a personal API token (Wagtail's APIToken: stored as HMAC, shown once)."""


class ActiveSessionAuth(SessionAuth):
    """Django session (the logged-in admin user); CSRF is checked for unsafe methods."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


def allow_anonymous(request: HttpRequest) -> Any:
    """Last auth callback of public endpoints: the request goes on as the anonymous user.

    A plain function, so that OpenAPI lists no extra security scheme for it.
    """
    from django.contrib.auth.models import AnonymousUser

    if not getattr(request, "user", None) or not request.user.is_authenticated:
        request.user = AnonymousUser()
    return request.user
