"""Every list page and API list runs the same number of queries with 2 rows as with 12, pinned at its real value.

The table below names each list by its route (URL name, or `GET <path>` from the OpenAPI schema), how to reach
it, who asks, what rows to add, and the pinned count. Rows are added to the actor's municipality and to another
one (whose rows must not show on a scoped list). A list whose count grows with its rows is an N+1 query: fix it
in the selector rather than pin two numbers. `test_every_list_is_pinned` fails when a list page or API list
appears that is not in the table, or when a route is neither a list nor reviewed as "not a list".

When a count changes, the failure prints the counts measured at both sizes; re-pin with what it says once the
change is understood (a page that reads more per request than it used to is a regression too).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.models import APIToken

from insyn.api.api import api
from tests import query_counts_data as data
from tests.query_counts_data import World

pytestmark = pytest.mark.django_db

SIZES = (2, 12)  # rows of the list's model in the actor's municipality; the other municipality has 2


@dataclass(frozen=True)
class Case:
    route: str  # URL name ("loans_kits:index"), or "GET /api/v1/…" as in the OpenAPI schema
    url: Callable[[World], str]
    grow: data.Grow
    queries: int  # the pinned count, the same at both sizes
    actor: str = "administrator"  # "administrator" (session or token), "official" (Mina sidor), "anonymous"
    scoped: bool = True  # the other municipality's rows must not show (public lists show every municipality's)

    @property
    def is_api(self) -> bool:
        return self.route.startswith("GET ")


def _static(url: str) -> Callable[[World], str]:
    return lambda world: url


def _plan(url: str) -> Callable[[World], str]:
    return lambda world: url.format(plan=world.focus["plan"].pk)


# The History of one object of each viewset (audited changes with their change tables): (page, results fragment).
HISTORIES: dict[str, tuple[int, int]] = {
    "governing_documents": (20, 15),
    "organisations": (20, 15),
    "role_assignments": (20, 15),
    "records_plans": (20, 15),
    "records_document_types": (20, 15),
    "records_retention_patterns": (20, 15),
    "officials_persons": (20, 15),
    "officials_memberships": (20, 15),
    "loans_loans": (20, 15),
    "loans_kits": (21, 16),
    "loans_devices": (20, 15),
    "loans_incidents": (20, 15),
    "privacy_registers": (20, 15),
    "privacy_activities": (20, 15),
    "privacy_taxonomy": (20, 15),
}


def _notice_url(world: World, name: str) -> str:
    """A page of the focus notice on the public site, at its address (municipality/controller/notice slugs)."""
    from insyn.privacy.selectors.notices import slugs_of

    municipality, controller, notice = slugs_of(world.focus["notice"])
    return reverse(f"privacy:{name}", kwargs={"municipality": municipality, "controller": controller, "notice": notice})


def _histories() -> Iterator[Case]:
    for viewset, counts in HISTORIES.items():
        for view, queries in zip(("history", "history_results"), counts, strict=True):
            yield Case(
                f"{viewset}:{view}",
                lambda world, name=f"{viewset}:{view}", viewset=viewset: reverse(
                    name, args=[data.history_object(world, viewset).pk]
                ),
                data.grow_history(viewset),
                queries,
            )


CASES: list[Case] = [
    # Wagtail admin: the index and its results fragment of every Insyn viewset.
    Case("governing_documents:index", _static("/admin/governing_documents/"), data.grow_documents, 16),
    Case("governing_documents:index_results", _static("/admin/governing_documents/results/"), data.grow_documents, 11),
    Case("organisations:index", _static("/admin/organisations/"), data.grow_organisations, 15),
    Case("organisations:index_results", _static("/admin/organisations/results/"), data.grow_organisations, 11),
    Case("role_assignments:index", _static("/admin/role_assignments/"), data.grow_role_assignments, 17),
    Case("role_assignments:index_results", _static("/admin/role_assignments/results/"), data.grow_role_assignments, 11),
    # Wagtail's API-token list, routed through Insyn's scoped views (config/urls.py, selectors.token_owners).
    Case("admin/api-tokens/", _static("/admin/api-tokens/"), data.grow_api_tokens, 16),
    Case("admin/api-tokens/results/", _static("/admin/api-tokens/results/"), data.grow_api_tokens, 10),
    Case("audit_trail:index", _static("/admin/audit_trail/"), data.grow_audit_entries, 15),
    Case("audit_trail:index_results", _static("/admin/audit_trail/results/"), data.grow_audit_entries, 11),
    Case("records_plans:index", _static("/admin/records/plans/"), data.grow_draft_plans, 16),
    Case("records_plans:index_results", _static("/admin/records/plans/results/"), data.grow_draft_plans, 11),
    Case("records_document_types:index", _static("/admin/records/document-types/"), data.grow_document_types, 16),
    Case(
        "records_document_types:index_results",
        _static("/admin/records/document-types/results/"),
        data.grow_document_types,
        11,
    ),
    Case("records_retention_patterns:index", _static("/admin/records/retention-patterns/"), data.grow_patterns, 15),
    Case(
        "records_retention_patterns:index_results",
        _static("/admin/records/retention-patterns/results/"),
        data.grow_patterns,
        11,
    ),
    Case("officials_persons:index", _static("/admin/officials/persons/"), data.grow_persons, 18),
    Case("officials_persons:index_results", _static("/admin/officials/persons/results/"), data.grow_persons, 13),
    Case("officials_memberships:index", _static("/admin/officials/memberships/"), data.grow_persons, 16),
    Case(
        "officials_memberships:index_results", _static("/admin/officials/memberships/results/"), data.grow_persons, 11
    ),
    Case("loans_loans:index", _static("/admin/loans/loans/"), data.grow_loans, 16),
    Case("loans_loans:index_results", _static("/admin/loans/loans/results/"), data.grow_loans, 11),
    Case("loans_kits:index", _static("/admin/loans/kits/"), data.grow_kits, 17),
    Case("loans_kits:index_results", _static("/admin/loans/kits/results/"), data.grow_kits, 13),
    Case("loans_devices:index", _static("/admin/loans/devices/"), data.grow_devices, 16),
    Case("loans_devices:index_results", _static("/admin/loans/devices/results/"), data.grow_devices, 12),
    Case("loans_incidents:index", _static("/admin/loans/incidents/"), data.grow_incidents, 15),
    Case("loans_incidents:index_results", _static("/admin/loans/incidents/results/"), data.grow_incidents, 11),
    # Admin pages of one object that list its rows.
    *_histories(),
    Case("records_plan_detail", _plan("/admin/records/plan/{plan}/"), data.grow_plan_processes, 21),
    Case(
        "officials_person_detail",
        lambda world: f"/admin/officials/person/{world.official.pk}/",
        data.grow_memberships,
        18,
    ),
    Case("loans_loan_detail", lambda world: f"/admin/loans/loan/{world.focus['loan'].pk}/", data.grow_loan_rows, 21),
    Case("insyn_search", _static("/admin/search/?q=Sökbar"), data.grow_search_hits, 19),
    # The public site and Mina sidor.
    Case("records:plan_index", _static("/plans/"), data.grow_adopted_plans, 1, actor="anonymous", scoped=False),
    Case("records:plan_search", _static("/plans/sok/?q=Underlag"), data.grow_document_types, 2, "anonymous", False),
    Case("records:plan_detail", _plan("/plans/{plan}/"), data.grow_plan_processes, 4, actor="anonymous"),
    Case(
        "records:plan_process",
        lambda world: f"/plans/{world.focus['plan'].pk}/process/{world.focus['process'].pk}/",
        data.grow_plan_rows,
        6,
        actor="anonymous",
    ),
    Case("loans:overview", _static("/mina-sidor/"), data.grow_own_pages, 12, actor="official"),
    # The API's lists (paginated, or a JSON array).
    Case("GET /api/v1/organisations", _static("/api/v1/organisations"), data.grow_organisations, 7),
    Case("GET /api/v1/governing-documents", _static("/api/v1/governing-documents"), data.grow_documents, 7),
    Case("GET /api/v1/records/plans", _static("/api/v1/records/plans"), data.grow_draft_plans, 7),
    Case(
        "GET /api/v1/records/plans/{plan_id}/document-types",
        _plan("/api/v1/records/plans/{plan}/document-types"),
        data.grow_plan_rows,
        8,
    ),
    Case("GET /api/v1/officials/persons", _static("/api/v1/officials/persons"), data.grow_persons, 7),
    Case(
        "GET /api/v1/officials/persons/{person_id}/memberships",
        lambda world: f"/api/v1/officials/persons/{world.official.pk}/memberships",
        data.grow_memberships,
        7,
    ),
    Case("GET /api/v1/loans/devices", _static("/api/v1/loans/devices"), data.grow_devices, 7),
    Case("GET /api/v1/loans/kits", _static("/api/v1/loans/kits"), data.grow_kits, 8),
    Case("GET /api/v1/loans/loans", _static("/api/v1/loans/loans"), data.grow_loans_by_id, 8),
    # Data protection (insyn.privacy): the admin's lists, and the API's.
    Case("privacy_registers:index", _static("/admin/privacy/registers/"), data.grow_privacy_registers, 18),
    Case(
        "privacy_registers:index_results",
        _static("/admin/privacy/registers/results/"),
        data.grow_privacy_registers,
        14,
    ),
    Case("privacy_activities:index", _static("/admin/privacy/activities/"), data.grow_privacy_activities, 16),
    Case(
        "privacy_activities:index_results",
        _static("/admin/privacy/activities/results/"),
        data.grow_privacy_activities,
        12,
    ),
    Case(
        "privacy_register_detail",
        lambda world: f"/admin/privacy/register/{world.focus['register'].pk}/",
        data.grow_privacy_activities,
        41,
    ),
    Case("privacy_request_list", _static("/admin/privacy/requests/"), data.grow_privacy_requests, 17),
    Case("privacy_breach_list", _static("/admin/privacy/breaches/"), data.grow_privacy_breaches, 14),
    Case("GET /api/v1/privacy/registers", _static("/api/v1/privacy/registers"), data.grow_privacy_registers, 7),
    Case(
        "GET /api/v1/privacy/registers/{register_id}/activities",
        lambda world: f"/api/v1/privacy/registers/{world.focus['register'].pk}/activities",
        data.grow_privacy_activities,
        17,
    ),
    Case("privacy_taxonomy:index", _static("/admin/privacy/taxonomy/?q=Lokalterm"), data.grow_privacy_terms, 16),
    Case(
        "privacy_taxonomy:index_results",
        _static("/admin/privacy/taxonomy/results/?q=Lokalterm"),
        data.grow_privacy_terms,
        12,
    ),
    Case("privacy_it_systems", _static("/admin/privacy/systems/"), data.grow_privacy_systems, 16),
    Case("privacy_notice_list", _static("/admin/privacy/notices/"), data.grow_privacy_notices, 16),
    Case(
        "privacy_notice_detail",
        lambda world: f"/admin/privacy/notices/{world.focus['notice'].pk}/",
        data.grow_privacy_notice_versions,
        17,
    ),
    Case("privacy:notice_index", _static("/integritet/"), data.grow_privacy_published_notices, 4, "anonymous", False),
    Case(
        "privacy:notice_history",
        lambda world: _notice_url(world, "notice_history"),
        data.grow_privacy_public_versions,
        4,
        actor="anonymous",
    ),
    Case("GET /api/v1/privacy/notices", _static("/api/v1/privacy/notices"), data.grow_privacy_notices, 8),
    Case(
        "GET /api/v1/privacy/notices/{notice_id}/versions/{number}/diff",
        lambda world: (
            f"/api/v1/privacy/notices/{world.focus['notice'].pk}/versions/{world.focus['notice version']}/diff"
        ),
        data.grow_privacy_notice_changes,
        8,
    ),
    Case(
        "GET /api/v1/privacy/registers/{register_id}/versions",
        lambda world: f"/api/v1/privacy/registers/{world.focus['register'].pk}/versions",
        data.grow_privacy_register_versions,
        8,
    ),
    Case(
        "GET /api/v1/privacy/registers/{register_id}/versions/{a}/diff/{b}",
        lambda world: f"/api/v1/privacy/registers/{world.focus['register'].pk}/versions/1/diff/0",
        data.grow_privacy_register_changes,
        22,
    ),
    Case(
        "GET /api/v1/privacy/registers/{register_id}/warnings",
        lambda world: f"/api/v1/privacy/registers/{world.focus['register'].pk}/warnings",
        data.grow_privacy_warnings,
        20,
    ),
    Case("GET /api/v1/privacy/requests", _static("/api/v1/privacy/requests"), data.grow_privacy_requests, 8),
    Case(
        "GET /api/v1/privacy/requests/per-month",
        _static("/api/v1/privacy/requests/per-month"),
        data.grow_privacy_requests_this_month,
        6,
    ),
    Case("GET /api/v1/privacy/breaches", _static("/api/v1/privacy/breaches"), data.grow_privacy_breaches, 7),
]

# Routes of Insyn's admin, public site and Mina sidor that are not lists, by URL name (or path when unnamed).
# The generic actions of a viewset (add, edit, delete, usage, inspect) show one object.
ONE_OBJECT_ACTIONS = ("add", "edit", "delete", "usage", "inspect")
NOT_LISTS: dict[str, str] = {
    "home": "redirects to the admin or the public plans",
    "insyn_site_history": "Wagtail's LogEntriesView, for installation superusers only (every other user gets 404)",
    "admin/reports/site-history/results/": "the same, its results fragment",
    "admin/failwhale/": "not available",
    "admin/pages/<int:page_to_move_id>/set_position/": "a page move, POST",
    "audit_trail:history": "an audit entry never changes: its history is always empty",
    "audit_trail:history_results": "the same, its results fragment",
    "admin/api-tokens/edit/<int:pk>/": "one token's form",
    "admin/api-tokens/delete/<int:pk>/": "one token's revocation, a form",
    "admin/api-tokens/history/<int:pk>/": "one token's history: Wagtail's, not audited",
    "admin/api-tokens/history-results/<int:pk>/": "one token's history",
    "admin/api-tokens/usage/<int:pk>/": "one token's usage",
    "records_plan_adopt": "a form",
    "records_plan_new_version": "a form",
    "records_plan_compare": "the difference of two versions of one plan",
    "records_plan_export": "a file",
    "records_plan_import": "a form",
    "officials_import": "a form",
    "admin/api-tokens/new/": "a form",
    "loans_checkout": "a form",
    "loans_request_return": "a form",
    "loans_return": "a form",
    "loans_incident_report": "a form",
    "loans_incident_assess": "a form",
    "loans_receipt_pdf": "a file",
    "core:governing_document_file": "a file",
    "records:plan_pdf": "a file",
    "loans:receipt_pdf": "a file",
    "loans:receipt_accept": "a form, POST",
    "loans:report_incident": "a form",
    "loans:request_broadband": "a form",
    "loans:decide_broadband": "a form",
    "media": "a file",
    "privacy_breach_report": "a form",
    "privacy_breach_detail": "one breach",
    "privacy_breach_close": "a form",
    "privacy_breach_step": "a form",
    "privacy_register_import": "a form",
    "privacy_register_export": "a file",
    "privacy_notice_regenerate": "a form, POST",
    "privacy_notice_publish": "a form, POST",
    "privacy_notice_discard": "a form, POST",
    "privacy_notice_pdf": "a file",
    "privacy_register_create": "a form",
    "privacy_register_edit": "a form",
    "privacy_register_approve": "a form",
    "privacy_register_compare": "the difference of two versions of one register",
    "privacy_activity_create": "a form",
    "privacy_activity_edit": "a form",
    "privacy_activity_approve": "a form, POST",
    "privacy_activity_delete": "a form",
    "privacy_request_register": "a form",
    "privacy_request_detail": "one request",
    "privacy:request_form": "a form",
    "privacy:request_status": "one request",
    "privacy:request_key": "a form",
    "privacy:request_identity": "a form",
    "privacy:request_eid": "the e-ID provider's return, a redirect",
    "privacy:request_eid_test": "a form (tests and DEBUG only)",
    "privacy:extract_file": "a file",
    "privacy:notice": "one notice version",
    "privacy:notice_version": "one notice version",
    "privacy:notice_pdf": "a file",
    "privacy:notice_version_pdf": "a file",
    "privacy_subject_search": "a form: GET shows it empty; the results answer its POST (one subject's search)",
    "privacy_restriction_lift": "a form, POST",
}


# Enumeration ---------------------------------------------------------------------------------------------


def _routes(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
            yield prefix + str(pattern.pattern), name, pattern.callback


def _is_insyn(callback: Any) -> bool:
    view = getattr(callback, "view_class", None) or callback
    return str(getattr(view, "__module__", "")).startswith("insyn.")


def insyn_html_routes() -> dict[str, str]:
    """Every route served by an Insyn view outside the API: its name (or its path when unnamed) → its path."""
    routes = {}
    for path, name, callback in _routes(get_resolver().url_patterns):
        if _is_insyn(callback) and not path.startswith("api/"):
            routes[name or path] = path
    return routes


def api_list_routes() -> set[str]:
    """`GET <path>` of every API operation whose answer is a page of items or a JSON array."""
    lists = set()
    for path, operations in api.get_openapi_schema()["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        response = operation["responses"].get(200) or operation["responses"].get("200") or {}
        schema = response.get("content", {}).get("application/json", {}).get("schema", {})
        if schema.get("type") == "array" or schema.get("$ref", "").split("/")[-1].startswith("Paged"):
            lists.add(f"GET {path}")
    return lists


def test_every_list_is_pinned() -> None:
    pinned = {case.route for case in CASES}
    assert len(pinned) == len(CASES), "a route is pinned twice"
    unreviewed = []
    for name in insyn_html_routes():
        is_index = name.endswith((":index", ":index_results"))
        namespace, _, action = name.rpartition(":")
        one_object = namespace not in {"", "records", "loans", "core"} and action in ONE_OBJECT_ACTIONS
        if name in pinned or (not is_index and (name in NOT_LISTS or one_object)):
            continue
        unreviewed.append(name)
    api_lists = api_list_routes()
    unreviewed += sorted(api_lists - pinned)
    assert not unreviewed, f"list pages or API lists without a pinned query count (add them to CASES): {unreviewed}"
    gone = sorted(route for route in pinned if route not in api_lists and route not in insyn_html_routes())
    assert not gone, f"pinned routes that no longer exist: {gone}"
    stale = sorted(name for name in NOT_LISTS if name not in insyn_html_routes())
    assert not stale, f"NOT_LISTS names routes that no longer exist: {stale}"


# Measuring -----------------------------------------------------------------------------------------------


@pytest.fixture
def world(monkeypatch: Any) -> World:
    data.patch_receipts(monkeypatch)
    return data.build_world()


def _headers(case: Case, world: World, client: Any) -> dict[str, str]:
    if case.actor == "anonymous":
        return {}
    user = world.official.user if case.actor == "official" else world.administrator
    if case.is_api:
        _token, plaintext = APIToken.create_token(user=user, name="query counts")
        return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
    client.force_login(user)
    return {}


def _text(response: Any) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def _measure(client: Any, url: str, headers: dict[str, str]) -> tuple[int, Any, list[str]]:
    """Queries of one request, after a first one has filled the per-process caches (content types, …) and
    touched the API token's last use (Wagtail writes it at most once a minute).

    The public pages of adopted plans are cached whole; what is measured is their rendering, not the cache hit.
    """
    client.get(url, **headers)
    caches["public_pages"].clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **headers)
    return len(context), response, [query["sql"] for query in context.captured_queries]


def _shape(sql: str) -> str:
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)


def _repeated(small: list[str], large: list[str]) -> str:
    """The statements (literals left out) the larger size ran more often: where the N+1 is."""
    grown = Counter(map(_shape, large)) - Counter(map(_shape, small))
    return "\n".join(f"  +{count} × {sql[:300]}" for sql, count in grown.most_common(5))


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.route)
def test_list_query_count_is_pinned(case: Case, world: World, client: Any) -> None:
    headers = _headers(case, world, client)
    other_labels = case.grow(world, world.other, 2)
    labels: list[str] = []
    counts, queries = [], []
    for added in (SIZES[0], SIZES[1] - SIZES[0]):
        new = case.grow(world, world.own, added)
        labels = new if case.grow in data.REPLACING else labels + new
        url = case.url(world)
        count, response, sql = _measure(client, url, headers)
        assert response.status_code == 200, f"{case.route}: {url} answered {response.status_code}"
        text = _text(response)
        missing = [label for label in labels if label not in text]
        assert not missing, f"{case.route}: {url} does not show {missing[:3]}: the count would not be of the rows"
        if case.scoped:
            leaked = [label for label in other_labels if label in text]
            assert not leaked, f"{case.route}: {url} shows the other municipality's {leaked[:3]}"
        counts.append(count)
        queries.append(sql)
    assert counts == [case.queries] * len(SIZES), (
        f"{case.route}: {counts[0]} queries with {SIZES[0]} rows, {counts[1]} with {SIZES[1]} rows; "
        f"pinned {case.queries}\n{_repeated(queries[0], queries[1])}"
    )
