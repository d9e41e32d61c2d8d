"""The Art. 30 register under /api/v1/privacy/: registers, activities (bodies in `ActivityData`'s shape),
approval, versions with their diff, and the checks' warnings. The same services and selectors as the admin."""

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema, Status
from ninja.pagination import paginate

from insyn.api.pagination import BoundedLimitOffsetPagination
from insyn.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, PathId, Unchanged
from insyn.core.selectors import organisation_get
from insyn.privacy.models import Register, RegisterVersion
from insyn.privacy.selectors import register as selectors
from insyn.privacy.services import register as services

router = Router(tags=["privacy"])

Text = Field("", max_length=20_000)
Short = Field("", max_length=500)
Items = 500
# A version number in the path; 0 is the register as it stands now.
VersionNumber = Annotated[int, Path(ge=0, le=1_000_000)]


class RegisterOut(Schema):
    id: int
    controller_id: int
    controller: str
    kind: str
    title: str
    status: str
    version: int
    approved_at: dt.datetime | None
    review_date: dt.date | None
    dpo_name: str
    dpo_email: str
    dpo_phone: str
    contact_email: str
    contact_address: str

    @staticmethod
    def resolve_controller(obj: Register) -> str:
        return obj.controller.name


class RegisterIn(Schema):
    controller_id: Id
    title: str = Field(..., min_length=1, max_length=300)
    kind: Literal["controller", "processor"] = "controller"
    review_date: dt.date | None = None
    dpo_name: str = Field("", max_length=200)
    dpo_email: str = Field("", max_length=254)
    dpo_phone: str = Field("", max_length=40)
    contact_email: str = Field("", max_length=254)
    contact_address: str = Field("", max_length=2000)


class RegisterPatch(Schema):
    title: str = Unchanged(min_length=1, max_length=300)
    review_date: dt.date | None = None
    dpo_name: str = Unchanged(max_length=200)
    dpo_email: str = Unchanged(max_length=254)
    dpo_phone: str = Unchanged(max_length=40)
    contact_email: str = Unchanged(max_length=254)
    contact_address: str = Unchanged(max_length=2000)


class ApproveIn(Schema):
    note: str = Field("", max_length=2000)


class VersionOut(Schema):
    number: int
    approved_at: dt.datetime
    approved_by: str
    note: str

    @staticmethod
    def resolve_approved_by(obj: RegisterVersion) -> str:
        return obj.approved_by_label


class ChangeOut(Schema):
    change: str
    activity: str | None
    field: str | None
    old: Any = None
    new: Any = None


class WarningOut(Schema):
    code: str
    message: str
    field: str


class RegisterWarningOut(WarningOut):
    activity_id: int | None
    activity: str | None


# --- The activity as data (activity_data.ActivityData) ---------------------------------------------


class LegalBasisSchema(Schema):
    article: Literal["6.1.a", "6.1.b", "6.1.c", "6.1.d", "6.1.e", "6.1.f"]
    reference: str = Short
    withdrawal_route: str = Text


class SubjectCategorySchema(Schema):
    key: str = Field(..., min_length=1, max_length=150)
    label: str | None = None  # output only


class PersonalDataCategorySchema(Schema):
    key: str = Field(..., min_length=1, max_length=150)
    subject: str | None = Field(None, max_length=150)
    art9_condition: str = Field("", max_length=5)
    dsl_reference: str = Field("", max_length=200)
    art10_reference: str = Field("", max_length=200)
    national_id_reason: str = Text
    children: bool = False
    secrecy: str = Field("", max_length=200)
    # output only
    label: str | None = None
    special: str | None = None
    national_id: bool | None = None
    protected_identity: bool | None = None


class RecipientSchema(Schema):
    kind: Literal["category", "named"] = "category"
    name: str = Field(..., min_length=1, max_length=300)
    country: str = Field("", max_length=2)


class ProcessorSchema(Schema):
    name: str = Field(..., min_length=1, max_length=300)
    service: str = Field("", max_length=300)
    agreement_reference: str = Field("", max_length=200)
    agreement_date: dt.date | None = None


class TransferSchema(Schema):
    country: str = Field(..., min_length=2, max_length=2)
    mechanism: Literal["adequacy", "sccs", "bcrs", "derogation", ""] = ""
    mechanism_reference: str = Field("", max_length=300)
    recipient: str = Field("", max_length=300)
    tia_reference: str = Field("", max_length=300)
    tia_date: dt.date | None = None


class DocumentTypeRefSchema(Schema):
    id: Id
    name: str | None = None  # output only, as the rest
    plan: str | None = None
    decision: str | None = None
    action: str | None = None
    period: str | None = None
    retention_text: str | None = None


class RetentionSchema(Schema):
    text: str = Text
    document_types: list[DocumentTypeRefSchema] = Field([], max_length=Items)
    rules: list[dict[str, Any]] | None = None  # output only


class SystemSchema(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    hosting_location: str = Field("", max_length=200)
    hosting_country: str = Field("", max_length=2)


class DpiaSchema(Schema):
    need: Literal["", "not_needed", "needed", "done"] = ""
    criteria: list[str] = Field([], max_length=20)
    link: str = Field("", max_length=500)


class ActivityIn(Schema):
    name: str = Field(..., min_length=1, max_length=300)
    description: str = Text
    joint_controllers: str = Text
    joint_arrangement: str = Text
    owning_unit: str = Field("", max_length=200)
    contact: str = Field("", max_length=200)
    on_behalf_of: str = Field("", max_length=300)
    purposes: list[str] = Field([], max_length=Items)
    data_uses: list[str] = Field([], max_length=Items)
    legal_bases: list[LegalBasisSchema] = Field([], max_length=6)
    legal_basis_text: str = Text
    data_subject_categories: list[SubjectCategorySchema] = Field([], max_length=Items)
    personal_data_categories: list[PersonalDataCategorySchema] = Field([], max_length=Items)
    sources: list[str] = Field([], max_length=10)
    sources_text: str = Text
    provision_requirement: str = Field("", max_length=15)
    provision_consequence: str = Text
    recipients: list[RecipientSchema] = Field([], max_length=Items)
    recipients_text: str = Text
    processors: list[ProcessorSchema] = Field([], max_length=Items)
    transfers: list[TransferSchema] = Field([], max_length=Items)
    retention: RetentionSchema = RetentionSchema(text="", document_types=[])
    systems: list[SystemSchema] = Field([], max_length=Items)
    systems_text: str = Field("", max_length=500)
    security_measures: str = Text
    automated_decision: bool = False
    automated_decision_logic: str = Text
    dpia: DpiaSchema = DpiaSchema(need="", criteria=[], link="")
    system_models: list[str] = Field([], max_length=Items)
    extra: dict[str, str] = Field({}, max_length=Items)


class ActivityOut(ActivityIn):
    id: int
    status: str
    warnings: list[WarningOut]


def _activity_data(payload: ActivityIn) -> Any:
    """The body as `ActivityData`: dates as ISO text, and the output-only fields left out."""
    data = payload.dict()
    for item in data["processors"]:
        item["agreement_date"] = item["agreement_date"].isoformat() if item["agreement_date"] else None
    for item in data["transfers"]:
        item["tia_date"] = item["tia_date"].isoformat() if item["tia_date"] else None
    data["retention"] = {
        "text": data["retention"]["text"],
        "document_types": [{"id": ref["id"]} for ref in data["retention"]["document_types"]],
    }
    return data


# --- Registers --------------------------------------------------------------------------------------


@router.get("/registers", response={200: list[RegisterOut], **READ_ERRORS})
@paginate(BoundedLimitOffsetPagination)
def list_registers(request: HttpRequest) -> Any:
    return selectors.registers(actor=request.user)


@router.post("/registers", response={201: RegisterOut, **WRITE_ERRORS})
def create_register(request: HttpRequest, payload: RegisterIn) -> Status[Any]:
    controller = organisation_get(actor=request.user, pk=payload.controller_id)
    fields = payload.dict(exclude={"controller_id", "title", "kind"})
    register = services.register_create(
        actor=request.user, controller=controller, title=payload.title, kind=payload.kind, **fields
    )
    return Status(201, register)


@router.get("/registers/{int:register_id}", response={200: RegisterOut, **READ_ERRORS})
def get_register(request: HttpRequest, register_id: PathId) -> Register:
    return selectors.access_register(actor=request.user, pk=register_id)


@router.patch("/registers/{int:register_id}", response={200: RegisterOut, **WRITE_ERRORS})
def update_register(request: HttpRequest, register_id: PathId, payload: RegisterPatch) -> Register:
    register = selectors.access_register(actor=request.user, pk=register_id)
    return services.register_update(actor=request.user, register=register, **payload.dict(exclude_unset=True))


@router.post("/registers/{int:register_id}/approve", response={200: VersionOut, **WRITE_ERRORS})
def approve_register(request: HttpRequest, register_id: PathId, payload: ApproveIn) -> RegisterVersion:
    register = selectors.access_register(actor=request.user, pk=register_id)
    return services.register_approve(actor=request.user, register=register, note=payload.note)


@router.get("/registers/{int:register_id}/versions", response={200: list[VersionOut], **READ_ERRORS})
def list_versions(request: HttpRequest, register_id: PathId) -> Any:
    register = selectors.access_register(actor=request.user, pk=register_id)
    return list(selectors.register_versions(actor=request.user, register=register))


@router.get(
    "/registers/{int:register_id}/versions/{int:a}/diff/{int:b}", response={200: list[ChangeOut], **READ_ERRORS}
)
def diff_versions(request: HttpRequest, register_id: PathId, a: VersionNumber, b: VersionNumber) -> Any:
    """Version `a` to version `b`, field by field; 0 is the register as it stands now."""
    register = selectors.access_register(actor=request.user, pk=register_id)
    return selectors.version_diff(actor=request.user, register=register, a=a, b=b)


@router.get("/registers/{int:register_id}/warnings", response={200: list[RegisterWarningOut], **READ_ERRORS})
def list_warnings(request: HttpRequest, register_id: PathId) -> Any:
    register = selectors.access_register(actor=request.user, pk=register_id)
    return selectors.register_warning_list(actor=request.user, register=register)


# --- Activities -------------------------------------------------------------------------------------


@router.get("/registers/{int:register_id}/activities", response={200: list[ActivityOut], **READ_ERRORS})
@paginate(BoundedLimitOffsetPagination)
def list_activities(request: HttpRequest, register_id: PathId) -> Any:
    register = selectors.access_register(actor=request.user, pk=register_id)
    return [
        selectors.activity_data(actor=request.user, activity=activity)
        for activity in selectors.activities(actor=request.user, register=register)
    ]


@router.post("/registers/{int:register_id}/activities", response={201: ActivityOut, **WRITE_ERRORS})
def create_activity(request: HttpRequest, register_id: PathId, payload: ActivityIn) -> Status[Any]:
    register = selectors.access_register(actor=request.user, pk=register_id)
    activity = services.activity_save(actor=request.user, register=register, data=_activity_data(payload))
    return Status(201, selectors.activity_data(actor=request.user, activity=activity))


@router.get("/activities/{int:activity_id}", response={200: ActivityOut, **READ_ERRORS})
def get_activity(request: HttpRequest, activity_id: PathId) -> Any:
    activity = selectors.access_activity(actor=request.user, pk=activity_id)
    return selectors.activity_data(actor=request.user, activity=activity)


@router.put("/activities/{int:activity_id}", response={200: ActivityOut, **WRITE_ERRORS})
def replace_activity(request: HttpRequest, activity_id: PathId, payload: ActivityIn) -> Any:
    activity = selectors.access_activity(actor=request.user, pk=activity_id)
    activity = services.activity_save(
        actor=request.user, register=activity.register, data=_activity_data(payload), activity=activity
    )
    return selectors.activity_data(actor=request.user, activity=activity)


@router.delete("/activities/{int:activity_id}", response={204: None, **WRITE_ERRORS})
def delete_activity(request: HttpRequest, activity_id: PathId) -> Status[None]:
    activity = selectors.access_activity(actor=request.user, pk=activity_id)
    services.activity_delete(actor=request.user, activity=activity)
    return Status(204, None)


@router.post("/activities/{int:activity_id}/approve", response={200: ActivityOut, **WRITE_ERRORS})
def approve_activity(request: HttpRequest, activity_id: PathId) -> Any:
    activity = selectors.access_activity(actor=request.user, pk=activity_id)
    activity = services.activity_approve(actor=request.user, activity=activity)
    return selectors.activity_data(actor=request.user, activity=activity)
