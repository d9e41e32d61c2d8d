"""Officials register files: read Popolo JSON, CSV and XLSX; write Popolo JSON and XLSX.

Reading
=======

`read_popolo(data, filename=...)` returns the Popolo dict that
`insyn.officials.services.officials_import` takes. The file name's ending
chooses the format:

``.json``
    Popolo as is: ``persons`` (personnummer in ``identifiers`` as
    ``{"scheme": "se_personnummer" | "se_samordningsnummer", "identifier": …}``),
    ``organizations`` (``name``, ``classification``) and ``memberships``
    (``person_id``, ``organization_id``, ``role``, ``start_date``, ``end_date``
    and the extension ``is_external``). Only the shape is checked here; the
    service checks the content and names ``persons[i]`` and the field.

``.csv`` and ``.xlsx``: the flat layout
    A header row, then one row per membership. A person's columns repeat on
    each of their rows (a later row may leave the optional ones empty; a
    different value is an error). A row with an empty ``organization`` describes a person
    without a membership. CSV is UTF-8 (a BOM is fine) or Windows-1252,
    separated by ``;``, ``,`` or tab. XLSX: the first sheet; the first
    non-empty row is the header. Column names are matched without regard to
    case; the order is free.

    ==================  ========  ====================================================
    column              required  meaning
    ==================  ========  ====================================================
    person_id           yes       the person's id in the source register
    given_name          yes       given name
    family_name         yes       family name
    personnummer        no        personnummer or samordningsnummer (ÅÅÅÅMMDD-XXXX)
    email               no        e-mail address
    phone               no        phone number
    party               no        party
    title               no        title ("kommunalråd")
    protected_identity  no        skyddad identitet: ja/nej, true/false, yes/no, 1/0, x
    organization        no        the organ, by its name in the organisation tree
    classification      no        organ type (kommunstyrelse, namnd, utskott …)
    membership_id       no        the membership's id in the source register
    role                with org  ordforande, vice_ordforande, ledamot, ersattare
                                  (also "ordförande", "vice ordförande", "Ledamot" …)
    start_date          no        YYYY-MM-DD
    end_date            no        YYYY-MM-DD, not before start_date
    is_external         no        a member from outside the council, as protected_identity
    on_behalf_of        no        the party the seat is held for
    ==================  ========  ====================================================

    Errors name the file, the row (as the spreadsheet shows it: the header is
    row 1) and the column. A membership without ``membership_id`` is matched
    on person, organ, role and start date, so importing the file again
    changes nothing; with a changed role or start date it is a new
    membership (give ``membership_id`` to change one in place).

Writing
=======

`export_popolo(actor, municipality)` and `export_xlsx(actor, municipality)`
(the flat layout above) show what `selectors.person_view` lets the actor see:
personnummer masked (ÅÅMMDD-XXXX) unless the actor may see them, in which
case every unmasked personnummer goes on the audit trail; a person with
protected identity is only a name (and their seats, without the party) for
an actor who may not see them in full. A masked file cannot be imported
again: the masked personnummer are refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any, NoReturn

from django.utils.translation import gettext as _

from insyn.core.bounded_input import Budget, loads_json, open_zip, text_rows, used_width
from insyn.core.exceptions import PermissionDeniedError, ValidationFailed
from insyn.core.models import Organisation
from insyn.core.permissions import organisation_q
from insyn.officials.models import MembershipRole
from insyn.officials.rules import normalise_national_id
from insyn.officials.selectors import VIEW, can_see_protected, membership_list, person_list, person_view

PERSON_COLUMNS = (
    "person_id",
    "given_name",
    "family_name",
    "personnummer",
    "email",
    "phone",
    "party",
    "title",
    "protected_identity",
)
MEMBERSHIP_COLUMNS = (
    "organization",
    "classification",
    "membership_id",
    "role",
    "start_date",
    "end_date",
    "is_external",
    "on_behalf_of",
)
COLUMNS = PERSON_COLUMNS + MEMBERSHIP_COLUMNS
REQUIRED_COLUMNS = ("person_id", "given_name", "family_name")
ALIASES = {
    "national_id": "personnummer",
    "samordningsnummer": "personnummer",
    "organisation": "organization",
    "organ": "organization",
}
TRUE = {"1", "true", "ja", "yes", "x", "sant", "tak"}
FALSE = {"", "0", "false", "nej", "no", "falskt", "nie"}
SHEET_TITLE = "Officials"


# --- Reading ---------------------------------------------------------------------------------


class _Where:
    """A place in a file, for messages: "ledamoter.csv, row 4, column start_date"."""

    def __init__(self, file: str, letters: bool) -> None:
        self.file = file
        self.letters = letters

    def fail(self, message: str, *, row: int | None = None, column: str | None = None, index: int = 0) -> NoReturn:
        where = self.file
        if row is not None:
            where += _(", row %(row)d") % {"row": row}
        if column:
            if self.letters:
                from openpyxl.utils import get_column_letter

                column = f"{get_column_letter(index + 1)} ({column})"
            where += _(", column %(column)s") % {"column": column}
        raise ValidationFailed(_("%(where)s: %(message)s") % {"where": where, "message": message}, code="file_error")


def read_popolo(data: bytes, *, filename: str) -> dict[str, Any]:
    """The Popolo dict of a .json, .csv or .xlsx file; ValidationFailed names file, row and column."""
    file = PurePath(filename).name or filename
    suffix = PurePath(filename).suffix.casefold()
    if suffix == ".json":
        return _read_json(data, file=file)
    if suffix == ".csv":
        return _from_rows(_csv_rows(data, file=file), where=_Where(file, letters=False))
    if suffix == ".xlsx":
        return _from_rows(_xlsx_rows(data, file=file), where=_Where(file, letters=True))
    raise ValidationFailed(
        _("%(file)s: unknown format; expected .json (Popolo), .csv or .xlsx") % {"file": file}, code="file_error"
    )


def _read_json(data: bytes, *, file: str) -> dict[str, Any]:
    try:
        popolo = loads_json(data.decode("utf-8-sig"), budget=Budget(file))
    except UnicodeDecodeError:
        raise ValidationFailed(_("%(file)s: not UTF-8 text") % {"file": file}, code="file_error") from None
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            _("%(file)s: not JSON (line %(line)d, column %(column)d: %(reason)s)")
            % {"file": file, "line": exc.lineno, "column": exc.colno, "reason": exc.msg},
            code="file_error",
        ) from None
    collections = ("persons", "organizations", "memberships")
    if not isinstance(popolo, dict) or not any(key in popolo for key in collections):
        raise ValidationFailed(
            _("%(file)s: not a Popolo file (an object with persons, organizations and memberships)") % {"file": file},
            code="file_error",
        )
    for key in collections:
        records = popolo.get(key)
        if records is None:
            continue
        if not isinstance(records, list):
            raise ValidationFailed(_("%(file)s: %(key)s is not a list") % {"file": file, "key": key}, code="file_error")
        for index, record in enumerate(records):
            if not isinstance(record, dict):
                raise ValidationFailed(
                    _("%(file)s: %(key)s[%(index)d] is not an object") % {"file": file, "key": key, "index": index},
                    code="file_error",
                )
    return popolo


def _csv_rows(data: bytes, *, file: str) -> list[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ValidationFailed(
                _("%(file)s: neither UTF-8 nor Windows-1252 text") % {"file": file}, code="file_error"
            ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    try:
        records = list(text_rows(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), Budget(file)))
    except csv.Error as exc:
        raise ValidationFailed(
            _("%(file)s: not a CSV file (%(reason)s)") % {"file": file, "reason": exc}, code="file_error"
        ) from None
    return list(enumerate(records, start=1))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(data: bytes, *, file: str) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    budget = Budget(file)
    try:
        open_zip(data, budget=budget).close()  # sizes, ratio and DTDs before openpyxl opens it
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as exc:
        raise ValidationFailed(
            _("%(file)s: not an XLSX workbook (%(reason)s)") % {"file": file, "reason": exc}, code="file_error"
        ) from None
    try:
        if not workbook.worksheets:
            return []
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # a declared dimension would pad every row: count what is there
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            width = used_width(values)
            budget.row(width)
            rows.append((number, [_cell_text(value) for value in values[:width]]))
        return rows
    except (SyntaxError, ValueError, KeyError, TypeError) as exc:  # a broken sheet (XML ParseError is a SyntaxError)
        raise ValidationFailed(
            _("%(file)s: not an XLSX workbook (%(reason)s)") % {"file": file, "reason": exc}, code="file_error"
        ) from None
    finally:
        workbook.close()


def _header(cells: list[str], *, row: int, where: _Where) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = cell.strip().casefold().replace(" ", "_").replace("-", "_")
        if not name:
            continue
        name = ALIASES.get(name, name)
        if name not in COLUMNS:
            where.fail(
                _("unknown column %(name)r; the columns are: %(columns)s")
                % {"name": cell, "columns": ", ".join(COLUMNS)},
                row=row,
                column=cell,
                index=index,
            )
        if name in positions:
            where.fail(_("the column appears twice"), row=row, column=cell, index=index)
        positions[name] = index
    for name in REQUIRED_COLUMNS:
        if name not in positions:
            where.fail(_("the column %(name)s is missing") % {"name": name}, row=row)
    return positions


def role_code(value: str) -> str:
    """The role code of "Vice ordförande", "ledamot" …; as the import service normalises it."""
    return value.strip().casefold().replace("ö", "o").replace("ä", "a").replace(" ", "_")


class _Row:
    def __init__(self, number: int, cells: list[str], positions: dict[str, int], where: _Where) -> None:
        self.number = number
        self.cells = cells
        self.positions = positions
        self.where = where

    def get(self, column: str) -> str:
        index = self.positions.get(column)
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index].strip()

    def fail(self, column: str, message: str) -> NoReturn:
        self.where.fail(message, row=self.number, column=column, index=self.positions.get(column, 0))

    def flag(self, column: str) -> bool | None:
        value = self.get(column).casefold()
        if value in TRUE:
            return True
        if value in FALSE:
            return None if value == "" else False
        self.fail(column, _("not yes or no: %(value)r") % {"value": self.get(column)})

    def date(self, column: str) -> str:
        value = self.get(column)
        if not value:
            return ""
        try:
            return dt.date.fromisoformat(value[:10] if len(value) > 10 and value[10] in " T" else value).isoformat()
        except ValueError:
            self.fail(column, _("not a date (YYYY-MM-DD): %(value)r") % {"value": value})


def _person(row: _Row) -> dict[str, Any]:
    for column in REQUIRED_COLUMNS:
        if not row.get(column):
            row.fail(column, _("empty; every row needs a person_id, given_name and family_name"))
    person: dict[str, Any] = {
        "id": row.get("person_id"),
        "given_name": row.get("given_name"),
        "family_name": row.get("family_name"),
    }
    national_id = row.get("personnummer")
    if national_id:
        if "x" in national_id.casefold():
            row.fail("personnummer", _("masked (%(value)s); import a file with full numbers") % {"value": national_id})
        try:
            national_id, scheme = normalise_national_id(national_id)
        except ValueError as exc:
            row.fail("personnummer", str(exc))
        person["identifiers"] = [{"scheme": scheme, "identifier": national_id}]
    for column in ("email", "party", "title"):
        if row.get(column):
            person[column] = row.get(column)
    if row.get("phone"):
        person["contact_details"] = [{"type": "phone", "value": row.get("phone")}]
    protected = row.flag("protected_identity")
    if protected is not None:
        person["protected_identity"] = protected
    return person


def _merge_person(known: dict[str, Any], new: dict[str, Any], *, first_row: int, row: _Row) -> None:
    columns = {
        "given_name": "given_name",
        "family_name": "family_name",
        "identifiers": "personnummer",
        "email": "email",
        "party": "party",
        "title": "title",
        "contact_details": "phone",
        "protected_identity": "protected_identity",
    }
    for key, column in columns.items():
        if key not in new:
            continue
        if key in known and known[key] != new[key]:
            row.fail(
                column,
                _("differs from row %(first)d for person %(id)r") % {"first": first_row, "id": known["id"]},
            )
        known[key] = new[key]


def _membership(row: _Row, organizations: dict[str, dict[str, Any]], org_rows: dict[str, int]) -> dict[str, Any]:
    name = row.get("organization")
    key = name.casefold()
    classification = row.get("classification")
    organization = organizations.setdefault(key, {"id": name, "name": name})
    org_rows.setdefault(key, row.number)
    if classification:
        if organization.get("classification", classification) != classification:
            row.fail(
                "classification",
                _("differs from row %(first)d for %(name)s") % {"first": org_rows[key], "name": name},
            )
        organization["classification"] = classification
    role = row.get("role")
    if not role:
        row.fail(
            "role", _("empty; a membership needs a role (%(roles)s)") % {"roles": ", ".join(MembershipRole.values)}
        )
    if role_code(role) not in MembershipRole.values:
        row.fail(
            "role", _("unknown role %(role)r (%(roles)s)") % {"role": role, "roles": ", ".join(MembershipRole.values)}
        )
    start, end = row.date("start_date"), row.date("end_date")
    if start and end and end < start:
        row.fail("end_date", _("%(end)s is before start_date %(start)s") % {"end": end, "start": start})
    membership: dict[str, Any] = {
        "person_id": row.get("person_id"),
        "organization_id": organization["id"],
        "role": role_code(role),
        "start_date": start or None,
        "end_date": end or None,
        "is_external": bool(row.flag("is_external")),
    }
    if row.get("membership_id"):
        membership["id"] = row.get("membership_id")
    if row.get("on_behalf_of"):
        membership["on_behalf_of"] = row.get("on_behalf_of")
    return membership


def _from_rows(rows: Iterable[tuple[int, list[str]]], *, where: _Where) -> dict[str, Any]:
    positions: dict[str, int] | None = None
    persons: dict[str, dict[str, Any]] = {}
    person_rows: dict[str, int] = {}
    organizations: dict[str, dict[str, Any]] = {}
    org_rows: dict[str, int] = {}
    memberships: list[dict[str, Any]] = []
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        if positions is None:
            positions = _header(cells, row=number, where=where)
            continue
        row = _Row(number, cells, positions, where)
        person = _person(row)
        if person["id"] in persons:
            _merge_person(persons[person["id"]], person, first_row=person_rows[person["id"]], row=row)
        else:
            persons[person["id"]] = person
            person_rows[person["id"]] = number
        if row.get("organization"):
            memberships.append(_membership(row, organizations, org_rows))
        else:
            for column in MEMBERSHIP_COLUMNS[1:]:
                if row.get(column):
                    row.fail("organization", _("empty, but the row has %(column)s") % {"column": column})
    if positions is None:
        where.fail(_("the file is empty; expected a header row (%(columns)s)") % {"columns": ", ".join(COLUMNS)})
    return {
        "persons": list(persons.values()),
        "organizations": list(organizations.values()),
        "memberships": memberships,
    }


# --- Writing ---------------------------------------------------------------------------------


def _require_view(actor: Any, municipality: Organisation) -> None:
    if not Organisation.objects.filter(organisation_q(actor, VIEW), pk=municipality.pk).exists():
        raise PermissionDeniedError()


def export_popolo(actor: Any, municipality: Organisation) -> dict[str, Any]:
    """The municipality's officials as Popolo, as much as `actor` may see (unmasked reads are audited)."""
    _require_view(actor, municipality)
    persons = list(
        person_list(actor=actor, municipality_id=municipality.pk).order_by("family_name", "given_name", "pk")
    )
    person_ids: dict[int, str] = {}
    hidden: set[int] = set()
    popolo_persons = []
    for person in persons:
        view = person_view(actor=actor, person=person, reveal=True)
        popolo_id = person.external_id or f"insyn-person-{person.pk}"
        person_ids[person.pk] = popolo_id
        if person.protected_identity and not can_see_protected(actor, person):
            hidden.add(person.pk)
        record: dict[str, Any] = {
            "id": popolo_id,
            "name": view["name"],
            "given_name": view["given_name"],
            "family_name": view["family_name"],
        }
        if view["national_id"]:
            record["identifiers"] = [{"scheme": view["national_id_scheme"], "identifier": view["national_id"]}]
        for key in ("email", "party", "title"):
            if view[key]:
                record[key] = view[key]
        if view["phone"]:
            record["contact_details"] = [{"type": "phone", "value": view["phone"]}]
        record["protected_identity"] = bool(view["protected_identity"])
        popolo_persons.append(record)
    memberships = (
        membership_list(actor=actor)
        .filter(person__municipality=municipality)
        .order_by("person__family_name", "person__given_name", "person_id", "organisation__name", "start_date", "pk")
    )
    organizations: dict[int, dict[str, Any]] = {}
    popolo_memberships = []
    for membership in memberships:
        organ = membership.organisation
        if organ.pk not in organizations:
            organizations[organ.pk] = {"id": f"insyn-organ-{organ.pk}", "name": organ.name}
            if organ.organ_type:
                organizations[organ.pk]["classification"] = organ.organ_type
        record = {
            "id": membership.external_id or f"insyn-membership-{membership.pk}",
            "person_id": person_ids[membership.person_id],
            "organization_id": organizations[organ.pk]["id"],
            "role": membership.role,
            "start_date": membership.start_date.isoformat() if membership.start_date else None,
            "end_date": membership.end_date.isoformat() if membership.end_date else None,
            "is_external": membership.is_external,
        }
        if membership.on_behalf_of and membership.person_id not in hidden:
            record["on_behalf_of"] = membership.on_behalf_of
        popolo_memberships.append(record)
    return {
        "persons": popolo_persons,
        "organizations": sorted(organizations.values(), key=lambda o: (o["name"].casefold(), o["id"])),
        "memberships": popolo_memberships,
    }


def flat_rows(popolo: dict[str, Any]) -> list[dict[str, Any]]:
    """The flat layout's rows (one per membership; one for a person without any) of a Popolo dict."""
    organizations = {o["id"]: o for o in popolo.get("organizations") or []}
    by_person: dict[str, list[dict[str, Any]]] = {}
    for membership in popolo.get("memberships") or []:
        by_person.setdefault(str(membership["person_id"]), []).append(membership)
    rows: list[dict[str, Any]] = []
    for person in popolo.get("persons") or []:
        identifiers = person.get("identifiers") or [{}]
        phones = [c.get("value", "") for c in person.get("contact_details") or [] if c.get("type") == "phone"]
        person_cells = {
            "person_id": person["id"],
            "given_name": person.get("given_name", ""),
            "family_name": person.get("family_name", ""),
            "personnummer": identifiers[0].get("identifier", ""),
            "email": person.get("email", ""),
            "phone": phones[0] if phones else "",
            "party": person.get("party", ""),
            "title": person.get("title", ""),
            "protected_identity": bool(person.get("protected_identity", False)),
        }
        memberships: list[dict[str, Any] | None] = [*by_person.get(str(person["id"]), [])] or [None]
        for membership in memberships:
            row: dict[str, Any] = dict.fromkeys(MEMBERSHIP_COLUMNS, "")
            if membership is not None:
                organization = organizations.get(membership["organization_id"], {})
                row.update(
                    {
                        "organization": organization.get("name", ""),
                        "classification": organization.get("classification", ""),
                        "membership_id": membership.get("id", ""),
                        "role": membership.get("role", ""),
                        "start_date": dt.date.fromisoformat(membership["start_date"])
                        if membership.get("start_date")
                        else "",
                        "end_date": dt.date.fromisoformat(membership["end_date"]) if membership.get("end_date") else "",
                        "is_external": bool(membership.get("is_external", False)),
                        "on_behalf_of": membership.get("on_behalf_of", ""),
                    }
                )
            rows.append({**person_cells, **row})
    return rows


def export_xlsx(actor: Any, municipality: Organisation) -> bytes:
    """The flat layout as an XLSX workbook, masked like `export_popolo` (it is built from it)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from insyn.core.export_safety import write_text_cell

    rows = flat_rows(export_popolo(actor, municipality))
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    for column, name in enumerate(COLUMNS, start=1):
        sheet.cell(row=1, column=column, value=name).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = 14 if name.endswith("_date") else 22
    for row_number, row in enumerate(rows, start=2):
        for column, name in enumerate(COLUMNS, start=1):
            value = row[name]
            if isinstance(value, dt.date):
                sheet.cell(row=row_number, column=column, value=value).number_format = "yyyy-mm-dd"
            elif isinstance(value, bool):
                sheet.cell(row=row_number, column=column, value=value)
            elif value:
                # Text, never a formula ("=…") or an error value; control characters XML cannot hold are dropped.
                write_text_cell(sheet, row=row_number, column=column, value=str(value))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
