"""Acceptance 2: a loan through the browser, from checkout to loss, and from checkout to return after the term ends.

1. Staff lend a tablet in the admin and download the receipt PDF; the official logs in to their own pages,
   accepts the receipt and reports the tablet lost; staff try to lend the kit again and are refused.
2. A kit is lent; the committee secretary ends the borrower's membership in the admin; the loan page shows
   the new due date (end + 14 days), the reminder e-mail goes out on that day; staff take the kit back
   with the checklist of instruction 22KS572 and the loan shows returned.

Every page visited, in the admin and on the official's pages, passes axe-core WCAG 2.1 A/AA (acceptance 6).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from insyn.loans.models import Device, DeviceStatus, Loan, LoanRuleSet, LoanStatus, Receipt
from insyn.loans.services import incident_report, loan_checkout, loan_request_return, loans_send_reminders
from insyn.loans.tests.conftest import HANDOVER, Pitea, build_pitea, make_kit, make_official
from insyn.officials.models import Membership, Person
from tests.e2e.accessibility import assert_no_axe_violations
from tests.e2e.support import PASSWORD, log_in, save_screenshot

pytestmark = pytest.mark.e2e
# The form of a page of "Mina sidor", not the "Log out" form every one of them carries.
OWN_PAGE_SUBMIT = "main form:not(.logout) button[type=submit]"


@dataclass
class Lending:
    pitea: Pitea
    borrower: Person


def with_password(user: Any) -> Any:
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def lending(transactional_db: Any, settings: Any, tmp_path: Any) -> Lending:
    settings.MEDIA_ROOT = tmp_path / "media"  # receipt PDFs
    pitea = build_pitea()
    # The pages act on today's date: keep the instruction in force whatever day the suite runs.
    LoanRuleSet.objects.filter(pk=pitea.rule_set.pk).update(valid_until=None)
    for user in (pitea.it, pitea.secretary):
        with_password(user)
    borrower = make_official(pitea.municipality, [(pitea.bun, "ledamot")], given_name="Karin", family_name="Lindberg")
    with_password(borrower.user)
    return Lending(pitea, borrower)


def log_in_to_own_pages(page: Page, user: Any) -> None:
    """An official follows a link to their pages and logs in on the admin's login form, which sends them back."""
    page.context.clear_cookies()
    page.goto("/mina-sidor/")
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/mina-sidor/$"))
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/mina-sidor/")


def log_in_as_staff(page: Page, user: Any) -> None:
    page.context.clear_cookies()
    log_in(page, user)


def more_loans_for_the_dashboard(pitea: Pitea) -> None:
    """A few loans across organs (one overdue, one stolen), so that the panels and the chart have something to say."""
    today = timezone.localdate()
    loans = []
    for given, family, organ, role in [
        ("Erik", "Nilsson", pitea.kf, "ledamot"),
        ("Maria", "Öberg", pitea.kf, "ersattare"),
        ("Lars", "Holmgren", pitea.ks, "ledamot"),
        ("Eva", "Burman", pitea.bolag, "ledamot"),
        ("Per", "Wikström", pitea.bun, "ersattare"),
    ]:
        person = make_official(
            pitea.municipality, [(organ, role)], given_name=given, family_name=family, with_user=False
        )
        kit = make_kit(pitea.municipality, pitea.it)
        loans.append(loan_checkout(actor=pitea.it, kit=kit, person=person, handover=HANDOVER))
    loan_request_return(actor=pitea.it, loan=loans[0], requested_on=today - dt.timedelta(days=20))
    loan_request_return(actor=pitea.it, loan=loans[1], requested_on=today - dt.timedelta(days=2))
    tablet = Device.objects.get(kit=loans[3].kit, device_type="tablet")
    incident_report(actor=pitea.it, loan=loans[3], device=tablet, kind="stolen", occurred_at=timezone.now())


def test_checkout_receipt_loss_and_the_lost_tablet_cannot_be_lent(page: Page, lending: Lending) -> None:
    pitea, borrower = lending.pitea, lending.borrower
    kit = make_kit(pitea.municipality, pitea.it, label="Surfplatta 07")
    more_loans_for_the_dashboard(pitea)

    # Staff: the dashboard's loan panels, then the checkout.
    log_in_as_staff(page, pitea.it)
    panel = page.locator("#loans-dashboard-section")
    expect(panel.locator("#loan-card-on_loan .loan-count")).to_have_text("4")
    expect(panel.locator("#loan-card-overdue .loan-count")).to_have_text("1")
    expect(panel.locator("#loan-card-lost_or_stolen .loan-count")).to_have_text("1")
    expect(panel.locator("svg[role=img]")).to_be_visible()
    assert_no_axe_violations(page)
    save_screenshot(page, "loans-dashboard.png")

    page.goto("/admin/loans/checkout/")
    assert_no_axe_violations(page)
    page.select_option("#id_kit", value=str(kit.pk))
    page.select_option("#id_person", value=str(borrower.pk))
    page.fill("#id_user_id", "pol-karin")
    page.fill("#id_email", "karin.lindberg@pitea.se")
    page.check("#id_meeting_app_login")
    page.get_by_role("button", name=re.compile("Lend|Låna ut")).click()
    loan = Loan.objects.get(kit=kit)
    expect(page).to_have_url(re.compile(rf"/admin/loans/loan/{loan.pk}/$"))
    expect(page.locator("#loan-status")).to_have_text(str(LoanStatus.ACTIVE.label))
    assert_no_axe_violations(page)

    # The receipt PDF, as staff download it from the loan page.
    href = page.locator("#receipts a").first.get_attribute("href")
    assert href is not None
    pdf = page.request.get(href)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # The official: their own pages, the receipt accepted, the tablet reported lost.
    log_in_to_own_pages(page, borrower.user)
    expect(page.locator("main")).to_contain_text("Surfplatta 07")
    assert_no_axe_violations(page)
    save_screenshot(page, "self-service.png")
    receipt = Receipt.objects.get(loan=loan, kind="checkout")
    own_pdf = page.request.get(f"/mina-sidor/kvitton/{receipt.pk}/pdf/")
    assert own_pdf.ok and own_pdf.body().startswith(b"%PDF")
    page.check(f"#confirm-{receipt.pk}")
    page.locator("form.accept button").click()
    expect(page.locator("[role=status]")).to_be_visible()
    receipt.refresh_from_db()
    assert receipt.accepted_at is not None and receipt.accepted_by_id == borrower.user_id
    assert_no_axe_violations(page)

    page.locator(f"a[href='/mina-sidor/lan/{loan.pk}/forlust/']").click()
    expect(page).to_have_url(re.compile(rf"/mina-sidor/lan/{loan.pk}/forlust/$"))
    assert_no_axe_violations(page)
    tablet = Device.objects.get(kit=kit, device_type="tablet")
    expect(page.locator("#id_device")).to_have_value(str(tablet.pk))  # the tablet itself comes first
    page.check("#id_kind_0")  # lost
    page.fill("#id_place", "Tåget Luleå–Piteå")
    page.get_by_role("button", name=re.compile("Report|Anmäl|Rapportera")).click()
    page.wait_for_url("**/mina-sidor/")
    assert_no_axe_violations(page)
    tablet.refresh_from_db()
    loan.refresh_from_db()
    assert tablet.status == DeviceStatus.LOST
    assert loan.status == LoanStatus.LOST

    # Staff try to lend the kit again: refused, with the reason.
    log_in_as_staff(page, pitea.it)
    page.goto("/admin/loans/checkout/")
    page.select_option("#id_kit", value=str(kit.pk))
    page.select_option("#id_person", value=str(borrower.pk))
    page.get_by_role("button", name=re.compile("Lend|Låna ut")).click()
    alert = page.locator("[role=alert]")
    expect(alert).to_contain_text(tablet.serial_number)
    expect(alert).to_contain_text(str(DeviceStatus.LOST.label))
    assert_no_axe_violations(page)
    assert Loan.objects.filter(kit=kit).count() == 1


def test_membership_ends_due_date_and_reminder_follow_then_return_with_checklist(page: Page, lending: Lending) -> None:
    pitea, borrower = lending.pitea, lending.borrower
    kit = make_kit(pitea.municipality, pitea.it, label="Surfplatta 12")
    loan = loan_checkout(actor=pitea.it, kit=kit, person=borrower, handover=HANDOVER)
    assert loan.due_date is None  # the term runs on

    # The committee secretary ends the membership in the admin.
    end = timezone.localdate() - dt.timedelta(days=2)
    membership = Membership.objects.get(person=borrower, organisation=pitea.bun)
    log_in_as_staff(page, pitea.secretary)
    page.goto(f"/admin/officials/person/{borrower.pk}/")
    assert_no_axe_violations(page)
    page.locator(f"a[href='/admin/officials/memberships/edit/{membership.pk}/']").click()
    page.wait_for_url(f"**/admin/officials/memberships/edit/{membership.pk}/")
    assert_no_axe_violations(page)
    page.fill("#id_end_date", end.isoformat())
    page.keyboard.press("Escape")  # close the date picker the input opened
    page.click("#w-editor-form button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/admin/officials/person/{borrower.pk}/$"))
    assert_no_axe_violations(page)
    membership.refresh_from_db()
    assert membership.end_date == end

    # The loan page shows the new due date: the end of the term + 14 days.
    due = end + dt.timedelta(days=14)
    log_in_as_staff(page, pitea.it)
    page.goto(f"/admin/loans/loan/{loan.pk}/")
    expect(page.locator("#loan-due-date")).to_contain_text(due.isoformat())
    assert_no_axe_violations(page)

    # The official sees it too.
    log_in_to_own_pages(page, borrower.user)
    expect(page.locator("main")).to_contain_text(due.isoformat())
    assert_no_axe_violations(page)

    # On the due date the daily job e-mails the official and the secretary of the organ.
    mail.outbox.clear()
    assert loans_send_reminders(today=due)["sent"] == 1
    assert len(mail.outbox) == 1
    reminder = mail.outbox[0]
    assert set(reminder.to) == {borrower.email, pitea.secretary.email}
    assert "Surfplatta 12" in reminder.body and due.isoformat() in reminder.body

    # Staff take the kit back with the checklist of the instruction.
    log_in_as_staff(page, pitea.it)
    page.goto(f"/admin/loans/loan/{loan.pk}/")
    page.locator(f"a[href='/admin/loans/loan/{loan.pk}/return/']").click()
    page.wait_for_url(f"**/admin/loans/loan/{loan.pk}/return/")
    assert_no_axe_violations(page)
    page.check("#id_activation_lock_off")
    page.check("#id_logged_out")
    page.check("#id_all_accessories")
    page.fill("#id_condition", "Repor på fodralet")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/admin/loans/loan/{loan.pk}/$"))
    expect(page.locator("#loan-status")).to_have_text(str(LoanStatus.RETURNED.label))
    expect(page.locator("#return-checklist")).to_contain_text("Repor på fodralet")
    assert_no_axe_violations(page)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.RETURNED
    assert set(Device.objects.filter(kit=kit).values_list("status", flat=True)) == {DeviceStatus.IN_STOCK}
    assert Receipt.objects.filter(loan=loan, kind="return").exists()


def test_broadband_pages_staff_lists_and_actions_meet_wcag(page: Page, lending: Lending) -> None:
    """The pages the two journeys above do not pass through, each checked with axe."""
    pitea, borrower = lending.pitea, lending.borrower
    chair = make_official(pitea.municipality, [(pitea.bun, "ordforande")], given_name="Maria", family_name="Öberg")
    with_password(chair.user)
    loan = loan_checkout(actor=pitea.it, kit=make_kit(pitea.municipality, pitea.it), person=borrower, handover=HANDOVER)
    tablet = Device.objects.get(kit=loan.kit, device_type="tablet")

    # The official asks for mobile broadband; the chair of the organ approves it.
    log_in_to_own_pages(page, borrower.user)
    page.locator(f"a[href='/mina-sidor/lan/{loan.pk}/bredband/']").click()
    page.wait_for_url(f"**/mina-sidor/lan/{loan.pk}/bredband/")
    assert_no_axe_violations(page)
    page.locator(OWN_PAGE_SUBMIT).click()  # sent empty: the reason is missing
    expect(page.locator("#id_reason-errors")).to_be_visible()
    assert_no_axe_violations(page)  # the form with its errors
    page.check("#id_reason_0")  # travel
    page.fill("#id_motivation", "Sammanträden i hela kommunen")
    page.locator(OWN_PAGE_SUBMIT).click()
    page.wait_for_url("**/mina-sidor/")
    request = loan.broadband_requests.get()

    log_in_to_own_pages(page, chair.user)
    expect(page.locator("main")).to_contain_text(borrower.name)
    assert_no_axe_violations(page)
    page.locator(f"a[href='/mina-sidor/bredband/{request.pk}/beslut/']").click()
    page.wait_for_url(f"**/mina-sidor/bredband/{request.pk}/beslut/")
    assert_no_axe_violations(page)
    page.check("#id_approve_0")
    page.fill("#id_monthly_allowance_gb", "20")
    page.locator(OWN_PAGE_SUBMIT).click()
    page.wait_for_url("**/mina-sidor/")
    request.refresh_from_db()
    assert request.status == "approved" and request.monthly_allowance_gb == 20

    # Staff: the lists with their filters, the loan's other actions and the liability assessment.
    incident = incident_report(
        actor=pitea.it,
        loan=loan,
        device=Device.objects.get(kit=loan.kit, device_type="case"),
        kind="lost",
        occurred_at=timezone.now(),
    )
    log_in_as_staff(page, pitea.it)
    for url in (
        "/admin/loans/loans/",
        "/admin/loans/loans/?due=overdue",
        "/admin/loans/kits/",
        "/admin/loans/devices/",
        f"/admin/loans/devices/inspect/{tablet.pk}/",
        "/admin/loans/incidents/",
        "/admin/officials/persons/",
        f"/admin/loans/loan/{loan.pk}/",
        f"/admin/loans/loan/{loan.pk}/request-return/",
        f"/admin/loans/loan/{loan.pk}/incident/",
    ):
        page.goto(url)
        expect(page.locator("main")).to_be_visible()
        assert_no_axe_violations(page)
    page.goto(f"/admin/loans/incident/{incident.pk}/assess/")
    assert_no_axe_violations(page)
    page.check("#id_liability_2")  # no negligence
    page.fill("#id_note", "Tappat på tåget trots fodral")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/admin/loans/loan/{loan.pk}/$"))
    incident.refresh_from_db()
    assert incident.liability == "not_negligent"


def test_laptop_return_form_asks_no_find_my_and_shows_each_error_once(page: Page, lending: Lending) -> None:
    """A ThinkPad is taken back without "Hitta min iPad"; a refused checklist says so once, each item by its field."""
    pitea = lending.pitea
    chair = make_official(pitea.municipality, [(pitea.bun, "ordforande")], given_name="Maria", family_name="Öberg")
    laptop = make_kit(pitea.municipality, pitea.it, kind="computer", label="Dator 03")
    loan = loan_checkout(actor=pitea.it, kit=laptop, person=chair, handover=HANDOVER)

    log_in_as_staff(page, pitea.it)
    page.goto(f"/admin/loans/loan/{loan.pk}/return/")
    main = page.locator("main")
    expect(main).to_contain_text("ThinkPad")
    expect(page.locator("#id_activation_lock_off")).to_have_count(0)
    expect(main).not_to_contain_text(re.compile("Find My|Hitta min|Znajdź"))
    assert_no_axe_violations(page)

    page.locator("main form button[type=submit]").click()  # nothing ticked

    banner = page.locator("main [role=alert]")
    expect(banner).to_have_count(1)
    expect(banner).not_to_contain_text(re.compile("activation_lock_off|logged_out|all_accessories"))
    for name in ("logged_out", "all_accessories"):
        field = page.locator(f"[data-contentpath={name}]")
        expect(field.locator(".error-message")).to_have_count(1)
    expect(main.locator(".error-message")).to_have_count(2)  # no other error anywhere, none twice
    assert_no_axe_violations(page)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACTIVE

    page.check("#id_logged_out")
    page.check("#id_all_accessories")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/admin/loans/loan/{loan.pk}/$"))
    loan.refresh_from_db()
    assert loan.status == LoanStatus.RETURNED and "activation_lock_off" not in loan.return_checklist


def test_my_pages_log_out(page: Page, lending: Lending) -> None:
    borrower = lending.borrower
    log_in_to_own_pages(page, borrower.user)
    logout = page.locator("form.logout button[type=submit]")
    expect(logout).to_be_visible()
    assert_no_axe_violations(page)

    logout.click()

    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.goto("/mina-sidor/")
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/mina-sidor/$"))  # the session is gone
