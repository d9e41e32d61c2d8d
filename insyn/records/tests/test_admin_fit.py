"""The plan admin as archivists use it: the list opens the plan page, adopted plans offer no delete,
the version diff speaks the user's language, the dashboard counts drafts only, and no records URL
answers 5xx to an archivist or an administrator, for a draft or an adopted plan, by GET or POST."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.contrib.messages import get_messages
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from insyn.core.tests.factories import make_user_with_role
from insyn.records.export import CONTENT_TYPES
from insyn.records.models import PlanStatus, RetentionPattern, RetentionPlan
from insyn.records.services import document_type_update, plan_new_version


def _detail(plan: RetentionPlan) -> str:
    return f"/admin/records/plan/{plan.pk}/"


# --- the list opens the plan page; edit and delete are for drafts ---------------------------------


def test_plan_list_title_opens_the_plan_page_and_offers_delete_for_drafts_only(client, torsby):
    draft = plan_new_version(actor=torsby.archivist, plan=torsby.plan)
    client.force_login(torsby.archivist)
    response = client.get("/admin/records/plans/")
    assert response.status_code == 200
    html = response.text
    assert f'href="{_detail(torsby.plan)}"' in html and f'href="{_detail(draft)}"' in html
    assert f"/admin/records/plans/delete/{draft.pk}/" in html
    assert f"/admin/records/plans/edit/{draft.pk}/" in html
    assert f"/admin/records/plans/delete/{torsby.plan.pk}/" not in html
    assert f"/admin/records/plans/edit/{torsby.plan.pk}/" not in html


def test_plan_page_offers_edit_and_delete_for_a_draft_only(client, torsby):
    draft = plan_new_version(actor=torsby.archivist, plan=torsby.plan)
    client.force_login(torsby.archivist)
    page = client.get(_detail(draft)).text
    assert f"/admin/records/plans/edit/{draft.pk}/" in page and f"/admin/records/plans/delete/{draft.pk}/" in page
    adopted = client.get(_detail(torsby.plan)).text
    assert "/admin/records/plans/edit/" not in adopted and "/admin/records/plans/delete/" not in adopted


def test_edit_page_of_a_draft_offers_delete_and_of_an_adopted_plan_sends_back_with_a_message(client, torsby):
    draft = plan_new_version(actor=torsby.archivist, plan=torsby.plan)
    client.force_login(torsby.archivist)
    edit = client.get(f"/admin/records/plans/edit/{draft.pk}/")
    assert edit.status_code == 200 and f"/admin/records/plans/delete/{draft.pk}/" in edit.text
    for method in ("get", "post"):
        response = getattr(client, method)(f"/admin/records/plans/edit/{torsby.plan.pk}/", {"title": "Ny titel"})
        assert response.status_code == 302 and response["Location"] == _detail(torsby.plan)
    torsby.plan.refresh_from_db()
    assert torsby.plan.title == "Dokumenthanteringsplan"


@pytest.mark.parametrize("method", ["get", "post"])
def test_deleting_an_adopted_plan_by_url_answers_with_a_message(client, torsby, method):
    client.force_login(torsby.archivist)
    response = getattr(client, method)(f"/admin/records/plans/delete/{torsby.plan.pk}/")
    assert response.status_code == 302 and response["Location"] == _detail(torsby.plan)
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    assert RetentionPlan.objects.filter(pk=torsby.plan.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_deleting_a_row_of_an_adopted_plan_by_url_answers_with_a_message(client, torsby, method):
    row = torsby.plan.document_types.first()
    client.force_login(torsby.archivist)
    response = getattr(client, method)(f"/admin/records/document-types/delete/{row.pk}/")
    assert response.status_code == 302 and response["Location"] == _detail(torsby.plan)
    assert torsby.plan.document_types.filter(pk=row.pk).exists()


def test_a_draft_can_still_be_deleted(client, torsby):
    draft = plan_new_version(actor=torsby.archivist, plan=torsby.plan)
    client.force_login(torsby.archivist)
    assert client.get(f"/admin/records/plans/delete/{draft.pk}/").status_code == 200
    assert client.post(f"/admin/records/plans/delete/{draft.pk}/").status_code == 302
    assert not RetentionPlan.objects.filter(pk=draft.pk).exists()


# --- the version diff in the user's language ------------------------------------------------------


def test_compare_page_shows_field_and_choice_labels(client, torsby):
    draft = plan_new_version(actor=torsby.archivist, plan=torsby.plan)
    row = draft.document_types.get(action="unclear")
    document_type_update(actor=torsby.archivist, document_type=row, action="dispose", trigger="obsolete")
    client.force_login(torsby.archivist)
    response = client.get(f"/admin/records/plan/{draft.pk}/compare/", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200
    changed = response.context["diff"].changed[0].labelled()
    assert ("Åtgärd", "Oklar", "Gallras") in changed
    cells = re.sub(r"\s+", " ", response.text)
    assert "<td>Åtgärd</td><td>Oklar</td><td>Gallras</td>" in cells
    assert "retention.action" not in response.text and ">unclear<" not in response.text
    plan_changes = response.context["diff"].labelled_plan_changes()
    assert ("Version", "1.0", "–") in plan_changes


# --- the dashboard: drafts only, each row names its plan -------------------------------------------


def test_unclear_rules_panel_counts_draft_plans_only_and_names_the_plan(client, torsby):
    client.force_login(torsby.archivist)
    panel = client.get("/admin/").text
    assert "Avtal i samband med annonsering" not in panel  # the adopted plan's row is not work to do
    draft = plan_new_version(actor=torsby.archivist, plan=torsby.plan)
    response = client.get("/admin/")
    assert "Avtal i samband med annonsering" in response.text and str(draft) in response.text
    assert f'href="{_detail(draft)}"' in response.text


# --- every records URL, from the resolver ----------------------------------------------------------


def records_routes() -> list[str]:
    def walk(resolver: URLResolver, prefix: str) -> Iterator[tuple[str, URLPattern]]:
        for item in resolver.url_patterns:
            if isinstance(item, URLResolver):
                yield from walk(item, prefix + str(item.pattern))
            else:
                yield prefix + str(item.pattern), item

    routes: list[str] = []
    for route, _pattern in walk(get_resolver(), ""):
        if route.startswith("admin/records/") and route not in routes:
            routes.append(route)
    return routes


def _urls(route: str, ids: dict[str, int]) -> list[str]:
    """The route with its parameters filled in: the object its prefix names, every export format."""
    rel = route.removeprefix("admin/")
    if "<int:pk>" in rel:
        kind = next((prefix for prefix in ids if rel.startswith(prefix)), None)
        assert kind is not None, f"no object for {route}: add its prefix to the walk"
        rel = rel.replace("<int:pk>", str(ids[kind]))
    filled = [rel.replace("<str:fmt>", fmt) for fmt in CONTENT_TYPES] if "<str:fmt>" in rel else [rel]
    for url in filled:
        assert "<" not in url, f"unknown parameter in {route}: teach the walk to fill it"
    return ["/admin/" + url for url in filled]


def test_the_walk_finds_every_kind_of_records_url():
    routes = records_routes()
    names = " ".join(routes)
    for expected in ("plan/<int:pk>/export/<str:fmt>/", "plan/<int:pk>/adopt/", "import/", "plans/delete/"):
        assert expected in names
    for prefix in ("plans/", "document-types/", "retention-patterns/"):
        for view in ("", "new/", "edit/<int:pk>/", "delete/<int:pk>/", "history/<int:pk>/", "usage/<int:pk>/"):
            assert f"admin/records/{prefix}{view}" in routes


@pytest.mark.parametrize("role", ["archivist", "administrator"])
@pytest.mark.parametrize("state", [PlanStatus.DRAFT, PlanStatus.ADOPTED])
def test_no_records_admin_url_answers_5xx(torsby, role, state):
    user = torsby.archivist if role == "archivist" else make_user_with_role(torsby.municipality, "administrator")
    plan = plan_new_version(actor=torsby.archivist, plan=torsby.plan) if state == PlanStatus.DRAFT else torsby.plan
    # Written directly: the walk needs a pattern to visit, not the grammar's validation.
    pattern = RetentionPattern.objects.create(
        municipality=torsby.municipality, name="Bevaras alltid", pattern="bevaras alltid", action="retain"
    )
    ids = {
        "records/plan/": plan.pk,
        "records/plans/": plan.pk,
        "records/document-types/": plan.document_types.get(action="unclear").pk,
        "records/retention-patterns/": pattern.pk,
    }
    client = Client(raise_request_exception=False)
    client.force_login(user)
    failures: list[str] = []
    visited = 0
    for route in records_routes():
        for url in _urls(route, ids):
            for method in ("get", "post"):
                # Each request on its own: a POST that deletes or adopts must not hide the next URL's door.
                with transaction.atomic():
                    response = getattr(client, method)(url, {})
                    transaction.set_rollback(True)
                visited += 1
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {url} → {response.status_code}")
    assert visited >= 2 * 34
    assert not failures, "records admin URLs answering 5xx:\n" + "\n".join(failures)
