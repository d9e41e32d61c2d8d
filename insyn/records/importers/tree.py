"""Find-or-create the area → group → process → activity levels of a `PlanData` while rows arrive."""

from __future__ import annotations

import re
from typing import Protocol, TypeVar

from insyn.records.plandata import ActivityData, AreaData, GroupData, PlanData, ProcessData

_CODE_AND_NAME = re.compile(r"^(?P<code>\d+(?:\.\d+)*)\.?(?:\s+(?P<name>\S.*))?$", re.DOTALL)


class _Level(Protocol):
    code: str
    name: str
    description: str


LevelT = TypeVar("LevelT", bound=_Level)


def split_code(text: str) -> tuple[str, str]:
    """'2.9.2.1 Publicera på extern webb' → ('2.9.2.1', 'Publicera på extern webb'); no code → ('', text)."""
    match = _CODE_AND_NAME.match(text.strip())
    if not match:
        return "", text.strip()
    return match["code"], (match["name"] or "").strip()


def parent_code(code: str) -> str:
    """'2.9.2.1' → '2.9.2'; a code without dots has no parent here."""
    return code.rsplit(".", 1)[0] if "." in code else ""


def _find(items: list[LevelT], code: str, name: str) -> LevelT | None:
    for item in items:
        if (code and item.code == code) or (not code and not item.code and item.name == name):
            if not item.name and name:
                item.name = name
            return item
    return None


def describe(level: _Level, description: str) -> None:
    """The first description a file gives for a level is kept; repeats on later rows change nothing."""
    if description and not level.description:
        level.description = description


class PlanTree:
    def __init__(self, plan: PlanData) -> None:
        self.plan = plan

    def area(self, code: str, name: str) -> AreaData:
        found = _find(self.plan.areas, code, name)
        if found is None:
            found = AreaData(code=code, name=name)
            self.plan.areas.append(found)
        return found

    @staticmethod
    def group(area: AreaData, code: str, name: str) -> GroupData:
        found = _find(area.groups, code, name)
        if found is None:
            found = GroupData(code=code, name=name)
            area.groups.append(found)
        return found

    @staticmethod
    def process(group: GroupData, code: str, name: str) -> ProcessData:
        found = _find(group.processes, code, name)
        if found is None:
            found = ProcessData(code=code, name=name)
            group.processes.append(found)
        return found

    @staticmethod
    def activity(process: ProcessData, name: str) -> ActivityData:
        for activity in process.activities:
            if activity.name == name:
                return activity
        activity = ActivityData(name=name)
        process.activities.append(activity)
        return activity
