"""Register data → the content of a privacy notice (Art. 13/14) per language, and the diff of two versions.

One section per processing activity that has the notice's data-subject category, with the rows of the
notices municipalities already give (seed 001: Laglighet, Ändamål, Kategori registrerad, Personuppgifter,
Hämtas från, Skickas till, Gallras, Informationsbärare), plus what Art. 13 and 14 require and those
notices lack. The database is read only through `activity_source` (one place to switch to P1's
`register_data.activity_as_data`) and `plan_retention`; the rest is pure.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections.abc import Iterable
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from insyn.privacy.models import (
    LegalBasisArticle,
    Notice,
    ProcessingActivity,
    ProvisionRequirement,
    SourceKind,
    TaxonomyTerm,
    TransferMechanism,
)

LANGUAGES = ("sv", "pl", "en")
NOTICE_CONTENT_VERSION = 1  # bump when the shape changes: the digest then differs and drafts are remade

# (key, label in seed 001, gettext label). The seed label is the row's stable name in the JSON and the CLI;
# the shown label is translated. Until the Swedish catalogue has it, Swedish shows the seed label.
ROWS: tuple[tuple[str, str, Promise], ...] = (
    # Translators: Swedish "Laglighet" (row of the privacy notice table)
    ("lawfulness", "Laglighet", pgettext_lazy("privacy notice row", "Lawfulness")),
    # Translators: Swedish "Ändamål" (row of the privacy notice table)
    ("purposes", "Ändamål", pgettext_lazy("privacy notice row", "Purpose")),
    # Translators: Swedish "Kategori registrerad" (row of the privacy notice table)
    ("subjects", "Kategori registrerad", pgettext_lazy("privacy notice row", "Data-subject category")),
    # Translators: Swedish "Personuppgifter" (row of the privacy notice table)
    ("data", "Personuppgifter", pgettext_lazy("privacy notice row", "Personal data")),
    # Translators: Swedish "Hämtas från" (row of the privacy notice table)
    ("sources", "Hämtas från", pgettext_lazy("privacy notice row", "Collected from")),
    # Translators: Swedish "Skickas till" (row of the privacy notice table)
    ("recipients", "Skickas till", pgettext_lazy("privacy notice row", "Sent to")),
    # Translators: Swedish "Gallras" (row of the privacy notice table)
    ("retention", "Gallras", pgettext_lazy("privacy notice row", "Retention")),
    # Translators: Swedish "Informationsbärare" (row of the privacy notice table)
    ("systems", "Informationsbärare", pgettext_lazy("privacy notice row", "Information carriers")),
)
SEED_LABELS = {key: seed for key, seed, _label in ROWS}

# Art. 13(2)(d) / 77: the supervisory authority by the controller's country.
AUTHORITIES: dict[str, dict[str, str]] = {
    "SE": {
        "name": "Integritetsskyddsmyndigheten (IMY)",
        "address": "Box 8114, 104 20 Stockholm",
        "email": "imy@imy.se",
        "website": "https://www.imy.se",
    },
    "PL": {
        "name": "Prezes Urzędu Ochrony Danych Osobowych (UODO)",
        "address": "ul. Stawki 2, 00-193 Warszawa",
        "email": "kancelaria@uodo.gov.pl",
        "website": "https://uodo.gov.pl",
    },
}
SOURCE_LANGUAGE = {"SE": "sv", "PL": "pl"}
OBJECTION_BASES = {LegalBasisArticle.PUBLIC_INTEREST.value, LegalBasisArticle.LEGITIMATE_INTERESTS.value}
PORTABILITY_BASES = {LegalBasisArticle.CONSENT.value, LegalBasisArticle.CONTRACT.value}


# --- Reading the register (the only database reads) ---------------------------------------------------


def activity_source(activity: ProcessingActivity, lang: str) -> dict[str, Any]:
    """The activity as `activity_data.ActivityData`; the register part's `activity_as_data` when it is there."""
    if importlib.util.find_spec("insyn.privacy.register_data") is None:
        return _activity_as_data_local(activity, lang)
    from insyn.privacy.register_data import activity_as_data  # an error inside it is not hidden

    return dict(activity_as_data(activity, lang=lang))


def register_dpo(register: Any) -> dict[str, str]:
    """The DPO's contacts: the register's, else inherited from the municipality (register part's rule)."""
    if register is None:
        return {"name": "", "email": "", "phone": ""}
    if importlib.util.find_spec("insyn.privacy.register_data") is not None:
        from insyn.privacy import register_data

        if hasattr(register_data, "register_dpo"):
            return dict(register_data.register_dpo(register))
    return {"name": register.dpo_name, "email": register.dpo_email, "phone": register.dpo_phone}


def _activity_as_data_local(activity: ProcessingActivity, lang: str) -> dict[str, Any]:
    # The fields of ActivityData a notice needs, read from the models (until register_data exists).
    subjects = list(activity.subjects.all())
    return {
        "id": activity.pk,
        "name": activity.name,
        "purposes": list(activity.purposes or []),
        "legal_bases": [
            {"article": b.article, "reference": b.reference, "withdrawal_route": b.withdrawal_route}
            for b in activity.legal_bases.all()
        ],
        "legal_basis_text": activity.legal_basis_text,
        "data_subject_categories": [{"key": s.category.key, "label": s.category.label_in(lang)} for s in subjects],
        "personal_data_categories": [
            {
                "key": d.category.key,
                "label": d.category.label_in(lang),
                "special": d.category.special or None,
                "subject": d.subject.category.key if d.subject_id and d.subject else None,
            }
            for d in activity.data.all()
        ],
        "sources": list(activity.sources or []),
        "sources_text": activity.sources_text,
        "provision_requirement": activity.provision_requirement,
        "provision_consequence": activity.provision_consequence,
        "recipients": [{"kind": r.kind, "name": r.name, "country": r.country} for r in activity.recipients.all()],
        "recipients_text": activity.recipients_text,
        "processors": [{"name": p.name, "service": p.service} for p in activity.processors.all()],
        "transfers": [
            {
                "country": t.country,
                "mechanism": t.mechanism,
                "mechanism_reference": t.mechanism_reference,
                "recipient": t.recipient,
            }
            for t in activity.transfers.all()
        ],
        "retention": {"text": activity.retention_text, "rules": list(activity.retention_rules or [])},
        "systems": [{"name": s.name} for s in activity.systems.all()],
        "systems_text": activity.systems_text,
        "automated_decision": activity.automated_decision,
        "automated_decision_logic": activity.automated_decision_logic,
    }


def _row_in_force(row: Any) -> Any:
    """The same row in the plan version in force: a link made to v1 follows the plan once v2 is adopted.

    A new version copies every row (records.services.plans.plan_new_version), so the row is found again by
    its process code, activity and name; a row the new version dropped keeps its old rule.
    """
    plan, hops = row.plan, 0
    while plan.status == "replaced" and hops < 50:
        successor = plan.next_versions.filter(status__in=["adopted", "replaced"]).order_by("-adopted_on").first()
        if successor is None:
            break
        plan, hops = successor, hops + 1
    if plan.pk == row.plan_id:
        return row
    match = (
        plan.document_types.select_related("plan")
        .filter(name=row.name, activity__name=row.activity.name, activity__process__code=row.activity.process.code)
        .order_by("position", "pk")
        .first()
    )
    return match or row


def plan_retention(activity: ProcessingActivity) -> list[dict[str, Any]]:
    """The linked plan rows (as the plan in force has them) with their full rule and the plan's decision."""
    rows = []
    linked = activity.document_types.select_related("plan", "activity__process").order_by("plan_id", "position", "pk")
    for linked_row in linked:
        row = _row_in_force(linked_row)
        rows.append(
            {
                "id": row.pk,
                "name": row.name,
                "rule": {
                    "action": row.action,
                    "period": row.period,
                    "trigger": row.trigger,
                    "trigger_event": row.trigger_event,
                    "align": row.align,
                    "sampling": row.sampling,
                },
                "retention_text": row.retention_text,
                "plan": row.plan.title,
                "decision": row.plan.adoption_label,
            }
        )
    return rows


# --- Building ------------------------------------------------------------------------------------------


def _label(lazy: Promise, seed: str, lang: str) -> str:
    text = str(lazy)
    # Swedish before the catalogue is filled: the seed's wording, never the English msgid.
    return seed if lang == "sv" and text == _msgid(lazy) else text


def _msgid(lazy: Promise) -> str:
    with translation.override("en"):
        return str(lazy)


def _choice(choices: Any, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def _retention_text(data: dict[str, Any], plan_rows: list[dict[str, Any]], own_language: bool) -> dict[str, Any]:
    from insyn.records.retention_display import retention_words

    if plan_rows:
        lines = [
            _("%(row)s: %(rule)s (%(plan)s, decision %(decision)s)")
            % {"row": r["name"], "rule": retention_words(r["rule"]), "plan": r["plan"], "decision": r["decision"]}
            for r in plan_rows
        ]
        return {"text": "", "items": lines, "from_plan": True}
    written = (data.get("retention") or {}).get("text", "")
    if own_language and written:
        return {"text": written, "items": [], "from_plan": False}
    rules = (data.get("retention") or {}).get("rules") or []
    return {"text": "", "items": [retention_words(rule) for rule in rules] or [written], "from_plan": False}


def _section(
    data: dict[str, Any], plan_rows: list[dict[str, Any]], subject: TaxonomyTerm, lang: str, own_language: bool
) -> dict[str, Any]:
    articles = [b["article"] for b in data.get("legal_bases", [])]
    bases = [
        {
            "article": b["article"],
            "label": _choice(LegalBasisArticle, b["article"]),
            "reference": b.get("reference", ""),
        }
        for b in data.get("legal_bases", [])
    ]
    data_labels = [
        d.get("label") or d["key"]
        for d in data.get("personal_data_categories", [])
        if d.get("subject") in (None, "", subject.key)
    ]
    sources = [_choice(SourceKind, s) for s in data.get("sources", [])]
    recipients = [r["name"] for r in data.get("recipients", [])]
    recipients += [
        f"{p['name']} ({p['service']})" if p.get("service") else p["name"] for p in data.get("processors", [])
    ]
    systems = [s["name"] for s in data.get("systems", [])]
    written = {
        "lawfulness": data.get("legal_basis_text", ""),
        "sources": data.get("sources_text", ""),
        "recipients": data.get("recipients_text", ""),
        "systems": data.get("systems_text", ""),
    }
    cells: dict[str, dict[str, Any]] = {
        "lawfulness": {"items": [f"{b['label']}{' – ' + b['reference'] if b['reference'] else ''}" for b in bases]},
        "purposes": {"items": list(data.get("purposes", []))},
        "subjects": {"items": [subject.label_in(lang)]},
        "data": {"items": data_labels},
        "sources": {"items": sources},
        "recipients": {"items": recipients},
        "retention": _retention_text(data, plan_rows, own_language),
        "systems": {"items": [] if written["systems"] and own_language else systems},
    }
    rows = []
    for key, seed, lazy in ROWS:
        cell = cells[key]
        text = cell.get("text", "")
        if not text and own_language and written.get(key):
            text = written[key]
        rows.append({"key": key, "seed_label": seed, "label": _label(lazy, seed, lang), "text": text, **cell})
    transfers = [
        {
            "country": t["country"],
            "recipient": t.get("recipient", ""),
            "mechanism": t.get("mechanism", ""),
            "mechanism_label": _choice(TransferMechanism, t.get("mechanism", ""))
            if t.get("mechanism")
            else _("No adequacy decision and no safeguard stated"),
            "reference": t.get("mechanism_reference", ""),
        }
        for t in data.get("transfers", [])
    ]
    requirement = data.get("provision_requirement", "")
    consent = [b for b in data.get("legal_bases", []) if b["article"] == LegalBasisArticle.CONSENT]
    return {
        "activity_id": data.get("id"),
        "title": data["name"],
        "rows": rows,
        "legal_bases": bases,
        # Art. 13(1)(d): the legitimate interests are stated with the lawfulness text of the activity.
        "legitimate_interests": LegalBasisArticle.LEGITIMATE_INTERESTS in articles,
        "transfers": transfers,  # Art. 13(1)(f)
        "provision": {  # Art. 13(2)(e)
            "requirement": requirement,
            "label": _choice(ProvisionRequirement, requirement) if requirement else "",
            "consequence": data.get("provision_consequence", "") if own_language else "",
        },
        "automated_decision": {  # Art. 13(2)(f)
            "exists": bool(data.get("automated_decision")),
            "logic": data.get("automated_decision_logic", "") if own_language else "",
        },
        "consent": {  # Art. 13(2)(c)
            "applies": bool(consent),
            "withdrawal_route": (consent[0].get("withdrawal_route", "") if consent else "") if own_language else "",
        },
        "objection_applies": bool(OBJECTION_BASES & set(articles)),  # Art. 21(1)
        "portability_applies": bool(PORTABILITY_BASES & set(articles)),  # Art. 20(1)(a)
        # Art. 14(2)(f): where the data come from when not (only) from the subject.
        "other_sources": [s for s in data.get("sources", []) if s != SourceKind.SUBJECT],
    }


def _rights(sections: list[dict[str, Any]]) -> list[dict[str, str]]:
    rights = [
        ("15", _("Right of access"), _("You may ask for a copy of the personal data we hold about you.")),
        ("16", _("Right to rectification"), _("You may ask us to correct inaccurate data about you.")),
        (
            "17",
            _("Right to erasure"),
            _("You may ask us to erase data about you; public documents we must keep under the archives laws stay."),
        ),
        ("18", _("Right to restriction"), _("You may ask us to restrict the processing of your data.")),
    ]
    if any(s["portability_applies"] for s in sections):
        rights.append(
            (
                "20",
                _("Right to data portability"),
                _(
                    "Where we process data on the basis of consent or a contract, you may receive them in a portable "
                    "form."
                ),
            )
        )
    return [{"article": a, "title": t, "text": x} for a, t, x in rights]


def build_content(
    *,
    notice: Notice,
    activities: Iterable[ProcessingActivity],
    register: Any,
    lang: str,
) -> dict[str, Any]:
    """The notice in one language. `register` gives the DPO's and the controller's contacts (may be None)."""
    controller = notice.controller
    subject = notice.subject_category
    # The supervisory authority and the language of the register's prose follow the municipality's country.
    country = (controller.municipality or controller).country or "SE"
    own_language = SOURCE_LANGUAGE.get(country, "sv") == lang
    with translation.override(lang):
        sections = [
            _section(activity_source(a, lang), plan_retention(a), subject, lang, own_language) for a in activities
        ]
        for number, section in enumerate(sections, start=1):
            # Translators: Swedish "Tabell %(number)d", as under each table of seed 001
            section["table_label"] = pgettext("privacy notice", "Table %(number)d") % {"number": number}
        objecting = [s["title"] for s in sections if s["objection_applies"]]
        consenting = [s for s in sections if s["consent"]["applies"]]
        transfers = [dict(t, activity=s["title"]) for s in sections for t in s["transfers"]]
        automated = [s for s in sections if s["automated_decision"]["exists"]]
        authority = AUTHORITIES.get(country, AUTHORITIES["SE"])
        return {
            "format": NOTICE_CONTENT_VERSION,
            "lang": lang,
            "title": (notice.titles or {}).get(lang)
            or _("Information to %(subjects)s about the processing of personal data")
            % {"subjects": subject.label_in(lang).lower()},
            "intro": (notice.intros or {}).get(lang, ""),
            "sections": sections,
            "art13": {
                "controller": {  # Art. 13(1)(a)
                    "name": controller.name,
                    "municipality": controller.municipality.name if controller.municipality else "",
                    "organisation_number": controller.organisation_number,
                    "email": getattr(register, "contact_email", "") or controller.email,
                    "address": getattr(register, "contact_address", ""),
                },
                "dpo": register_dpo(register),  # Art. 13(1)(b)
                "transfers": transfers,  # Art. 13(1)(f)
                "no_transfers_text": ""
                if transfers
                else _("We do not transfer your data to countries outside the EU/EEA."),
                "retention_note": _(
                    "Public documents are kept or disposed of as the retention plan and the archives laws say."
                ),
                "rights": _rights(sections),  # Art. 13(2)(b)
                "objection": {  # Art. 21(4): shown separately and prominently
                    "applies": bool(objecting),
                    "title": _("Your right to object"),
                    "text": _(
                        "Where we process your data for a task in the public interest, in the exercise of official "
                        "authority or for a legitimate interest, you have the right to object at any time, on grounds "
                        "relating to your particular situation (Art. 21 GDPR). We then stop unless we show compelling "
                        "legitimate grounds that override your interests, or need the data for legal claims."
                    ),
                    "activities": objecting,
                },
                "consent": {  # Art. 13(2)(c)
                    "applies": bool(consenting),
                    "text": _(
                        "Where the processing is based on your consent, you may withdraw it at any time; this does not "
                        "affect the lawfulness of the processing before the withdrawal."
                    ),
                    "activities": [
                        {"activity": s["title"], "route": s["consent"]["withdrawal_route"]} for s in consenting
                    ],
                },
                "complaint": {  # Art. 13(2)(d)
                    **authority,
                    "text": _("You have the right to lodge a complaint with the supervisory authority: %(name)s.")
                    % {"name": authority["name"]},
                },
                "provision": [  # Art. 13(2)(e)
                    {"activity": s["title"], **s["provision"]} for s in sections if s["provision"]["requirement"]
                ],
                "automated_decisions": {  # Art. 13(2)(f)
                    "exists": bool(automated),
                    "text": _("We make no decisions about you based solely on automated processing.")
                    if not automated
                    else _("Some decisions are made by automated processing; see the activities below."),
                    "activities": [
                        {"activity": s["title"], "logic": s["automated_decision"]["logic"]} for s in automated
                    ],
                },
                "sources": sorted({_choice(SourceKind, k) for s in sections for k in s["other_sources"]}),  # 14(2)(f)
            },
        }


def build_all(*, notice: Notice, activities: list[ProcessingActivity], register: Any) -> dict[str, dict[str, Any]]:
    return {
        lang: build_content(notice=notice, activities=activities, register=register, lang=lang) for lang in LANGUAGES
    }


def content_digest(content: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


# --- Diff between versions ------------------------------------------------------------------------------


def _cells(content: dict[str, Any]) -> dict[tuple[str, str], str]:
    cells: dict[tuple[str, str], str] = {
        ("", "title"): content.get("title", ""),
        ("", "intro"): content.get("intro", ""),
    }
    for section in content.get("sections", []):
        for row in section["rows"]:
            cells[(section["title"], row["label"])] = "\n".join(filter(None, [row["text"], *row.get("items", [])]))
    art13 = content.get("art13", {})
    for name in ("controller", "dpo", "complaint"):
        for field, value in (art13.get(name) or {}).items():
            cells[("", f"{name}.{field}")] = str(value)
    cells[("", "transfers")] = json.dumps(art13.get("transfers", []), ensure_ascii=False, sort_keys=True)
    return cells


def content_diff(before: dict[str, Any] | None, after: dict[str, Any]) -> list[dict[str, str]]:
    """What changed between two versions in one language: [{"section", "row", "before", "after"}]."""
    old, new = _cells(before or {}), _cells(after)
    changes = []
    for key in list(dict.fromkeys([*old, *new])):
        if old.get(key, "") != new.get(key, ""):
            changes.append({"section": key[0], "row": key[1], "before": old.get(key, ""), "after": new.get(key, "")})
    return changes
