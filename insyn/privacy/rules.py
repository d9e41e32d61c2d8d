"""The register checks (issue 10, item 2): pure functions over an activity as data, no database.

`check_activity` gives the warnings the DPO sees in the admin, the API and the export, each with a
stable `code` (`CHECKS`); `missing_for_approval` names the Art. 30(1) fields without which an
activity cannot be approved. Both read the `ActivityData` shape (`activity_data.py`), so they work
the same on a stored activity (`register_data.activity_as_data`), an import preview or an API body.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from insyn.core.exceptions import ValidationFailed
from insyn.privacy.activity_data import ActivityData, WarningData

# The nine criteria of the EDPB-endorsed WP248 rev.01 guidelines: two or more met usually means a DPIA.
DPIA_CRITERIA: dict[str, Promise] = {
    "evaluation_scoring": gettext_lazy("Evaluation or scoring, including profiling and predicting"),
    "automated_decision": gettext_lazy("Automated decision-making with legal or similarly significant effect"),
    "systematic_monitoring": gettext_lazy("Systematic monitoring"),
    "sensitive_data": gettext_lazy("Sensitive data or data of a highly personal nature"),
    "large_scale": gettext_lazy("Data processed on a large scale"),
    "matching_datasets": gettext_lazy("Matching or combining datasets"),
    "vulnerable_subjects": gettext_lazy("Data concerning vulnerable data subjects"),
    "innovative_technology": gettext_lazy("Innovative use or applying new technological or organisational solutions"),
    "prevents_rights": gettext_lazy("Prevents data subjects from exercising a right or using a service or contract"),
}
DPIA_LIKELY_FROM = 2  # WP248: "in most cases … meeting two criteria would require a DPIA"

# Every check's code and what it means; the codes are stable (exports and API clients read them).
CHECKS: dict[str, Promise] = {
    "missing_required": gettext_lazy("A field Art. 30(1) requires is empty: the activity cannot be approved."),
    "art6f_public_authority": gettext_lazy(
        "An authority bases a processing on legitimate interests (Art. 6(1)(f)), which Art. 6(1) second "
        "subparagraph rules out for tasks carried out as a public authority."
    ),
    "legal_basis_without_reference": gettext_lazy(
        "A legal obligation or a task in the public interest needs the law it rests on (Art. 6(3))."
    ),
    "consent_without_withdrawal": gettext_lazy("Consent with no route to withdraw it (Art. 7(3))."),
    "art9_without_condition": gettext_lazy("Special-category data (Art. 9) with no Art. 9(2) condition."),
    "art10_without_reference": gettext_lazy("Data on criminal offences (Art. 10) with no legal authority stated."),
    "national_id_without_reason": gettext_lazy(
        "Personnummer or samordningsnummer with no stated reason (Dataskyddslagen 3 kap. 10 §)."
    ),
    "transfer_without_mechanism": gettext_lazy("A transfer to a third country with no transfer mechanism."),
    "transfer_without_tia": gettext_lazy(
        "A transfer under standard contractual clauses or binding corporate rules with no transfer impact assessment."
    ),
    "third_country_not_declared": gettext_lazy(
        "A recipient or an IT system outside the EU/EEA with no third-country transfer declared for that country."
    ),
    "retention_unclear": gettext_lazy("The retention text gives no clear rule."),
    "retention_not_linked": gettext_lazy("The retention is linked to no document type of an adopted plan."),
    "processor_without_agreement": gettext_lazy("A processor with no data processing agreement (Art. 28(3))."),
    "joint_controllers_without_arrangement": gettext_lazy("Joint controllers with no Art. 26 arrangement."),
    "automated_decision_without_logic": gettext_lazy(
        "An automated decision with no description of its logic and consequences (Art. 13(2)(f))."
    ),
    "dpia_without_link": gettext_lazy("A DPIA is needed or done, but no link to it is given."),
    "dpia_likely_required": gettext_lazy(
        "Two or more WP248 criteria are met, but the DPIA is not marked as needed or done (Art. 35)."
    ),
    # Register-wide (`check_register`)
    "register_empty": gettext_lazy("The register has no activities."),
    "dpo_contact_missing": gettext_lazy("No contact details of the data protection officer (Art. 30(1)(a))."),
    "controller_contact_missing": gettext_lazy("No contact details of the controller (Art. 30(1)(a))."),
}

# The EU and the EEA (ISO 3166 alpha-2): a country outside them is a third country.
EEA_COUNTRIES = frozenset(
    {
        *("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"),
        *("IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"),
        *("IS", "LI", "NO"),
    }
)
PUBLIC_TASK_BASES = ("6.1.c", "6.1.e")


def _warning(code: str, field: str, **params: Any) -> WarningData:
    message = str(CHECKS[code])
    if params:
        message = f"{message} ({', '.join(str(v) for v in params.values())})"
    return {"code": code, "message": message, "field": field}


def missing_for_approval(data: ActivityData) -> list[str]:
    """The required fields the activity lacks, by their name in `ActivityData`; empty when it may be approved."""
    missing = []
    if not str(data.get("name") or "").strip():
        missing.append("name")
    if not [p for p in data.get("purposes") or [] if str(p).strip()]:
        missing.append("purposes")
    if not data.get("legal_bases"):
        missing.append("legal_bases")
    if not data.get("data_subject_categories"):
        missing.append("data_subject_categories")
    if not data.get("personal_data_categories"):
        missing.append("personal_data_categories")
    if not str((data.get("retention") or {}).get("text") or "").strip():
        missing.append("retention.text")
    for index, transfer in enumerate(data.get("transfers") or []):
        if not transfer.get("mechanism"):
            missing.append(f"transfers[{index}].mechanism")
    return missing


def retention_is_unclear(text: str, rules: list[dict[str, Any]] | None) -> bool:
    """True when the records parser reads `text` as nothing or as `unclear`.

    `rules` is the stored reading (`ActivityData.retention.rules`); without it the text is read here."""
    if not text.strip():
        return True
    if rules is None:
        from insyn.records.retention_reader import read_retention

        rules = [read_retention(text).as_dict()]
    return not rules or all(rule.get("action", "unclear") == "unclear" for rule in rules)


def check_activity(data: ActivityData, *, public_authority: bool) -> list[WarningData]:
    """Every warning for one activity, in a stable order. `public_authority`: the controller is a municipality
    or one of its organs acting as an authority (a municipal company is not)."""
    warnings = [_warning("missing_required", field) for field in missing_for_approval(data)]
    bases = data.get("legal_bases") or []
    for basis in bases:
        article = basis.get("article", "")
        if article == "6.1.f" and public_authority:
            warnings.append(_warning("art6f_public_authority", "legal_bases"))
        if article in PUBLIC_TASK_BASES and not str(basis.get("reference") or "").strip():
            warnings.append(_warning("legal_basis_without_reference", "legal_bases", article=article))
        if article == "6.1.a" and not str(basis.get("withdrawal_route") or "").strip():
            warnings.append(_warning("consent_without_withdrawal", "legal_bases"))
    for category in data.get("personal_data_categories") or []:
        label = category.get("label") or category.get("key", "")
        special = category.get("special")
        if special == "art9" and not category.get("art9_condition"):
            warnings.append(_warning("art9_without_condition", "personal_data_categories", category=label))
        if special == "art10" and not str(category.get("art10_reference") or "").strip():
            warnings.append(_warning("art10_without_reference", "personal_data_categories", category=label))
        if category.get("national_id") and not str(category.get("national_id_reason") or "").strip():
            warnings.append(_warning("national_id_without_reason", "personal_data_categories", category=label))
    transfers = data.get("transfers") or []
    declared = {str(t.get("country", "")).upper() for t in transfers}
    for transfer in transfers:
        country = transfer.get("country", "")
        if not transfer.get("mechanism"):
            warnings.append(_warning("transfer_without_mechanism", "transfers", country=country))
        elif transfer.get("mechanism") in ("sccs", "bcrs") and not str(transfer.get("tia_reference") or "").strip():
            warnings.append(_warning("transfer_without_tia", "transfers", country=country))
    abroad = [str(r.get("country") or "").upper() for r in data.get("recipients") or []]
    abroad += [str(s.get("hosting_country") or "").upper() for s in data.get("systems") or []]
    for country in sorted({c for c in abroad if c and c not in EEA_COUNTRIES and c not in declared}):
        warnings.append(_warning("third_country_not_declared", "transfers", country=country))
    retention = data.get("retention") or {"text": ""}
    # Linked plan rows state the rule (the notice's "Gallras" is written from them): the text is then a summary.
    linked = bool(retention.get("document_types"))
    if not linked and retention_is_unclear(str(retention.get("text") or ""), retention.get("rules")):
        warnings.append(_warning("retention_unclear", "retention.text"))
    if not retention.get("document_types"):
        warnings.append(_warning("retention_not_linked", "retention.document_types"))
    for processor in data.get("processors") or []:
        if not str(processor.get("agreement_reference") or "").strip():
            warnings.append(_warning("processor_without_agreement", "processors", processor=processor.get("name", "")))
    if str(data.get("joint_controllers") or "").strip() and not str(data.get("joint_arrangement") or "").strip():
        warnings.append(_warning("joint_controllers_without_arrangement", "joint_arrangement"))
    if data.get("automated_decision") and not str(data.get("automated_decision_logic") or "").strip():
        warnings.append(_warning("automated_decision_without_logic", "automated_decision_logic"))
    dpia = data.get("dpia") or {"need": ""}
    if dpia.get("need") in ("needed", "done") and not str(dpia.get("link") or "").strip():
        warnings.append(_warning("dpia_without_link", "dpia.link"))
    if len(set(dpia.get("criteria") or [])) >= DPIA_LIKELY_FROM and dpia.get("need") not in ("needed", "done"):
        warnings.append(_warning("dpia_likely_required", "dpia.need"))
    return warnings


def check_register(*, activities: int, dpo_email: str, contact: str) -> list[WarningData]:
    """Register-wide checks: an empty register, and Art. 30(1)(a)'s contact details of controller and DPO."""
    warnings: list[WarningData] = []
    if not activities:
        warnings.append(_warning("register_empty", ""))
    if not dpo_email.strip():
        warnings.append(_warning("dpo_contact_missing", "dpo.email"))
    if not contact.strip():
        warnings.append(_warning("controller_contact_missing", "contact"))
    return warnings


# --- Reading an activity's values: bounded before anything is parsed or stored ------------------------

MAX_ITEMS = 500  # per list of an activity: far above any real register row, bounds a hostile body
MAX_TEXT = 20_000  # a free text read by the retention parser or kept in JSON


def read_list(data: Any, name: str) -> list[Any]:
    value = data.get(name) or []
    if not isinstance(value, list):
        raise ValidationFailed(_("%(field)s must be a list.") % {"field": name}, detail={"field": name})
    if len(value) > MAX_ITEMS:
        raise ValidationFailed(
            _("%(field)s has more than %(max)s items.") % {"field": name, "max": MAX_ITEMS}, detail={"field": name}
        )
    return value


def read_text(value: Any, name: str) -> str:
    text = "" if value is None else str(value)
    if len(text) > MAX_TEXT:
        raise ValidationFailed(_("%(field)s is too long.") % {"field": name}, detail={"field": name})
    return text.strip()


def read_choice(value: Any, choices: Any, name: str) -> str:
    text = "" if value is None else str(value)
    if text not in choices.values:
        raise ValidationFailed(
            _("%(field)s: unknown value %(value)s.") % {"field": name, "value": text[:50]},
            detail={"field": name, "value": text[:50], "allowed": [v for v in choices.values if v]},
        )
    return text


def read_iso_date(value: Any, name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ValidationFailed(_("%(field)s is not a date (YYYY-MM-DD).") % {"field": name}) from None


def read_country(value: Any, name: str) -> str:
    country = read_text(value, name).upper()
    if country and not (len(country) == 2 and country.isalpha() and country.isascii()):
        raise ValidationFailed(_('%(field)s: use an ISO 3166 country code ("US").') % {"field": name})
    return country
