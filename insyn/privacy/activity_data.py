"""One shape for a processing activity as data: what the API takes and gives, what imports and the demo
produce, what exports write (JSON, XLSX/ODS rows), what notices are built from and what an approved
register version stores. `services.register.activity_save` takes it; `register_data.activity_as_data` gives it.

On input, terms are named by `key` (a taxonomy key: fideslang's or a `se.` one); a key the taxonomy
lacks is an error naming it (imports first create the municipality's own terms, and say so in the preview).
Fields marked "output only" are ignored on input.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict


class LegalBasisData(TypedDict):
    article: str  # "6.1.a" … "6.1.f" (LegalBasisArticle)
    reference: str  # "SFS 2017:725 (kommunallagen) 6 kap. 6 §", may be ""
    withdrawal_route: NotRequired[str]  # consent only


class SubjectCategoryData(TypedDict):
    key: str  # taxonomy key ("se.fortroendevald", "employee")
    label: NotRequired[str]  # output only (in the requested language)


class PersonalDataCategoryData(TypedDict):
    key: str
    label: NotRequired[str]  # output only
    special: NotRequired[Literal["art9", "art10"] | None]  # output only (from the term)
    national_id: NotRequired[bool]  # output only (from the term)
    protected_identity: NotRequired[bool]  # output only (from the term)
    subject: NotRequired[str | None]  # key of one of the activity's subject categories; None: all of them
    art9_condition: NotRequired[str]  # "9.2.h" (Art9Condition) or ""
    dsl_reference: NotRequired[str]  # "DSL 3 kap. 3 §"
    art10_reference: NotRequired[str]
    national_id_reason: NotRequired[str]
    children: NotRequired[bool]
    secrecy: NotRequired[str]  # "OSL 26 kap. 1 §"


class RecipientData(TypedDict):
    kind: Literal["category", "named"]
    name: str
    country: NotRequired[str]  # ISO 3166 alpha-2 when outside the EU/EEA


class ProcessorData(TypedDict):
    name: str
    service: NotRequired[str]
    agreement_reference: NotRequired[str]
    agreement_date: NotRequired[str | None]  # ISO date


class TransferData(TypedDict):
    country: str  # ISO 3166 alpha-2 ("US")
    mechanism: Literal["adequacy", "sccs", "bcrs", "derogation", ""]
    mechanism_reference: NotRequired[str]  # "EU–US Data Privacy Framework, C(2023) 4745"
    recipient: NotRequired[str]
    tia_reference: NotRequired[str]
    tia_date: NotRequired[str | None]


class DocumentTypeRef(TypedDict):
    id: int
    name: NotRequired[str]  # output only
    plan: NotRequired[str]  # output only: the plan's title and version
    decision: NotRequired[str]  # output only: "Kommunstyrelsen 2016-11-28 § 208"
    action: NotRequired[str]  # output only: retain / dispose / …
    period: NotRequired[str]  # output only: ISO 8601 duration
    retention_text: NotRequired[str]  # output only: the row's rule as written


class RetentionData(TypedDict):
    text: str  # as the register states it
    rules: NotRequired[list[dict[str, object]]]  # the records parser's reading of `text` (output only)
    document_types: NotRequired[list[DocumentTypeRef]]


class SystemData(TypedDict):
    name: str  # an IT system of the controller's municipality (records.ITSystem), created if missing
    hosting_location: NotRequired[str]
    hosting_country: NotRequired[str]


class DpiaData(TypedDict):
    need: Literal["", "not_needed", "needed", "done"]
    criteria: NotRequired[list[str]]  # rules.DPIA_CRITERIA keys
    link: NotRequired[str]


class WarningData(TypedDict):
    code: str  # "art6f_public_authority", "art9_without_condition", … (rules.CHECKS)
    message: str
    field: str


class ActivityData(TypedDict):
    id: NotRequired[int]  # output only
    status: NotRequired[str]  # output only: draft / approved
    name: str
    description: NotRequired[str]
    joint_controllers: NotRequired[str]
    joint_arrangement: NotRequired[str]
    owning_unit: NotRequired[str]
    contact: NotRequired[str]
    on_behalf_of: NotRequired[str]
    purposes: list[str]
    data_uses: NotRequired[list[str]]  # taxonomy keys (fideslang data uses)
    legal_bases: list[LegalBasisData]
    legal_basis_text: NotRequired[str]
    data_subject_categories: list[SubjectCategoryData]
    personal_data_categories: list[PersonalDataCategoryData]
    sources: NotRequired[list[str]]  # SourceKind values
    sources_text: NotRequired[str]
    provision_requirement: NotRequired[str]
    provision_consequence: NotRequired[str]
    recipients: NotRequired[list[RecipientData]]
    recipients_text: NotRequired[str]
    processors: NotRequired[list[ProcessorData]]
    transfers: NotRequired[list[TransferData]]
    retention: RetentionData
    systems: NotRequired[list[SystemData]]
    systems_text: NotRequired[str]
    security_measures: NotRequired[str]
    automated_decision: NotRequired[bool]
    automated_decision_logic: NotRequired[str]
    dpia: NotRequired[DpiaData]
    system_models: NotRequired[list[str]]  # personal-data registry model labels ("officials.person")
    extra: NotRequired[dict[str, str]]
    warnings: NotRequired[list[WarningData]]  # output only


class RegisterData(TypedDict):
    """A whole register: the export JSON's top level and an approved version's snapshot."""

    controller: dict[str, str]  # {"name", "municipality", "organisation_number", "path"}
    kind: str
    title: str
    version: int
    status: str
    dpo: dict[str, str]  # {"name", "email", "phone"}
    contact: dict[str, str]  # {"email", "address"}
    activities: list[ActivityData]
    warnings: list[WarningData]  # register-wide checks (each activity's own are in it)
