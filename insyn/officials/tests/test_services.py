"""Writes: typed, keyword-only services; membership changes announced after commit; the CLI names its actor."""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from insyn.core.exceptions import ValidationFailed
from insyn.core.models import AuditEntry
from insyn.core.permissions import SYSTEM
from insyn.officials import services
from insyn.officials.management.commands.officials import Command
from insyn.officials.models import Membership, Person
from insyn.officials.signals import membership_changed

OFFICIALS = Path(services.__file__).resolve().parent.parent


@pytest.fixture
def received() -> Any:
    calls: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        calls.append({"sender": sender, **kwargs})

    membership_changed.connect(receiver, dispatch_uid="test-officials-received")
    yield calls
    membership_changed.disconnect(dispatch_uid="test-officials-received")


def test_every_service_is_keyword_only_with_an_actor_and_no_catch_all_keywords():
    for name in services.__all__:
        function = getattr(services, name)
        if not inspect.isfunction(function):
            continue
        parameters = inspect.signature(function).parameters.values()
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters), name
        assert "actor" in inspect.signature(function).parameters, name
        assert not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters), name


def test_an_unknown_field_is_a_type_error_not_a_silent_write(nordby):
    with pytest.raises(TypeError):
        services.person_create(actor=SYSTEM, municipality=nordby.municipality, given_name="A", family_name="B", pnr="1")
    assert not Person.objects.exists()


def test_update_changes_only_what_is_given_and_none_clears_a_date(nordby):
    anna = services.person_create(
        actor=SYSTEM, municipality=nordby.municipality, given_name="Anna", family_name="Lind", email="a@example.org"
    )
    anna = services.person_update(actor=SYSTEM, person=anna, party="Centerpartiet")
    assert (anna.email, anna.party) == ("a@example.org", "Centerpartiet")
    seat = services.membership_create(
        actor=SYSTEM, person=anna, organisation=nordby.board, role="ledamot", end_date=dt.date(2026, 12, 31)
    )
    seat = services.membership_update(actor=SYSTEM, membership=seat, role="ersattare")
    assert (seat.role, seat.end_date) == ("ersattare", dt.date(2026, 12, 31))
    seat = services.membership_update(actor=SYSTEM, membership=seat, end_date=None)
    assert seat.end_date is None


def test_membership_changes_are_announced_after_commit_only(nordby, received, django_capture_on_commit_callbacks):
    anna = services.person_create(actor=SYSTEM, municipality=nordby.municipality, given_name="A", family_name="L")
    with django_capture_on_commit_callbacks(execute=False) as pending:
        seat = services.membership_create(actor=SYSTEM, person=anna, organisation=nordby.board, role="ledamot")
    assert received == []  # not before the commit
    for callback in pending:
        callback()
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_update(actor=nordby.secretary, membership=seat, role="ersattare")
        services.membership_end(actor=nordby.secretary, membership=seat, end_date=dt.date(2026, 12, 31))

    expected = {
        "sender": Membership,
        "membership_id": seat.pk,
        "person_id": anna.pk,
        "organisation_id": nordby.board.pk,
    }
    assert [{k: call[k] for k in expected} for call in received] == [expected] * 3
    assert [call["actor"] for call in received] == [SYSTEM, nordby.secretary, nordby.secretary]


def test_a_rolled_back_membership_change_is_never_announced(nordby, received, django_capture_on_commit_callbacks):
    anna = services.person_create(actor=SYSTEM, municipality=nordby.municipality, given_name="A", family_name="L")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationFailed):
        services.membership_create(
            actor=SYSTEM,
            person=anna,
            organisation=nordby.board,
            role="ledamot",
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2025, 1, 1),
        )
    assert received == []


def test_officials_imports_nothing_from_loans():
    for path in OFFICIALS.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            assert not any(name.startswith("insyn.loans") for name in names), path


# --- The CLI acts as a named user -----------------------------------------------------------------


def subcommands() -> dict[str, Any]:
    parser = Command().create_parser("insyn", "officials")
    action = next(a for a in parser._actions if a.dest == "action")
    return dict(action.choices)


def test_every_subcommand_requires_user():
    for name, parser in subcommands().items():
        user = next((a for a in parser._actions if a.dest == "user"), None)
        assert user is not None and user.required, f"officials {name} runs without --user"


def test_import_without_user_is_refused_and_writes_nothing(nordby, tmp_path):
    source = tmp_path / "register.json"
    source.write_text(json.dumps({"persons": [{"id": "p1", "given_name": "A", "family_name": "B"}]}))
    before = AuditEntry.objects.count()

    with pytest.raises(CommandError, match="--user"):
        call_command("officials", "import", str(source), "--municipality", str(nordby.municipality.pk))

    assert not Person.objects.exists() and AuditEntry.objects.count() == before
    out = StringIO()
    call_command(
        "officials",
        "import",
        str(source),
        "--municipality",
        str(nordby.municipality.pk),
        "--user",
        "system",
        stdout=out,
    )
    assert json.loads(out.getvalue())["created"]["persons"] == 1


def test_officials_modules_load_openpyxl_only_when_a_spreadsheet_is_read_or_written():
    import os
    import subprocess
    import sys

    modules = [
        "insyn.officials.popolo",
        "insyn.officials.services",
        "insyn.officials.management.commands.officials",
        "insyn.officials.api",
        "insyn.officials.admin_views",
        "insyn.officials.forms",
    ]
    probe = "import django, sys\ndjango.setup()\n" + "".join(f"import {m}\n" for m in modules)
    probe += "print('openpyxl' in sys.modules)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "INSYN_TESTING": "1"}
    root = OFFICIALS.parent.parent
    out = subprocess.run([sys.executable, "-c", probe], cwd=root, env=env, check=True, capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "False"
