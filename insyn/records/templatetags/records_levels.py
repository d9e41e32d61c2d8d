"""`{{ area|heading }}`: a level's code and name as a heading, "" for a level the plan does not have."""

from __future__ import annotations

from typing import Any

from django import template

from insyn.records.headings import level_heading

register = template.Library()


@register.filter(name="heading")
def heading_filter(level: Any) -> str:
    return level_heading(level)
