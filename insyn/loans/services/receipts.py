"""Receipts: made on checkout and return, accepted by the borrower, acknowledged by staff."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_record
from insyn.core.exceptions import ConflictError, PermissionDeniedError
from insyn.core.models.audit import AuditAction
from insyn.core.permissions import require_org_perm
from insyn.loans.models import Loan, Receipt
from insyn.loans.receipts import render_receipt
from insyn.loans.services._common import is_borrower, login_of, required_login
from insyn.loans.signing import DEFAULT_SIGNER, Signer


def make_receipt(loan: Loan, kind: str) -> Receipt:
    """Render the receipt PDF (PDF/A) and store it with its SHA-256; part of the checkout or return."""
    pdf, digest = render_receipt(loan=loan, kind=kind)
    receipt = Receipt(loan=loan, kind=kind, sha256=digest)
    receipt.pdf.save(f"loan-{loan.pk}-{kind}.pdf", ContentFile(pdf), save=False)
    receipt.save()
    return receipt


@transaction.atomic
def receipt_accept(*, actor: Actor, receipt: Receipt, signer: Signer = DEFAULT_SIGNER) -> Receipt:
    """The official accepts the receipt: time, person and the document's SHA-256 are recorded."""
    locked = Receipt.objects.select_for_update().select_related("loan__person").get(pk=receipt.pk)
    if not is_borrower(actor, locked.loan):
        raise PermissionDeniedError(_("Only the borrower accepts the receipt."))
    if locked.accepted_at:
        return locked
    with locked.pdf.open("rb") as handle:
        document = handle.read()
    signature = signer.sign(document=document, signer=actor)
    if signature.document_sha256 != locked.sha256:
        raise ConflictError(_("The receipt has changed since it was created."))
    locked.accepted_at, locked.accepted_by, locked.signing_method = (
        timezone.now(),
        required_login(actor),
        signature.method,
    )
    locked.save(update_fields=["accepted_at", "accepted_by", "signing_method"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        changes={"accepted": locked.sha256, "method": signature.method},
        organisation=locked.loan.kit.municipality_id,
    )
    return locked


@transaction.atomic
def receipt_acknowledge(*, actor: Actor, receipt: Receipt) -> Receipt:
    """Staff's side of the return receipt."""
    require_org_perm(actor, "loans.change_loan", receipt.loan.kit.municipality)
    if receipt.staff_acknowledged_at is None:
        receipt.staff_acknowledged_at, receipt.staff_acknowledged_by = timezone.now(), login_of(actor)
        receipt.save(update_fields=["staff_acknowledged_at", "staff_acknowledged_by"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=receipt,
            changes={"acknowledged": receipt.sha256},
            organisation=receipt.loan.kit.municipality_id,
        )
    return receipt
