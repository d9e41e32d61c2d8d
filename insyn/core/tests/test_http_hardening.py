"""Responses are compressed, and framing is refused except for Wagtail's own preview panel."""

from __future__ import annotations

import gzip

from django.core.files.base import ContentFile
from django.test import Client
from wagtail.models import Page

from insyn.core.tests.factories import make_municipality, make_organ
from insyn.records.tests.factories import import_plan, make_plan_data


def test_large_public_plan_page_is_gzip_compressed_to_a_small_fraction(db):
    plan = import_plan(make_organ(make_municipality("Piteå kommun")), make_plan_data(extra_rows=5000))
    client = Client()
    page = f"/plans/{plan.pk}/process/{plan.nodes.get(code='2.9.2.0').pk}/"  # the process of the 5,000 rows
    plain = client.get(page)
    assert plain.status_code == 200 and "Content-Encoding" not in plain
    assert len(plain.content) > 1_000_000

    compressed = client.get(page, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert len(compressed.content) < len(plain.content) / 10
    assert gzip.decompress(compressed.content).count(b"Underlag") == plain.content.count(b"Underlag")


def test_pages_refuse_framing_but_the_admin_preview_allows_same_origin(admin_client):
    assert admin_client.get("/admin/")["X-Frame-Options"] == "DENY"
    assert Client().get("/plans/")["X-Frame-Options"] == "DENY"
    page = Page.objects.filter(depth=2).first()
    preview = admin_client.get(f"/admin/pages/{page.pk}/edit/preview/?in_preview_panel=true")
    assert preview.status_code == 200
    assert preview["X-Frame-Options"] == "SAMEORIGIN"


def test_file_downloads_are_not_gzipped_again(two_municipalities, client):
    pitea, _ = two_municipalities
    pitea.document.file.save("beslut.pdf", ContentFile(b"%PDF-1.4\n" + b"0" * 5000 + b"\n%%EOF\n"))
    client.force_login(pitea.registrar)
    response = client.get(f"/files/governing-documents/{pitea.document.pk}/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response.streaming
    assert "Content-Encoding" not in response
    assert int(response["Content-Length"]) == 5000 + 16
