"""Settings, security headers, login rate limiting, languages and `insyn check`."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.urls import reverse


def _import_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "INSYN_TESTING"}}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"],
        capture_output=True,
        text=True,
        env={**clean, **env},
        timeout=60,
        check=False,
    )


def test_secret_key_is_required_without_debug():
    result = _import_settings({"DEBUG": "0"})
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_production_settings_secure_cookies():
    result = _import_settings({"DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "insyn.example.org"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True"


def test_security_headers(client, db):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"  # Wagtail's preview views alone say SAMEORIGIN


def test_login_is_rate_limited(client, django_user_model, settings):
    settings.AXES_FAILURE_LIMIT = 3
    django_user_model.objects.create_user("kalle", password="right-password-123")
    for _ in range(3):
        client.post("/admin/login/", {"username": "kalle", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "kalle", "password": "right-password-123"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failed_login_is_audited(client, django_user_model):
    from insyn.core.models import AuditEntry

    client.post("/admin/login/", {"username": "nobody", "password": "wrong"})
    assert AuditEntry.objects.filter(action="login_failed", object_label="nobody").exists()


def test_swedish_is_the_default_language(client, db):
    response = client.get("/")
    assert response["Content-Language"] == "sv"
    assert "Administration" in response.text  # label exists in every language; check the html lang too
    assert '<html lang="sv">' in response.text


@pytest.mark.parametrize(("language", "expected"), [("pl", "Język"), ("en", "Language"), ("sv", "Språk")])
def test_user_can_switch_language(client, db, language, expected):
    response = client.post(reverse("set_language"), {"language": language, "next": "/"}, follow=True)
    assert f'<html lang="{language}">' in response.text
    assert expected in response.text


def test_insyn_check_reports_every_area(db, capsys, settings):
    settings.SECRET_KEY = "a-real-production-secret-" * 3
    call_command("insyn_check")
    out = capsys.readouterr().out
    for area in ("configuration", "database", "storage", "mail", "worker"):
        assert area in out


def test_insyn_check_fails_on_development_key_in_production(db, settings):
    from django.core.management import CommandError

    settings.DEBUG = False
    settings.SECRET_KEY = "insecure-development-key-do-not-use-in-production"
    with pytest.raises(CommandError, match="1 check"):
        call_command("insyn_check")
