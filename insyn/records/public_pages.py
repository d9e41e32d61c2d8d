"""The public pages of adopted retention plans, rendered once per language and then served from a cache.

An adopted plan is frozen (services and database triggers refuse changes), so the content of its pages
never changes and nothing has to be invalidated. The cache key holds:

- the plan's id, status and `updated_at`, which `plan_adopt` sets on adoption and again when a newer
  version replaces the plan, so a plan whose status changed is never served from an old entry;
- the language;
- a fingerprint of the page templates and of the translations, so a deployment that changes either
  renders afresh instead of serving pages of the previous release.

Only the page's content (inside `<main>`) is cached; the layout around it, with the CSRF token of the
language form and the current path, is rendered per request. Drafts are never cached.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypedDict, cast

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.template.loader import get_template
from django.utils.translation import get_language

from insyn.records.models import RetentionPlan

CACHE_ALIAS = "public_pages"
# The templates whose output is cached; the fingerprint follows their source.
TEMPLATES = ("records/public/plan_contents.html", "records/public/process.html")
# Raise when a view changes what it passes to these templates.
CONTEXT_VERSION = 1


class PageContent(TypedDict):
    title: str
    html: str


def page_cache() -> BaseCache:
    return caches[CACHE_ALIAS] if CACHE_ALIAS in settings.CACHES else caches["default"]


@functools.cache
def _fingerprint(language: str) -> str:
    digest = hashlib.sha256(str(CONTEXT_VERSION).encode())
    for name in TEMPLATES:
        source = Path(cast(Any, get_template(name)).origin.name)
        digest.update(source.read_bytes())
    for locale_dir in settings.LOCALE_PATHS:
        catalogue = Path(locale_dir) / language / "LC_MESSAGES" / "django.mo"
        if catalogue.exists():
            digest.update(catalogue.read_bytes())
    return digest.hexdigest()[:16]


def page_key(plan: RetentionPlan, part: str, language: str) -> str:
    stamp = plan.updated_at.isoformat() if plan.updated_at else "-"
    return f"insyn-plan-page:{_fingerprint(language)}:{plan.pk}:{plan.status}:{stamp}:{language}:{part}"


def cached_page(plan: RetentionPlan, part: str, render: Callable[[], PageContent]) -> PageContent:
    """`render()` for a draft; for a frozen plan, the stored page of this part and language, rendered if absent."""
    if not plan.is_frozen:
        return render()
    key = page_key(plan, part, get_language() or settings.LANGUAGE_CODE)
    cache = page_cache()
    page: PageContent | None = cache.get(key)
    if page is None:
        page = render()
        cache.set(key, page)
    return page
