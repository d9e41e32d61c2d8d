"""Template helpers of the records admin: retention rules in words, the read span marked, extra columns."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from insyn.records.retention_display import detail_items, mark_spans, plan_language, retention_words, spans_for

register = template.Library()


@register.filter(name="retention_words")
def retention_words_filter(rule: Any) -> str:
    return retention_words(rule)


@register.filter
def extra_items(row: Any) -> list[tuple[str, str]]:
    """The extra columns of a row (label → the cell as written), for a label/value list."""
    return [(label, value) for label, value in (getattr(row, "extra", None) or {}).items() if value]


@register.filter
def retention_source_items(row: Any) -> list[tuple[str, str]]:
    return [(label, value) for label, value in (getattr(row, "retention_sources", None) or {}).items() if value]


@register.simple_tag(takes_context=True)
def marked_retention(context: Any, row: Any, plan: Any = None) -> SafeString:
    """A stored document type's retention text, the span its structured rule was read from marked.

    The span is shown only when reading the text again gives the stored rule (a rule set by hand is not
    the text's reading). The plan's grammar rules are read once per page.
    """
    from insyn.records.grammar import user_rules

    plan = plan or row.plan
    municipality_id = getattr(getattr(plan, "organisation", None), "municipality_id", None)
    cache = context.render_context.setdefault("records_grammar_rules", {})
    if municipality_id not in cache:
        cache[municipality_id] = user_rules(municipality_id)
    spans = spans_for(row.retention_text, row, plan_language(plan), cache[municipality_id])
    return mark_spans(row.retention_text, spans)


@register.filter(name="detail_items")
def detail_items_filter(row: Any) -> list[tuple[str, str]]:
    """A row's other fields that hold something, as (label, value)."""
    return detail_items(row)


@register.filter
def confirm_rule_field(form: Any, key: str) -> Any:
    """The import confirmation's choice field of the row `key`, or None when the row has nothing to choose."""
    return form.rule_bound_field(key) if form is not None else None
