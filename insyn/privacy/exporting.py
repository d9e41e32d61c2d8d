"""The register exported: XLSX and ODS in the layout of SKR's template, fideslang-compatible JSON, PDF/A.

Every writer takes the register as data (`RegisterData`, from P1's `register_data.register_as_data`), so the
export, the API and an approved version's snapshot describe the same thing. The spreadsheet is one row per
activity in the columns of `import_columns.EXPORT_COLUMNS` (which the importer reads back), then the
activities' other columns (`extra`) and a warnings column; a second sheet lists every warning with its code,
a third the register's own data (controller, DPO, version).

JSON: the `RegisterData` itself (per activity `name`, `purposes`, `legal_bases`, … `warnings`, as issue 10
item 12 lists them) with one addition, `fideslang`: a fideslang `system` resource whose
`privacy_declarations` carry the activities' taxonomy keys (`data_categories`, `data_use`, `data_subjects`),
so a fides installation can load the file with `fides push`-style tooling without a converter.
"""

from __future__ import annotations

import io
import json
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from insyn.core.actor import Actor
from insyn.core.exceptions import ValidationFailed
from insyn.core.export_safety import write_text_cell
from insyn.privacy.activity_data import ActivityData, RegisterData
from insyn.privacy.import_columns import EXPORT_COLUMNS, WARNINGS_COLUMN

FORMATS = ("json", "xlsx", "ods", "pdf")
CONTENT_TYPES = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "pdf": "application/pdf",
}
REGISTER_SHEET = "Registerförteckning"
WARNINGS_SHEET = "Varningar"
META_SHEET = "Register"
_ARTICLE_NAMES = {
    "6.1.a": "Samtycke",
    "6.1.b": "Avtal",
    "6.1.c": "Rättslig förpliktelse",
    "6.1.d": "Grundläggande intresse",
    "6.1.e": "Allmänt intresse",
    "6.1.f": "Intresseavvägning",
}
_MECHANISM_NAMES = {
    "adequacy": "adekvansbeslut",
    "sccs": "standardavtalsklausuler",
    "bcrs": "BCR",
    "derogation": "artikel 49",
    "": "mekanism ej angiven",
}
_PDF_LABELS = (
    ("name", gettext_lazy("Processing activity")),
    ("description", gettext_lazy("Description")),
    ("purposes", gettext_lazy("Purposes")),
    ("subjects", gettext_lazy("Categories of data subjects")),
    ("data", gettext_lazy("Categories of personal data")),
    ("sensitive", gettext_lazy("Special categories of personal data")),
    ("legal_basis", gettext_lazy("Legal basis")),
    ("legal_reference", gettext_lazy("Law reference")),
    ("retention", gettext_lazy("Retention")),
    ("recipients", gettext_lazy("Recipients")),
    ("processors", gettext_lazy("Processors")),
    ("sources", gettext_lazy("Sources")),
    ("transfers", gettext_lazy("Transfers to third countries")),
    ("systems", gettext_lazy("IT systems")),
    ("security", gettext_lazy("Security measures")),
    ("owning_unit", gettext_lazy("Owning unit")),
    ("contact", gettext_lazy("Contact")),
    ("joint_controllers", gettext_lazy("Joint controllers")),
    ("dpia", gettext_lazy("Data protection impact assessment")),
)
_SOURCE_NAMES = {
    "subject": "Individen själv",
    "authorities": "Myndigheter",
    "public_registers": "Offentliga register",
    "internal": "Genereras internt",
    "third_party": "Tredje part",
}
_DPIA_NAMES = {"not_needed": "Nej", "needed": "Ja, behövs", "done": "Genomförd", "": ""}


def _lines(values: list[str]) -> str:
    return "\n".join(value for value in values if value)


def _label(item: Any) -> str:
    return str(item.get("label") or item.get("key") or "")


def activity_cells(activity: ActivityData) -> dict[str, str]:
    """One activity's cells by field key of `EXPORT_COLUMNS` (texts the importer reads back to the same data)."""
    bases = activity.get("legal_bases", [])
    categories = activity.get("personal_data_categories", [])
    references = list(dict.fromkeys(basis.get("reference", "") for basis in bases if basis.get("reference")))
    transfers = activity.get("transfers", [])
    retention = activity.get("retention", {"text": ""})
    dpia = activity.get("dpia")
    return {
        "name": activity.get("name", ""),
        "purposes": _lines(activity.get("purposes", [])),
        "subjects": ", ".join(_label(item) for item in activity.get("data_subject_categories", [])),
        "data": ", ".join(_label(item) for item in categories if not item.get("special")),
        # Labels only (the Art. 9(2) conditions are in the JSON): the importer matches the terms by label.
        "sensitive": ", ".join(_label(item) for item in categories if item.get("special")),
        # The article names, not the cell as written: the importer reads them back to the same articles.
        "legal_basis": " och ".join(_ARTICLE_NAMES.get(basis["article"], basis["article"]) for basis in bases)
        or activity.get("legal_basis_text", ""),
        "legal_reference": "; ".join(references),
        "retention": retention.get("text", ""),
        "recipients": activity.get("recipients_text", "")
        or ", ".join(item.get("name", "") for item in activity.get("recipients", [])),
        "processors": ", ".join(item.get("name", "") for item in activity.get("processors", [])),
        "sources": activity.get("sources_text", "")
        or ", ".join(_SOURCE_NAMES.get(kind, kind) for kind in activity.get("sources", [])),
        "transfers": "; ".join(
            f"{item['country']} ({_MECHANISM_NAMES.get(item.get('mechanism', ''), item.get('mechanism', ''))})"
            for item in transfers
        )
        or "Nej",
        "systems": ", ".join(item.get("name", "") for item in activity.get("systems", []))
        or activity.get("systems_text", ""),
        "security": activity.get("security_measures", ""),
        "owning_unit": activity.get("owning_unit", ""),
        "contact": activity.get("contact", ""),
        "joint_controllers": activity.get("joint_controllers", ""),
        "dpia": _DPIA_NAMES.get(dpia["need"], "") if dpia else "",
        "description": activity.get("description", ""),
    }


def _warning_text(activity: ActivityData) -> str:
    return "\n".join(f"{item['code']}: {item.get('message', '')}" for item in activity.get("warnings", []))


def register_rows(data: RegisterData) -> list[list[str]]:
    """The register sheet: the heading row, then one row per activity."""
    extra_labels: list[str] = []
    for activity in data["activities"]:
        extra_labels += [label for label in activity.get("extra", {}) if label not in extra_labels]
    rows = [[label for _key, label in EXPORT_COLUMNS] + extra_labels + [WARNINGS_COLUMN]]
    for activity in data["activities"]:
        cells = activity_cells(activity)
        extra = activity.get("extra", {})
        rows.append(
            [cells[key] for key, _label in EXPORT_COLUMNS]
            + [extra.get(label, "") for label in extra_labels]
            + [_warning_text(activity)]
        )
    return rows


def warning_rows(data: RegisterData) -> list[list[str]]:
    rows = [["Behandlingsaktivitet", "Kod", "Fält", "Varning"]]
    for activity in data["activities"]:
        for item in activity.get("warnings", []):
            rows.append([activity.get("name", ""), item["code"], item.get("field", ""), item.get("message", "")])
    for item in data.get("warnings", []):
        if not any(item in activity.get("warnings", []) for activity in data["activities"]):
            rows.append(["", item["code"], item.get("field", ""), item.get("message", "")])
    return rows


def meta_rows(data: RegisterData) -> list[list[str]]:
    controller, dpo, contact = data.get("controller", {}), data.get("dpo", {}), data.get("contact", {})
    return [
        ["Personuppgiftsansvarig", controller.get("name", "")],
        ["Kommun", controller.get("municipality", "")],
        ["Organisationsnummer", controller.get("organisation_number", "")],
        ["Register", data.get("title", "")],
        ["Typ", data.get("kind", "")],
        ["Version", str(data.get("version", ""))],
        ["Status", data.get("status", "")],
        ["Dataskyddsombud", dpo.get("name", "")],
        ["Dataskyddsombudets e-post", dpo.get("email", "")],
        ["Dataskyddsombudets telefon", dpo.get("phone", "")],
        ["Kontakt e-post", contact.get("email", "")],
        ["Postadress", contact.get("address", "")],
    ]


def export_xlsx(data: RegisterData) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    def fill(sheet: Any, rows: list[list[str]]) -> None:
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row, start=1):
                if value:
                    cell = write_text_cell(sheet, row=number, column=column, value=value)  # never a formula
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for column in range(1, len(rows[0]) + 1 if rows else 1):
            sheet.cell(row=1, column=column).font = Font(bold=True)
            sheet.column_dimensions[get_column_letter(column)].width = 30

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = REGISTER_SHEET
    rows = register_rows(data)
    fill(sheet, rows)
    sheet.freeze_panes = "B2"
    fill(workbook.create_sheet(WARNINGS_SHEET), warning_rows(data))
    fill(workbook.create_sheet(META_SHEET), meta_rows(data))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_ods(data: RegisterData) -> bytes:
    from insyn.records.exporters.ods import write_ods

    return write_ods(
        [(REGISTER_SHEET, register_rows(data)), (WARNINGS_SHEET, warning_rows(data)), (META_SHEET, meta_rows(data))]
    )


def _fides_key(text: str) -> str:
    return slugify(text).replace("-", "_")


def fideslang_system(data: RegisterData) -> dict[str, Any]:
    """The register as a fideslang `system` resource (fideslang 3: `privacy_declarations`)."""
    controller = data.get("controller", {})
    key = _fides_key(f"{controller.get('municipality', '')} {controller.get('name', '')}") or "register"
    declarations = []
    for activity in data["activities"]:
        uses = activity.get("data_uses", [])
        declarations.append(
            {
                "name": activity.get("name", ""),
                "data_categories": [item["key"] for item in activity.get("personal_data_categories", [])],
                "data_use": uses[0] if uses else "",
                "data_subjects": [item["key"] for item in activity.get("data_subject_categories", [])],
                "legal_basis_for_processing": ", ".join(basis["article"] for basis in activity.get("legal_bases", [])),
                "retention_period": activity.get("retention", {}).get("text", ""),
                "third_country_transfers": [item["country"] for item in activity.get("transfers", [])],
            }
        )
    return {
        "fides_key": key,
        "name": data.get("title", ""),
        "organization_fides_key": slugify(controller.get("municipality", "")).replace("-", "_")
        or "default_organization",
        "system_type": "Service",
        "privacy_declarations": declarations,
    }


def export_json(data: RegisterData) -> bytes:
    document = {**data, "fideslang": {"system": [fideslang_system(data)]}}
    return json.dumps(document, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def pdf_items(activity: ActivityData) -> list[tuple[str, str]]:
    """(heading, text) of an activity's non-empty cells for the PDF, headings in the active language."""
    cells = activity_cells(activity)
    if not activity.get("transfers"):
        cells["transfers"] = _("No")
    return [(str(label), cells[key]) for key, label in _PDF_LABELS if cells.get(key) and key != "name"]


def export_pdf(data: RegisterData, *, language: str = "sv") -> bytes:
    """PDF/A-2b through WeasyPrint, as the plan and receipt PDFs."""
    with translation.override(language):
        html = render_to_string(
            "privacy/register_pdf.html",
            {
                "register": data,
                "rows": [(activity, pdf_items(activity)) for activity in data["activities"]],
                "meta": meta_rows(data),
                "generated_at": timezone.localtime(),
                "language": language,
            },
        )
    import weasyprint  # heavy (fonts, cairo): only where a PDF is rendered

    pdf: bytes = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/a-2b")
    return pdf


def export_register_data(data: RegisterData, fmt: str, *, language: str = "sv") -> bytes:
    if fmt == "json":
        return export_json(data)
    if fmt == "xlsx":
        return export_xlsx(data)
    if fmt == "ods":
        return export_ods(data)
    if fmt == "pdf":
        return export_pdf(data, language=language)
    raise ValidationFailed(_("Unknown export format: %(format)s") % {"format": fmt})


def export_filename(data: RegisterData, fmt: str) -> str:
    version = f"-v{data['version']}" if data.get("version") else ""
    return f"{slugify(data.get('title', '')) or 'register'}{version}.{fmt}"


def register_export(*, actor: Actor, register_id: int, fmt: str, language: str = "sv") -> tuple[bytes, str, str]:
    """(content, filename, content type) of the register the actor may read; NotFoundError otherwise."""
    if fmt not in FORMATS:
        raise ValidationFailed(_("Unknown export format: %(format)s") % {"format": fmt})
    from insyn.privacy.selectors.register import access_register, register_data  # P1

    register = access_register(actor=actor, pk=register_id)
    data = register_data(actor=actor, register=register, lang=language)
    return export_register_data(data, fmt, language=language), export_filename(data, fmt), CONTENT_TYPES[fmt]
