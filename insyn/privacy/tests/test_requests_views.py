"""The public request pages: form → identity (test e-ID, post code) → status; keys, CSRF, rate limits."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from insyn.privacy.models import IdentityStatus, SubjectRequest
from insyn.privacy.services.requests import identity_start
from insyn.privacy.tests.requests_helpers import make_world

pytestmark = pytest.mark.django_db
FORM = "/integritet/begaran/"


@pytest.fixture
def world():
    cache.clear()
    return make_world()


def _submit(client, world, **extra):
    data = {"controller": str(world.ks.pk), "kind": "access", "name": "Anna Andersson", "email": "anna@example.se"}
    data.update(extra)
    return client.post(FORM, data)


def test_the_form_lists_controllers_and_links_errors_to_fields(client, world):
    page = client.get(FORM).content.decode()
    assert "Kommunstyrelsen" in page and "Barn- och utbildningsnämnden" in page
    with translation.override("en"):
        response = client.post(
            FORM, {"controller": str(world.ks.pk), "kind": "access", "name": ""}, HTTP_ACCEPT_LANGUAGE="en"
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert ('href="#id_name"' in html and 'aria-describedby="id_name_error"' not in html) or "id_name_error" in html
    assert 'id="id_email_error"' in html  # no way to reach the person
    assert not SubjectRequest.objects.exists()


def test_form_walk_with_test_eid(client, world, settings):
    settings.INSYN_EID_PROVIDER = "insyn.privacy.identity.TestProvider"
    response = _submit(client, world)
    assert response.status_code == 302
    request = SubjectRequest.objects.get()
    assert response["Location"] == f"/integritet/begaran/{request.reference}/identitet/"
    page = client.get(response["Location"]).content.decode()
    key = re.search(r'id="access-key">([^<]+)<', page).group(1)
    assert key not in request.access_key_hash
    assert 'value="eid"' in page and 'value="post"' in page
    started = client.post(response["Location"], {"method": "eid"})
    assert "/e-legitimation/test/?tx=" in started["Location"]
    tx = started["Location"].split("tx=")[1]
    assert client.get(started["Location"]).status_code == 200
    done = client.post(
        f"/integritet/begaran/{request.reference}/e-legitimation/",
        {"transaction_id": tx, "national_id": "191212121212"},
    )
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.identity_status == IdentityStatus.VERIFIED and request.national_id == "19121212-1212"
    status = client.get(done["Location"]).content.decode()
    assert request.reference in status


def test_another_browser_needs_the_key(client, world):
    _submit(client, world)
    request = SubjectRequest.objects.get()
    page = client.get(f"/integritet/begaran/{request.reference}/identitet/").content.decode()
    key = re.search(r'id="access-key">([^<]+)<', page).group(1)
    stranger = Client()
    assert stranger.get(f"/integritet/begaran/{request.reference}/")["Location"].endswith("/nyckel/")
    wrong = stranger.post(f"/integritet/begaran/{request.reference}/nyckel/", {"access_key": "nope"})
    assert wrong.status_code == 200 and "id_access_key_error" in wrong.content.decode()
    right = stranger.post(f"/integritet/begaran/{request.reference}/nyckel/", {"access_key": key})
    assert right.status_code == 302
    assert request.reference in stranger.get(right["Location"]).content.decode()


def test_post_code_entered_on_the_status_page(client, world):
    _submit(client, world)
    request = SubjectRequest.objects.get()
    client.post(f"/integritet/begaran/{request.reference}/identitet/", {"method": "post"})
    challenge = identity_start(actor=world.registrar, request=request, method="post", national_id="19121212-1212")
    url = f"/integritet/begaran/{request.reference}/"
    bad = client.post(url, {"action": "code", "code": "XXXXXXXXXX"})
    assert "id_code_error" in bad.content.decode()
    client.post(url, {"action": "code", "code": challenge.post_code})
    request.refresh_from_db()
    assert request.identity_status == IdentityStatus.VERIFIED


def test_protected_identity_is_not_offered_post(client, world):
    _submit(client, world, protected_identity="on", email="", postal_address="Box 5")
    request = SubjectRequest.objects.get()
    assert request.protected_identity
    page = client.get(f"/integritet/begaran/{request.reference}/identitet/").content.decode()
    assert 'value="post"' not in page and 'value="in_person"' in page


def test_test_eid_page_is_gone_without_the_test_provider(client, world, settings):
    settings.INSYN_EID_PROVIDER = "insyn.privacy.identity.DisabledProvider"
    _submit(client, world)
    request = SubjectRequest.objects.get()
    page = client.get(f"/integritet/begaran/{request.reference}/identitet/").content.decode()
    assert 'value="eid"' not in page
    assert client.get(f"/integritet/begaran/{request.reference}/e-legitimation/test/").status_code == 404


def test_submissions_are_rate_limited_per_address(client, world):
    for _ in range(5):
        assert _submit(client, world).status_code == 302
    assert _submit(client, world).status_code == 429
    assert SubjectRequest.objects.count() == 5


def test_csrf_is_required(world):
    client = Client(enforce_csrf_checks=True)
    assert _submit(client, world).status_code == 403
