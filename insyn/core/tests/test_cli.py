from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from insyn.core.models import GoverningDocument


def run(*args: str) -> object:
    out = StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


def test_cli_lists_only_own_municipality(two_municipalities):
    pitea, torsby = two_municipalities
    listed = {d["id"] for d in run("documents", "list", "--user", pitea.registrar.username)}
    assert pitea.document.pk in listed and torsby.document.pk not in listed
    orgs = {o["id"] for o in run("organisations", "list", "--user", pitea.registrar.username)}
    assert pitea.board.pk in orgs and torsby.board.pk not in orgs


def test_cli_cannot_show_or_change_another_municipality(two_municipalities):
    pitea, torsby = two_municipalities
    with pytest.raises(CommandError, match="not_found"):
        call_command("documents", "show", str(torsby.document.pk), "--user", pitea.registrar.username)
    with pytest.raises(CommandError, match="not_found"):
        call_command(
            "documents", "update", str(torsby.document.pk), "--title", "Kapad", "--user", pitea.registrar.username
        )
    with pytest.raises(CommandError, match="not_found"):
        call_command(
            "documents",
            "create",
            "--organisation",
            str(torsby.board.pk),
            "--title",
            "Intrång",
            "--type",
            "policy",
            "--user",
            pitea.registrar.username,
        )
    torsby.document.refresh_from_db()
    assert torsby.document.title != "Kapad"
    assert not GoverningDocument.objects.filter(title="Intrång").exists()


def test_cli_creates_document_in_own_municipality(two_municipalities):
    pitea, _ = two_municipalities
    created = run(
        "documents",
        "create",
        "--organisation",
        str(pitea.board.pk),
        "--title",
        "Arkivreglemente",
        "--type",
        "regulation",
        "--valid-until",
        "2030-12-31",
        "--user",
        pitea.registrar.username,
    )
    document = GoverningDocument.objects.get(pk=created["id"])
    assert document.valid_until.isoformat() == "2030-12-31"


def test_cli_unknown_user_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No active user"):
        call_command("documents", "list", "--user", "ghost")


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["demo", "--help"],
        ["audit", "verify", "--help"],
        ["check", "--help"],
        ["documents", "list", "--help"],
        ["organisations", "--help"],
        ["worker", "--help"],
    ],
)
def test_insyn_console_script_has_help_for_every_command(args):
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from insyn.cli import main; sys.exit(main(sys.argv[1:]))", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "INSYN_TESTING": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert "usage" in result.stdout.lower()


def test_cli_roles_assign_is_scoped(two_municipalities):
    from insyn.core.tests.factories import UserFactory, make_user_with_role

    pitea, torsby = two_municipalities
    admin = make_user_with_role(pitea.municipality, "administrator")
    UserFactory(username="ny.sekreterare")
    created = run(
        "roles",
        "assign",
        "--user",
        admin.username,
        "--to",
        "ny.sekreterare",
        "--organisation",
        str(pitea.board.pk),
        "--role",
        "secretary",
    )
    assert created["id"]
    with pytest.raises(CommandError, match="not_found"):
        call_command(
            "roles",
            "assign",
            "--user",
            admin.username,
            "--to",
            "ny.sekreterare",
            "--organisation",
            str(torsby.board.pk),
            "--role",
            "secretary",
        )
    listed = run("roles", "list", "--user", admin.username)
    assert {a["organisation"] for a in listed} <= {"Piteå kommun", "Kommunstyrelsen"}
    assert all(a["user"] != torsby.registrar.username for a in listed)


def _audit_and_counts() -> tuple[int, int, int, int]:
    from insyn.core.models import AuditEntry, Organisation, RoleAssignment

    return (
        AuditEntry.objects.count(),
        GoverningDocument.objects.count(),
        Organisation.objects.count(),
        RoleAssignment.objects.count(),
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["documents", "create", "--organisation", "{board}", "--title", "Utan användare", "--type", "policy"],
        ["documents", "update", "{document}", "--title", "Utan användare"],
        ["organisations", "create", "--name", "Utan användare", "--kind", "unit", "--parent", "{board}"],
        ["roles", "assign", "--to", "{registrar}", "--organisation", "{board}", "--role", "archivist"],
        ["roles", "revoke", "{assignment}"],
    ],
    ids=lambda argv: " ".join(argv[:2]),
)
def test_every_data_changing_command_refuses_without_user_and_writes_nothing(two_municipalities, argv):
    from insyn.core.models import RoleAssignment

    pitea, _ = two_municipalities
    values = {
        "board": pitea.board.pk,
        "document": pitea.document.pk,
        "registrar": pitea.registrar.username,
        "assignment": RoleAssignment.objects.filter(user=pitea.registrar).values_list("pk", flat=True).first(),
    }
    before = _audit_and_counts()
    with pytest.raises(CommandError, match="--user"):
        call_command(*[arg.format(**values) for arg in argv])
    assert _audit_and_counts() == before
    pitea.document.refresh_from_db()
    assert pitea.document.title != "Utan användare"


def test_audit_head_publish_needs_an_installation_administrator(two_municipalities, tmp_path, settings):
    pitea, _ = two_municipalities
    heads = tmp_path / "heads.txt"
    settings.INSYN_AUDIT_HEAD_FILE = str(heads)
    with pytest.raises(CommandError, match="--user"):
        call_command("audit", "head", "--publish")
    with pytest.raises(CommandError, match="permission_denied"):
        call_command("audit", "head", "--publish", "--user", pitea.registrar.username)
    assert not heads.exists()
    out = StringIO()
    call_command("audit", "head", "--publish", "--user", "system", stdout=out)
    assert heads.read_text().split()[-1] == out.getvalue().strip()
    call_command("audit", "head")  # reading the head needs no user
