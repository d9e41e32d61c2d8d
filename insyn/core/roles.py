"""The roles Insyn ships with: a permission group each, applied within an organisation subtree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ADMIN_ACCESS = "wagtailadmin.access_admin"
API_TOKENS = (
    "wagtailcore.add_apitoken",
    "wagtailcore.view_apitoken",
    "wagtailcore.change_apitoken",
    "wagtailcore.delete_apitoken",
)

_DOC_READ = ["core.view_governingdocument", "core.view_organisation"]
_DOC_WRITE = [*_DOC_READ, "core.add_governingdocument", "core.change_governingdocument"]
_AUDIT = ["core.view_audit_trail", "core.view_auditentry"]
_OFFICIALS_READ = ["officials.view_person", "officials.view_membership", "officials.view_post"]
_OFFICIALS_WRITE = [
    *_OFFICIALS_READ,
    "officials.add_person",
    "officials.change_person",
    "officials.add_membership",
    "officials.change_membership",
    "officials.delete_membership",
]
_LOANS_READ = [
    "loans.view_device",
    "loans.view_kit",
    "loans.view_loan",
    "loans.view_incident",
    "loans.view_broadbandrequest",
]
_LOANS_WRITE = [
    *_LOANS_READ,
    "loans.add_device",
    "loans.change_device",
    "loans.add_kit",
    "loans.change_kit",
    "loans.add_loan",
    "loans.change_loan",
    "loans.change_incident",
    "loans.change_broadbandrequest",
]
_PLAN_READ = ["records.view_retentionplan", "records.view_documenttype"]
_PLAN_WRITE = [
    *_PLAN_READ,
    "records.add_retentionplan",
    "records.change_retentionplan",
    "records.delete_retentionplan",
    "records.change_documenttype",
    "records.add_documenttype",
    "records.delete_documenttype",
    "records.view_retentionpattern",
    "records.add_retentionpattern",
    "records.change_retentionpattern",
    "records.view_itsystem",
    "records.add_itsystem",
    "records.change_itsystem",
]


_PRIVACY_READ = [
    "privacy.view_register",
    "privacy.view_processingactivity",
    "privacy.view_taxonomyterm",
    "privacy.view_notice",
    "privacy.view_subjectrequest",
    "privacy.view_breach",
]
# The controller contact keeps the register rows of their own organ up to date; the DPO approves them.
_PRIVACY_CONTACT = [
    *_PRIVACY_READ,
    "privacy.add_register",
    "privacy.change_register",
    "privacy.add_processingactivity",
    "privacy.change_processingactivity",
    "privacy.delete_processingactivity",
    "privacy.add_breach",
    "privacy.change_breach",
]
# The registrar registers requests that arrive by e-mail or letter and files what they produce.
_PRIVACY_REGISTRAR = [
    *_PRIVACY_READ,
    "privacy.add_subjectrequest",
    "privacy.change_subjectrequest",
    "privacy.add_breach",
]
_PRIVACY_DPO = [
    *_PRIVACY_CONTACT,
    *_PRIVACY_REGISTRAR,
    "privacy.approve_register",
    "privacy.add_taxonomyterm",
    "privacy.change_taxonomyterm",
    "privacy.add_notice",
    "privacy.change_notice",
    "privacy.publish_notice",
    "privacy.view_subject_data",
    "privacy.erase_subject_data",
    # The register's information carriers are the plan's register of IT systems: the DPO adds the ones it lacks.
    "records.view_itsystem",
    "records.add_itsystem",
    "records.change_itsystem",
]


@dataclass(frozen=True)
class Role:
    code: str
    group_name: str
    label: Promise
    permissions: tuple[str, ...]


ROLES: tuple[Role, ...] = (
    Role(
        "administrator",
        "Administrator",
        _("Administrator"),
        (
            ADMIN_ACCESS,
            *API_TOKENS,
            *_DOC_WRITE,
            *_AUDIT,
            *_PLAN_WRITE,
            *_OFFICIALS_WRITE,
            *_LOANS_WRITE,
            *_PRIVACY_DPO,
            "officials.view_national_id",
            "officials.view_protected_identity",
            "core.delete_governingdocument",
            "core.add_organisation",
            "core.change_organisation",
            "core.view_roleassignment",
            "core.add_roleassignment",
            "core.change_roleassignment",
            "core.delete_roleassignment",
        ),
    ),
    Role("archivist", "Archivist", _("Archivist"), (ADMIN_ACCESS, *API_TOKENS, *_DOC_WRITE, *_AUDIT, *_PLAN_WRITE)),
    Role(
        "registrar",
        "Registrar",
        _("Registrar"),
        (ADMIN_ACCESS, *API_TOKENS, *_DOC_WRITE, *_PLAN_READ, *_PRIVACY_REGISTRAR),
    ),
    Role(
        "dpo",
        "Data protection officer",
        _("Data protection officer"),
        (
            ADMIN_ACCESS,
            *API_TOKENS,
            *_DOC_READ,
            *_AUDIT,
            *_PLAN_READ,
            *_OFFICIALS_READ,
            *_PRIVACY_DPO,
            "officials.view_national_id",
        ),
    ),
    Role(
        "privacy_contact",
        "Controller contact",
        _("Controller contact"),
        (ADMIN_ACCESS, *API_TOKENS, *_DOC_READ, *_PLAN_READ, *_PRIVACY_CONTACT),
    ),
    Role(
        "it",
        "IT and equipment",
        _("IT and equipment"),
        (ADMIN_ACCESS, *API_TOKENS, *_DOC_READ, *_OFFICIALS_READ, *_LOANS_WRITE),
    ),
    Role(
        "secretary",
        "Committee secretary",
        _("Committee secretary"),
        (ADMIN_ACCESS, *API_TOKENS, *_DOC_WRITE, *_OFFICIALS_WRITE, *_LOANS_READ),
    ),
    Role("web_editor", "Web editor", _("Web editor"), (ADMIN_ACCESS, *API_TOKENS, *_DOC_READ)),
    Role("head_of_unit", "Head of unit", _("Head of unit"), (ADMIN_ACCESS, *API_TOKENS, *_DOC_WRITE)),
    Role("editorial_office", "Editorial office", _("Editorial office"), (ADMIN_ACCESS, *API_TOKENS, *_DOC_READ)),
    Role("chief_editor", "Chief editor", _("Chief editor"), (ADMIN_ACCESS, *API_TOKENS, *_DOC_READ)),
    Role("elected_official", "Elected official", _("Elected official"), (ADMIN_ACCESS, *API_TOKENS, *_DOC_READ)),
)

ROLES_BY_CODE = {role.code: role for role in ROLES}

ROLE_LABELS = {role.group_name: role.label for role in ROLES}
_SEPARATOR = " · "


def role_label(group_name: str) -> str:
    """The role's name in the active language; a group that is no Insyn role keeps its own name."""
    label = ROLE_LABELS.get(group_name)
    return str(label) if label is not None else group_name


def _group_str(group: Any) -> str:
    return role_label(group.name)


def show_groups_by_role_label() -> None:
    """Make `str(group)` the translated role name (CoreConfig.ready).

    Group.name stays the stable English key (roles_sync, the CLI, exports read `.name`); everything that
    shows a group through `str()` (Wagtail's user form and user filter, the role-assignment list and
    filter, choosers) then shows it in the user's language. Wagtail has no hook for its user form."""
    from django.contrib.auth.models import Group

    Group.__str__ = _group_str  # type: ignore[method-assign]


def translate_role_names(text: str) -> str:
    """A stored label such as "anna · Registrar · Piteå kommun" (RoleAssignment.__str__ on the audit
    trail, written in its author's language) with each role name in the active language."""
    by_any_name: dict[str, str] = {}
    for role in ROLES:
        current = str(role.label)
        by_any_name[role.group_name] = current
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                by_any_name.setdefault(str(role.label), current)
    return _SEPARATOR.join(by_any_name.get(part, part) for part in text.split(_SEPARATOR))
