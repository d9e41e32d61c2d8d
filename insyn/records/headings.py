"""How a level of a plan (area, group, process, activity) is named on a page, in a PDF or a preview.

A level the file did not have is stored without a name ("") and is not shown. A level derived
only from a code ("3.1" above process "3.1.2") has no name of its own: it is shown as its code,
never as "3.1 3.1". Rows imported before names were left empty stored the code as the name; they
read the same way.
"""

from __future__ import annotations

from typing import Any


def heading_label(code: str, name: str) -> str:
    """'2.9' + 'Styrning' → '2.9 Styrning'; '3' + '3' or '3' + '' → '3'; '' + '' → '' (not shown)."""
    code, name = (code or "").strip(), (name or "").strip()
    if name == code:
        name = ""
    return " ".join(part for part in (code, name) if part)


def level_heading(level: Any) -> str:
    """`heading_label` of anything with `code` and `name` (a node, a dataclass); an activity by its name."""
    return heading_label(getattr(level, "code", ""), getattr(level, "name", ""))
