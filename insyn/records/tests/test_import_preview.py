"""The admin import preview shows every row as it will be stored, and lets the archivist fix unclear rules."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from insyn.records.models import DocumentType, RetentionPlan
from insyn.records.plandata import DocumentTypeData
from insyn.records.retention_display import mark_spans, retention_words
from insyn.records.retention_reader import read_retention

UNCLEAR = "Gallras efter 2 år. Bevaras."  # two readings that disagree: the archivist chooses
CSV = (
    "Process;Aktivitet;Handlingstyp;Bevaras/Gallras;Anmärkning;Ägare\n"
    "2.9.2.1 Publicera;Publicera;Webbsidor;Bevaras;;Kansliet\n"
    f"2.9.2.1 Publicera;Publicera;Bilder & filmer;{UNCLEAR};;\n"
    "2.9.3.1 Registrera;Registrera;Diarium;Gallras efter 7 år;Notering;\n"
)
URL = "/admin/records/import/"


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload(client: Any, tenant: Any, content: str = CSV, name: str = "ks_plan.csv") -> Any:
    client.force_login(tenant.archivist)
    upload = SimpleUploadedFile(name, content.encode())
    return client.post(URL, {"file": upload, "organisation": tenant.board.pk, "format": "auto", "lang": "sv"})


def _candidates() -> list[Any]:
    reading = read_retention(UNCLEAR, "sv")
    return [c.retention for c in reading.candidates]


def test_preview_lists_every_row_grouped_with_the_unclear_rule_marked_and_its_readings_offered(client, pitea, media):
    response = _upload(client, pitea)

    assert response.status_code == 200
    html = response.text
    for name in ("Webbsidor", "Diarium", "2.9.2.1 Publicera", "2.9.3.1 Registrera"):
        assert name in html
    assert "Bilder &amp; filmer" in html  # escaped
    assert html.count('class="import-process"') == 2  # one <details> per process
    assert "retention-flag--unclear" in html
    # The read spans are marked in the text, the rule is said in words.
    assert '<mark class="retention-span">Gallras efter 2 år</mark>' in html
    assert retention_words(DocumentType(action="dispose", period="P7Y", trigger="created")) in html
    # The unclear row (row 3 of the file) offers its readings, and leaving it unclear.
    field = response.context["preview"]["confirm"]["rule_3"]
    labels = [label for _value, label in field.field.choices]
    assert labels[1:] == [retention_words(rule) for rule in _candidates()] and len(labels) == 3
    assert 'name="rule_3"' in html
    assert response.context["preview"]["rows"].row_count == 3
    assert not RetentionPlan.objects.exists()


def test_preview_shows_an_extra_column_with_its_label_and_value_marked(client, pitea, media):
    html = _upload(client, pitea).text

    assert "retention-flag--extra" in html
    assert "<dt>Ägare</dt><dd>Kansliet</dd>" in html


def test_confirming_with_a_chosen_reading_stores_that_rule_and_the_edited_title(client, pitea, media):
    preview = _upload(client, pitea)
    token = preview.context["preview"]["token"]
    chosen = _candidates()[1]

    response = client.post(URL, {"token": token, "title": "Plan för KS", "rule_3": "1"})

    assert response.status_code == 302
    plan = RetentionPlan.objects.get()
    assert plan.title == "Plan för KS"
    row = plan.document_types.get(name="Bilder & filmer")
    assert (row.action, row.period or None, row.retention_text) == (chosen.action, chosen.period, UNCLEAR)
    assert plan.document_types.get(name="Webbsidor").action == "retain"


def test_a_file_without_a_title_gets_its_file_name_and_unclear_rows_may_stay_unclear(client, pitea, media):
    preview = _upload(client, pitea, name="ks_plan.csv")
    assert preview.context["preview"]["confirm"]["title"].value() == "ks plan"

    response = client.post(URL, {"token": preview.context["preview"]["token"], "title": "", "rule_3": ""})

    assert response.status_code == 302
    plan = RetentionPlan.objects.get()
    assert plan.title == "ks plan"
    assert plan.document_types.get(name="Bilder & filmer").action == "unclear"


@pytest.mark.parametrize("forged", ["7", "-1", '{"action": "retain"}'])
def test_a_choice_that_is_not_one_of_the_rows_readings_is_refused_and_nothing_written(client, pitea, media, forged):
    preview = _upload(client, pitea)
    token = preview.context["preview"]["token"]

    response = client.post(URL, {"token": token, "title": "Plan", "rule_3": forged})

    assert response.status_code == 400
    assert response.context["preview"]["confirm"].errors["rule_3"]
    assert not RetentionPlan.objects.exists()
    # The preview is still there: the archivist corrects the choice and confirms the same file.
    assert client.post(URL, {"token": token, "title": "Plan", "rule_3": "0"}).status_code == 302
    assert RetentionPlan.objects.count() == 1


def test_a_choice_for_a_row_that_is_not_unclear_is_ignored(client, pitea, media):
    preview = _upload(client, pitea)

    client.post(URL, {"token": preview.context["preview"]["token"], "rule_2": "0", "rule_4": "0"})

    plan = RetentionPlan.objects.get()
    assert plan.document_types.get(name="Webbsidor").action == "retain"
    assert plan.document_types.get(name="Diarium").period == "P7Y"


def test_a_file_error_is_shown_once_in_the_users_language(client, pitea, media):
    client.force_login(pitea.archivist)

    response = client.post(URL, {"token": "0123abcd"}, HTTP_ACCEPT_LANGUAGE="sv")

    message = "Förhandsgranskningen har gått ut; ladda upp filen igen."
    assert response.status_code == 404
    assert response.text.count(message) == 1
    assert response.context["preview"] is None


def test_an_unreadable_file_error_is_shown_once(client, pitea, media):
    response = _upload(client, pitea, content="\x00\x01", name="plan.bin")

    errors = response.context["form"].non_field_errors()
    assert response.status_code == 400 and len(errors) == 1
    assert response.text.count(escape(errors[0])) == 1


def test_marked_spans_escape_the_text_around_and_inside_the_mark():
    text = "<b>Gallras</b> efter 2 år & mer"
    span = {"start": 3, "end": 10}

    html = mark_spans(text, [span, {"start": 5, "end": 9}, {"start": 40, "end": 50}])

    assert html == '&lt;b&gt;<mark class="retention-span">Gallras</mark>&lt;/b&gt; efter 2 år &amp; mer'


def test_retention_words_say_the_rule_in_swedish():
    from django.utils import translation

    rule = dataclasses.replace(_candidates()[0])
    with translation.override("sv"):
        words = retention_words(rule)
    assert "2 år" in words


def test_plan_page_and_document_type_page_mark_the_read_span_and_list_the_extra_columns(client, pitea, media):
    preview = _upload(client, pitea)
    client.post(URL, {"token": preview.context["preview"]["token"], "rule_3": ""})
    plan = RetentionPlan.objects.get()
    row = plan.document_types.get(name="Diarium")

    page = client.get(f"/admin/records/plan/{plan.pk}/").text
    assert '<mark class="retention-span">Gallras efter 7 år</mark>' in page
    assert "retention-flag--unclear" in page  # "Bilder" was left unclear
    inspect = client.get(f"/admin/records/document-types/inspect/{row.pk}/")
    assert inspect.status_code == 200
    assert '<mark class="retention-span">Gallras efter 7 år</mark>' in inspect.text
    if hasattr(DocumentTypeData("x"), "extra"):
        assert "<dt>Ägare</dt><dd>Kansliet</dd>" in page
        webbsidor = plan.document_types.get(name="Webbsidor")
        assert "Kansliet" in client.get(f"/admin/records/document-types/inspect/{webbsidor.pk}/").text


def test_document_type_page_of_another_municipality_is_not_found(client, pitea, torsby):
    row = torsby.plan.document_types.first()
    client.force_login(pitea.archivist)

    assert client.get(f"/admin/records/document-types/inspect/{row.pk}/").status_code == 404
