"""Acceptance 8 (issue 10): a data-subject request through the browser, and axe on the request pages in sv, pl, en.

1. A member of the public fills in the form at /integritet/begaran/, proves who they are with the (test) e-ID
   provider, and sees the status page; a DPO opens the case in the admin and completes it, which makes the
   register extract (P6's `extract_create`).
2. The form, with and without errors, and the identity page pass axe-core WCAG 2.1 A/AA in Swedish, Polish and
   English.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from insyn.core.models import Organisation
from insyn.core.tests.factories import make_user_with_role
from insyn.privacy.models import IdentityStatus, RequestStatus, SubjectExtract, SubjectRequest
from tests.e2e.accessibility import assert_no_axe_violations
from tests.e2e.support import PASSWORD, Tenant, log_in

pytestmark = pytest.mark.e2e
FORM = "/integritet/begaran/"


@pytest.fixture
def controllers(pitea: Tenant, settings: Any, tmp_path: Any) -> Tenant:
    settings.INSYN_EID_PROVIDER = "insyn.privacy.identity.TestProvider"
    settings.MEDIA_ROOT = tmp_path / "media"
    Organisation.objects.filter(pk=pitea.board.pk).update(is_controller=True)
    from django.core.cache import cache

    cache.clear()  # the form's rate limit counts per address: every test starts afresh
    return pitea


def _choose_language(page: Page, code: str) -> None:
    page.select_option("#language", value=code)
    page.click("footer form.lang button")
    expect(page.locator("html")).to_have_attribute("lang", code)


def _fill_form(page: Page, board_pk: int) -> None:
    page.select_option("#id_controller", value=str(board_pk))
    page.check("#id_kind_0")  # access (Art. 15)
    page.fill("#id_name", "Karin Lindberg")
    page.fill("#id_email", "karin.lindberg@example.se")
    page.fill("#id_description", "Allt ni har om mig sedan 2023.")


def test_request_identity_check_and_extract(page: Page, controllers: Tenant) -> None:
    page.goto(FORM)
    _fill_form(page, controllers.board.pk)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/identitet/")
    request = SubjectRequest.objects.get()
    expect(page.locator("#access-key")).to_be_visible()
    page.check("input[name=method][value=eid]")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/e-legitimation/test/**")
    page.fill("#id_national_id", "191212121212")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/integritet/begaran/{request.reference}/")
    request.refresh_from_db()
    assert request.identity_status == IdentityStatus.VERIFIED
    expect(page.locator("#identity-status")).to_contain_text("(")

    dpo = make_user_with_role(controllers.municipality, "dpo")
    dpo.set_password(PASSWORD)
    dpo.save(update_fields=["password"])
    page.context.clear_cookies()
    log_in(page, dpo)
    page.goto(f"/admin/privacy/requests/{request.pk}/")
    assert_no_axe_violations(page)
    page.fill("#id_complete-outcome", "Registerutdrag bifogat.")
    page.click("form:has(input[value=complete]) button[type=submit]")
    expect(page.locator("#request-status")).to_have_text(str(RequestStatus.COMPLETED.label))
    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED
    assert SubjectExtract.objects.filter(request=request).exists()
    expect(page.locator("#extracts li").first).not_to_contain_text("None yet")


@pytest.mark.parametrize("language", ["sv", "pl", "en"])
def test_request_pages_pass_axe(page: Page, controllers: Tenant, language: str) -> None:
    page.goto(FORM)
    _choose_language(page, language)
    page.goto(FORM)
    assert_no_axe_violations(page)
    page.click("main form button[type=submit]")  # empty: every error shown and linked to its field
    expect(page.locator("#error-summary")).to_be_visible()
    assert_no_axe_violations(page)
    _fill_form(page, controllers.board.pk)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/identitet/")
    assert_no_axe_violations(page)
    page.check("input[name=method][value=post]")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/begaran/DSR-*/")
    assert_no_axe_violations(page)
