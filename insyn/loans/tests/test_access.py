"""Reads through access helpers: one answer for "no such id" and "not yours"; who decides before what state.

Also the doors that moved into loans: the eligibility API, the person page's loans panel (a hook of
officials' page), the return checklist that follows the device type, and the logout of "Mina sidor".
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone, translation
from wagtail.models import APIToken

from insyn.core.exceptions import NotFoundError, ValidationFailed
from insyn.core.models import AuditEntry
from insyn.core.tests.factories import UserFactory, make_user_with_role
from insyn.loans import selectors
from insyn.loans.models import BroadbandStatus, Loan, LoanRuleSet, LoanStatus
from insyn.loans.services import broadband_decide, broadband_request, incident_report, loan_checkout, loan_return
from insyn.loans.tests.conftest import HANDOVER, Pitea, build_pitea, make_kit, make_official

NO_FIND_MY = {"logged_out": True, "all_accessories": True, "condition": "ok"}


def bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {APIToken.create_token(user=user, name='t')[1]}"}


def post_json(client: Any, url: str, payload: dict[str, Any], user: Any) -> Any:
    return client.post(url, data=json.dumps(payload), content_type="application/json", **bearer(user))


@pytest.fixture(autouse=True)
def _instruction_in_force_today(pitea: Pitea) -> None:
    """The API and the admin act on today's date: keep 22KS572 in force whatever day the suite runs."""
    LoanRuleSet.objects.filter(pk=pitea.rule_set.pk).update(valid_until=None)


@pytest.fixture
def borrower(pitea: Pitea) -> Any:
    return make_official(pitea.municipality, [(pitea.bun, "ledamot")], given_name="Maria")


@pytest.fixture
def loan(pitea: Pitea, borrower: Any) -> Loan:
    return loan_checkout(actor=pitea.it, kit=make_kit(pitea.municipality, pitea.it), person=borrower, handover=HANDOVER)


@pytest.fixture
def torsby(db: Any) -> Pitea:
    return build_pitea("Torsby kommun")


# --- Access helpers -------------------------------------------------------------------------------------------


def test_access_helpers_give_one_error_for_missing_and_not_yours(pitea: Pitea, torsby: Pitea, loan: Loan) -> None:
    receipt = loan.receipts.get()
    device = loan.kit.devices.first()
    incident = incident_report(
        actor=pitea.it, loan=loan, device=device, kind="lost", occurred_at=timezone.now() - dt.timedelta(hours=1)
    )
    cases = [
        (selectors.access_loan, loan.pk),
        (selectors.access_kit, loan.kit_id),
        (selectors.access_device, device.pk),
        (selectors.access_incident, incident.pk),
        (selectors.access_receipt, receipt.pk),
    ]
    with translation.override("en"):
        for access, pk in cases:
            assert access(actor=pitea.it, pk=pk).pk == pk
            with pytest.raises(NotFoundError) as not_yours:
                access(actor=torsby.it, pk=pk)
            with pytest.raises(NotFoundError) as missing:
                access(actor=torsby.it, pk=pk + 10_000)
            with pytest.raises(NotFoundError) as bad_id:
                access(actor=pitea.it, pk="x")
            assert str(not_yours.value.message) == str(missing.value.message) == str(bad_id.value.message)


# --- Broadband: scoped, then permission before state --------------------------------------------------------


def test_broadband_decision_never_tells_an_outsider_that_the_id_exists(
    client: Any, pitea: Pitea, torsby: Pitea, borrower: Any, loan: Loan
) -> None:
    chair = make_official(pitea.municipality, [(pitea.bun, "ordforande")], given_name="Ordf")
    request = broadband_request(actor=borrower.user, loan=loan, reason="travel")
    decided = broadband_decide(actor=chair.user, request=request, approve=True, monthly_allowance_gb=20)
    about_it = AuditEntry.objects.filter(object_type="loans.broadbandrequest", object_id=str(request.pk))
    entries = about_it.count()
    url = f"/api/v1/loans/broadband/{request.pk}/decide"
    payload = {"approve": False}

    outsiders = {
        "another municipality's IT": (torsby.it, 404),
        "a login without any role": (UserFactory(username="nobody"), 404),
        "the secretary, who sees but does not decide": (pitea.secretary, 403),
        "the borrower, who asked": (borrower.user, 404),
    }
    for who, (user, expected) in outsiders.items():
        answer = post_json(client, url, payload, user)
        assert answer.status_code == expected, (who, answer.content)
        # The same answer as for an id that does not exist: nothing tells the two apart.
        if expected == 404:
            missing = post_json(client, f"/api/v1/loans/broadband/{request.pk + 1000}/decide", payload, user)
            assert (missing.status_code, missing.json()) == (404, answer.json())

    request.refresh_from_db()
    assert (request.status, request.decided_by_id, request.decided_at) == (
        BroadbandStatus.APPROVED,
        chair.pk,
        decided.decided_at,
    )
    assert about_it.count() == entries  # (creating the API tokens is audited; nothing about the request)
    # The chair, who may decide, learns that it is decided already.
    assert post_json(client, url, payload, chair.user).status_code == 409


# --- Eligibility API --------------------------------------------------------------------------------------------


def test_eligibility_api_answers_for_the_actors_municipality_only(
    client: Any, pitea: Pitea, torsby: Pitea, borrower: Any
) -> None:
    on = timezone.localdate()
    url = f"/api/v1/loans/persons/{borrower.pk}/eligibility?on={on.isoformat()}"

    answer = client.get(url, **bearer(pitea.it))

    expected, _rules = selectors.person_eligibility(person=borrower, on=on)
    assert answer.status_code == 200 and answer.json() == expected.to_dict()
    assert answer.json()["eligible"] is True and answer.json()["devices"] == ["tablet"]
    assert client.get(url, **bearer(torsby.it)).status_code == 404
    assert client.get(f"/api/v1/loans/persons/{borrower.pk + 1000}/eligibility", **bearer(pitea.it)).status_code == 404


# --- The person page's loans panel -------------------------------------------------------------------------------


def test_person_page_shows_loans_panel_to_staff_who_see_loans(client: Any, pitea: Pitea, loan: Loan) -> None:
    url = f"/admin/officials/person/{loan.person_id}/"
    lend = f"/admin/loans/checkout/?person={loan.person_id}"
    loan_link = f"/admin/loans/loan/{loan.pk}/"
    dpo = make_user_with_role(pitea.municipality, "dpo", username="dpo.pitea")

    with translation.override("en"):
        client.force_login(pitea.it)
        it_page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        client.force_login(pitea.secretary)
        secretary_page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        client.force_login(dpo)
        dpo_page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert loan_link in it_page and lend in it_page and 'id="loans-person-panel-heading"' in it_page
    assert loan_link in secretary_page and lend not in secretary_page  # may look, may not lend
    assert 'id="loans-person-panel-heading"' not in dpo_page and loan_link not in dpo_page


# --- The return checklist follows the device type --------------------------------------------------------------


def test_laptop_return_asks_no_find_my_and_a_tablet_return_does(pitea: Pitea) -> None:
    chair = make_official(pitea.municipality, [(pitea.bun, "ordforande")])
    laptop = loan_checkout(
        actor=pitea.it, kit=make_kit(pitea.municipality, pitea.it, "computer"), person=chair, handover=HANDOVER
    )
    tablet = loan_checkout(
        actor=pitea.it, kit=make_kit(pitea.municipality, pitea.it, "tablet"), person=chair, handover=HANDOVER
    )
    assert selectors.loan_return_checklist(loan=laptop) == ("logged_out", "all_accessories")
    assert selectors.loan_return_checklist(loan=tablet) == ("activation_lock_off", "logged_out", "all_accessories")

    with pytest.raises(ValidationFailed) as refused:
        loan_return(actor=pitea.it, loan=tablet, checklist=NO_FIND_MY)
    assert refused.value.detail == {"missing": ["activation_lock_off"]}

    returned = loan_return(actor=pitea.it, loan=laptop, checklist=NO_FIND_MY)
    assert returned.status == LoanStatus.RETURNED
    assert returned.return_checklist == {"logged_out": True, "all_accessories": True, "condition": "ok"}


def test_return_form_shows_one_sentence_and_each_error_by_its_field(client: Any, pitea: Pitea) -> None:
    chair = make_official(pitea.municipality, [(pitea.bun, "ordforande")])
    laptop = loan_checkout(
        actor=pitea.it, kit=make_kit(pitea.municipality, pitea.it, "computer"), person=chair, handover=HANDOVER
    )
    client.force_login(pitea.it)
    url = f"/admin/loans/loan/{laptop.pk}/return/"

    with translation.override("en"):
        form_page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        refused = client.post(url, {"condition": "ok"}, HTTP_ACCEPT_LANGUAGE="en")
    page = refused.content.decode()

    assert 'name="activation_lock_off"' not in form_page and "Find My" not in form_page
    assert refused.status_code == 200
    form = refused.context["form"]
    assert form.non_field_errors() == [
        "The return checklist is not complete: tick every item before the kit is taken back."
    ]
    assert set(form.errors) == {"__all__", "logged_out", "all_accessories"}
    assert page.count("The return checklist is not complete") == 1
    assert page.count("Required before the kit is taken back.") == 2
    assert "activation_lock_off" not in page and "logged_out, all_accessories" not in page
    laptop.refresh_from_db()
    assert laptop.status == LoanStatus.ACTIVE


def test_api_return_of_a_laptop_needs_no_find_my(client: Any, pitea: Pitea) -> None:
    chair = make_official(pitea.municipality, [(pitea.bun, "ordforande")])
    laptop = loan_checkout(
        actor=pitea.it, kit=make_kit(pitea.municipality, pitea.it, "computer"), person=chair, handover=HANDOVER
    )
    tablet = loan_checkout(
        actor=pitea.it, kit=make_kit(pitea.municipality, pitea.it, "tablet"), person=chair, handover=HANDOVER
    )
    body = {"logged_out": True, "all_accessories": True}

    refused = post_json(client, f"/api/v1/loans/loans/{tablet.pk}/return", body, pitea.it)
    done = post_json(client, f"/api/v1/loans/loans/{laptop.pk}/return", body, pitea.it)

    assert refused.status_code == 400 and refused.json()["detail"] == {"missing": ["activation_lock_off"]}
    assert done.status_code == 200 and done.json()["status"] == LoanStatus.RETURNED


# --- Mina sidor: log out ---------------------------------------------------------------------------------------


def test_my_pages_log_out_is_a_post_with_csrf(client: Any, pitea: Pitea, borrower: Any) -> None:
    client.force_login(borrower.user)
    with translation.override("en"):
        page = client.get("/mina-sidor/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'action="/mina-sidor/logga-ut/"' in page and 'name="csrfmiddlewaretoken"' in page

    assert client.get("/mina-sidor/logga-ut/").status_code == 405  # a link or a prefetch never logs out
    assert client.get("/mina-sidor/").status_code == 200

    logged_out = client.post("/mina-sidor/logga-ut/")

    assert logged_out.status_code == 302
    after = client.get("/mina-sidor/")
    assert after.status_code == 302 and "/login/" in after["Location"]


def test_checkout_form_tells_namesakes_apart_by_their_organs(client: Any, pitea: Pitea) -> None:
    kf = make_official(pitea.municipality, [(pitea.kf, "ledamot")], given_name="Eva", family_name="Berg")
    bun = make_official(pitea.municipality, [(pitea.bun, "ledamot")], given_name="Eva", family_name="Berg")
    client.force_login(pitea.it)

    form = client.get("/admin/loans/checkout/").context["form"]

    labels = dict(form.fields["person"].choices)
    assert labels[kf.pk] == "Eva Berg (Kommunfullmäktige)"
    assert labels[bun.pk] == "Eva Berg (Barn- och utbildningsnämnden)"
