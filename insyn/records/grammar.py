"""The retention grammar in use: the built-in rules plus those users stored as RetentionPattern rows."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db.models import Q

from insyn.records.models import RetentionPattern
from insyn.records.plandata import RetentionData
from insyn.records.retention import GrammarRule, parse_retention

logger = logging.getLogger(__name__)


def user_rules(municipality_id: int | None = None) -> list[GrammarRule]:
    """Installation-wide patterns, and those of the municipality when given. A broken row is skipped, not fatal."""
    scope = Q(municipality__isnull=True)
    if municipality_id:
        scope |= Q(municipality_id=municipality_id)
    rules = []
    for pattern in RetentionPattern.objects.filter(scope):
        try:
            rules.append(pattern.as_rule())
        except ValueError:
            logger.warning("retention pattern %s (%s) is invalid and was skipped", pattern.pk, pattern.name)
    return rules


def parser_for(organisation: Any) -> Callable[[str, str], RetentionData]:
    rules = user_rules(getattr(organisation, "municipality_id", None))

    def parse(text: str, lang: str = "sv") -> RetentionData:
        return parse_retention(text, lang, extra_rules=rules)

    return parse


def parse_with_user_rules(text: str, *, lang: str = "sv", municipality_id: int | None = None) -> RetentionData:
    return parse_retention(text, lang, extra_rules=user_rules(municipality_id))
