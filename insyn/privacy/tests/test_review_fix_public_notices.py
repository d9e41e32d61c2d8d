"""Review finding 7: public notice addresses are unique even when two names slugify alike (Habo / Håbo)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from insyn.core.actor import SYSTEM
from insyn.core.tests.factories import make_organ
from insyn.privacy.models import Notice, NoticeVersion
from insyn.privacy.selectors import notices as selectors
from insyn.privacy.services.notices import notice_generate, notice_publish, notice_set_texts
from insyn.privacy.tests.test_notice_pitea import Pitea, make_pitea_register

pytestmark = pytest.mark.django_db


def _publish(place: Pitea, title: str) -> None:
    version = notice_generate(actor=SYSTEM, controller=place.board, subject_category=place.official)
    assert version is not None
    notice_set_texts(actor=place.dpo, notice=version.notice, titles={"sv": title}, intros={})
    version.refresh_from_db()
    notice_publish(actor=place.dpo, version=version)


def test_habo_and_haabo_each_keep_their_own_notice(client: Client) -> None:
    habo = make_pitea_register("Habo kommun")
    haabo = make_pitea_register("Håbo kommun")  # added later: it, not Habo, gets the distinguishing suffix
    _publish(habo, "Habos information till förtroendevalda")
    _publish(haabo, "Håbos information till förtroendevalda")
    habo_url = "/integritet/habo-kommun/kommunstyrelsen/fortroendevald/"
    haabo_url = f"/integritet/habo-kommun--{haabo.municipality.pk}/kommunstyrelsen/fortroendevald/"

    index = client.get("/integritet/").content.decode()
    assert f'href="{habo_url}"' in index and f'href="{haabo_url}"' in index

    habo_page = client.get(habo_url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    haabo_page = client.get(haabo_url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Habos information" in habo_page and "Håbos information" not in habo_page
    assert "Håbos information" in haabo_page and "Habos information" not in haabo_page
    assert client.get(f"{haabo_url}versioner/").status_code == 200
    pdf = client.get(f"{haabo_url}pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_a_suffix_names_only_its_own_municipality(client: Client) -> None:
    habo = make_pitea_register("Habo kommun")
    haabo = make_pitea_register("Håbo kommun")
    _publish(habo, "Habos information till förtroendevalda")
    # Habo's pk in the suffix is not an address of Habo's notice, and a made-up suffix is nothing.
    assert (
        client.get(f"/integritet/habo-kommun--{habo.municipality.pk}/kommunstyrelsen/fortroendevald/").status_code
        == 404
    )
    assert (
        client.get(f"/integritet/habo-kommun--{haabo.municipality.pk}/kommunstyrelsen/fortroendevald/").status_code
        == 404
    )
    assert client.get("/integritet/habo-kommun--99999/kommunstyrelsen/fortroendevald/").status_code == 404


def _published_notice(controller: Any, category: Any, slug: str) -> Notice:
    notice = Notice.objects.create(controller=controller, subject_category=category, slug=slug)
    NoticeVersion.objects.create(
        notice=notice, number=1, status="published", content={}, source_digest="x", published_at=timezone.now()
    )
    return notice


def test_two_controllers_of_one_municipality_that_slugify_alike() -> None:
    place = make_pitea_register("Habo kommun")
    first = make_organ(place.municipality, "Kultur- och fritidsnämnden", "namnd")
    second = make_organ(place.municipality, "Kultur och fritidsnämnden", "namnd")
    one = _published_notice(first, place.official, "fortroendevald")
    other = _published_notice(second, place.official, "fortroendevald")
    assert selectors.slugs_of(one) == ("habo-kommun", "kultur-och-fritidsnamnden", "fortroendevald")
    assert selectors.slugs_of(other) == ("habo-kommun", f"kultur-och-fritidsnamnden--{second.pk}", "fortroendevald")
    for notice in (one, other):
        m, c, n = selectors.slugs_of(notice)
        assert selectors.public_notice(municipality=m, controller=c, notice=n) == notice
