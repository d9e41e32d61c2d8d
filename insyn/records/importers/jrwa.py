"""The Polish JRWA (jednolity rzeczowy wykaz akt) onto the plan's levels.

Symbols are decimal: 1 digit → area, 2 digits → group, 3 digits → process. An entry with a
kategoria archiwalna (A, B5, BE10, Bc …) is a leaf: a document type named by its hasło, with
the category as `retention_text`. `DocumentTypeData` has no code field, so each leaf gets an
activity named by its own symbol ("0001"): that keeps the symbol, which is how Polish offices
refer to a class (znak sprawy). A leaf above 3 digits ("01") is its own group and process.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from insyn.records.importers.tree import PlanTree
from insyn.records.importers.values import CellValueError
from insyn.records.plandata import AreaData, DocumentTypeData, GroupData, ProcessData

_CATEGORY = re.compile(r"^(A|B|BE|Bc|BC)(\d+)?$")


class JrwaBuilder:
    def __init__(self, tree: PlanTree) -> None:
        self.tree = tree

    def _area(self, symbol: str, name: str = "") -> AreaData:
        return self.tree.area(symbol[:1], name)

    def _group(self, symbol: str, name: str = "") -> GroupData:
        return self.tree.group(self._area(symbol), symbol[:2], name)

    def _process(self, symbol: str, name: str = "") -> ProcessData:
        group = self._group(symbol) if len(symbol) >= 2 else self.tree.group(self._area(symbol), symbol, name)
        return self.tree.process(group, symbol[:3], name)

    def add(self, symbol: str, entry: DocumentTypeData) -> None:
        """One JRWA row: `entry.name` is the hasło, `entry.retention_text` the category (may be empty)."""
        symbol = "".join(symbol.split())
        if not symbol.isdigit():
            message = _("%(symbol)s is not a JRWA symbol (digits only)") % {"symbol": repr(symbol)}
            raise CellValueError(message, key="jrwa_symbol")
        category = entry.retention_text
        if category and not _CATEGORY.match(category):
            message = _("%(category)s is not a kategoria archiwalna (A, B5, BE10, Bc …)") % {"category": repr(category)}
            raise CellValueError(message, key="retention_text")
        level = len(symbol)
        if level == 1:
            self._area(symbol, entry.name)
        elif level == 2:
            self._group(symbol, entry.name)
        if not category:
            if level == 3:
                self._process(symbol, entry.name)
            elif level > 3:
                message = _("JRWA entry %(symbol)s has no kategoria archiwalna") % {"symbol": symbol}
                raise CellValueError(message, key="retention_text")
            return
        process = self._process(symbol, entry.name if level <= 3 else "")
        self.tree.activity(process, symbol).document_types.append(entry)
