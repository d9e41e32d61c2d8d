"""The staff admin and the officials' own pages: personnummer masked everywhere, reveals audited, scoping, actions.

Acceptance 4 (the views' part): a committee secretary without the right to see personal identity numbers
finds only the masked form (ÅÅMMDD-XXXX) in the person list, the person page, the loan page and the
XLSX/CSV export; a person with protected identity shows nothing but the name; an administrator's
"Show personal identity number" writes a "read" entry on the audit trail.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from insyn.core.models import AuditEntry
from insyn.core.permissions import SYSTEM
from insyn.core.tests.factories import make_user_with_role
from insyn.loans.models import BroadbandStatus, Device, DeviceStatus, Loan, LoanRuleSet, LoanStatus, Receipt
from insyn.loans.services import (
    broadband_request,
    incident_report,
    loan_checkout,
    loan_request_return,
)
from insyn.loans.tests.conftest import HANDOVER, ON, build_pitea, make_kit, make_official
from insyn.officials.models import Person
from insyn.officials.services import person_create

PERSONS = "/admin/officials/persons/"
LOANS = "/admin/loans/loans/"


def valid_personnummer(birth: str, serial: str) -> tuple[str, str, str, str]:
    """(YYYYMMDD-XXXX, YYYYMMDDXXXX, YYMMDD-XXXX, YYMMDDXXXX) of a number with a correct check digit."""
    short = birth[2:] + serial
    total = 0
    for index, char in enumerate(short):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    check = str((10 - total % 10) % 10)
    return f"{birth}-{serial}{check}", f"{birth}{serial}{check}", f"{short[:6]}-{serial}{check}", f"{short}{check}"


PNR = valid_personnummer("19850315", "238")
MASKED = "850315-XXXX"
PROTECTED_PNR = valid_personnummer("19770601", "417")


def assert_masked_only(text: str, forms: tuple[str, ...] = PNR) -> None:
    for form in forms:
        assert form not in text, f"full personnummer {form} shown"


def body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return str(response.content.decode("utf-8", "replace"))


@pytest.fixture(autouse=True)
def _instruction_in_force_today(pitea: Any) -> None:
    """The admin and the official's pages act on today's date: keep 22KS572 in force whatever day the suite runs."""
    LoanRuleSet.objects.filter(pk=pitea.rule_set.pk).update(valid_until=None)


@pytest.fixture
def people(pitea: Any) -> dict[str, Person]:
    anna = person_create(
        actor=SYSTEM,
        municipality=pitea.municipality,
        given_name="Anna",
        family_name="Öberg",
        national_id=PNR[0],
        email="anna.oberg@example.org",
        party="S",
        external_id="pitea-anna",
    )
    hidden = person_create(
        actor=SYSTEM,
        municipality=pitea.municipality,
        given_name="Hemlig",
        family_name="Skyddad",
        national_id=PROTECTED_PNR[0],
        email="skyddad.adress@example.org",
        phone="070-1234567",
        party="Skyddspartiet",
        protected_identity=True,
        external_id="pitea-hidden",
    )
    from insyn.officials.services import membership_create

    for person in (anna, hidden):
        membership_create(actor=SYSTEM, person=person, organisation=pitea.bun, role="ledamot", start_date=ON)
    return {"anna": anna, "hidden": hidden}


@pytest.fixture
def administrator(pitea: Any) -> Any:
    return make_user_with_role(pitea.municipality, "administrator", username="admin.pitea")


def checkout(pitea: Any, kit: Any, person: Person) -> Loan:
    return loan_checkout(actor=pitea.it, kit=kit, person=person, handover=HANDOVER, on=ON)


# --- Acceptance 4: masked everywhere for a secretary ----------------------------------------------


def test_secretary_sees_only_masked_personnummer_in_person_list_and_page(client, pitea, people):
    client.force_login(pitea.secretary)
    listing = body(client.get(PERSONS))
    assert "Anna Öberg" in listing and MASKED in listing
    assert_masked_only(listing)
    page = client.get(f"/admin/officials/person/{people['anna'].pk}/")
    assert page.status_code == 200
    text = body(page)
    assert MASKED in text and "anna.oberg@example.org" in text
    assert_masked_only(text)
    # No right to see it: no button, and posting the action is refused without a read on the trail.
    assert 'value="reveal"' not in text
    refused = client.post(f"/admin/officials/person/{people['anna'].pk}/", {"action": "reveal"})
    assert refused.status_code in {302, 403}  # Wagtail turns PermissionDenied into a redirect with a message
    assert not AuditEntry.objects.filter(action="read", object_id=str(people["anna"].pk)).exists()


def test_secretary_edit_form_never_carries_the_stored_personnummer(client, pitea, people):
    client.force_login(pitea.secretary)
    text = body(client.get(f"{PERSONS}edit/{people['anna'].pk}/"))
    assert MASKED in text  # in the help text of "new personal identity number"
    assert_masked_only(text)


def test_secretary_export_xlsx_and_csv_are_masked(client, pitea, people):
    client.force_login(pitea.secretary)
    response = client.get(f"{PERSONS}?export=xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [str(cell) for row in workbook.active.iter_rows(values_only=True) for cell in row if cell is not None]
    joined = "\n".join(cells)
    assert MASKED in cells
    assert_masked_only(joined)
    assert_masked_only(joined, PROTECTED_PNR)

    rows = list(csv.reader(io.StringIO(body(client.get(f"{PERSONS}?export=csv")))))
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Anna Öberg"][1] == MASKED
    assert_masked_only("\n".join(",".join(row) for row in rows))
    # Protected identity: the name and nothing else.
    hidden_row = by_name["Hemlig Skyddad"]
    assert [value for value in hidden_row[1:] if value not in ("", "ja", "nej", "yes", "no")] == []


def test_protected_identity_shows_only_the_name_to_a_secretary(client, pitea, people):
    client.force_login(pitea.secretary)
    secrets = (*PROTECTED_PNR, "770601-XXXX", "skyddad.adress@example.org", "070-1234567", "Skyddspartiet")
    for url in (PERSONS, f"/admin/officials/person/{people['hidden'].pk}/", f"{PERSONS}?export=csv"):
        text = body(client.get(url))
        assert "Hemlig Skyddad" in text, url
        for secret in secrets:
            assert secret not in text, (url, secret)
    # The edit form offers the name only: no field that would echo what is hidden.
    form = client.get(f"{PERSONS}edit/{people['hidden'].pk}/").context["form"]
    assert set(form.fields) == {"given_name", "family_name"}


def test_loan_page_and_loan_export_show_no_full_personnummer(client, pitea, people):
    kit = make_kit(pitea.municipality, pitea.it)
    loan = checkout(pitea, kit, people["anna"])
    client.force_login(pitea.secretary)
    page = body(client.get(f"/admin/loans/loan/{loan.pk}/"))
    assert "Anna Öberg" in page and MASKED in page
    assert_masked_only(page)
    for fmt in ("csv", "xlsx"):
        response = client.get(f"{LOANS}?export={fmt}")
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        if fmt == "xlsx":
            workbook = openpyxl.load_workbook(io.BytesIO(content))
            content = "\n".join(
                str(c) for r in workbook.active.iter_rows(values_only=True) for c in r if c is not None
            ).encode()
        assert kit.label in content.decode()
        assert_masked_only(content.decode())


# --- Unmasked reads are audited ------------------------------------------------------------------


def test_administrator_reveals_personnummer_and_the_read_is_audited(client, pitea, people, administrator):
    anna = people["anna"]
    client.force_login(administrator)
    page = body(client.get(f"/admin/officials/person/{anna.pk}/"))
    assert MASKED in page and 'value="reveal"' in page
    assert_masked_only(page)
    assert not AuditEntry.objects.filter(action="read", object_id=str(anna.pk)).exists()

    revealed = body(client.post(f"/admin/officials/person/{anna.pk}/", {"action": "reveal"}))
    assert PNR[0] in revealed
    entry = AuditEntry.objects.get(action="read", object_type="officials.person", object_id=str(anna.pk))
    assert entry.actor_id == administrator.pk
    assert entry.changes == {"fields": ["national_id"]}
    # The list and the export stay masked for the administrator too.
    assert_masked_only(body(client.get(PERSONS)))
    assert_masked_only(body(client.get(f"{PERSONS}?export=csv")))


# --- Scoping ---------------------------------------------------------------------------------------


def test_staff_of_another_municipality_get_404(client, pitea, people):
    torsby = build_pitea("Torsby kommun")
    kit = make_kit(pitea.municipality, pitea.it)
    loan = checkout(pitea, kit, people["anna"])
    receipt = Receipt.objects.get(loan=loan)
    incident = incident_report(
        actor=pitea.it, loan=loan, device=kit.devices.get(device_type="case"), kind="lost", occurred_at=timezone.now()
    )
    seen_by_both = (
        f"/admin/loans/loan/{loan.pk}/",
        f"/admin/loans/receipt/{receipt.pk}/pdf/",
        f"/admin/officials/person/{people['anna'].pk}/",
        f"/admin/loans/kits/inspect/{kit.pk}/",
    )
    # Pages each role opens in its own municipality are "not found" in another's.
    urls = {
        torsby.it: (
            *seen_by_both,
            f"/admin/loans/loan/{loan.pk}/return/",
            f"/admin/loans/incident/{incident.pk}/assess/",
        ),
        torsby.secretary: (
            *seen_by_both,
            f"{PERSONS}edit/{people['anna'].pk}/",
            f"/admin/officials/persons/history/{people['anna'].pk}/",
        ),
    }
    for user, pages in urls.items():
        client.force_login(user)
        for url in pages:
            assert client.get(url).status_code == 404, (user, url)
        assert "Anna Öberg" not in body(client.get(PERSONS))
        assert kit.label not in body(client.get(LOANS))
    client.force_login(torsby.it)
    response = client.post("/admin/loans/checkout/", {"kit": kit.pk, "person": people["anna"].pk})
    assert response.status_code == 200 and not Loan.objects.exclude(pk=loan.pk).exists()  # not a choice


def test_person_list_queries_do_not_grow_with_rows(client, pitea, people):
    client.force_login(pitea.secretary)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PERSONS).status_code == 200
        return len(queries)

    before = count()
    for number in range(6):
        make_official(pitea.municipality, [(pitea.bun, "ersattare")], given_name=f"Extra{number}")
    assert count() == before


def test_loan_list_queries_do_not_grow_with_rows(client, pitea, people):
    client.force_login(pitea.it)
    checkout(pitea, make_kit(pitea.municipality, pitea.it), people["anna"])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LOANS).status_code == 200
        return len(queries)

    before = count()
    for number in range(4):
        person = make_official(pitea.municipality, [(pitea.kf, "ledamot")], given_name=f"Extra{number}")
        checkout(pitea, make_kit(pitea.municipality, pitea.it), person)
    assert count() == before


# --- The dashboard ----------------------------------------------------------------------------------


def card(page: str, key: str) -> int:
    match = re.search(rf'id="loan-card-{key}".*?class="loan-count"[^>]*>(\d+)<', page, re.S)
    assert match, key
    return int(match.group(1))


def test_dashboard_panels_count_loans(client, pitea):
    today = timezone.localdate()
    borrowers = [make_official(pitea.municipality, [(pitea.bun, "ledamot")], given_name=f"B{n}") for n in range(4)]
    loans = [checkout(pitea, make_kit(pitea.municipality, pitea.it), person) for person in borrowers]
    loan_request_return(actor=pitea.it, loan=loans[0], requested_on=today - dt.timedelta(days=20))  # overdue
    loan_request_return(actor=pitea.it, loan=loans[1], requested_on=today)  # due within 30 days
    main = Device.objects.get(kit=loans[3].kit, device_type="tablet")
    incident_report(actor=pitea.it, loan=loans[3], device=main, kind="stolen", occurred_at=timezone.now())

    client.force_login(pitea.it)
    page = body(client.get("/admin/"))
    assert (card(page, "on_loan"), card(page, "due_30"), card(page, "overdue"), card(page, "lost_or_stolen")) == (
        3,
        1,
        1,
        1,
    )
    assert "Barn- och utbildningsnämnden" in page  # the chart and its table
    assert re.search(r"<svg[^>]*role=\"img\"", page) and "<table" in page
    # The panel links lead to the same loans in the list.
    listing = client.get(f"{LOANS}?due=overdue")
    assert [loan.pk for loan in listing.context["object_list"]] == [loans[0].pk]


def test_dashboard_panel_is_not_shown_without_loan_rights(client, pitea):
    registrar = make_user_with_role(pitea.municipality, "registrar")
    client.force_login(registrar)
    assert 'id="loan-card-on_loan"' not in body(client.get("/admin/"))


# --- Staff actions through the admin -------------------------------------------------------------------


def test_checkout_in_the_admin_uses_the_service_and_refuses_an_ineligible_official(client, pitea):
    eligible = make_official(pitea.municipality, [(pitea.kf, "ledamot")])
    valnamnd = make_official(pitea.municipality, [(pitea.valnamnd, "ledamot")])
    kit = make_kit(pitea.municipality, pitea.it)
    client.force_login(pitea.it)
    refused = client.post(
        "/admin/loans/checkout/", {"kit": kit.pk, "person": valnamnd.pk, "user_id": "x", "email": "x@example.org"}
    )
    assert refused.status_code == 200
    assert "valnämnd" in body(refused).lower()
    assert not Loan.objects.exists()

    response = client.post(
        "/admin/loans/checkout/",
        {
            "kit": kit.pk,
            "person": eligible.pk,
            "user_id": "pol-1",
            "email": "pol@example.org",
            "meeting_app_login": "on",
        },
    )
    loan = Loan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/loans/loan/{loan.pk}/"
    assert loan.handover == {"user_id": "pol-1", "email": "pol@example.org", "meeting_app_login": True}
    pdf = client.get(f"/admin/loans/receipt/{Receipt.objects.get(loan=loan).pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_return_in_the_admin_needs_the_whole_checklist(client, pitea):
    person = make_official(pitea.municipality, [(pitea.kf, "ledamot")])
    loan = checkout(pitea, make_kit(pitea.municipality, pitea.it), person)
    client.force_login(pitea.it)
    url = f"/admin/loans/loan/{loan.pk}/return/"
    incomplete = client.post(url, {"activation_lock_off": "on", "logged_out": "on", "condition": "ok"})
    assert incomplete.status_code == 200
    assert "all_accessories" in incomplete.context["form"].errors
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACTIVE

    done = client.post(
        url, {"activation_lock_off": "on", "logged_out": "on", "all_accessories": "on", "condition": "Repor"}
    )
    assert done.status_code == 302
    loan.refresh_from_db()
    assert loan.status == LoanStatus.RETURNED and loan.return_checklist["condition"] == "Repor"
    assert set(Device.objects.filter(kit=loan.kit).values_list("status", flat=True)) == {DeviceStatus.IN_STOCK}


def test_secretary_may_look_but_not_act(client, pitea, people):
    loan = checkout(pitea, make_kit(pitea.municipality, pitea.it), people["anna"])
    client.force_login(pitea.secretary)
    page = body(client.get(f"/admin/loans/loan/{loan.pk}/"))
    assert f"/admin/loans/loan/{loan.pk}/return/" not in page
    assert client.get(f"/admin/loans/loan/{loan.pk}/return/").status_code in {302, 403}
    assert client.get("/admin/loans/checkout/").status_code in {302, 403}


# --- The official's own pages ---------------------------------------------------------------------------


def test_self_service_requires_login(client):
    response = client.get("/mina-sidor/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/mina-sidor/"


def test_self_service_shows_only_the_officials_own_loans(client, pitea):
    mine = make_official(pitea.municipality, [(pitea.kf, "ledamot")], given_name="Egen")
    other = make_official(pitea.municipality, [(pitea.bun, "ledamot")], given_name="Annan")
    my_kit = make_kit(pitea.municipality, pitea.it, label="Surfplatta Egen")
    other_kit = make_kit(pitea.municipality, pitea.it, label="Surfplatta Annan")
    my_loan, other_loan = checkout(pitea, my_kit, mine), checkout(pitea, other_kit, other)
    client.force_login(mine.user)
    page = body(client.get("/mina-sidor/"))
    assert "Surfplatta Egen" in page and "Kommunfullmäktige" in page
    assert "Surfplatta Annan" not in page and "Barn- och utbildningsnämnden" not in page
    other_receipt = Receipt.objects.get(loan=other_loan)
    for url in (
        f"/mina-sidor/kvitton/{other_receipt.pk}/pdf/",
        f"/mina-sidor/lan/{other_loan.pk}/forlust/",
        f"/mina-sidor/lan/{other_loan.pk}/bredband/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/mina-sidor/kvitton/{other_receipt.pk}/godkann/", {"confirm": "on"}).status_code == 404
    my_receipt = Receipt.objects.get(loan=my_loan)
    pdf = client.get(f"/mina-sidor/kvitton/{my_receipt.pk}/pdf/")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_staff_who_also_borrow_see_only_their_own_loan_on_their_pages(client, pitea):
    staff_person = make_official(pitea.municipality, [(pitea.kf, "ledamot")], given_name="Personal")
    from insyn.core.services.organisations import role_assign

    role_assign(actor=SYSTEM, user=staff_person.user, organisation=pitea.municipality, role_code="it")
    other = make_official(pitea.municipality, [(pitea.bun, "ledamot")])
    checkout(pitea, make_kit(pitea.municipality, pitea.it, label="Surfplatta Personal"), staff_person)
    checkout(pitea, make_kit(pitea.municipality, pitea.it, label="Surfplatta Övrig"), other)
    client.force_login(staff_person.user)
    page = body(client.get("/mina-sidor/"))
    assert "Surfplatta Personal" in page and "Surfplatta Övrig" not in page


def test_official_accepts_receipt_and_reports_loss_on_their_pages(client, pitea):
    person = make_official(pitea.municipality, [(pitea.kf, "ledamot")])
    loan = checkout(pitea, make_kit(pitea.municipality, pitea.it), person)
    receipt = Receipt.objects.get(loan=loan)
    client.force_login(person.user)
    unticked = client.post(f"/mina-sidor/kvitton/{receipt.pk}/godkann/", {})
    assert unticked.status_code == 302
    receipt.refresh_from_db()
    assert receipt.accepted_at is None
    client.post(f"/mina-sidor/kvitton/{receipt.pk}/godkann/", {"confirm": "on"})
    receipt.refresh_from_db()
    assert receipt.accepted_at is not None and receipt.accepted_by_id == person.user_id

    tablet = Device.objects.get(kit=loan.kit, device_type="tablet")
    response = client.post(
        f"/mina-sidor/lan/{loan.pk}/forlust/",
        {"device": tablet.pk, "kind": "lost", "occurred_at": "2025-03-04T18:30", "place": "Tåget"},
    )
    assert response.status_code == 302
    tablet.refresh_from_db()
    loan.refresh_from_db()
    assert tablet.status == DeviceStatus.LOST and loan.status == LoanStatus.LOST
    # A closed loan offers no more actions.
    assert client.get(f"/mina-sidor/lan/{loan.pk}/forlust/").status_code == 404


def test_broadband_is_asked_for_by_the_official_and_decided_by_the_chair(client, pitea):
    member = make_official(pitea.municipality, [(pitea.bun, "ledamot")], given_name="Ledamot")
    chair = make_official(pitea.municipality, [(pitea.bun, "ordforande")], given_name="Ordförande")
    loan = checkout(pitea, make_kit(pitea.municipality, pitea.it), member)
    client.force_login(member.user)
    response = client.post(f"/mina-sidor/lan/{loan.pk}/bredband/", {"reason": "travel", "motivation": "Resor"})
    assert response.status_code == 302
    request = loan.broadband_requests.get()
    assert request.status == BroadbandStatus.REQUESTED
    # The member cannot decide their own request; the chair of their organ can.
    assert client.get(f"/mina-sidor/bredband/{request.pk}/beslut/").status_code == 404
    client.force_login(chair.user)
    assert member.name in body(client.get("/mina-sidor/"))  # among the requests to decide
    missing = client.post(f"/mina-sidor/bredband/{request.pk}/beslut/", {"approve": "yes"})
    assert missing.status_code == 200 and missing.context["form"].non_field_errors()
    client.post(f"/mina-sidor/bredband/{request.pk}/beslut/", {"approve": "yes", "monthly_allowance_gb": "20"})
    request.refresh_from_db()
    assert request.status == BroadbandStatus.APPROVED and request.monthly_allowance_gb == 20
    assert request.decided_by == chair


def test_the_chair_of_the_council_does_not_decide_on_broadband(client, pitea):
    # 22KS572: the chair of a nämnd or a company board decides; kommunfullmäktige's chair does not.
    member = make_official(pitea.municipality, [(pitea.kf, "ledamot")])
    council_chair = make_official(pitea.municipality, [(pitea.kf, "ordforande")])
    loan = checkout(pitea, make_kit(pitea.municipality, pitea.it), member)
    request = broadband_request(actor=member.user, loan=loan, reason="travel")
    client.force_login(council_chair.user)
    assert client.get(f"/mina-sidor/bredband/{request.pk}/beslut/").status_code == 404
    assert client.get("/mina-sidor/").context["to_decide"] == []


def test_a_chair_does_not_see_their_own_request_to_decide(client, pitea):
    chair = make_official(pitea.municipality, [(pitea.bun, "ordforande")])
    loan = checkout(pitea, make_kit(pitea.municipality, pitea.it), chair)
    request = broadband_request(actor=chair.user, loan=loan, reason="no_wifi")
    client.force_login(chair.user)
    assert client.get(f"/mina-sidor/bredband/{request.pk}/beslut/").status_code == 404


def test_login_without_an_official_gets_a_friendly_page(client, pitea):
    client.force_login(pitea.it)
    response = client.get("/mina-sidor/")
    assert response.status_code == 200 and response.context["person"] is None


# --- Creating through the admin goes through the services --------------------------------------------


def test_secretary_adds_a_person_and_a_membership_in_the_admin(client, pitea):
    # A secretary whose role covers one organ may not create a municipality's person: no "Add" for them.
    client.force_login(pitea.secretary)
    assert f'href="{PERSONS}new/"' not in body(client.get(PERSONS))
    secretary = make_user_with_role(pitea.municipality, "secretary", username="sekreterare.kommun")
    client.force_login(secretary)
    assert f'href="{PERSONS}new/"' in body(client.get(PERSONS))
    form = client.get(f"{PERSONS}new/").context["form"]
    assert form.fields["municipality"].widget.is_hidden  # one municipality: no choice to make
    response = client.post(
        f"{PERSONS}new/",
        {
            "municipality": pitea.municipality.pk,
            "given_name": "Nils",
            "family_name": "Åström",
            "national_id": PNR[3],  # typed without century or dash: stored normalised
            "email": "nils@example.org",
        },
    )
    person = Person.objects.get(family_name="Åström")
    assert response.status_code == 302 and response["Location"] == f"/admin/officials/person/{person.pk}/"
    assert person.national_id == PNR[0]
    assert AuditEntry.objects.filter(object_type="officials.person", object_id=str(person.pk), action="create")

    response = client.post(
        "/admin/officials/memberships/new/",
        {"person": person.pk, "organisation": pitea.bun.pk, "role": "ersattare", "start_date": "2023-01-01"},
    )
    assert response.status_code == 302
    assert person.memberships.get().organisation == pitea.bun


def test_it_registers_devices_and_a_kit_in_the_admin(client, pitea):
    client.force_login(pitea.it)
    for device_type, serial in (("tablet", "DMPX001"), ("charger", "CHGX001")):
        response = client.post(
            "/admin/loans/devices/new/",
            {"municipality": pitea.municipality.pk, "device_type": device_type, "serial_number": serial},
        )
        assert response.status_code == 302, response.context["form"].errors
    devices = list(Device.objects.filter(serial_number__in=["DMPX001", "CHGX001"]))
    response = client.post(
        "/admin/loans/kits/new/",
        {
            "municipality": pitea.municipality.pk,
            "label": "Surfplatta 99",
            "kind": "tablet",
            "devices": [d.pk for d in devices],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert {d.kit.label for d in Device.objects.filter(pk__in=[d.pk for d in devices])} == {"Surfplatta 99"}
    # No service edits or deletes a device in place: those generic pages are not there.
    assert client.get(f"/admin/loans/devices/edit/{devices[0].pk}/").status_code == 404
    assert client.get(f"/admin/loans/devices/delete/{devices[0].pk}/").status_code == 404
