"""A fast `insyn` (issue #9): what every command pays before it runs. Timings are in bench/cli_startup.py;
these tests pin the causes: no ORM for `--help`, no heavy library at `django.setup()`, no system checks
before a data command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core import checks

from insyn.cli import main

ROOT = Path(__file__).resolve().parents[3]
# Loaded only where a file is read or written (records importers/exporters, officials' Popolo files, loan
# receipts), never by `django.setup()`: each costs every command 0.1–1.3 s. (lxml is Wagtail's, via bs4.)
HEAVY = ["weasyprint", "fontTools", "openpyxl", "odf", "docx", "pydyf", "schemathesis", "playwright", "gunicorn"]


def modules_loaded_by(code: str) -> list[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "INSYN_TESTING": "1"}
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    loaded: list[str] = json.loads(out.strip().splitlines()[-1])
    return loaded


def test_insyn_help_does_not_load_the_orm() -> None:
    loaded = modules_loaded_by("from insyn.cli import main\nmain(['--help'])")
    assert "insyn.core.registry" in loaded  # the commands come from the AppConfigs
    assert "django.db.models" not in loaded and "django.contrib.auth.models" not in loaded


def test_django_setup_loads_no_heavy_library() -> None:
    loaded = set(modules_loaded_by("import django\ndjango.setup()"))
    assert "wagtail.admin" in loaded  # the probe really set Django up
    assert [name for name in HEAVY if name in loaded] == []


@pytest.fixture
def system_check_runs(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every run of Django's system checks (commands call `django.core.checks.run_checks`), counted."""
    runs: list[Any] = []
    real = checks.run_checks

    def counting(*args: Any, **kwargs: Any) -> Any:
        runs.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(checks, "run_checks", counting)
    return runs


@pytest.mark.django_db
def test_insyn_data_commands_skip_the_system_checks(system_check_runs: list[Any], capsys: Any) -> None:
    assert main(["organisations", "list", "--user", "nobody"]) == 1  # no such user: it ran, and refused
    assert "No active user named 'nobody'" in capsys.readouterr().err
    assert system_check_runs == []


@pytest.mark.django_db
def test_django_commands_still_run_the_system_checks(system_check_runs: list[Any]) -> None:
    assert main(["showmigrations", "core", "--list"]) == 0
    assert len(system_check_runs) == 1


def test_the_copied_illegal_characters_pattern_is_openpyxls() -> None:
    """`insyn.core.export_safety` copies openpyxl's pattern rather than import openpyxl at start-up."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE as openpyxl_pattern

    from insyn.core.export_safety import ILLEGAL_CHARACTERS_RE

    assert ILLEGAL_CHARACTERS_RE.pattern == openpyxl_pattern.pattern
