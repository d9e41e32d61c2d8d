"""The privacy app's own personal-data fields (called from PrivacyConfig.ready).

A data-subject request is a subject root: the requester is found by its national id, e-mail, name and
address. A register's, notice's or breach's prose describes processing, not people, and is declared so; the
names typed as text (a DPO, a reporter, a contact) are matched as text (`TEXT`).
"""

from __future__ import annotations

from typing import Any

# What a request says about where and how to reach the requester (a protected-identity address among it).
REQUEST_HIDDEN_FIELDS = frozenset({"postal_address", "email", "phone", "other_names", "description"})


def _hidden_request_fields(actor: Any, instance: Any) -> set[str]:
    """The contact fields of a request stay hidden from whoever may not open the request itself (the request
    selectors' visibility: a protected-identity case only to those who may handle it), wherever the row
    shows up: the subject search, an extract, the audit trail."""
    from insyn.core.exceptions import NotFoundError
    from insyn.privacy.selectors.requests import access_request

    if instance.pk is None or actor is None:
        return set(REQUEST_HIDDEN_FIELDS)
    try:
        access_request(actor=actor, pk=instance.pk)
    except NotFoundError:
        return set(REQUEST_HIDDEN_FIELDS)
    return set()


def register_privacy_fields() -> None:
    from insyn.core.personal_data import (
        TEXT,
        DataCategory,
        SubjectRoot,
        register,
        register_hidden_fields,
        register_not_personal,
        register_subject_root,
    )

    account, contact, identity, free = (
        DataCategory.ACCOUNT,
        DataCategory.CONTACT,
        DataCategory.IDENTITY,
        DataCategory.FREE_TEXT,
    )
    register_subject_root(
        SubjectRoot(
            "privacy.subjectrequest",
            national_id_fields=("national_id",),
            email_fields=("email",),
            name_fields=("name",),
            address_fields=("postal_address",),
        )
    )
    request = "privacy.subjectrequest"
    register_hidden_fields(request, _hidden_request_fields)
    register(request, "name", identity)
    register(request, "email", contact)
    register(request, "phone", contact)
    register(request, "postal_address", contact)
    register(request, "national_id", DataCategory.NATIONAL_ID)
    register(request, "protected_identity", DataCategory.PROTECTED_IDENTITY)
    register(request, "other_names", free)
    register(request, "description", free)
    register(request, "outcome", free)
    register(request, "extension_reason", free)
    register(request, "identity_provider_ref", account)
    register(request, "identity_verified_by", account, subject="identity_verified_by")
    register(request, "handler", account, subject="handler")
    for label in ("privacy.subjectextract", "privacy.erasureitem", "privacy.processingrestriction"):
        register(label, "request", identity, subject="request")
    register("privacy.subjectextract", "file", DataCategory.FILE, subject="request")
    register("privacy.subjectextract", "created_by", account, subject="created_by")
    register("privacy.erasureitem", "object_label", identity, subject="request")
    register("privacy.erasureitem", "reason", free, subject="request")
    register("privacy.erasureitem", "fields", DataCategory.OTHER, subject="request")
    register_not_personal("privacy.erasureitem", "citation", "the plan row and decision that retain a record")
    register("privacy.processingrestriction", "object_label", identity, subject="request")
    register("privacy.processingrestriction", "reason", free, subject="request")

    register("privacy.breach", "reported_by", identity, subject=TEXT)
    register("privacy.breach", "created_by", account, subject="created_by")
    for name in (
        "description",
        "risk_assessment",
        "consequences",
        "measures",
        "authority_not_notified_reason",
        "late_reason",
        "subject_notification_reason",
    ):
        # Art. 33(5) documentation describes the incident and its categories of data; names of those affected
        # are never written here (they are counted in subjects_count).
        register_not_personal("privacy.breach", name, "describes the incident, not named persons")

    for label in ("privacy.register", "privacy.noticeversion", "privacy.registerversion"):
        register(label, "approved_by", account, subject="approved_by")
    register("privacy.noticeversion", "approved_by_label", account, subject="approved_by")
    register("privacy.registerversion", "approved_by_label", account, subject="approved_by")
    # The DPO and contacts of a register are employees named as text; a search by their name or e-mail finds them.
    register("privacy.register", "dpo_name", identity, subject=TEXT)
    register("privacy.register", "dpo_email", contact, subject=TEXT)
    register("privacy.register", "dpo_phone", contact, subject=TEXT)
    register("privacy.register", "contact_email", contact, subject=TEXT)
    register("privacy.registerversion", "snapshot", contact, subject=TEXT)
    register("privacy.processingactivity", "contact", contact, subject=TEXT)
    register_not_personal("privacy.register", "contact_address", "the controller's postal address")
    register_not_personal("privacy.registerversion", "note", "a note on the register version")
    register_not_personal("privacy.noticeversion", "content", "the published notice text, built from the register")
    for name in ("titles", "intros"):
        register_not_personal("privacy.notice", name, "the notice's own title and introduction")

    for name in (
        "name",
        "description",
        "joint_controllers",
        "joint_arrangement",
        "purposes",
        "legal_basis_text",
        "sources",
        "sources_text",
        "provision_consequence",
        "recipients_text",
        "retention_text",
        "retention_rules",
        "security_measures",
        "automated_decision_logic",
        "dpia_criteria",
        "system_models",
        "extra",
    ):
        register_not_personal("privacy.processingactivity", name, "describes a processing activity, not a person")
    register_not_personal("privacy.legalbasis", "withdrawal_route", "how consent is withdrawn, for everyone")
    register_not_personal("privacy.activitydata", "national_id_reason", "why the activity needs personnummer")
    register_not_personal("privacy.recipient", "name", "a recipient organisation or category")
    register_not_personal("privacy.processor", "name", "a processor company")
    register_not_personal("privacy.transfer", "recipient", "a recipient organisation abroad")
    register_not_personal("privacy.taxonomyterm", "description", "what a taxonomy term means")
    register_not_personal("privacy.taxonomyterm", "national_id", "a flag: the category is national ids")
