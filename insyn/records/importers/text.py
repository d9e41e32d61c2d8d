"""Plans extracted from Word/PDF to plain text: one line per table row, cells separated by tabs.

The Torsby seed is the model: a cell that wraps continues on a later line at the same tab
position (sometimes after an empty line); process headings, header rows and the adoption
block are lines of their own. See `assembler` for the reading rules.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from insyn.core.bounded_input import Budget, text_rows
from insyn.records.importers.assembler import PlanAssembler, Row
from insyn.records.plandata import PlanData, PlanFileError


def decode_text(data: bytes, *, file: str, lang: str = "sv") -> str:
    """UTF-8 (with or without BOM); else the Windows code page of the language (cp1252 / cp1250)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1250" if lang == "pl" else "cp1252")
    except UnicodeDecodeError:
        message = _("the file is neither UTF-8 nor a Windows code page text")
        raise PlanFileError(message, file=file) from None


def read_text(data: bytes, *, file: str, lang: str = "sv") -> PlanData:
    assembler = PlanAssembler(file=file, continuation=True, spreadsheet=False)
    budget = Budget(file)
    lines = (line.split("\t") for line in decode_text(data, file=file, lang=lang).splitlines())
    for number, cells in enumerate(text_rows(lines, budget), start=1):
        assembler.feed(Row(number, cells))
    return assembler.finish()
