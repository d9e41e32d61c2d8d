"""Devices, kits, loans and their actions under /api/v1/loans/: the same services as the admin."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from insyn.api.pagination import BoundedLimitOffsetPagination
from insyn.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, PathId
from insyn.core.files import serve_protected_file
from insyn.core.selectors import organisation_get
from insyn.loans import selectors, services
from insyn.loans.models import BroadbandRequest, Incident, Kit, Loan, Receipt
from insyn.officials.selectors import access_person

router = Router(tags=["loans"])


class DeviceOut(Schema):
    id: int
    device_type: str
    make: str
    model: str
    serial_number: str
    imei: str
    mdm_id: str
    status: str
    kit_id: int | None


class DeviceIn(Schema):
    municipality_id: Id
    device_type: str
    serial_number: str = Field(..., min_length=1)
    make: str = ""
    model: str = ""
    imei: str = ""
    mdm_id: str = ""
    purchase_date: dt.date | None = None


class KitOut(Schema):
    id: int
    label: str
    kind: str
    device_ids: list[int]

    @staticmethod
    def resolve_device_ids(obj: Kit) -> list[int]:
        return [d.pk for d in obj.devices.all()]


class KitIn(Schema):
    municipality_id: Id
    label: str = Field(..., min_length=1)
    kind: str
    device_ids: list[Id] = Field(..., max_length=100)


class ReceiptOut(Schema):
    id: int
    kind: str
    sha256: str
    accepted_at: dt.datetime | None
    signing_method: str


class LoanOut(Schema):
    id: int
    kit_id: int
    person_id: int
    status: str
    checked_out_at: dt.datetime
    due_date: dt.date | None
    return_requested_on: dt.date | None
    returned_at: dt.datetime | None
    instruction: str
    eligibility_reasons: list[str]
    receipts: list[ReceiptOut]

    @staticmethod
    def resolve_instruction(obj: Loan) -> str:
        return f"{obj.rule_set.document.registration_number} v{obj.rule_set.version}"

    @staticmethod
    def resolve_receipts(obj: Loan) -> list[Receipt]:
        return list(obj.receipts.all())


class CheckoutIn(Schema):
    kit_id: Id
    person_id: Id
    handover: dict[str, Any] = {}


class ReturnIn(Schema):
    # Asked only for a kit with a tablet or phone (Find My); a computer's return may leave it out.
    activation_lock_off: bool = False
    logged_out: bool
    all_accessories: bool
    condition: str = ""


class IncidentIn(Schema):
    device_id: Id
    kind: str
    occurred_at: dt.datetime
    place: str = ""
    police_report_number: str = ""
    description: str = ""


class IncidentOut(Schema):
    id: int
    loan_id: int
    device_id: int
    kind: str
    occurred_at: dt.datetime
    liability: str


class AssessIn(Schema):
    liability: str
    note: str = ""


class BroadbandIn(Schema):
    reason: str
    motivation: str = ""


class BroadbandOut(Schema):
    id: int
    loan_id: int
    reason: str
    status: str
    monthly_allowance_gb: int | None
    roaming_blocked: bool


class DecideIn(Schema):
    approve: bool
    monthly_allowance_gb: int | None = Field(None, ge=0, le=100_000)


def _loan(request: HttpRequest, loan_id: int) -> Loan:
    return selectors.access_loan(actor=request.user, pk=loan_id)


@router.get("/devices", response={200: list[DeviceOut], **READ_ERRORS})
@paginate(BoundedLimitOffsetPagination)
def list_devices(request: HttpRequest, status: str | None = None) -> Any:
    return selectors.device_list(actor=request.user, status=status)


@router.post("/devices", response={201: DeviceOut, **WRITE_ERRORS})
def create_device(request: HttpRequest, payload: DeviceIn) -> Status[Any]:
    municipality = organisation_get(actor=request.user, pk=payload.municipality_id)
    device = services.device_create(
        actor=request.user,
        municipality=municipality,
        device_type=payload.device_type,
        serial_number=payload.serial_number,
        make=payload.make,
        model=payload.model,
        imei=payload.imei,
        mdm_id=payload.mdm_id,
        purchase_date=payload.purchase_date,
    )
    return Status(201, device)


@router.get("/kits", response={200: list[KitOut], **READ_ERRORS})
@paginate(BoundedLimitOffsetPagination)
def list_kits(request: HttpRequest) -> Any:
    return selectors.kit_list(actor=request.user)


@router.post("/kits", response={201: KitOut, **WRITE_ERRORS})
def create_kit(request: HttpRequest, payload: KitIn) -> Status[Any]:
    municipality = organisation_get(actor=request.user, pk=payload.municipality_id)
    devices = selectors.devices_by_ids(actor=request.user, ids=payload.device_ids)
    kit = services.kit_create(
        actor=request.user, municipality=municipality, label=payload.label, kind=payload.kind, devices=devices
    )
    return Status(201, kit)


@router.get("/loans", response={200: list[LoanOut], **READ_ERRORS})
@paginate(BoundedLimitOffsetPagination)
def list_loans(request: HttpRequest, status: str | None = None) -> Any:
    return selectors.loans_with_receipts(actor=request.user, status=status)


@router.get("/loans/{int:loan_id}", response={200: LoanOut, **READ_ERRORS})
def get_loan(request: HttpRequest, loan_id: PathId) -> Loan:
    return _loan(request, loan_id)


@router.post("/loans", response={201: LoanOut, **WRITE_ERRORS})
def checkout(request: HttpRequest, payload: CheckoutIn) -> Status[Any]:
    kit = selectors.access_kit(actor=request.user, pk=payload.kit_id)
    person = access_person(actor=request.user, pk=payload.person_id)
    return Status(201, services.loan_checkout(actor=request.user, kit=kit, person=person, handover=payload.handover))


@router.post("/loans/{int:loan_id}/request-return", response={200: LoanOut, **WRITE_ERRORS})
def request_return(request: HttpRequest, loan_id: PathId) -> Loan:
    return services.loan_request_return(actor=request.user, loan=_loan(request, loan_id))


@router.post("/loans/{int:loan_id}/return", response={200: LoanOut, **WRITE_ERRORS})
def return_loan(request: HttpRequest, loan_id: PathId, payload: ReturnIn) -> Loan:
    return services.loan_return(actor=request.user, loan=_loan(request, loan_id), checklist=payload.dict())


@router.get("/loans/{int:loan_id}/receipts/{int:receipt_id}/pdf", response={200: None, **READ_ERRORS})
def receipt_pdf(request: HttpRequest, loan_id: PathId, receipt_id: PathId) -> HttpResponseBase:
    loan = _loan(request, loan_id)
    receipt = selectors.access_receipt(actor=request.user, pk=receipt_id, loan=loan)
    pdf = selectors.receipt_file(actor=request.user, receipt=receipt)  # audited: the receipt holds personal data
    return serve_protected_file(request, pdf, filename=f"kvitto-lan-{loan.pk}-{receipt.kind}.pdf")


@router.post("/loans/{int:loan_id}/receipts/{int:receipt_id}/accept", response={200: ReceiptOut, **WRITE_ERRORS})
def accept_receipt(request: HttpRequest, loan_id: PathId, receipt_id: PathId) -> Receipt:
    receipt = selectors.access_receipt(actor=request.user, pk=receipt_id, loan=_loan(request, loan_id))
    return services.receipt_accept(actor=request.user, receipt=receipt)


@router.post("/loans/{int:loan_id}/incidents", response={201: IncidentOut, **WRITE_ERRORS})
def report_incident(request: HttpRequest, loan_id: PathId, payload: IncidentIn) -> Status[Any]:
    loan = _loan(request, loan_id)
    device = selectors.access_device(actor=request.user, pk=payload.device_id, loan=loan)
    incident = services.incident_report(
        actor=request.user,
        loan=loan,
        device=device,
        kind=payload.kind,
        occurred_at=payload.occurred_at,
        place=payload.place,
        police_report_number=payload.police_report_number,
        description=payload.description,
    )
    return Status(201, incident)


@router.post("/incidents/{int:incident_id}/assess", response={200: IncidentOut, **WRITE_ERRORS})
def assess_incident(request: HttpRequest, incident_id: PathId, payload: AssessIn) -> Incident:
    incident = selectors.access_incident(actor=request.user, pk=incident_id)
    return services.incident_assess(
        actor=request.user, incident=incident, liability=payload.liability, note=payload.note
    )


@router.post("/loans/{int:loan_id}/broadband", response={201: BroadbandOut, **WRITE_ERRORS})
def ask_broadband(request: HttpRequest, loan_id: PathId, payload: BroadbandIn) -> Status[Any]:
    broadband = services.broadband_request(
        actor=request.user, loan=_loan(request, loan_id), reason=payload.reason, motivation=payload.motivation
    )
    return Status(201, broadband)


@router.post("/broadband/{int:request_id}/decide", response={200: BroadbandOut, **WRITE_ERRORS})
def decide_broadband(request: HttpRequest, request_id: PathId, payload: DecideIn) -> BroadbandRequest:
    # Scoped first (404 for another municipality's id), then the service checks who decides before the state.
    broadband = selectors.access_broadband_request(actor=request.user, pk=request_id)
    return services.broadband_decide(
        actor=request.user,
        request=broadband,
        approve=payload.approve,
        monthly_allowance_gb=payload.monthly_allowance_gb,
    )


@router.get("/dashboard", response={200: dict[str, Any], **READ_ERRORS})
def dashboard(request: HttpRequest) -> dict[str, Any]:
    data = selectors.loan_dashboard(actor=request.user)
    data["overdue_loans"] = [loan.pk for loan in data["overdue_loans"]]
    return data


@router.get("/persons/{int:person_id}/eligibility", response={200: dict[str, Any], **READ_ERRORS})
def person_eligibility(request: HttpRequest, person_id: PathId, on: dt.date | None = None) -> dict[str, Any]:
    """What the person may borrow on `on` (today by default), and why: `eligible`, `devices`, `reasons`, dates."""
    person = access_person(actor=request.user, pk=person_id)
    result, _rules = selectors.person_eligibility(person=person, on=on or timezone.localdate())
    return result.to_dict()
