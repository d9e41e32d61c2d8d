"""`insyn serve` from this checkout serves the admin, hashed static files, a protected download and safe
headers with DEBUG off.

The server runs in a subprocess on a free loopback port against a freshly migrated SQLite file, the way
docs/deployment.md runs it, minus nginx: requests carry `X-Forwarded-Proto: https` as nginx sets it (HSTS
and the https-only checks depend on it) and SECURE_SSL_REDIRECT=0, since there is no TLS here.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parent.parent
INSYN = [sys.executable, "-m", "insyn.cli"]
PASSWORD = "correct horse battery staple"
PROXY = {"X-Forwarded-Proto": "https"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _production_env(var_dir: Path) -> dict[str, str]:
    own = {"DATABASE_URL", "MEDIA_ROOT", "STORAGE_BACKEND", "TASKS_BACKEND", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INSYN_", "DJANGO_", "SECURE_")) and k not in own}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        INSYN_VAR_DIR=str(var_dir),  # STATIC_ROOT is INSYN_VAR_DIR/static
        DATABASE_URL=f"sqlite:///{var_dir / 'insyn.sqlite3'}",
        INSYN_ENV_FILE=str(var_dir / "no.env"),  # not the checkout's development .env
        INSYN_WORKERS="2",
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
        PYTHONPATH=str(ROOT),
    )
    return env


# Migrate, create an administrator and collect static files in one process (one Django start-up instead of
# three). Static files go through Django's ManifestStaticFilesStorage: the same hashed names and manifest as
# the production storage (WhiteNoise's CompressedManifestStaticFilesStorage, which `make serve` uses), without
# its gzip + Brotli pass, which takes about a minute and is WhiteNoise's own, tested code.
PREPARE = """
import os
import django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test.utils import override_settings

call_command("migrate", interactive=False, verbosity=0)
get_user_model().objects.create_superuser("admin", "admin@example.org", os.environ["DJANGO_SUPERUSER_PASSWORD"])
manifest = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": manifest}):
    call_command("collectstatic", interactive=False, verbosity=0)

# A governing document with a file: the protected download.
from django.core.files.base import ContentFile
from insyn.core.tests.factories import make_document, make_municipality, make_organ
document = make_document(make_organ(make_municipality("Piteå kommun")), title="Dokumenthanteringsplan")
document.file.save("beslut.pdf", ContentFile(b"%PDF-1.4\\n% protected download\\n%%EOF\\n"))
print(f"{document.pk} {document.file.name}")
"""


@dataclass
class Client:
    port: int
    document: tuple[int, str] = (0, "")  # id and stored file name of a governing document with a file
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[http.client.HTTPResponse, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        all_headers = {**PROXY, **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        data = response.read()
        conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response, data


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    var_dir = tmp_path_factory.mktemp("serve")
    env = _production_env(var_dir)
    prepared = subprocess.run(
        [sys.executable, "-c", PREPARE], cwd=ROOT, env=env, check=True, timeout=300, capture_output=True, text=True
    )
    document_id, document_file = prepared.stdout.split()[-2:]
    port = _free_port()
    server = subprocess.Popen([*INSYN, "serve", "--bind", f"127.0.0.1:{port}"], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, "insyn serve exited"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "insyn serve did not listen within 60 s"
                time.sleep(0.2)
        yield Client(port, document=(int(document_id), document_file))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def test_serve_refuses_to_start_with_debug_on(settings: Any) -> None:
    settings.DEBUG = True
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("serve", "--print")


def test_serve_runs_gunicorn_with_the_environment(settings: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    settings.TESTING = False  # as in production: the test settings alone would be refused
    monkeypatch.setenv("INSYN_BIND", "127.0.0.1:8001,[::1]:8001")
    monkeypatch.setenv("INSYN_WORKERS", "3")
    monkeypatch.setenv("INSYN_TIMEOUT", "90")
    call_command("serve", "--print")
    argv = capsys.readouterr().out.split()
    assert argv[1:4] == ["-m", "gunicorn", "config.wsgi:application"]
    joined = " ".join(argv)
    assert "--bind 127.0.0.1:8001 --bind [::1]:8001 --workers 3" in joined
    assert "--timeout 90" in joined and "--access-logfile -" in joined


def test_admin_login_page_with_security_headers(served: Client) -> None:
    response, body = served.request("GET", "/admin/login/")
    assert response.status == 200
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")
    assert re.search(rb'name="csrfmiddlewaretoken"', body)


def test_hashed_static_file_is_served_for_a_long_time(served: Client) -> None:
    _response, body = served.request("GET", "/admin/login/")
    match = re.search(rb"/static/[\w/.-]+\.[0-9a-f]{12}\.css", body)
    assert match, "the login page links no hashed stylesheet"
    response, css = served.request("GET", match.group().decode())
    assert response.status == 200 and response.headers["Content-Type"].startswith("text/css") and css
    assert "immutable" in response.headers["Cache-Control"]
    max_age = re.search(r"max-age=(\d+)", response.headers["Cache-Control"])
    assert max_age and int(max_age.group(1)) >= 365 * 24 * 3600
    unhashed = re.sub(r"\.[0-9a-f]{12}\.css$", ".css", match.group().decode())
    response, _ = served.request("GET", unhashed)
    assert response.status == 200 and "immutable" not in response.headers["Cache-Control"]


def test_pages_are_gzip_compressed(served: Client) -> None:
    response, body = served.request("GET", "/admin/login/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"csrfmiddlewaretoken" in gzip.decompress(body)


def _logged_in(served: Client) -> tuple[Client, http.client.HTTPResponse]:
    client = Client(served.port, served.document)
    client.request("GET", "/admin/login/")
    token = client.cookies["csrftoken"]
    body = f"csrfmiddlewaretoken={token}&username=admin&password={PASSWORD.replace(' ', '+')}&next=/admin/"
    response, _ = client.request(
        "POST", "/admin/login/", body=body, headers={"Referer": f"https://127.0.0.1:{client.port}/admin/login/"}
    )
    return client, response


def test_login_sets_a_secure_httponly_session_cookie(served: Client) -> None:
    client, response = _logged_in(served)
    assert response.status == 302, response.headers
    session_cookie = next(c for c in response.headers.get_all("Set-Cookie") or [] if c.startswith("sessionid="))
    flags = {part.strip().lower() for part in session_cookie.split(";")}
    assert {"secure", "httponly"} <= flags
    response, _ = client.request("GET", "/admin/")
    assert response.status == 200


def test_protected_download_needs_a_login(served: Client) -> None:
    document_id, name = served.document
    anonymous = Client(served.port)
    for path in (f"/files/governing-documents/{document_id}/", f"/media/{name}"):
        response, _ = anonymous.request("GET", path)
        assert response.status == 302 and "/login/" in response.headers["Location"], path

    client, _ = _logged_in(served)
    for path in (f"/files/governing-documents/{document_id}/", f"/media/{name}"):
        response, body = client.request("GET", path)
        assert response.status == 200, path
        assert body.startswith(b"%PDF-1.4") and b"protected download" in body
        assert "no-store" in response.headers["Cache-Control"]
