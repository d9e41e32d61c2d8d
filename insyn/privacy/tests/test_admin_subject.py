"""The DPO's subject search in the admin, and its blocks on a request's page (issue 10, items 9, 10 and 14).

Piteå kommun as the subject-search tests build it (`test_subject_search.build_world`): an official with a
verified personnummer, memberships, a login and an open loan with its receipt; Kommunstyrelsen's register
links them to two activities (Art. 6(1)(e) with Kommunallagen, and 6(1)(b)). Luleå has a twin with the same
personnummer, which a Piteå search must never show.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.users.models import UserProfile

from insyn.core.models import RoleAssignment
from insyn.core.models.audit import AuditEntry
from insyn.core.tests.factories import make_user_with_role
from insyn.privacy.models import ProcessingRestriction, SubjectExtract, SubjectRequest
from insyn.privacy.services.erasure import restriction_execute
from insyn.privacy.tests.test_subject_search import PNR, build_world

URL = "/admin/privacy/subject-search/"
MASKED = "811218-XXXX"


@pytest.fixture
def world(db: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    found = build_world(settings, tmp_path)
    pitea = found["pitea"]
    found["registrar"] = make_user_with_role(pitea.ks, "registrar", username="registrator.pitea")
    found["lulea_dpo"] = make_user_with_role(found["other"].municipality, "dpo", username="dpo.lulea")
    return found


def _search(client: Any, world: dict[str, Any], action: str = "search", **data: Any) -> Any:
    payload = {"action": action, "municipality": world["pitea"].municipality.pk, "national_id": PNR, **data}
    return client.post(URL, payload)


def _request(world: dict[str, Any], kind: str) -> SubjectRequest:
    person = world["person"]
    return SubjectRequest.objects.create(
        controller=world["pitea"].ks,
        reference=f"DSR-2025-{kind}",
        kind=kind,
        channel="staff",
        received_at=timezone.now(),
        due_on=timezone.localdate() + dt.timedelta(days=30),
        name=person.name,
        email=person.email,
        national_id=PNR,
        identity_status="verified",
    )


def _refused(response: Any) -> bool:
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard (as for the other privacy pages)."""
    return bool(response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/"))


def _in_english(user: Any) -> None:
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()


def _searches(municipality_id: int) -> int:
    return AuditEntry.objects.filter(object_type="privacy.subjectsearch", organisation_id=municipality_id).count()


def test_search_finds_the_official_grouped_by_module_with_each_activitys_legal_basis(
    client: Any, world: dict[str, Any]
) -> None:
    person, loan = world["person"], world["loan"]
    client.force_login(world["dpo"])
    assert client.get(URL).status_code == 200
    before = _searches(world["pitea"].municipality.pk)
    response = _search(client, world)
    page = response.content.decode()
    assert response.status_code == 200
    for module in ("officials", "loans", "core"):
        assert f'data-module="{module}"' in page
    assert f'data-model="officials.person" data-object="{person.pk}"' in page
    assert f'data-model="loans.loan" data-object="{loan.pk}"' in page
    assert f'data-model="officials.person" data-object="{world["twin"].pk}"' not in page  # Luleå's twin
    assert 'data-article="6.1.e"' in page and "Kommunallagen (2017:725)" in page
    assert 'data-article="6.1.b"' in page
    assert "Administrera förtroendeuppdrag" in page and "Gallras 2 år efter återlämnande" in page
    assert _searches(world["pitea"].municipality.pk) == before + 1  # the search service audited it


def test_extract_button_makes_two_files_that_download(client: Any, world: dict[str, Any]) -> None:
    client.force_login(world["dpo"])
    page = _search(client, world, action="extract").content.decode()
    extracts = list(SubjectExtract.objects.order_by("format"))
    assert [e.format for e in extracts] == ["json", "pdf"]
    for extract in extracts:
        url = f"/integritet/utdrag/{extract.pk}/fil/"
        assert url in page
        response = client.get(url)
        assert response.status_code == 200 and response["Cache-Control"] == "no-store"
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if extract.format == "pdf":
            assert content.startswith(b"%PDF")
        else:
            assert json.loads(content)
    client.force_login(world["lulea_dpo"])
    assert client.get(f"/integritet/utdrag/{extracts[0].pk}/fil/").status_code == 404


def test_registrar_without_the_right_is_refused_and_not_shown_the_menu(client: Any, world: dict[str, Any]) -> None:
    client.force_login(world["registrar"])
    before = _searches(world["pitea"].municipality.pk)
    assert _refused(client.get(URL))
    assert _refused(_search(client, world))
    assert URL not in client.get("/admin/").content.decode()
    assert _searches(world["pitea"].municipality.pk) == before
    client.force_login(world["dpo"])
    assert URL in client.get("/admin/").content.decode()


def test_another_municipalitys_dpo_cannot_search_pitea(client: Any, world: dict[str, Any]) -> None:
    client.force_login(world["lulea_dpo"])
    page = client.get(URL).content.decode()
    assert "Luleå kommun" in page and "Piteå kommun" not in page
    before = _searches(world["pitea"].municipality.pk)
    page = _search(client, world).content.decode()
    assert 'id="subject-results"' not in page and world["person"].family_name not in page
    assert _searches(world["pitea"].municipality.pk) == before
    subject_request = _request(world, "erasure")
    response = client.post(URL, {"action": "prefill", "request": subject_request.pk})
    assert response.status_code == 404


def test_the_personnummer_is_never_in_a_url_and_masked_for_whoever_may_not_see_it(
    client: Any, world: dict[str, Any]
) -> None:
    pitea = world["pitea"]
    client.force_login(world["dpo"])
    before = _searches(pitea.municipality.pk)
    # A GET with the query in the URL does not search (and shows nothing of it).
    page = client.get(URL, {"national_id": PNR, "municipality": pitea.municipality.pk}).content.decode()
    assert PNR not in page and _searches(pitea.municipality.pk) == before
    page = _search(client, world).content.decode()
    assert 'method="post"' in page and "?" not in page.split('id="subject-search-form"')[0].rsplit("action=", 1)[1]
    assert PNR in page  # the DPO may see national ids: the hit shows it whole

    # A login with the search right but not the right to see national ids: the hits mask it, the form forgets it.
    searcher = make_user_with_role(pitea.ks, "registrar", username="sokare.pitea")
    group = Group.objects.create(name="Subject search only")
    group.permissions.add(Permission.objects.get(content_type__app_label="privacy", codename="view_subject_data"))
    RoleAssignment.objects.create(user=searcher, organisation=pitea.municipality, role=group)
    client.force_login(searcher)
    response = _search(client, world)
    page = response.content.decode()
    assert response.status_code == 200 and 'id="subject-results"' in page
    assert MASKED in page and PNR not in page and PNR.replace("-", "") not in page
    for entry in AuditEntry.objects.filter(object_type="privacy.subjectsearch"):
        assert "9876" not in json.dumps(entry.changes)


def test_request_page_shows_the_erasure_plan_and_opens_the_search_by_post(client: Any, world: dict[str, Any]) -> None:
    subject_request = _request(world, "erasure")
    url = f"/admin/privacy/requests/{subject_request.pk}/"
    client.force_login(world["dpo"])
    page = client.get(url).content.decode()
    assert 'id="erasure-plan"' in page
    assert 'data-reason-code="open_loan"' in page  # the open loan keeps the borrower's data, item by item
    assert 'data-outcome="kept"' in page
    assert not subject_request.erasure_items.exists()  # a dry run: nothing carried out
    # The search button posts the request's id, never the personnummer in a URL.
    assert 'name="action" value="prefill"' in page and f'name="request" value="{subject_request.pk}"' in page
    page = client.post(URL, {"action": "prefill", "request": subject_request.pk}).content.decode()
    assert f'value="{PNR}"' in page and world["person"].email in page
    page = _search(client, world, action="extract", request=subject_request.pk).content.decode()
    assert SubjectExtract.objects.filter(request=subject_request).count() == 2

    client.force_login(world["registrar"])  # may handle requests, may not see subject data
    page = client.get(url).content.decode()
    assert 'id="erasure-plan"' not in page and 'value="prefill"' not in page and PNR not in page


def test_lifting_a_restriction_needs_a_reason_and_the_right(client: Any, world: dict[str, Any]) -> None:
    subject_request = _request(world, "restriction")
    restrictions = restriction_execute(actor=world["dpo"], request=subject_request)
    assert restrictions
    target = restrictions[0]
    url = f"/admin/privacy/requests/{subject_request.pk}/lift-restriction/"
    _in_english(world["dpo"])
    client.force_login(world["dpo"])
    page = client.get(f"/admin/privacy/requests/{subject_request.pk}/").content.decode()
    assert f'data-restriction="{target.pk}"' in page and "Lift the restriction" in page
    response = client.post(url, {"lift-restriction": target.pk, "lift-reason": "  "}, follow=True)
    assert "Give the reason for lifting the restriction." in response.content.decode()
    assert ProcessingRestriction.objects.get(pk=target.pk).lifted_at is None

    client.force_login(world["registrar"])  # no privacy.erase_subject_data
    response = client.post(url, {"lift-restriction": target.pk, "lift-reason": "Klart"})
    assert _refused(response) or response.status_code == 404  # the service: no right to subject data at all
    client.force_login(world["lulea_dpo"])
    assert client.post(url, {"lift-restriction": target.pk, "lift-reason": "Klart"}).status_code == 404
    assert ProcessingRestriction.objects.get(pk=target.pk).lifted_at is None

    client.force_login(world["dpo"])
    response = client.post(url, {"lift-restriction": target.pk, "lift-reason": "Uppgifterna har kontrollerats"})
    assert response.status_code == 302
    lifted = ProcessingRestriction.objects.get(pk=target.pk)
    assert lifted.lifted_at is not None
    entry = (
        AuditEntry.objects.filter(object_type="privacy.processingrestriction", object_id=str(target.pk))
        .order_by("pk")
        .last()
    )
    assert entry is not None and entry.reason == "Uppgifterna har kontrollerats"
