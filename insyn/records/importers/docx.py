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

from django.utils.translation import gettext as _

from insyn.core.bounded_input import Budget, open_zip
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


def _count(body: Any, budget: Budget) -> None:
    """Rows and grid columns of the body's tables and paragraphs, before python-docx expands a span."""
    from docx.oxml.ns import qn

    tr, tc, tc_pr, tr_pr, val = qn("w:tr"), qn("w:tc"), qn("w:tcPr"), qn("w:trPr"), qn("w:val")

    def number(parent: Any, tag: str) -> int:
        element = parent.find(tag) if parent is not None else None
        return int(element.get(val, "1")) if element is not None else 0

    for block in body:
        if block.tag == qn("w:p"):
            budget.row(1)
        elif block.tag == qn("w:tbl"):
            for row in block.iter(tr):
                properties = row.find(tr_pr)
                width = number(properties, qn("w:gridBefore")) + number(properties, qn("w:gridAfter"))
                for cell in row.iter(tc):
                    width += max(number(cell.find(tc_pr), qn("w:gridSpan")), 1)
                    budget.columns(width)
                budget.row(width)


def read_docx(data: bytes, *, file: str) -> PlanData:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from lxml.etree import LxmlError

    budget = Budget(file)
    try:
        open_zip(data, budget=budget).close()  # sizes, ratio and DTDs before python-docx opens it
        document = docx.Document(io.BytesIO(data))
        _count(document.element.body, budget)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, LxmlError) as error:
        raise PlanFileError(_("not a DOCX document (%(error)s)") % {"error": error}, file=file) from None
    assembler = PlanAssembler(file=file, spreadsheet=False)
    tables = paragraphs = 0
    for block in document.iter_inner_content():
        budget.check_time()
        if isinstance(block, Table):
            tables += 1
            rows = []
            for number, row in enumerate(block.rows, start=1):
                budget.tick()
                try:
                    rows.append(Row(number, _row_cells(row)))
                except RecursionError:  # a cell merged down further than python-docx can follow
                    budget.fail("INSYN_IMPORT_MAX_DEPTH")
            where = _("table %(number)s") % {"number": tables}
        else:
            paragraphs += 1
            rows = [Row(paragraphs, [_paragraph_text(block)])]
            where = _("paragraph %(number)s") % {"number": paragraphs}
        for row in rows:
            try:
                assembler.feed(row)
            except PlanFileError as error:
                message = _("%(where)s: %(message)s") % {"where": where, "message": error.message}
                raise PlanFileError(message, file=file, row=error.row, column=error.column) from None
    return assembler.finish()
