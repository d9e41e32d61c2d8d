"""The officials module's erasure hooks (registered in `OfficialsConfig.ready`, read by the privacy module).

Privacy never guesses officials' rules: it asks `kept_fields` what stays and why, and erases through
`erase_person`, which goes through the audited `person_erase` service.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from insyn.officials.models import Person

REASON_CITED_BY_DECISION = "cited_by_decision"


def kept_fields(person: Person) -> dict[str, tuple[str, str]]:
    """Fields of `person` that erasure keeps: field → (reason code, reason)."""
    from insyn.officials.services.erasure import NAME_FIELDS, citing_decisions

    decisions = citing_decisions(person)
    if not decisions:
        return {}
    reason = _("The name is kept: the decision that elected the person (%(decisions)s) names them.") % {
        "decisions": "; ".join(decisions)
    }
    return dict.fromkeys(NAME_FIELDS, (REASON_CITED_BY_DECISION, reason))


def erase_person(actor: Any, instance: Person, field_names: Iterable[str]) -> None:
    from insyn.officials.services.erasure import person_erase

    person_erase(actor=actor, person=instance, fields=field_names)
