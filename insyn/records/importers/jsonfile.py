"""Our JSON export read back (`PlanData.to_dict()` shape), checked before `PlanData.from_dict`.

`PlanFileError.row` is a line number (int), so a validation error puts the JSON path of the
offending value in `column` ("areas[0].groups[1].processes[0].code"); a syntax error gives the
line as row and the character as column.
"""

from __future__ import annotations

import json
from typing import Any, NoReturn

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from insyn.core.bounded_input import Budget, loads_json
from insyn.records.importers.values import CLASSIFICATIONS, CellValueError, check_retention, iso_date
from insyn.records.plandata import PlanData, PlanFileError, RetentionData

# key → (kind, required); kinds: str, str?, bool?, date, date?, list, object?
_Spec = dict[str, tuple[str, bool]]
_TEXT = ("analog_format", "analog_storage", "digital_format", "digital_storage", "retention_text")
_MORE_TEXT = ("archival_format", "remarks", "legal_reference", "sorting", "delivery_deadline", "original_or_copy")
_NEW_TEXT = ("reference_code", "disposal_authority", "secrecy")
_DOCUMENT: _Spec = dict.fromkeys((*_TEXT, *_MORE_TEXT, *_NEW_TEXT), ("str", False)) | {
    "name": ("str", True),
    "retention": ("object?", False),
    "personal_data": ("bool?", False),
    "extra": ("texts", False),
    "retention_sources": ("texts", False),
}
_RETENTION: _Spec = {
    "action": ("str", False),
    "period": ("str?", False),
    "trigger": ("str", False),
    "trigger_event": ("str?", False),
    "align": ("str", False),
    "sampling": ("str?", False),
}
_LEVEL: _Spec = {"code": ("str", True), "name": ("str", True), "description": ("str", False)}
_CHILDREN = {"areas": "groups", "groups": "processes", "processes": "activities"}
_REVISION: _Spec = {
    "date": ("date", True),
    "paragraph": ("str", False),
    "description": ("str", False),
    "version": ("str", False),
}
_PLAN: _Spec = {
    "title": ("str", True),
    "organisation": ("str", False),
    "adopted_by": ("str", False),
    "adopted_on": ("date?", False),
    "paragraph": ("str", False),
    "version": ("str", False),
    "status": ("str", False),
    "scope": ("str", False),
    "classification": ("str", False),
    "areas": ("list", False),
    "revisions": ("list", False),
}
_KINDS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "str": (str, gettext_noop("a string")),
    "str?": ((str, type(None)), gettext_noop("a string or null")),
    "bool?": ((bool, type(None)), gettext_noop("true, false or null")),
    "date": (str, gettext_noop("a date YYYY-MM-DD")),
    "date?": ((str, type(None)), gettext_noop("a date YYYY-MM-DD or null")),
    "list": (list, gettext_noop("a list")),
    "object?": ((dict, type(None)), gettext_noop("an object or null")),
    "texts": (dict, gettext_noop("an object of texts")),
}


class _Checker:
    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, path: str, message: str) -> NoReturn:
        raise PlanFileError(message, file=self.file, column=path or "$")

    def object(self, value: Any, spec: _Spec, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, _("expected an object"))
        for key in value:
            if key not in spec:
                self.fail(f"{path}.{key}".lstrip("."), _("unknown key %(key)s") % {"key": repr(key)})
        for key, (kind, required) in spec.items():
            where = f"{path}.{key}".lstrip(".")
            if key not in value:
                if required:
                    self.fail(where, _("the key %(key)s is missing") % {"key": repr(key)})
                continue
            types, expected = _KINDS[kind]
            item = value[key]
            if not isinstance(item, types) or (kind == "str?" and isinstance(item, bool)):
                value = json.dumps(item, ensure_ascii=False)[:40]
                self.fail(where, _("expected %(expected)s, not %(value)s") % {"expected": _(expected), "value": value})
            if kind == "texts" and not all(isinstance(text, str) for text in item.values()):
                self.fail(where, _("expected %(expected)s") % {"expected": _(expected)})
            if kind.startswith("date") and item is not None:
                try:
                    iso_date(item)
                except ValueError as error:
                    self.fail(where, str(error))
        return value

    def items(self, value: dict[str, Any], key: str, path: str) -> list[tuple[str, Any]]:
        return [(f"{path}.{key}[{index}]".lstrip("."), item) for index, item in enumerate(value.get(key, []))]

    def plan(self, data: Any) -> None:
        plan = self.object(data, _PLAN, "")
        if plan.get("classification", "sv") not in CLASSIFICATIONS:
            self.fail("classification", _("expected one of %(choices)s") % {"choices": ", ".join(CLASSIFICATIONS)})
        for path, revision in self.items(plan, "revisions", ""):
            self.object(revision, _REVISION, path)
        self.level(plan, "areas", "")

    def level(self, parent: dict[str, Any], key: str, path: str) -> None:
        for item_path, item in self.items(parent, key, path):
            if key == "activities":
                activity = self.object(item, {"name": ("str", True), "document_types": ("list", False)}, item_path)
                for row_path, row in self.items(activity, "document_types", item_path):
                    self.document(row, row_path)
                continue
            child = _CHILDREN[key]
            self.level(self.object(item, _LEVEL | {child: ("list", False)}, item_path), child, item_path)

    def document(self, value: Any, path: str) -> None:
        row = self.object(value, _DOCUMENT, path)
        retention = row.get("retention")
        if retention is not None:
            self.object(retention, _RETENTION, f"{path}.retention")
            try:
                check_retention(RetentionData(**retention))
            except CellValueError as error:
                self.fail(f"{path}.retention.{error.key}", str(error))


def read_json(data: bytes, *, file: str) -> PlanData:
    try:
        parsed = loads_json(data.decode("utf-8-sig"), budget=Budget(file))
    except UnicodeDecodeError:
        raise PlanFileError(_("the file is not UTF-8"), file=file) from None
    except json.JSONDecodeError as error:
        message = _("not valid JSON (%(error)s)") % {"error": error.msg}
        column = _("character %(number)s") % {"number": error.colno}
        raise PlanFileError(message, file=file, row=error.lineno, column=column) from None
    _Checker(file).plan(parsed)
    plan = PlanData.from_dict(parsed)
    if plan.adopted_on:
        plan.adopted_on = iso_date(plan.adopted_on)
    return plan
