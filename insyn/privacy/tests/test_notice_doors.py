"""The doors of notices: the public pages (published versions only), the PDF/A, the API, the CLI and the admin."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from insyn.core.actor import SYSTEM
from insyn.core.tests.factories import make_user_with_role
from insyn.privacy.models import NoticeVersion
from insyn.privacy.services.notices import notice_generate, notice_publish, notice_set_texts
from insyn.privacy.tests.test_notice_pitea import NOTICE_TITLE, SEED_ROWS, SEED_TITLES, Pitea, make_pitea_register

URL = "/integritet/pitea-kommun/kommunstyrelsen/fortroendevald/"


@pytest.fixture
def pitea(db: Any) -> Pitea:
    return make_pitea_register()


def _draft(pitea: Pitea) -> NoticeVersion:
    version = notice_generate(actor=SYSTEM, controller=pitea.board, subject_category=pitea.official)
    assert version is not None
    notice_set_texts(actor=pitea.dpo, notice=version.notice, titles={"sv": NOTICE_TITLE}, intros={})
    version.refresh_from_db()
    return version


def test_a_draft_is_not_public(pitea: Pitea, client: Client) -> None:
    _draft(pitea)
    assert client.get(URL).status_code == 404
    assert NOTICE_TITLE not in client.get("/integritet/").content.decode()


def test_the_published_notice_shows_four_tables_and_the_right_to_object_apart(pitea: Pitea, client: Client) -> None:
    notice_publish(actor=pitea.dpo, version=_draft(pitea))
    index = client.get("/integritet/").content.decode()
    assert f'href="{URL}"' in index and NOTICE_TITLE in index
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert html.count("<table>") == 4
    for title in SEED_TITLES:
        assert html.count(f"<caption>{title} ") == 1
    for label in SEED_ROWS:
        assert html.count(f'<th scope="row">{label}</th>') == 4
    assert 'aria-labelledby="objection-heading"' in html
    assert html.index("objection-heading") < html.index("<table>")  # before the tables, not in them
    assert "Integritetsskyddsmyndigheten (IMY)" in html


def test_the_notice_in_english_and_polish(pitea: Pitea, client: Client) -> None:
    notice_publish(actor=pitea.dpo, version=_draft(pitea))
    english = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in english and '<th scope="row">Lawfulness</th>' in english
    polish = client.get(URL, HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert '<html lang="pl">' in polish and "Radny" in polish


def test_earlier_versions_stay_readable_with_their_changes(pitea: Pitea, client: Client) -> None:
    notice_publish(actor=pitea.dpo, version=_draft(pitea))
    pitea.activities[3].purposes = ["Hantera abonnemang"]
    pitea.activities[3].save()
    second = notice_generate(actor=SYSTEM, controller=pitea.board, subject_category=pitea.official)
    assert second is not None
    notice_publish(actor=pitea.dpo, version=second)
    history = client.get(f"{URL}versioner/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert f'href="{URL}versioner/1/"' in history and "Hantera abonnemang" in history
    old = client.get(f"{URL}versioner/1/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Hantera tillhandahållande av och support av telefon" in old


def test_the_pdf_is_pdf_a(pitea: Pitea, client: Client) -> None:
    notice_publish(actor=pitea.dpo, version=_draft(pitea))
    response = client.get(f"{URL}pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    xmp = reader.xmp_metadata
    assert xmp is not None and (xmp.pdfaid_part, xmp.pdfaid_conformance) == ("2", "B")
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Hantera nämnd och styrelseadministration" in text and "Integritetsskyddsmyndigheten" in text


def test_the_api_generates_and_the_dpo_publishes(pitea: Pitea, client: Client) -> None:
    client.force_login(pitea.dpo)
    response = client.post(
        "/api/v1/privacy/notices/generate",
        {"controller_id": pitea.board.pk, "subject_category": "Elected official"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    notice_id = response.json()["version"]["notice_id"]
    again = client.post(
        "/api/v1/privacy/notices/generate",
        {"controller_id": pitea.board.pk, "subject_category": "se.fortroendevald"},
        content_type="application/json",
    )
    assert again.status_code == 200 and again.json() == {"changed": False, "version": None}
    published = client.post(f"/api/v1/privacy/notices/{notice_id}/versions/1/publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert client.get(f"/api/v1/privacy/notices/{notice_id}/versions/1/diff?lang=sv").status_code == 200


def test_the_api_hides_another_municipalitys_notice(pitea: Pitea, client: Client) -> None:
    version = _draft(pitea)
    other = make_pitea_register("Luleå kommun")
    client.force_login(other.dpo)
    assert client.get(f"/api/v1/privacy/notices/{version.notice_id}").status_code == 404
    assert client.post(f"/api/v1/privacy/notices/{version.notice_id}/versions/1/publish").status_code == 404


def test_the_cli_writes_the_notice_as_json_with_seed_001s_rows(pitea: Pitea, tmp_path: Path) -> None:
    out = tmp_path / "notice.json"
    call_command(
        "privacy",
        "notice",
        "--controller",
        "Piteå kommun/Kommunstyrelsen",
        "--subjects",
        "Förtroendevald",
        "--format",
        "json",
        "-o",
        str(out),
        "--user",
        pitea.dpo.username,
    )
    data = json.loads(out.read_text())
    assert [s["title"] for s in data["sections"]] == SEED_TITLES
    assert all(list(s["rows"]) == SEED_ROWS for s in data["sections"])
    assert data["art13"]["complaint"]["name"] == "Integritetsskyddsmyndigheten (IMY)"
    assert not NoticeVersion.objects.exists()  # read-only


def test_the_admin_shows_the_draft_to_the_dpo_only(pitea: Pitea, client: Client) -> None:
    version = _draft(pitea)
    contact = make_user_with_role(pitea.board, "privacy_contact", username="kontakt.pitea")
    client.force_login(contact)
    page = client.get(f"/admin/privacy/notices/{version.notice_id}/")
    assert page.status_code == 200 and "Approve and publish" not in page.content.decode()
    client.force_login(pitea.dpo)
    page = client.get(f"/admin/privacy/notices/{version.notice_id}/", HTTP_ACCEPT_LANGUAGE="en")
    assert NOTICE_TITLE in page.content.decode()
    response = client.post(f"/admin/privacy/notices/{version.notice_id}/1/publish/")
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == "published"
    other = make_pitea_register("Luleå kommun")
    client.force_login(other.dpo)
    assert client.get(f"/admin/privacy/notices/{version.notice_id}/").status_code == 404
