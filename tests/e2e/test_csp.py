"""The Content-Security-Policy does not break the site: no page the suite visits reports a violation.

Every response carries the policy of config/settings.py (django-csp). Chromium reports each blocked script,
style, image, frame or form as a `securitypolicyviolation` event and a console error; a listener installed
before any page script collects both, and each test fails on the first page that has one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import Browser, Page

from insyn.core.permissions import SYSTEM
from insyn.core.services.documents import governing_document_create
from insyn.loans.models import LoanRuleSet, Receipt
from insyn.loans.services import loan_checkout
from insyn.loans.tests.conftest import HANDOVER, build_pitea, make_kit, make_official
from tests.e2e.conftest import VIEWPORT
from tests.e2e.support import PASSWORD, Tenant, log_in

pytestmark = pytest.mark.e2e

# Runs before any script of each page (an init script is not subject to the page's policy).
_INIT_SCRIPT = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations.push(
        `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} in ${event.sourceFile || event.documentURI}`
        + `:${event.lineNumber} (${(event.sample || '').slice(0, 80)})`
    );
});
"""
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


class CspWatch:
    """The page and every CSP complaint it produced (events and console errors)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.on("console", self._on_console)

    def _on_console(self, message: Any) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None
        assert response.status < 400, f"{url} answered {response.status}"
        assert "default-src 'self'" in (response.header_value("content-security-policy") or ""), url
        self.page.wait_for_load_state("networkidle")
        self.assert_clean()

    def assert_clean(self) -> None:
        events = self.page.evaluate("() => window.__cspViolations || []")
        problems = [*events, *self.console]
        assert not problems, f"CSP violations on {self.page.url}:\n" + "\n".join(problems)


def assert_date_pickers_started(watched: CspWatch) -> None:
    """Wagtail's date pickers start from insyn/admin/choosers.js, not from the inline script CSP blocks."""
    markers = watched.page.locator("[data-insyn-chooser]:not([data-insyn-chooser-for*='__prefix__'])")
    for index in range(markers.count()):
        marker = markers.nth(index)
        assert marker.get_attribute("data-insyn-started") is not None, marker.get_attribute("data-insyn-chooser-for")
    if markers.count():
        watched.page.wait_for_selector(".xdsoft_datetimepicker", state="attached")  # built by Wagtail's picker
    watched.assert_clean()


@pytest.fixture
def watched(browser: Browser, live_server: Any) -> Iterator[CspWatch]:
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="sv-SE", reduced_motion="reduce")
    context.set_default_timeout(10_000)
    context.add_init_script(_INIT_SCRIPT)
    yield CspWatch(context.new_page())
    context.close()


def test_public_pages_and_api_docs_have_no_csp_violation(watched: CspWatch, transactional_db: Any) -> None:
    for url in ("/", "/plans/", "/api/v1/docs", "/admin/login/"):
        watched.visit(url)


def test_admin_dashboard_and_governing_document_form_have_no_csp_violation(watched: CspWatch, pitea: Tenant) -> None:
    document = governing_document_create(
        actor=SYSTEM,
        organisation=pitea.board,
        title="Riktlinje för informationssäkerhet",
        document_type="guideline",
        valid_until=timezone.localdate() + dt.timedelta(days=30),
        status="in_force",
        file=ContentFile(MINIMAL_PDF, name="riktlinje.pdf"),
    )
    page = watched.page
    log_in(page, pitea.registrar)
    watched.assert_clean()
    watched.visit("/admin/")
    watched.visit("/admin/governing_documents/")
    assert_date_pickers_started(watched)  # the list's date filter
    watched.visit("/admin/governing_documents/new/")
    assert_date_pickers_started(watched)
    page.click("#id_valid_until")
    watched.assert_clean()
    page.keyboard.press("Escape")
    watched.visit(f"/admin/governing_documents/edit/{document.pk}/")
    assert_date_pickers_started(watched)
    page.click("#id_decision_date")
    watched.assert_clean()
    watched.visit(f"/admin/governing_documents/inspect/{document.pk}/")
    watched.visit(f"/admin/governing_documents/history/{document.pk}/")
    # Side panels, dropdowns and search use the admin's own scripts.
    page.goto("/admin/governing_documents/?q=informations")
    page.wait_for_load_state("networkidle")
    watched.assert_clean()
    # The protected file itself: a PDF, shown inline under the same policy.
    response = page.request.get(f"/files/governing-documents/{document.pk}/")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "default-src 'self'" in response.headers["content-security-policy"]


def ensure_wagtail_site() -> None:
    """Wagtail's locale, root collection, root page and site, which an earlier live-server test's flush removed."""
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page, Site

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Collection.objects.exists():
        Collection.add_root(instance=Collection(name="Root"))
    if Site.objects.exists():
        return
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=Page(title="Insyn", slug="insyn"))
    Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)


def test_wagtail_core_admin_pages_have_no_csp_violation(watched: CspWatch, transactional_db: Any) -> None:
    admin = get_user_model().objects.create_superuser(
        username="admin.csp", email="admin.csp@example.org", password=PASSWORD
    )
    ensure_wagtail_site()
    page = watched.page
    log_in(page, admin)
    for url in (
        "/admin/",
        "/admin/pages/",
        "/admin/documents/",
        "/admin/documents/multiple/add/",
        "/admin/images/",
        "/admin/images/multiple/add/",
        "/admin/users/",
        "/admin/reports/site-history/",
        "/admin/account/",
    ):
        watched.visit(url)
    # The page editor of the root's first page (title field, side panels, preview panel in an iframe).
    page.goto("/admin/pages/")
    link = page.locator("a[href*='/admin/pages/'][href$='/edit/']").first
    if link.count():
        link.click()
        page.wait_for_load_state("networkidle")
        watched.assert_clean()
        preview_toggle = page.locator("button[data-side-panel-toggle='preview']")
        if preview_toggle.count():
            preview_toggle.first.click()
            page.wait_for_timeout(1500)
            watched.assert_clean()


def test_loans_admin_and_own_pages_have_no_csp_violation(
    watched: CspWatch, transactional_db: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    pitea = build_pitea()
    LoanRuleSet.objects.filter(pk=pitea.rule_set.pk).update(valid_until=None)
    pitea.it.set_password(PASSWORD)
    pitea.it.save(update_fields=["password"])
    borrower = make_official(pitea.municipality, [(pitea.bun, "ledamot")], given_name="Karin", family_name="Lindberg")
    borrower.user.set_password(PASSWORD)
    borrower.user.save(update_fields=["password"])
    kit = make_kit(pitea.municipality, pitea.it)
    loan = loan_checkout(actor=pitea.it, kit=kit, person=borrower, handover=HANDOVER)
    receipt = Receipt.objects.get(loan=loan)

    page = watched.page
    log_in(page, pitea.it)
    for url in (
        "/admin/",
        "/admin/loans/loans/",
        "/admin/loans/kits/",
        "/admin/loans/devices/",
        "/admin/loans/checkout/",
        f"/admin/loans/loan/{loan.pk}/",
        f"/admin/loans/loan/{loan.pk}/return/",
    ):
        watched.visit(url)
    response = page.request.get(f"/admin/loans/receipt/{receipt.pk}/pdf/")
    assert response.status == 200
    assert response.headers["x-content-type-options"] == "nosniff"

    page.context.clear_cookies()
    log_in_official = page.goto("/mina-sidor/")
    assert log_in_official is not None
    page.fill("#id_username", borrower.user.get_username())
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/mina-sidor/")
    watched.assert_clean()
    watched.visit("/mina-sidor/")
    watched.visit(f"/mina-sidor/lan/{loan.pk}/forlust/")
