"""Hostile plan files end in a clean, typed error through every door, and nothing is written.

The files come from `insyn.core.tests.hostile_files` (generated, no blobs). The CLI, the admin
upload and the API each get every file in-process; a subset also runs the real `insyn` command
in a subprocess, where the issue's bound is checked: within 10 s and 300 MB above the same
command importing a small good file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation
from wagtail.models import APIToken

from insyn.core.tests import hostile_files
from insyn.records.models import DocumentType, RetentionPlan
from insyn.records.tests.factories import make_plan_data

pytestmark = pytest.mark.django_db  # the subprocess cases copy the test database too
HOSTILE = sorted(hostile_files.all_for_plans())
# What each file is refused for: the error code every door shows.
EXPECTED_CODE = {name: "unsafe_file" if name.startswith("billion-laughs") else "import_limit" for name in HOSTILE}
EXPECTED_CODE["zip-bomb-lying-header.xlsx"] = "file_error"  # the stream is longer than its header: a broken zip
EXPECTED_CODE["big.csv"] = "import_limit"
EXPECTED_TEXT = {
    "ods-repeat-bomb.ods": "INSYN_IMPORT_MAX_COLUMNS",
    "ods-row-repeat-bomb.ods": "INSYN_IMPORT_MAX_ROWS",
    "ods-cell-repeat-bomb.ods": "INSYN_IMPORT_MAX_CELLS",
    "zip-bomb.xlsx": "INSYN_IMPORT_MAX_UNCOMPRESSED_BYTES",
    "zip-bomb.docx": "INSYN_IMPORT_MAX_UNCOMPRESSED_BYTES",
    "zip-bomb.ods": "INSYN_IMPORT_MAX_UNCOMPRESSED_BYTES",
    "zip-bomb-ratio.xlsx": "INSYN_IMPORT_MAX_RATIO",
    "zip-bomb-lying-header.xlsx": "CRC",
    "deep.json": "INSYN_IMPORT_MAX_DEPTH",
    "wide-row.csv": "INSYN_IMPORT_MAX_COLUMNS",
    "big.csv": "INSYN_IMPORT_MAX_BYTES",
}
LIMIT_SECONDS = 10
LIMIT_EXTRA_BYTES = 300 * 1024 * 1024


def expected_text(name: str) -> str:
    return EXPECTED_TEXT.get(name, "DTD")


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory: Any) -> Path:
    """Every hostile file on disk, the 50 MB CSV included (written once per session)."""
    directory = tmp_path_factory.mktemp("hostile")
    for name, data in hostile_files.all_for_plans().items():
        (directory / name).write_bytes(data)
    hostile_files.big_csv(directory / "big.csv")
    return Path(directory)


def nothing_written() -> bool:
    return not RetentionPlan.objects.exists() and not DocumentType.objects.exists()


def bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {APIToken.create_token(user=user, name='t')[1]}"}


# -- CLI, in-process ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*HOSTILE, "big.csv"])
def test_cli_import_refuses_hostile_file_cleanly(name: str, hostile_dir: Path, pitea: Any) -> None:
    # In English, to read the message's parts (the product speaks Swedish first: see test_translations).
    with pytest.raises(CommandError) as caught, translation.override("en"):
        call_command(
            "records", "import", str(hostile_dir / name), "--organisation", str(pitea.board.pk), "--user", "system"
        )

    message = str(caught.value)
    if EXPECTED_CODE[name] == "file_error":  # a PlanFileError: the file, then what is wrong with it
        assert message.startswith(f"{name}: not an XLSX workbook") and expected_text(name) in message
    else:
        assert message.startswith(f"{EXPECTED_CODE[name]}: {name}: ")
        assert expected_text(name) in message and "Nothing was imported" in message
    assert nothing_written()


# -- Admin upload -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE)
def test_admin_upload_refuses_hostile_file_on_the_form(
    name: str, hostile_dir: Path, client: Any, pitea: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client.force_login(pitea.archivist)
    upload = SimpleUploadedFile(name, (hostile_dir / name).read_bytes())
    form = {"file": upload, "organisation": pitea.board.pk, "format": "auto", "lang": "sv"}

    response = client.post("/admin/records/import/", form)

    assert response.status_code == 400
    errors = " ".join(response.context["form"].non_field_errors())
    assert name in errors and expected_text(name) in errors
    assert response.context["preview"] is None
    assert nothing_written()
    assert not (tmp_path / "imports" / "pending").exists() or not any((tmp_path / "imports" / "pending").iterdir())


def test_admin_upload_over_the_size_limit_is_refused_before_it_is_read(
    hostile_dir: Path, client: Any, pitea: Any, monkeypatch: Any
) -> None:
    from django.http.multipartparser import MultiPartParser

    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the upload was parsed")

    monkeypatch.setattr(MultiPartParser, "parse", never)
    client.force_login(pitea.archivist)
    with (hostile_dir / "big.csv").open("rb") as handle:
        form = {"file": handle, "organisation": pitea.board.pk, "format": "auto", "lang": "sv"}
        response = client.post("/admin/records/import/", form)

    assert response.status_code == 413
    errors = " ".join(response.context["form"].non_field_errors())
    assert "INSYN_IMPORT_MAX_BYTES" in errors and "big.csv" not in errors  # not read: its name is unknown
    assert nothing_written()


def test_admin_upload_just_over_the_limit_without_a_large_request_is_refused_by_its_size(
    client: Any, pitea: Any, settings: Any
) -> None:
    settings.INSYN_IMPORT_MAX_BYTES = 1000
    client.force_login(pitea.archivist)
    upload = SimpleUploadedFile("plan.json", json.dumps(make_plan_data().to_dict()).encode())
    form = {"file": upload, "organisation": pitea.board.pk, "format": "auto", "lang": "sv"}

    response = client.post("/admin/records/import/", form)

    assert response.status_code == 413
    assert "INSYN_IMPORT_MAX_BYTES = 1000" in " ".join(response.context["form"].non_field_errors())
    assert nothing_written()


# -- API ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE)
def test_api_import_file_refuses_hostile_file(name: str, hostile_dir: Path, client: Any, pitea: Any) -> None:
    response = client.post(
        f"/api/v1/records/plans/import-file?organisation_id={pitea.board.pk}&filename={name}",
        data=(hostile_dir / name).read_bytes(),
        content_type="application/octet-stream",
        **bearer(pitea.archivist),
    )

    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"code", "message", "detail"}
    assert body["code"] == EXPECTED_CODE[name]
    assert name in body["message"] and expected_text(name) in body["message"]
    assert nothing_written()


def test_api_import_file_over_the_size_limit_is_413(hostile_dir: Path, client: Any, pitea: Any) -> None:
    response = client.post(
        f"/api/v1/records/plans/import-file?organisation_id={pitea.board.pk}&filename=big.csv",
        data=(hostile_dir / "big.csv").read_bytes(),
        content_type="application/octet-stream",
        **bearer(pitea.archivist),
    )

    assert response.status_code == 413
    assert set(response.json()) == {"code", "message", "detail"}
    assert nothing_written()


def test_api_import_file_imports_a_good_file(client: Any, pitea: Any) -> None:
    data = json.dumps(make_plan_data().to_dict(), ensure_ascii=False).encode()
    url = f"/api/v1/records/plans/import-file?organisation_id={pitea.board.pk}&filename=plan.json"
    headers = bearer(pitea.archivist)

    preview = client.post(url + "&dry_run=true", data=data, content_type="application/octet-stream", **headers)
    created = client.post(url, data=data, content_type="application/octet-stream", **headers)

    assert preview.status_code == 200 and preview.json()["counts"]["document_types"] == 4
    assert created.status_code == 201
    assert DocumentType.objects.filter(plan__organisation=pitea.board).count() == 4


def test_api_import_file_needs_the_right_to_import_there(client: Any, torsby: Any, pitea: Any) -> None:
    response = client.post(
        f"/api/v1/records/plans/import-file?organisation_id={pitea.board.pk}&filename=deep.json",
        data=hostile_files.deep_json(),
        content_type="application/octet-stream",
        **bearer(torsby.archivist),
    )

    assert response.status_code in (403, 404)


# -- CLI in a subprocess: the 10 s and 300 MB bound ----------------------------------------------

# A few: each start-up costs seconds (the in-process cases above cover every file and door).
SUBPROCESS_CASES = ["ods-repeat-bomb.ods", "zip-bomb.docx", "deep.json"]


@pytest.fixture(scope="session")
def cli_database(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> dict[str, str]:
    """A copy of the migrated test database on disk with one organ, for `insyn` subprocesses."""
    from django.db import connection

    path = Path(tmp_path_factory.mktemp("cli")) / "insyn.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "INSYN_TESTING": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    with django_db_blocker.unblock():
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            target = sqlite3.connect(path)
            connection.connection.backup(target)
            target.close()
        else:  # the suite on PostgreSQL: the subprocess gets a SQLite database of its own (the bound is the same)
            subprocess.run(
                [*insyn_command(), "migrate", "--noinput", "-v0"], env=env, timeout=600, check=True, capture_output=True
            )
    script = (
        "from insyn.core.tests.factories import make_municipality, make_organ;"
        "print(make_organ(make_municipality('Hostile kommun')).pk)"
    )
    created = subprocess.run(
        [*insyn_command(), "shell", "-c", script], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    return {**env, "ORGAN": created.stdout.strip().splitlines()[-1]}


def insyn_command() -> list[str]:
    script = Path(sys.executable).with_name("insyn")
    if script.exists():
        return [str(script)]
    return [sys.executable, str(Path(django_settings.BASE_DIR) / "manage.py")]  # pragma: no cover


# Measures the command from a small parent: a child forked from pytest would report pytest's own
# resident size as its peak (Linux counts the memory a child had before exec).
_MEASURE = (
    "import os, subprocess, sys\n"
    "child = subprocess.Popen(sys.argv[2:])\n"
    "_pid, status, usage = os.wait4(child.pid, 0)\n"
    "with open(sys.argv[1], 'w') as out:\n"
    "    out.write(f'{usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}')\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


class Run:
    """One `insyn` subprocess: exit code, stderr, wall and CPU seconds, peak resident bytes."""

    def __init__(self, args: list[str], env: dict[str, str], kill_after: float) -> None:
        import signal
        import tempfile

        with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as usage:
            command = [sys.executable, "-c", _MEASURE, usage.name, *insyn_command(), *args]
            start = time.monotonic()
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, env=env, start_new_session=True)
            timer = threading.Timer(kill_after, lambda: os.killpg(process.pid, signal.SIGKILL))
            timer.start()
            try:
                self.code = process.wait()
            finally:
                timer.cancel()
            self.wall = time.monotonic() - start
            err.seek(0)
            self.stderr = err.read().decode(errors="replace")
            peak, cpu = usage.read().split()
        self.peak = int(peak) * 1024
        self.cpu = float(cpu)


@pytest.fixture(scope="session")
def cli_baseline(cli_database: dict[str, str], tmp_path_factory: Any) -> Run:
    """`insyn records import` of a small good plan (dry run): interpreter and Django start-up included."""
    good = Path(tmp_path_factory.mktemp("good")) / "plan.json"
    good.write_text(json.dumps(make_plan_data().to_dict(), ensure_ascii=False), encoding="utf-8")
    args = ["records", "import", str(good), "--organisation", cli_database["ORGAN"], "--user", "system", "--dry-run"]
    run = Run(args, cli_database, 300)
    assert run.code == 0, run.stderr
    return run


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_cli_subprocess_ends_in_clean_error_within_10_s_and_300_mb(
    name: str, hostile_dir: Path, cli_database: dict[str, str], cli_baseline: Run
) -> None:
    # Start-up alone takes seconds of CPU on a loaded machine, so the bound is on what the file adds
    # to the good import (CPU time, which load does not inflate); the wall clock is a hard stop.
    args = ["records", "import", str(hostile_dir / name), "--organisation", cli_database["ORGAN"], "--user", "system"]
    run = Run(args, cli_database, kill_after=max(60.0, 3 * cli_baseline.wall + LIMIT_SECONDS))

    print(
        f"\n{name}: wall {run.wall:.1f} s (good file {cli_baseline.wall:.1f} s), "
        f"CPU {run.cpu:.2f} s (good file {cli_baseline.cpu:.2f} s), "
        f"peak RSS {run.peak / 2**20:.0f} MiB (good file {cli_baseline.peak / 2**20:.0f} MiB)"
    )
    assert run.code == 1, run.stderr
    assert f"CommandError: {EXPECTED_CODE[name]}: {name}: " in run.stderr and "Traceback" not in run.stderr
    assert run.cpu - cli_baseline.cpu < LIMIT_SECONDS
    assert run.peak < cli_baseline.peak + LIMIT_EXTRA_BYTES


# -- Pending preview files ----------------------------------------------------------------------


def test_pending_import_files_expire_after_a_day_and_the_daily_job_removes_them(settings: Any, tmp_path: Path) -> None:
    import datetime as dt

    from django.utils import timezone

    from insyn.core.pending import PENDING_DIR, pending_read, pending_save
    from insyn.core.tasks import import_pending_cleanup_daily

    settings.MEDIA_ROOT = tmp_path
    old, fresh = pending_save(b"old"), pending_save(b"fresh")
    two_days_ago = (timezone.now() - dt.timedelta(days=2)).timestamp()
    os.utime(tmp_path / PENDING_DIR / old, (two_days_ago, two_days_ago))

    from insyn.core.exceptions import NotFoundError

    with pytest.raises(NotFoundError):
        pending_read(old)  # expired: refused (and removed) even before the job runs
    os.utime(tmp_path / PENDING_DIR / fresh, None)
    stale = pending_save(b"stale")
    os.utime(tmp_path / PENDING_DIR / stale, (two_days_ago, two_days_ago))

    assert import_pending_cleanup_daily.call() == 1
    assert import_pending_cleanup_daily.call() == 0  # safe to run twice
    assert sorted(p.name for p in (tmp_path / PENDING_DIR).iterdir()) == [fresh]
    assert pending_read(fresh) == b"fresh"


def test_the_cleanup_is_a_registered_daily_job(settings: Any) -> None:
    from insyn.core.registry import daily_jobs

    names = [name for name, path, _hour in daily_jobs()]
    assert "import_pending_cleanup_daily" in names


def test_admin_import_still_checks_csrf_after_the_size_check(pitea: Any) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(pitea.archivist)
    upload = SimpleUploadedFile("plan.json", json.dumps(make_plan_data().to_dict()).encode())
    form = {"file": upload, "organisation": pitea.board.pk, "format": "auto", "lang": "sv"}

    assert client.post("/admin/records/import/", form).status_code == 403
    assert nothing_written()


def test_api_json_plan_import_nested_100000_deep_is_a_clean_400(client: Any, pitea: Any) -> None:
    body = b'{"organisation_id": %d, "plan": ' % pitea.board.pk + hostile_files.deep_json() + b"}"

    response = client.post(
        "/api/v1/records/plans/import", data=body, content_type="application/json", **bearer(pitea.archivist)
    )

    assert response.status_code == 400, response.content[:300]
    assert set(response.json()) == {"code", "message", "detail"}
    assert nothing_written()
