"""Plans written in Word (python-docx): tables, with headings as paragraphs or merged rows.

The body is read in order: each paragraph is a one-cell row and each table row a row, so the
Torsby layout (an adoption table, "Verksamhetsområde …" and "Processgrupp …" tables,
"Processen 2.9.2.1 …" before each process table) reads exactly as the text extraction does.
A cell spanning several columns counts once; italic runs are kept as <i>…</i> because the
process group description names its processes in italics. Errors name the table (or
paragraph) in the message and its row (1-based within the table) as the row.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from insyn.records.importers.assembler import PlanAssembler, Row
from insyn.records.plandata import PlanData, PlanFileError


def _paragraph_text(paragraph: Any) -> str:
    from docx.text.run import Run

    parts = []
    for item in paragraph.iter_inner_content():
        text = item.text
        if isinstance(item, Run) and item.italic and text.strip():
            text = f"<i>{text}</i>"
        parts.append(text)
    return "".join(parts).replace("</i><i>", "")


def _row_cells(row: Any) -> list[str]:
    cells = [""] * row.grid_cols_before
    previous = None
    for cell in row.cells:
        cells.append("" if cell._tc is previous else "\n".join(_paragraph_text(p) for p in cell.paragraphs))
        previous = cell._tc
    return cells


def read_docx(data: bytes, *, file: str) -> PlanData:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise PlanFileError(f"not a DOCX document ({error})", file=file) from None
    assembler = PlanAssembler(file=file, spreadsheet=False)
    tables = paragraphs = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            tables += 1
            rows = [Row(number, _row_cells(row)) for number, row in enumerate(block.rows, start=1)]
            where = f"table {tables}"
        else:
            paragraphs += 1
            rows = [Row(paragraphs, [_paragraph_text(block)])]
            where = f"paragraph {paragraphs}"
        for row in rows:
            try:
                assembler.feed(row)
            except PlanFileError as error:
                message = f"{where}: {error.message}"
                raise PlanFileError(message, file=file, row=error.row, column=error.column) from None
    return assembler.finish()
