"""The public page of an adopted plan: a table of contents, a page per process, rendered once and then cached."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from insyn.core.tests.factories import make_municipality, make_organ
from insyn.records import views
from insyn.records.models import Activity, ClassificationNode, DocumentType, PlanStatus, RetentionPlan
from insyn.records.public_pages import cached_page, page_cache
from insyn.records.services import plan_adopt, plan_new_version
from insyn.records.tests.factories import import_plan, make_plan_data

LEADING = "2.9.2.0"  # "Leda, styra, organisera": two document types
ADVERTISING = "2.9.2.6"  # "Annonsera": two others
LEADING_ROWS = ["Riktlinjer för användning av sociala medier", "Handlingsplan för sociala medier"]
ADVERTISING_ROWS = ["Annonser i dagspress och annonsblad", "Avtal i samband med annonsering"]


@pytest.fixture(autouse=True)
def empty_page_cache() -> Any:
    page_cache().clear()
    yield
    page_cache().clear()


def process(plan: RetentionPlan, code: str) -> ClassificationNode:
    return plan.nodes.get(code=code)


def process_url(plan: RetentionPlan, code: str) -> str:
    return f"/plans/{plan.pk}/process/{process(plan, code).pk}/"


def test_contents_lists_every_process_with_its_count_and_a_link_to_its_page(client, torsby):
    response = client.get(f"/plans/{torsby.plan.pk}/")

    assert response.status_code == 200
    html = response.text
    links = re.findall(rf'<a href="(/plans/{torsby.plan.pk}/process/\d+/)">([^<]+)</a>', html)
    assert links == [
        (process_url(torsby.plan, LEADING), "2.9.2.0 Leda, styra, organisera"),
        (process_url(torsby.plan, ADVERTISING), "2.9.2.6 Annonsera"),
    ]
    assert re.search(r"Leda, styra, organisera</a></th>\s*<td>2</td>", html)
    assert re.search(r"2\.9\.2 Informationsförsörjning</th><td>4</td>", html)  # the group's total
    for name in LEADING_ROWS + ADVERTISING_ROWS:
        assert name not in html  # the rows are on the process pages
    for url, label in links:
        page = client.get(url)
        assert page.status_code == 200
        assert f">{label}</h1>" in page.text


def test_process_page_shows_its_document_types_and_only_them(client, torsby):
    response = client.get(process_url(torsby.plan, LEADING))

    assert response.status_code == 200
    for name in LEADING_ROWS:
        assert f'<th scope="row">{name}</th>' in response.text
    for name in ADVERTISING_ROWS:
        assert name not in response.text
    assert "<title>2.9.2.0 Leda, styra, organisera – Dokumenthanteringsplan – Insyn</title>" in response.text
    assert f'rel="next" href="{process_url(torsby.plan, ADVERTISING)}"' in response.text
    assert 'rel="prev"' not in response.text


def test_process_page_answers_only_for_a_process_of_that_plan(client, torsby):
    other = import_plan(make_organ(make_municipality("Piteå kommun")), make_plan_data())
    foreign_process = process(other, LEADING).pk
    group = torsby.plan.nodes.get(code="2.9.2").pk

    assert client.get(f"/plans/{torsby.plan.pk}/process/{foreign_process}/").status_code == 404
    assert client.get(f"/plans/{torsby.plan.pk}/process/{group}/").status_code == 404
    assert client.get(f"/plans/{other.pk}/process/{foreign_process}/").status_code == 200


def test_second_request_is_served_from_the_cache_without_rendering_again(client, torsby):
    contents, leading = f"/plans/{torsby.plan.pk}/", process_url(torsby.plan, LEADING)
    first = {url: client.get(url).text for url in (contents, leading)}

    with (
        mock.patch.object(views, "render_to_string", side_effect=AssertionError("rendered again")),
        CaptureQueriesContext(connection) as queries,
    ):
        again = {url: client.get(url).text for url in (contents, leading)}

    assert len(queries) <= 2  # the plan, once per page: is it (still) adopted?
    for url in (contents, leading):
        assert again[url] == first[url].replace(csrf(first[url]), csrf(again[url]))


def csrf(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_layout_around_a_cached_page_is_rendered_per_request(client, torsby):
    url = process_url(torsby.plan, LEADING)
    client.get(url)

    response = client.get(url + "?from=search")
    assert '<input name="next" type="hidden" value="' + url + '?from=search">' in response.text


def test_draft_plan_is_neither_public_nor_cached(client, torsby):
    draft = plan_new_version(actor=torsby.archivist, plan=torsby.plan)
    draft_process = process(draft, LEADING).pk

    client.force_login(torsby.archivist)  # even for the municipality's archivist: drafts live in the admin
    assert client.get(f"/plans/{draft.pk}/").status_code == 404
    assert client.get(f"/plans/{draft.pk}/process/{draft_process}/").status_code == 404

    renders: list[int] = []

    def render() -> Any:
        renders.append(1)
        return {"title": "t", "html": "h"}

    cached_page(draft, "contents", render)
    cached_page(draft, "contents", render)
    assert len(renders) == 2


def test_replaced_plan_leaves_the_site_although_its_pages_were_cached(client, torsby):
    old = torsby.plan
    old_process_url = process_url(old, LEADING)
    assert client.get(f"/plans/{old.pk}/").status_code == 200
    assert client.get(old_process_url).status_code == 200

    draft = plan_new_version(actor=torsby.archivist, plan=old)
    unclear = draft.document_types.get(name="Avtal i samband med annonsering")
    new = plan_adopt(
        actor=torsby.archivist,
        plan=draft,
        adopted_by="Kommunstyrelsen",
        adopted_on=dt.date(2026, 11, 2),
        paragraph="§ 12",
        version="2.0",
        unclear_confirmations={unclear.pk: "Se anmärkning"},
    )

    assert client.get(f"/plans/{old.pk}/").status_code == 404
    assert client.get(old_process_url).status_code == 404
    contents = client.get(f"/plans/{new.pk}/")
    assert contents.status_code == 200 and "<dd>Kommunstyrelsen, 2026-11-02 § 12</dd>" in contents.text
    assert client.get(process_url(new, LEADING)).status_code == 200


def test_any_visitor_sees_adopted_plans_of_every_municipality_and_the_same_page(client, torsby, pitea):
    url = process_url(torsby.plan, LEADING)
    anonymous = client.get(url)

    client.force_login(pitea.archivist)  # another municipality's archivist
    signed_in = client.get(url)

    assert anonymous.status_code == signed_in.status_code == 200
    assert "torsby.arkivarie" not in signed_in.text and "pitea.arkivarie" not in signed_in.text
    assert csrf(signed_in.text) and LEADING_ROWS[0] in signed_in.text


def test_language_variants_are_rendered_and_cached_separately(client, torsby):
    url = process_url(torsby.plan, LEADING)

    def page(language: str) -> str:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return str(client.get(url).text)

    swedish, english = page("sv"), page("en")
    assert '<html lang="sv">' in swedish and "Handlingstyper i process 2.9.2.0" in swedish
    assert '<html lang="en">' in english and "Document types in process 2.9.2.0" in english
    assert "Handlingstyper i process" in page("sv")  # the English render did not replace the Swedish one
    assert "Document types in process" in page("en")


def test_search_hit_links_to_its_row_on_the_process_page(client, torsby):
    found = client.get("/plans/sok/", {"q": "handlingsplan sociala"})

    row = DocumentType.objects.get(plan=torsby.plan, name=LEADING_ROWS[1])
    link = f'<a href="{process_url(torsby.plan, LEADING)}#d-{row.pk}">2.9.2.0 Leda, styra, organisera</a>'
    assert link in found.text
    assert f'<tr id="d-{row.pk}">' in client.get(process_url(torsby.plan, LEADING)).text


def test_activities_without_a_name_get_no_column_and_no_heading(client, db):
    # A plan without an activity level, made by hand: a draft whose activities lose their names, then adopted.
    plan = import_plan(make_organ(make_municipality("Piteå kommun")), make_plan_data(status="draft"))
    Activity.objects.filter(plan=plan, process__code=LEADING).update(name="")
    RetentionPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.ADOPTED, adopted_on=dt.date(2026, 11, 2))

    html = client.get(process_url(plan, LEADING)).text

    assert '<th scope="col">Aktivitet</th>' not in html
    assert html.count('<th scope="col">') == 4
    assert len(re.findall(r'<tr id="d-\d+">\s*<th scope="row">', html)) == 2  # no empty activity cell first
    assert not re.search(r"<h\d[^>]*>\s*</h\d>", html)
    assert '<th scope="col">Aktivitet</th>' in client.get(process_url(plan, ADVERTISING)).text


def test_row_details_are_the_non_empty_fields_and_every_extra_column():
    row = SimpleNamespace(
        reference_code="2.9.2.0-1",
        secrecy="",
        extra={"Gallringsbeslut": "KF 2020-03-01 § 5", "Tom kolumn": ""},
    )
    fields = [("reference_code", "Referenskod"), ("secrecy", "Sekretess"), ("disposal_authority", "Beslut")]

    assert views._details(row, fields) == [  # type: ignore[arg-type]
        ("Referenskod", "2.9.2.0-1"),
        ("Gallringsbeslut", "KF 2020-03-01 § 5"),
    ]


def test_process_page_shows_reference_code_secrecy_and_extra_columns(client, db):
    data = make_plan_data()
    row = data.areas[0].groups[0].processes[0].activities[0].document_types[0]
    row.reference_code = "2.9.2.0-01"
    row.secrecy = "OSL 21 kap. 7 §"
    row.extra = {"Gallringsbeslut": "KF 2020 § 5"}
    plan = import_plan(make_organ(make_municipality("Piteå kommun")), data)

    html = client.get(process_url(plan, LEADING)).text

    for value in ("2.9.2.0-01", "OSL 21 kap. 7 §", "<dt>Gallringsbeslut</dt><dd>KF 2020 § 5</dd>"):
        assert value in html
