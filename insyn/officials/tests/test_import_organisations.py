"""A Popolo file's own organisations: refused by default, listed by a dry run, created on request within the
actor's rights (the core organisation service checks them), never in another municipality."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from insyn.core.exceptions import PermissionDeniedError, ValidationFailed
from insyn.core.models import AuditEntry, Organisation
from insyn.core.permissions import SYSTEM
from insyn.officials.exceptions import ImportChangedSincePreview, UnknownOrganisations
from insyn.officials.models import Membership, Person
from insyn.officials.services import officials_import

pytestmark = pytest.mark.usefixtures("english")


def popolo() -> dict[str, Any]:
    return {
        "persons": [{"id": "p1", "given_name": "Anna", "family_name": "Lind"}],
        "organizations": [
            {"id": "ks", "name": "Kommunstyrelsen", "classification": "kommunstyrelse"},
            {"id": "kfn", "name": "Kultur- och fritidsnämnden", "classification": "namnd"},
            {"id": "kpr", "name": "Kommunala pensionärsrådet"},
        ],
        "memberships": [
            {"id": "m1", "person_id": "p1", "organization_id": "ks", "role": "ledamot"},
            {"id": "m2", "person_id": "p1", "organization_id": "kfn", "role": "ordforande"},
            {"id": "m3", "person_id": "p1", "organization_id": "kpr", "role": "ledamot"},
        ],
    }


def written() -> tuple[int, int, int, int]:
    return Person.objects.count(), Membership.objects.count(), Organisation.objects.count(), AuditEntry.objects.count()


def test_unknown_organisations_are_refused_naming_every_one(nordby):
    before = written()
    with pytest.raises(UnknownOrganisations) as refused:
        officials_import(actor=nordby.administrator, municipality=nordby.municipality, popolo=popolo())
    assert "organizations[1] (id 'kfn'), field name" in str(refused.value.message)
    names = [o["name"] for o in refused.value.detail["organizations"]]
    assert names == ["Kultur- och fritidsnämnden", "Kommunala pensionärsrådet"]
    assert written() == before


def test_dry_run_lists_the_organisations_it_would_create_and_writes_nothing(nordby):
    before = written()
    result = officials_import(
        actor=nordby.administrator,
        municipality=nordby.municipality,
        popolo=popolo(),
        dry_run=True,
        create_organisations=True,
    )
    assert result.new_organisations == [
        {"name": "Kultur- och fritidsnämnden", "organ_type": "namnd", "parent": "Nordby kommun"},
        {"name": "Kommunala pensionärsrådet", "organ_type": "other", "parent": "Nordby kommun"},
    ]
    assert result.created == {"persons": 1, "memberships": 3}
    assert written() == before


def test_create_organisations_creates_them_in_the_municipality_and_imports(nordby):
    result = officials_import(
        actor=nordby.administrator, municipality=nordby.municipality, popolo=popolo(), create_organisations=True
    )
    kfn = Organisation.objects.get(name="Kultur- och fritidsnämnden")
    assert (kfn.parent_id, kfn.municipality_id, kfn.kind, kfn.organ_type) == (
        nordby.municipality.pk,
        nordby.municipality.pk,
        "organ",
        "namnd",
    )
    assert result.created == {"persons": 1, "memberships": 3} and len(result.new_organisations) == 2
    assert Membership.objects.filter(organisation=kfn, role="ordforande").exists()
    created = AuditEntry.objects.filter(
        object_type="core.organisation", action="create", actor_id=nordby.administrator.pk
    )
    assert created.count() == 2
    again = officials_import(
        actor=nordby.administrator, municipality=nordby.municipality, popolo=popolo(), create_organisations=True
    )
    assert again.new_organisations == [] and again.unchanged == {"persons": 1, "memberships": 3}


def test_an_actor_without_the_right_to_add_organisations_is_refused_and_nothing_is_written(nordby):
    before = written()
    with pytest.raises(PermissionDeniedError, match="may not create the organisation 'Kultur- och fritidsnämnden'"):
        officials_import(
            actor=nordby.secretary, municipality=nordby.municipality, popolo=popolo(), create_organisations=True
        )
    assert written() == before


def test_organisations_are_never_created_under_another_municipality(nordby, sydby):
    before = written()
    for parent in (sydby.municipality, sydby.board):
        with pytest.raises(ValidationFailed, match="not part of Nordby kommun"):
            officials_import(
                actor=SYSTEM,
                municipality=nordby.municipality,
                popolo=popolo(),
                create_organisations=True,
                organisations_parent=parent,
            )
    with pytest.raises(PermissionDeniedError):  # another municipality's register: no right at all
        officials_import(
            actor=nordby.administrator, municipality=sydby.municipality, popolo=popolo(), create_organisations=True
        )
    assert written() == before


def test_organisations_may_go_under_an_organ_of_the_municipality(nordby):
    officials_import(
        actor=nordby.administrator,
        municipality=nordby.municipality,
        popolo=popolo(),
        create_organisations=True,
        organisations_parent=nordby.board,
    )
    assert Organisation.objects.get(name="Kultur- och fritidsnämnden").parent_id == nordby.board.pk


def test_a_confirmation_creates_nothing_the_preview_did_not_show(nordby):
    before = written()
    with pytest.raises(ImportChangedSincePreview):
        officials_import(
            actor=nordby.administrator,
            municipality=nordby.municipality,
            popolo=popolo(),
            create_organisations=True,
            expected_new_organisations=["Kultur- och fritidsnämnden"],
        )
    assert written() == before


def test_a_party_is_not_created_as_an_organ(nordby):
    data = popolo()
    data["organizations"][2]["classification"] = "party"
    with pytest.raises(ValidationFailed, match=r"organizations\[2\] \(id 'kpr'\), field classification"):
        officials_import(actor=SYSTEM, municipality=nordby.municipality, popolo=data, create_organisations=True)
    assert not Organisation.objects.filter(name="Kultur- och fritidsnämnden").exists()


def run(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_cli_create_organisations(nordby, sydby, tmp_path):
    source = tmp_path / "register.json"
    source.write_text(json.dumps(popolo()))
    args = ["officials", "import", str(source), "--municipality", "Nordby kommun"]

    with pytest.raises(CommandError, match=r"unknown_organisations: .*--create-organisations"):
        call_command(*args, "--user", "nordby.admin")
    with pytest.raises(CommandError, match="permission_denied"):
        call_command(*args, "--user", "nordby.sekreterare", "--create-organisations")
    with pytest.raises(CommandError, match="No organisation"):  # another municipality's id as the parent
        call_command(
            *args, "--user", "nordby.admin", "--create-organisations", "--organisations-parent", str(sydby.board.pk)
        )
    assert not Person.objects.exists()

    listed = run(*args, "--user", "nordby.admin", "--create-organisations", "--dry-run")
    assert [o["name"] for o in listed["new_organisations"]] == [
        "Kultur- och fritidsnämnden",
        "Kommunala pensionärsrådet",
    ]
    assert not Organisation.objects.filter(name="Kultur- och fritidsnämnden").exists()

    done = run(*args, "--user", "nordby.admin", "--create-organisations")
    assert done["created"] == {"persons": 1, "memberships": 3} and len(done["new_organisations"]) == 2
    assert Organisation.objects.filter(name="Kultur- och fritidsnämnden", municipality=nordby.municipality).exists()
