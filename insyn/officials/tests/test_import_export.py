"""Import (Popolo JSON, CSV, XLSX) and export (Popolo JSON, XLSX) of the officials register."""

from __future__ import annotations

import copy
import csv
import io
import json
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook, load_workbook

from insyn.core.exceptions import PermissionDeniedError, ValidationFailed
from insyn.core.models import AuditEntry, Organisation
from insyn.core.permissions import SYSTEM
from insyn.core.tests.factories import make_municipality, make_organ, make_user_with_role
from insyn.officials.models import Membership, Person
from insyn.officials.popolo import COLUMNS, export_popolo, export_xlsx, flat_rows, read_popolo
from insyn.officials.services import officials_import

ORGANS = (
    ("Kommunstyrelsen", "kommunstyrelse"),
    ("Barn- och utbildningsnämnden", "namnd"),
    ("Valnämnden", "valnamnd"),
)


@dataclass
class Register:
    municipality: Organisation
    organs: dict[str, Organisation]
    secretary: Any
    administrator: Any


def make_register(name: str) -> Register:
    municipality = make_municipality(name)
    organs = {organ: make_organ(municipality, organ, organ_type) for organ, organ_type in ORGANS}
    slug = name.split()[0].casefold()
    return Register(
        municipality,
        organs,
        make_user_with_role(municipality, "secretary", username=f"{slug}.sekreterare"),
        make_user_with_role(municipality, "administrator", username=f"{slug}.admin"),
    )


@pytest.fixture(autouse=True)
def english() -> Any:
    """The messages are asserted in English; the site's default language is Swedish."""
    with translation.override("en"):
        yield


@pytest.fixture
def testby(db: Any) -> Register:
    return make_register("Testby kommun")


@pytest.fixture
def provby(db: Any) -> Register:
    return make_register("Provby kommun")


def popolo_file() -> dict[str, Any]:
    """Three officials: one with a personnummer, one with a samordningsnummer, one with protected identity."""
    return {
        "persons": [
            {
                "id": "p1",
                "name": "Anna Andersson",
                "given_name": "Anna",
                "family_name": "Andersson",
                "email": "anna.andersson@example.org",
                "contact_details": [{"type": "phone", "value": "070-111 11 11"}],
                "party": "Socialdemokraterna",
                "identifiers": [{"scheme": "se_personnummer", "identifier": "19811218-9876"}],
            },
            {
                "id": "p2",
                "given_name": "Bertil",
                "family_name": "Berg",
                "email": "bertil.berg@example.org",
                "party": "Moderaterna",
                "identifiers": [{"scheme": "se_samordningsnummer", "identifier": "19701063-2391"}],
            },
            {
                "id": "p3",
                "given_name": "Cecilia",
                "family_name": "Carlsson",
                "email": "cecilia@example.org",
                "party": "Centerpartiet",
                "protected_identity": True,
                "identifiers": [{"scheme": "se_personnummer", "identifier": "19900101-0017"}],
            },
        ],
        "organizations": [
            {"id": "ks", "name": "Kommunstyrelsen", "classification": "kommunstyrelse"},
            {"id": "bun", "name": "Barn- och utbildningsnämnden", "classification": "namnd"},
            {"id": "val", "name": "Valnämnden"},
        ],
        "memberships": [
            {
                "id": "m1",
                "person_id": "p1",
                "organization_id": "ks",
                "role": "ordforande",
                "start_date": "2023-01-01",
                "end_date": "2026-12-31",
            },
            {"id": "m2", "person_id": "p1", "organization_id": "bun", "role": "ledamot", "start_date": "2023-01-01"},
            {
                "id": "m3",
                "person_id": "p2",
                "organization_id": "ks",
                "role": "vice ordförande",
                "start_date": "2023-01-01",
                "on_behalf_of": "Moderaterna",
            },
            {
                "id": "m4",
                "person_id": "p2",
                "organization_id": "val",
                "role": "ersättare",
                "start_date": "2023-01-01",
                "is_external": True,
            },
            {
                "id": "m5",
                "person_id": "p3",
                "organization_id": "bun",
                "role": "Ledamot",
                "start_date": "2023-01-01",
                "on_behalf_of": "Centerpartiet",
            },
        ],
    }


def as_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def counts() -> tuple[int, int, int]:
    return Person.objects.count(), Membership.objects.count(), AuditEntry.objects.count()


def register_of(municipality: Organisation) -> set[tuple[Any, ...]]:
    """Everything the import writes, comparable across municipalities."""
    return {
        (
            m.person.external_id,
            m.person.given_name,
            m.person.family_name,
            m.person.national_id,
            m.person.national_id_scheme,
            m.person.email,
            m.person.phone,
            m.person.party,
            m.person.protected_identity,
            m.organisation.name,
            m.role,
            m.start_date,
            m.end_date,
            m.is_external,
            m.on_behalf_of,
        )
        for m in Membership.objects.filter(person__municipality=municipality).select_related("person", "organisation")
    }


def flat_table(data: dict[str, Any]) -> list[list[Any]]:
    """The JSON fixture in the flat layout, header first (as a person would type it: no membership ids)."""
    rows = [[*COLUMNS]]
    for row in flat_rows(data):
        row["membership_id"] = ""
        rows.append([row[column] for column in COLUMNS])
    return rows


def import_file(register: Register, data: bytes, filename: str, *, actor: Any = SYSTEM, dry_run: bool = False) -> Any:
    return officials_import(
        actor=actor, municipality=register.municipality, popolo=read_popolo(data, filename=filename), dry_run=dry_run
    )


# --- Popolo JSON import -----------------------------------------------------------------------


def test_popolo_import_creates_persons_and_memberships(testby: Register) -> None:
    result = import_file(testby, as_json(popolo_file()), "register.json", actor=testby.secretary)

    assert result.created == {"persons": 3, "memberships": 5}
    anna = Person.objects.get(municipality=testby.municipality, external_id="p1")
    assert (anna.national_id, anna.national_id_scheme) == ("19811218-9876", "se_personnummer")
    assert anna.phone == "070-111 11 11"
    bertil = Person.objects.get(external_id="p2")
    assert bertil.national_id_scheme == "se_samordningsnummer"
    assert Person.objects.get(external_id="p3").protected_identity is True
    roles = {(m.person.external_id, m.organisation.name, m.role, m.is_external) for m in Membership.objects.all()}
    assert roles == {
        ("p1", "Kommunstyrelsen", "ordforande", False),
        ("p1", "Barn- och utbildningsnämnden", "ledamot", False),
        ("p2", "Kommunstyrelsen", "vice_ordforande", False),
        ("p2", "Valnämnden", "ersattare", True),
        ("p3", "Barn- och utbildningsnämnden", "ledamot", False),
    }


def test_importing_the_same_file_again_changes_nothing(testby: Register) -> None:
    import_file(testby, as_json(popolo_file()), "register.json")
    persons, memberships, _audit = counts()

    again = import_file(testby, as_json(popolo_file()), "register.json")

    assert again.unchanged == {"persons": 3, "memberships": 5}
    assert again.created == {"persons": 0, "memberships": 0}
    assert again.updated == {"persons": 0, "memberships": 0}
    assert counts()[:2] == (persons, memberships)


def test_changed_email_and_end_date_update_the_records(testby: Register) -> None:
    import_file(testby, as_json(popolo_file()), "register.json")
    changed = popolo_file()
    changed["persons"][1]["email"] = "bertil@example.net"
    changed["memberships"][1]["end_date"] = "2024-06-30"

    result = import_file(testby, as_json(changed), "register.json")

    assert result.updated == {"persons": 1, "memberships": 1}
    assert result.created == {"persons": 0, "memberships": 0}
    assert Person.objects.get(external_id="p2").email == "bertil@example.net"
    assert Membership.objects.get(external_id="m2").end_date.isoformat() == "2024-06-30"
    assert Person.objects.count() == 3


def test_dry_run_counts_but_writes_nothing(testby: Register) -> None:
    before = counts()

    result = import_file(testby, as_json(popolo_file()), "register.json", dry_run=True)

    assert result.dry_run and result.created == {"persons": 3, "memberships": 5}
    assert counts() == before


def test_invalid_personnummer_is_refused_naming_record_and_field(testby: Register) -> None:
    data = popolo_file()
    data["persons"][2]["identifiers"][0]["identifier"] = "811218-9877"
    before = counts()

    with pytest.raises(ValidationFailed) as refused:
        import_file(testby, as_json(data), "register.json")

    assert "persons[2] (id 'p3'), field identifiers" in str(refused.value.message)
    assert "811218-9877" in str(refused.value.message)
    assert counts() == before


def test_invalid_personnummer_on_reimport_is_refused_and_nothing_changes(testby: Register) -> None:
    import_file(testby, as_json(popolo_file()), "register.json")
    data = popolo_file()
    data["persons"][0]["email"] = "ny@example.org"
    data["persons"][1]["identifiers"][0]["identifier"] = "811218-9877"
    before = counts()

    with pytest.raises(ValidationFailed, match=r"persons\[1\] \(id 'p2'\), field identifiers: not a valid") as refused:
        import_file(testby, as_json(data), "register.json")

    assert "{" not in str(refused.value.message)  # a sentence, not a dict of errors
    assert counts() == before
    assert Person.objects.get(external_id="p1").email == "anna.andersson@example.org"


def test_unknown_organisation_is_refused_naming_record_and_field(testby: Register) -> None:
    data = popolo_file()
    data["organizations"].append({"id": "kfn", "name": "Kultur- och fritidsnämnden", "classification": "namnd"})
    before = counts()

    with pytest.raises(ValidationFailed) as refused:
        import_file(testby, as_json(data), "register.json")

    assert "organizations[3] (id 'kfn'), field name" in str(refused.value.message)
    assert "Kultur- och fritidsnämnden" in str(refused.value.message)
    assert counts() == before


def test_unknown_organization_id_in_a_membership_is_refused_and_nothing_written(testby: Register) -> None:
    data = popolo_file()
    data["memberships"][4]["organization_id"] = "kfn"
    before = counts()

    with pytest.raises(ValidationFailed) as refused:
        import_file(testby, as_json(data), "register.json")

    assert "memberships[4] (id 'm5'), field organization_id" in str(refused.value.message)
    assert counts() == before


def test_membership_ending_before_it_starts_names_the_membership(testby: Register) -> None:
    data = popolo_file()
    data["memberships"][3]["end_date"] = "2022-12-31"
    before = counts()

    with pytest.raises(ValidationFailed, match=r"memberships\[3\] \(id 'm4'\), field end_date"):
        import_file(testby, as_json(data), "register.json")

    assert counts() == before


def test_unreadable_json_names_the_file_and_line(testby: Register) -> None:
    with pytest.raises(ValidationFailed, match=r"register\.json: not JSON \(line 1, column"):
        read_popolo(b'{"persons": [', filename="register.json")
    with pytest.raises(ValidationFailed, match=r"register\.json: persons\[0\] is not an object"):
        read_popolo(b'{"persons": ["Anna"]}', filename="register.json")


# --- CSV and XLSX -----------------------------------------------------------------------------


def csv_bytes(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in rows:
        writer.writerow(["ja" if v is True else "nej" if v is False else str(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode()


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("filename", "writer"), [("register.csv", csv_bytes), ("register.xlsx", xlsx_bytes)])
def test_flat_file_imports_the_same_register_as_popolo(testby: Register, provby: Register, filename, writer) -> None:
    import_file(testby, as_json(popolo_file()), "register.json")
    table = flat_table(popolo_file())
    assert len(table) == 6  # header and one row per membership

    result = import_file(provby, writer(table), filename)

    assert result.created == {"persons": 3, "memberships": 5}
    assert register_of(provby.municipality) == register_of(testby.municipality)
    again = import_file(provby, writer(table), filename)
    assert again.unchanged == {"persons": 3, "memberships": 5}


def test_flat_file_accepts_swedish_roles_and_person_rows_without_repeats(testby: Register) -> None:
    table = [
        ["Person_ID", "Given name", "Family name", "Personnummer", "Organisation", "Role", "Start date"],
        ["a1", "Anna", "Andersson", "198112189876", "Kommunstyrelsen", "Vice ordförande", "2023-01-01"],
        ["a1", "Anna", "Andersson", "", "Valnämnden", "ersättare", "2023-01-01"],
        ["b1", "Bertil", "Berg", "", "", "", ""],
    ]

    result = import_file(testby, csv_bytes(table), "enkel.csv")

    assert result.created == {"persons": 2, "memberships": 2}
    assert Person.objects.get(external_id="a1").national_id == "19811218-9876"
    assert set(Membership.objects.values_list("role", flat=True)) == {"vice_ordforande", "ersattare"}


def test_broken_csv_row_names_file_row_and_column(testby: Register) -> None:
    table = flat_table(popolo_file())
    table[3][COLUMNS.index("start_date")] = "2023-13-01"
    before = counts()

    with pytest.raises(ValidationFailed) as refused:
        import_file(testby, csv_bytes(table), "ledamoter.csv")

    assert str(refused.value.message).startswith("ledamoter.csv, row 4, column start_date: not a date")
    assert counts() == before


def test_broken_xlsx_cell_names_the_column_letter(testby: Register) -> None:
    table = flat_table(popolo_file())
    table[2][COLUMNS.index("personnummer")] = "811218-9877"

    with pytest.raises(ValidationFailed, match=r"register\.xlsx, row 3, column D \(personnummer\): not a valid"):
        read_popolo(xlsx_bytes(table), filename="register.xlsx")


def test_flat_file_refuses_conflicting_person_rows_and_unknown_columns(testby: Register) -> None:
    table = flat_table(popolo_file())
    table[2][COLUMNS.index("email")] = "annan@example.org"
    with pytest.raises(ValidationFailed, match=r"row 3, column email: differs from row 2 for person 'p1'"):
        read_popolo(csv_bytes(table), filename="register.csv")
    with pytest.raises(ValidationFailed, match=r"row 1, column e-post: unknown column"):
        read_popolo(csv_bytes([["person_id", "given_name", "family_name", "e-post"]]), filename="register.csv")
    with pytest.raises(ValidationFailed, match=r"register\.xlsx: not an XLSX workbook"):
        read_popolo(b"not a zip", filename="register.xlsx")


def test_unknown_organisation_in_a_flat_file_is_refused(testby: Register) -> None:
    table = flat_table(popolo_file())
    table[1][COLUMNS.index("organization")] = "Kultur- och fritidsnämnden"
    table[1][COLUMNS.index("classification")] = "namnd"
    before = counts()

    with pytest.raises(ValidationFailed, match=r"organizations\[0\] \(id 'Kultur- och fritidsnämnden'\), field name"):
        import_file(testby, csv_bytes(table), "register.csv")

    assert counts() == before


# --- Export -----------------------------------------------------------------------------------


def reads() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="read").order_by("id"))


def test_export_for_a_secretary_masks_personnummer_and_hides_protected_identity(testby: Register) -> None:
    import_file(testby, as_json(popolo_file()), "register.json")

    exported = export_popolo(testby.secretary, testby.municipality)

    persons = {p["id"]: p for p in exported["persons"]}
    assert persons["p1"]["identifiers"] == [{"scheme": "se_personnummer", "identifier": "811218-XXXX"}]
    assert persons["p2"]["identifiers"] == [{"scheme": "se_samordningsnummer", "identifier": "701063-XXXX"}]
    assert persons["p1"]["email"] == "anna.andersson@example.org"
    assert persons["p3"] == {
        "id": "p3",
        "name": "Cecilia Carlsson",
        "given_name": "Cecilia",
        "family_name": "Carlsson",
        "protected_identity": True,
    }
    seats = {m["id"]: m for m in exported["memberships"]}
    assert "on_behalf_of" not in seats["m5"] and seats["m3"]["on_behalf_of"] == "Moderaterna"
    text = json.dumps(exported)
    assert "9876" not in text and "2391" not in text and "0017" not in text and "cecilia@" not in text
    assert reads() == []


def test_xlsx_export_for_a_secretary_is_masked_too(testby: Register) -> None:
    import_file(testby, as_json(popolo_file()), "register.json")

    sheet = load_workbook(io.BytesIO(export_xlsx(testby.secretary, testby.municipality))).worksheets[0]

    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS)
    by_person = {(r[0], r[COLUMNS.index("organization")]): dict(zip(COLUMNS, r, strict=True)) for r in rows[1:]}
    assert by_person[("p1", "Kommunstyrelsen")]["personnummer"] == "811218-XXXX"
    cecilia = by_person[("p3", "Barn- och utbildningsnämnden")]
    assert cecilia["personnummer"] is None and cecilia["email"] is None and cecilia["party"] is None
    assert cecilia["on_behalf_of"] is None and cecilia["protected_identity"] is True
    assert reads() == []


def test_masked_export_cannot_be_imported_as_personnummer(testby: Register) -> None:
    import_file(testby, as_json(popolo_file()), "register.json")
    masked = export_xlsx(testby.secretary, testby.municipality)

    with pytest.raises(ValidationFailed, match=r"row 2, column D \(personnummer\): masked"):
        read_popolo(masked, filename="export.xlsx")


def test_export_for_an_administrator_is_full_and_every_unmasked_read_is_audited(testby: Register) -> None:
    import_file(testby, as_json(popolo_file()), "register.json")

    exported = export_popolo(testby.administrator, testby.municipality)

    persons = {p["id"]: p for p in exported["persons"]}
    assert persons["p1"]["identifiers"][0]["identifier"] == "19811218-9876"
    assert persons["p2"]["identifiers"][0]["identifier"] == "19701063-2391"
    assert persons["p3"]["identifiers"][0]["identifier"] == "19900101-0017"
    assert persons["p3"]["email"] == "cecilia@example.org"
    audited = reads()
    assert sorted(int(e.object_id) for e in audited) == sorted(
        Person.objects.filter(municipality=testby.municipality).values_list("pk", flat=True)
    )
    assert {e.actor_id for e in audited} == {testby.administrator.pk}
    assert all(e.changes == {"fields": ["national_id"]} for e in audited)


def test_export_is_refused_to_someone_without_access_to_the_municipality(testby: Register, provby: Register) -> None:
    import_file(testby, as_json(popolo_file()), "register.json")

    with pytest.raises(PermissionDeniedError):
        export_popolo(provby.administrator, testby.municipality)
    assert reads() == []


# --- CLI --------------------------------------------------------------------------------------


def run(*args: str) -> Any:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_cli_round_trip_from_one_municipality_to_another(testby: Register, provby: Register, tmp_path: Path) -> None:
    source = tmp_path / "register.json"
    source.write_bytes(as_json(popolo_file()))
    summary = run("officials", "import", str(source), "--municipality", "Testby kommun", "--user", "system")
    assert summary["created"] == {"persons": 3, "memberships": 5}
    exported = tmp_path / "export.json"

    call_command(
        "officials",
        "export",
        "--municipality",
        "Testby kommun",
        "--format",
        "json",
        "-o",
        str(exported),
        "--user",
        testby.administrator.username,
        stderr=StringIO(),
    )
    summary = run("officials", "import", str(exported), "--municipality", "Provby kommun", "--user", "provby.admin")

    assert summary["created"] == {"persons": 3, "memberships": 5}
    assert register_of(provby.municipality) == register_of(testby.municipality)
    again = run("officials", "import", str(exported), "--municipality", "Provby kommun", "--user", "system")
    assert again["unchanged"] == {"persons": 3, "memberships": 5}


def test_cli_xlsx_export_round_trip(testby: Register, provby: Register, tmp_path: Path) -> None:
    import_file(testby, as_json(popolo_file()), "register.json")
    exported = tmp_path / "export.xlsx"

    call_command(
        "officials",
        "export",
        "--municipality",
        "testby kommun",
        "--format",
        "xlsx",
        "-o",
        str(exported),
        "--user",
        testby.administrator.username,
        stderr=StringIO(),
    )
    summary = run(
        "officials", "import", str(exported), "--municipality", str(provby.municipality.pk), "--user", "system"
    )

    assert summary["created"] == {"persons": 3, "memberships": 5}
    assert register_of(provby.municipality) == register_of(testby.municipality)


def test_cli_import_dry_run_and_errors(testby: Register, tmp_path: Path) -> None:
    source = tmp_path / "register.json"
    source.write_bytes(as_json(popolo_file()))
    summary = run(
        "officials", "import", str(source), "--municipality", "Testby kommun", "--dry-run", "--user", "system"
    )
    assert summary["dry_run"] is True and summary["created"]["persons"] == 3
    assert Person.objects.count() == 0

    broken = copy.deepcopy(popolo_file())
    broken["persons"][0]["identifiers"][0]["identifier"] = "811218-9877"
    source.write_bytes(as_json(broken))
    with pytest.raises(CommandError, match=r"validation_error: persons\[0\] \(id 'p1'\), field identifiers"):
        call_command("officials", "import", str(source), "--municipality", "Testby kommun", "--user", "system")
    with pytest.raises(CommandError, match="No municipality"):
        call_command("officials", "import", str(source), "--municipality", "Ingenstans kommun", "--user", "system")
    assert Person.objects.count() == 0


def test_cli_acts_as_the_user(testby: Register, provby: Register, tmp_path: Path) -> None:
    source = tmp_path / "register.json"
    source.write_bytes(as_json(popolo_file()))
    with pytest.raises(CommandError, match="permission_denied"):
        call_command("officials", "import", str(source), "--municipality", "Testby kommun", "--user", "provby.admin")
    assert Person.objects.count() == 0
    run("officials", "import", str(source), "--municipality", "Testby kommun", "--user", "testby.sekreterare")

    exported = tmp_path / "masked.json"
    call_command(
        "officials",
        "export",
        "--municipality",
        "Testby kommun",
        "--format",
        "json",
        "-o",
        str(exported),
        "--user",
        "testby.sekreterare",
        stderr=StringIO(),
    )
    text = exported.read_text()
    assert "811218-XXXX" in text and "19811218-9876" not in text
    assert reads() == []
