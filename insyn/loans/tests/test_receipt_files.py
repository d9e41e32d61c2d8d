"""Receipts hold the borrower's name, e-mail, serial numbers and IMEI: never served by URL alone, every read audited.

Before: /media/loans/receipts/loan-1-checkout.pdf was served to anyone. Now the stored name has a random folder,
MEDIA_URL asks for a login and the owning loan, and every download (admin, own pages, API, media path) writes
a "read" entry on the audit trail.
"""

from __future__ import annotations

from typing import Any

import pytest

from insyn.core.models import AuditEntry
from insyn.core.tests.factories import UserFactory
from insyn.loans.models import Loan, Receipt
from insyn.loans.services import loan_checkout
from insyn.loans.tests.conftest import HANDOVER, ON, Pitea, build_pitea, make_kit, make_official


def checkout(pitea: Pitea, label: str = "Surfplatta 1") -> Loan:
    borrower = make_official(pitea.municipality, [(pitea.kf, "ledamot")], given_name="Karin")
    kit = make_kit(pitea.municipality, pitea.it, label=label)
    return loan_checkout(actor=pitea.it, kit=kit, person=borrower, handover=HANDOVER, on=ON)


def reads_of(receipt: Receipt) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="read", object_type="loans.receipt", object_id=str(receipt.pk)))


def urls_of(receipt: Receipt) -> list[str]:
    return [
        f"/admin/loans/receipt/{receipt.pk}/pdf/",
        f"/mina-sidor/kvitton/{receipt.pk}/pdf/",
        receipt.pdf.url,
    ]


def assert_pdf(response: Any) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_receipt_name_is_not_guessable(pitea: Pitea) -> None:
    first = Receipt.objects.get(loan=checkout(pitea)).pdf.name
    second = Receipt.objects.get(loan=checkout(pitea, "Surfplatta 2")).pdf.name
    assert first.startswith("loans/receipts/") and second.startswith("loans/receipts/")
    token = first.split("/")[2]
    assert len(token) == 32 and token != second.split("/")[2]
    assert "loans/receipts/loan-" not in first


def test_anonymous_gets_login_for_every_receipt_door(client: Any, pitea: Pitea) -> None:
    receipt = Receipt.objects.get(loan=checkout(pitea))
    for url in [*urls_of(receipt), "/media/loans/receipts/loan-1-checkout.pdf"]:
        response = client.get(url)
        assert response.status_code in {302, 403}, url
        if response.status_code == 302:
            assert "/login/" in response["Location"], url
    loan = receipt.loan
    assert client.get(f"/api/v1/loans/loans/{loan.pk}/receipts/{receipt.pk}/pdf").status_code == 401
    assert reads_of(receipt) == []


def test_staff_of_another_municipality_get_404(client: Any, pitea: Pitea, db: Any) -> None:
    receipt = Receipt.objects.get(loan=checkout(pitea))
    torsby = build_pitea("Torsby kommun")
    client.force_login(torsby.it)
    for url in urls_of(receipt):
        assert client.get(url).status_code == 404, url
    loan = receipt.loan
    assert client.get(f"/api/v1/loans/loans/{loan.pk}/receipts/{receipt.pk}/pdf").status_code == 404
    client.force_login(UserFactory())
    assert client.get(receipt.pdf.url).status_code == 404
    assert reads_of(receipt) == []


def test_staff_download_is_audited(client: Any, pitea: Pitea) -> None:
    receipt = Receipt.objects.get(loan=checkout(pitea))
    client.force_login(pitea.it)
    assert_pdf(client.get(f"/admin/loans/receipt/{receipt.pk}/pdf/"))
    assert_pdf(client.get(receipt.pdf.url))
    reads = reads_of(receipt)
    assert len(reads) == 2
    assert {entry.actor_id for entry in reads} == {pitea.it.pk}
    assert reads[0].organisation_id == pitea.municipality.pk
    assert reads[0].changes == {"fields": ["pdf"]}


def test_borrower_downloads_own_receipt_and_the_read_is_audited(client: Any, pitea: Pitea) -> None:
    receipt = Receipt.objects.get(loan=checkout(pitea))
    borrower = receipt.loan.person.user
    client.force_login(borrower)
    response = client.get(f"/mina-sidor/kvitton/{receipt.pk}/pdf/")
    assert_pdf(response)
    assert response["Content-Disposition"].startswith("inline;")
    assert_pdf(client.get(receipt.pdf.url))
    assert [entry.actor_id for entry in reads_of(receipt)] == [borrower.pk, borrower.pk]
    # The borrower has no staff right: the admin's door stays shut.
    assert client.get(f"/admin/loans/receipt/{receipt.pk}/pdf/").status_code in {302, 403}


def test_api_download_is_audited_and_an_attachment(client: Any, pitea: Pitea) -> None:
    receipt = Receipt.objects.get(loan=checkout(pitea))
    client.force_login(pitea.it)
    response = client.get(f"/api/v1/loans/loans/{receipt.loan_id}/receipts/{receipt.pk}/pdf")
    assert_pdf(response)
    assert response["Content-Disposition"].startswith("attachment;")
    assert len(reads_of(receipt)) == 1


@pytest.mark.parametrize("mode", ["x-accel-redirect", "x-sendfile"])
def test_web_server_modes_send_no_body(client: Any, pitea: Pitea, settings: Any, mode: str) -> None:
    settings.INSYN_FILE_SERVE = mode
    receipt = Receipt.objects.get(loan=checkout(pitea))
    client.force_login(pitea.it)
    response = client.get(f"/admin/loans/receipt/{receipt.pk}/pdf/")
    assert response.status_code == 200 and response.content == b""
    header = "X-Accel-Redirect" if mode == "x-accel-redirect" else "X-Sendfile"
    assert response[header].endswith(receipt.pdf.name)
    assert len(reads_of(receipt)) == 1
