"""Forms of the register admin: a register's own fields, and one processing activity as `ActivityData`.

The activity form never writes a model: `activity_data()` builds the dict that
`insyn.privacy.services.register.activity_save` takes, and `initial_from_data()` fills the form from
`register_data.activity_as_data`. Repeated parts (legal bases, data categories, recipients, processors,
transfers, systems) are formsets; every choice is read through a selector for the register's municipality.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from insyn.core.actor import Actor
from insyn.core.personal_data import registered_models
from insyn.privacy.activity_data import ActivityData
from insyn.privacy.models import (
    Art9Condition,
    DpiaNeed,
    LegalBasisArticle,
    ProvisionRequirement,
    RecipientKind,
    Register,
    RegisterKind,
    SourceKind,
    TermKind,
    TransferMechanism,
)
from insyn.privacy.rules import DPIA_CRITERIA
from insyn.privacy.selectors import dashboard as choices

# Bounds on what a posted form may hold (insyn/core/bounded_input.py): a register row is a page, not a book.
MAX_LINES = 200
MAX_ROWS = 100
MAX_TEXT = 20_000


def _text(label: Any) -> forms.CharField:
    """An optional multi-line text, bounded."""
    return forms.CharField(label=label, required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}))


def _lines(value: str) -> list[str]:
    lines = [line.strip() for line in value.splitlines() if line.strip()]
    if len(lines) > MAX_LINES:
        raise ValidationError(_("At most %(count)d lines."), params={"count": MAX_LINES})
    return lines


# --- The register ------------------------------------------------------------------------------------------


class RegisterForm(forms.Form):
    controller: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Controller"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=RegisterKind.choices, initial=RegisterKind.CONTROLLER)
    title = forms.CharField(label=_("Title"), max_length=300)
    review_date = forms.DateField(
        label=_("Next review"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    dpo_name = forms.CharField(label=_("Data protection officer"), max_length=200, required=False)
    dpo_email = forms.EmailField(label=_("DPO e-mail"), required=False)
    dpo_phone = forms.CharField(label=_("DPO phone"), max_length=40, required=False)
    contact_email = forms.EmailField(label=_("Controller contact e-mail"), required=False)
    contact_address = _text(_("Controller postal address"))

    def __init__(self, *args: Any, actor: Actor, register: Register | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if register is None:
            field = self.fields["controller"]
            field.queryset = choices.register_controller_choices(actor=actor)  # type: ignore[attr-defined]
        else:
            # A register's controller and kind are its identity: they are not edited.
            del self.fields["controller"]
            del self.fields["kind"]

    def service_fields(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name not in ("controller", "kind")}


# --- The activity's repeated parts ------------------------------------------------------------------------


class LegalBasisForm(forms.Form):
    article = forms.ChoiceField(label=_("Legal basis"), choices=LegalBasisArticle.choices)
    reference = forms.CharField(label=_("Law reference"), max_length=500, required=False)
    withdrawal_route = _text(_("How consent is withdrawn (consent only)"))


class DataCategoryForm(forms.Form):
    key = forms.ChoiceField(label=_("Personal-data category"))
    subject = forms.ChoiceField(label=_("About"), required=False)
    art9_condition = forms.ChoiceField(label=_("Art. 9(2) condition"), choices=Art9Condition.choices, required=False)
    dsl_reference = forms.CharField(label=_("Dataskyddslagen reference"), max_length=200, required=False)
    art10_reference = forms.CharField(label=_("Art. 10 authority (law reference)"), max_length=200, required=False)
    national_id_reason = _text(_("Reason for personnummer (DSL 3 kap. 10 §)"))
    children = forms.BooleanField(label=_("Children's data"), required=False)
    secrecy = forms.CharField(label=_("Secrecy (OSL reference)"), max_length=200, required=False)

    def __init__(
        self, *args: Any, key_choices: list[tuple[str, str]], subject_choices: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [("", "---------"), *key_choices]  # type: ignore[attr-defined]
        self.fields["subject"].choices = [("", _("All data subjects of the activity")), *subject_choices]  # type: ignore[attr-defined]


class RecipientForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RecipientKind.choices)
    name = forms.CharField(label=_("Recipient"), max_length=300)
    country = forms.CharField(label=_("Country (ISO 3166) outside the EU/EEA"), max_length=2, required=False)


class ProcessorForm(forms.Form):
    name = forms.CharField(label=_("Processor"), max_length=300)
    service = forms.CharField(label=_("Service"), max_length=300, required=False)
    agreement_reference = forms.CharField(label=_("Agreement reference"), max_length=200, required=False)
    agreement_date = forms.DateField(
        label=_("Agreement date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class TransferForm(forms.Form):
    country = forms.CharField(label=_("Country (ISO 3166)"), max_length=2)
    mechanism = forms.ChoiceField(label=_("Transfer mechanism"), choices=TransferMechanism.choices, required=False)
    mechanism_reference = forms.CharField(label=_("Decision, clauses or derogation"), max_length=300, required=False)
    recipient = forms.CharField(label=_("Recipient"), max_length=300, required=False)
    tia_reference = forms.CharField(label=_("Transfer impact assessment"), max_length=300, required=False)
    tia_date = forms.DateField(label=_("TIA date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class SystemForm(forms.Form):
    name = forms.CharField(label=_("IT system"), max_length=200)
    hosting_location = forms.CharField(label=_("Hosting location"), max_length=200, required=False)
    hosting_country = forms.CharField(label=_("Hosting country (ISO 3166)"), max_length=2, required=False)


def _formset(form: type[forms.Form]) -> Any:
    return forms.formset_factory(
        form, extra=1, can_delete=True, max_num=MAX_ROWS, validate_max=True, absolute_max=MAX_ROWS
    )


FORMSETS: dict[str, Any] = {
    "legal_bases": _formset(LegalBasisForm),
    "personal_data_categories": _formset(DataCategoryForm),
    "recipients": _formset(RecipientForm),
    "processors": _formset(ProcessorForm),
    "transfers": _formset(TransferForm),
    "systems": _formset(SystemForm),
}
FORMSET_LABELS = {
    "legal_bases": _("Legal bases (Art. 6(1))"),
    "personal_data_categories": _("Personal-data categories"),
    "recipients": _("Recipients"),
    "processors": _("Processors (personuppgiftsbiträden)"),
    "transfers": _("Third-country transfers"),
    "systems": _("IT systems / information carriers"),
}


# Where a warning's `field` (ActivityData's path) is edited on the form, when the names differ.
WARNING_FIELDS = {
    "retention": "retention_text",
    "retention.text": "retention_text",
    "retention.document_types": "document_types",
    "dpia": "dpia_need",
    "dpia.need": "dpia_need",
    "dpia.link": "dpia_link",
    "dpia.criteria": "dpia_criteria",
}


# --- The activity --------------------------------------------------------------------------------------------


class ActivityForm(forms.Form):
    name = forms.CharField(label=_("Processing activity"), max_length=300)
    description = _text(_("Description"))
    joint_controllers = _text(_("Joint controllers"))
    joint_arrangement = _text(_("Art. 26 arrangement"))
    owning_unit = forms.CharField(label=_("Owning unit"), max_length=200, required=False)
    contact = forms.CharField(label=_("Contact"), max_length=200, required=False)
    on_behalf_of = forms.CharField(
        label=_("Processing on behalf of (processor register)"), max_length=300, required=False
    )
    purposes = _text(_("Purposes (one per line)"))
    data_uses = forms.MultipleChoiceField(label=_("Data uses"), required=False, widget=forms.CheckboxSelectMultiple)
    legal_basis_text = _text(_("Lawfulness (as written)"))
    data_subject_categories = forms.MultipleChoiceField(
        label=_("Data-subject categories"), required=False, widget=forms.CheckboxSelectMultiple
    )
    sources = forms.MultipleChoiceField(
        label=_("Sources"), choices=SourceKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    sources_text = _text(_("Sources (as written)"))
    provision_requirement = forms.ChoiceField(
        label=_("Is providing the data required?"), choices=ProvisionRequirement.choices, required=False
    )
    provision_consequence = _text(_("Consequence of not providing the data"))
    recipients_text = _text(_("Recipients (as written)"))
    retention_text = _text(_("Retention (as written)"))
    document_types = forms.MultipleChoiceField(
        label=_("Document types in the adopted retention plan"),
        required=False,
        help_text=_("Where linked, the notice's retention text is taken from the plan's rules."),
    )
    systems_text = forms.CharField(label=_("Information carriers (as written)"), max_length=500, required=False)
    security_measures = _text(_("Technical and organisational security measures"))
    automated_decision = forms.BooleanField(label=_("Automated decision-making (Art. 22)"), required=False)
    automated_decision_logic = _text(_("Logic and consequences of the automated decision"))
    dpia_need = forms.ChoiceField(label=_("DPIA"), choices=DpiaNeed.choices, required=False)
    dpia_criteria = forms.MultipleChoiceField(
        label=_("DPIA criteria met"),
        choices=list(DPIA_CRITERIA.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Two or more criteria usually mean that a DPIA is needed."),
    )
    dpia_link = forms.CharField(label=_("Link to the DPIA"), max_length=500, required=False)
    system_models = forms.MultipleChoiceField(
        label=_("Insyn data in this activity"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, actor: Actor, register: Register, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality_id = choices.municipality_id_of(register)
        self.term_choices = {
            kind: [
                (term.key, term.label) for term in choices.register_terms(municipality_id=municipality_id, kind=kind)
            ]
            for kind in (TermKind.DATA_CATEGORY, TermKind.DATA_USE, TermKind.SUBJECT_CATEGORY)
        }
        self.fields["data_uses"].choices = self.term_choices[TermKind.DATA_USE]  # type: ignore[attr-defined]
        self.fields["data_subject_categories"].choices = self.term_choices[TermKind.SUBJECT_CATEGORY]  # type: ignore[attr-defined]
        self.fields["document_types"].choices = [  # type: ignore[attr-defined]
            (str(row.pk), f"{row.plan.title}: {row.name}")
            for row in choices.adopted_document_types(actor=actor, municipality_id=municipality_id)
        ]
        self.fields["system_models"].choices = [(label, label) for label in registered_models()]  # type: ignore[attr-defined]
        data = args[0] if args else kwargs.get("data")
        self.formsets = {
            name: formset(
                data,
                prefix=name,
                initial=(kwargs.get("initial") or {}).get(f"{name}_rows"),
                form_kwargs=self._row_kwargs(name),
            )
            for name, formset in FORMSETS.items()
        }

    def _row_kwargs(self, name: str) -> dict[str, Any]:
        if name != "personal_data_categories":
            return {}
        return {
            "key_choices": self.term_choices[TermKind.DATA_CATEGORY],
            "subject_choices": self.term_choices[TermKind.SUBJECT_CATEGORY],
        }

    def clean_purposes(self) -> list[str]:
        return _lines(self.cleaned_data["purposes"])

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return all([valid, *(formset.is_valid() for formset in self.formsets.values())])

    def rows(self, name: str) -> list[dict[str, Any]]:
        formset = self.formsets[name]
        return [
            row.cleaned_data
            for row in formset.forms
            if row.cleaned_data and not row.cleaned_data.get("DELETE") and row.has_changed()
        ]

    def place_warnings(self, warnings: list[Any]) -> tuple[dict[str, list[Any]], list[Any]]:
        """Each register-check warning by the field or formset it is about ("legal_bases" → the legal bases'
        rows, "retention.document_types" → the picker); warnings about no field of the form go above it."""
        names = set(self.fields) | set(self.formsets)
        placed: dict[str, list[Any]] = {}
        other = []
        for warning in warnings:
            path = str(warning.get("field", ""))
            field = WARNING_FIELDS.get(path) or path.split(".")[0].split("[")[0]
            field = WARNING_FIELDS.get(field, field)
            if field in names:
                placed.setdefault(field, []).append(warning)
            else:
                other.append(warning)
        return placed, other

    def activity_data(self) -> ActivityData:
        """The form as `ActivityData` (activity_data.py): what `activity_save` takes."""
        data = self.cleaned_data
        subjects = list(data["data_subject_categories"])
        return {
            "name": data["name"],
            "description": data["description"],
            "joint_controllers": data["joint_controllers"],
            "joint_arrangement": data["joint_arrangement"],
            "owning_unit": data["owning_unit"],
            "contact": data["contact"],
            "on_behalf_of": data["on_behalf_of"],
            "purposes": data["purposes"],
            "data_uses": list(data["data_uses"]),
            "legal_bases": [
                {"article": row["article"], "reference": row["reference"], "withdrawal_route": row["withdrawal_route"]}
                for row in self.rows("legal_bases")
            ],
            "legal_basis_text": data["legal_basis_text"],
            "data_subject_categories": [{"key": key} for key in subjects],
            "personal_data_categories": [
                {
                    "key": row["key"],
                    "subject": row["subject"] or None,
                    "art9_condition": row["art9_condition"] or "",
                    "dsl_reference": row["dsl_reference"],
                    "art10_reference": row["art10_reference"],
                    "national_id_reason": row["national_id_reason"],
                    "children": bool(row["children"]),
                    "secrecy": row["secrecy"],
                }
                for row in self.rows("personal_data_categories")
            ],
            "sources": list(data["sources"]),
            "sources_text": data["sources_text"],
            "provision_requirement": data["provision_requirement"] or "",
            "provision_consequence": data["provision_consequence"],
            "recipients": [
                {"kind": row["kind"], "name": row["name"], "country": row["country"].upper()}
                for row in self.rows("recipients")
            ],
            "recipients_text": data["recipients_text"],
            "processors": [
                {
                    "name": row["name"],
                    "service": row["service"],
                    "agreement_reference": row["agreement_reference"],
                    "agreement_date": _iso(row["agreement_date"]),
                }
                for row in self.rows("processors")
            ],
            "transfers": [
                {
                    "country": row["country"].upper(),
                    "mechanism": row["mechanism"] or "",
                    "mechanism_reference": row["mechanism_reference"],
                    "recipient": row["recipient"],
                    "tia_reference": row["tia_reference"],
                    "tia_date": _iso(row["tia_date"]),
                }
                for row in self.rows("transfers")
            ],
            "retention": {
                "text": data["retention_text"],
                "document_types": [{"id": int(pk)} for pk in data["document_types"]],
            },
            "systems": [
                {
                    "name": row["name"],
                    "hosting_location": row["hosting_location"],
                    "hosting_country": row["hosting_country"].upper(),
                }
                for row in self.rows("systems")
            ],
            "systems_text": data["systems_text"],
            "security_measures": data["security_measures"],
            "automated_decision": bool(data["automated_decision"]),
            "automated_decision_logic": data["automated_decision_logic"],
            "dpia": {
                "need": data["dpia_need"] or "",
                "criteria": list(data["dpia_criteria"]),
                "link": data["dpia_link"],
            },
            "system_models": list(data["system_models"]),
        }


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def initial_from_data(activity: ActivityData) -> dict[str, Any]:
    """Initial values of `ActivityForm` (and its formsets, as `<name>_rows`) from an activity as data."""
    retention = activity.get("retention") or {"text": ""}
    dpia = activity.get("dpia") or {"need": ""}
    initial: dict[str, Any] = {
        key: activity.get(key, "")
        for key in (
            "name",
            "description",
            "joint_controllers",
            "joint_arrangement",
            "owning_unit",
            "contact",
            "on_behalf_of",
            "legal_basis_text",
            "sources_text",
            "provision_requirement",
            "provision_consequence",
            "recipients_text",
            "systems_text",
            "security_measures",
            "automated_decision_logic",
        )
    }
    initial.update(
        {
            "purposes": "\n".join(activity.get("purposes") or []),
            "data_uses": list(activity.get("data_uses") or []),
            "data_subject_categories": [subject["key"] for subject in activity.get("data_subject_categories") or []],
            "sources": list(activity.get("sources") or []),
            "retention_text": retention.get("text", ""),
            "document_types": [str(ref["id"]) for ref in retention.get("document_types") or []],
            "automated_decision": bool(activity.get("automated_decision")),
            "dpia_need": dpia.get("need", ""),
            "dpia_criteria": list(dpia.get("criteria") or []),
            "dpia_link": dpia.get("link", ""),
            "system_models": list(activity.get("system_models") or []),
            "legal_bases_rows": [dict(row) for row in activity.get("legal_bases") or []],
            "personal_data_categories_rows": [
                {**row, "subject": row.get("subject") or ""} for row in activity.get("personal_data_categories") or []
            ],
            "recipients_rows": [dict(row) for row in activity.get("recipients") or []],
            "processors_rows": [dict(row) for row in activity.get("processors") or []],
            "transfers_rows": [dict(row) for row in activity.get("transfers") or []],
            "systems_rows": [dict(row) for row in activity.get("systems") or []],
        }
    )
    return initial


class ApproveForm(forms.Form):
    note = _text(_("Note for the version"))


class CompareForm(forms.Form):
    a = forms.IntegerField(label=_("Version"), min_value=0, max_value=1_000_000)
    b = forms.IntegerField(label=_("Compared with"), min_value=0, max_value=1_000_000)


def diff_rows(diff: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`version_diff`'s changes as table rows: where (the register or an activity, and the field), old, new."""
    labels = {"added": gettext("added"), "removed": gettext("removed"), "changed": gettext("changed")}
    rows = []
    for change in diff:
        where = change.get("activity") or gettext("The register")
        field = change.get("field")
        rows.append(
            {
                "where": f"{where}: {field}" if field else str(where),
                "change": labels.get(str(change.get("change")), str(change.get("change", ""))),
                "old": _shown(change.get("old")) if field else "",
                "new": _shown(change.get("new")) if field else "",
            }
        )
    return rows


def _shown(value: Any) -> str:
    """A changed value as text: lists one item a line, objects as key: value."""
    if value is None or value == "":
        return "–"
    if isinstance(value, list):
        return "\n".join(_shown(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_shown(item)}" for key, item in value.items() if item not in (None, "", [], {}))
    return str(value)
