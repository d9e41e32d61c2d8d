"""Forms of the subject search page and of lifting a restriction: every input bounded before it is split.

The limits match the search's own (`insyn.privacy.selectors.subject.MAX_TERMS` / `MAX_TERM_LENGTH`), which
checks them again: the form only turns a too-long input into a message next to its field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from insyn.privacy.models import IdentityStatus, SubjectRequest
from insyn.privacy.subject_search import SubjectQuery

MAX_TERMS = 20
MAX_TERM_LENGTH = 300
# One term per line: the whole field may hold MAX_TERMS of the longest terms and their line breaks.
MAX_FIELD_LENGTH = MAX_TERMS * (MAX_TERM_LENGTH + 2)
TERM_FIELDS = ("names", "emails", "addresses")


def _lines(value: str) -> list[str]:
    return list(dict.fromkeys(line.strip() for line in value.splitlines() if line.strip()))


class SubjectSearchForm(forms.Form):
    """Who to look for, and in which municipality. Posted only: a personnummer in a URL ends up in logs."""

    municipality = forms.TypedChoiceField(label=_("Municipality"), coerce=int, choices=())
    national_id = forms.CharField(
        label=_("Personal identity number or coordination number"),
        max_length=20,
        required=False,
        help_text=_("Verified: YYYYMMDD-XXXX, or any common spelling of it."),
    )
    names = forms.CharField(
        label=_("Names"),
        max_length=MAX_FIELD_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text=_("One name per line, as the person is or was called: given names and family name."),
    )
    emails = forms.CharField(
        label=_("E-mail addresses"),
        max_length=MAX_FIELD_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text=_("One per line."),
    )
    addresses = forms.CharField(
        label=_("Postal addresses"),
        max_length=MAX_FIELD_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, for example “Storgatan 1, 123 45 Exempelstad”."),
    )
    # The data-subject request the search is made for: its extracts then belong to it.
    request = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, municipalities: list[tuple[int, str]], show_national_id: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = municipalities  # type: ignore[attr-defined]
        # Whoever may not see national ids whole does not get the typed one back in the page either.
        attrs = {"autocomplete": "off", "spellcheck": "false", "inputmode": "numeric"}
        self.fields["national_id"].widget = (
            forms.TextInput(attrs=attrs) if show_national_id else forms.PasswordInput(attrs=attrs, render_value=False)
        )

    def _terms(self, name: str) -> list[str]:
        terms = _lines(self.cleaned_data.get(name) or "")
        if len(terms) > MAX_TERMS:
            raise forms.ValidationError(_("At most %(count)d lines."), params={"count": MAX_TERMS}, code="too_many")
        if any(len(term) > MAX_TERM_LENGTH for term in terms):
            raise forms.ValidationError(
                _("Each line at most %(count)d characters."), params={"count": MAX_TERM_LENGTH}, code="too_long"
            )
        return terms

    def clean_names(self) -> list[str]:
        return self._terms("names")

    def clean_emails(self) -> list[str]:
        terms = self._terms("emails")
        if any("@" not in term for term in terms):
            raise forms.ValidationError(_("Every line must be an e-mail address."), code="invalid")
        return terms

    def clean_addresses(self) -> list[str]:
        return self._terms("addresses")

    def clean_national_id(self) -> str:
        return str(self.cleaned_data.get("national_id") or "").strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (data.get("national_id") or any(data.get(name) for name in TERM_FIELDS)):
            raise forms.ValidationError(
                _("Give a personal identity number, a name, an e-mail address or a postal address."), code="empty"
            )
        return data

    def as_query(self) -> SubjectQuery:
        data = self.cleaned_data
        return SubjectQuery(
            national_id=data.get("national_id") or "",
            names=tuple(data.get("names") or ()),
            emails=tuple(data.get("emails") or ()),
            addresses=tuple(data.get("addresses") or ()),
        )


def initial_from_request(request: SubjectRequest, *, national_id: str) -> dict[str, Any]:
    """The search form filled from a data-subject request: the name, e-mail and address the person gave, their
    other names and addresses, and the national id when it was verified (`national_id` as the actor may see it,
    left out when masked)."""
    other = [line.strip() for line in (request.other_names or "").splitlines() if line.strip()]
    emails = [request.email, *(v for v in other if "@" in v)]
    names = [request.name, *(v for v in other if "@" not in v and not any(c.isdigit() for c in v))]
    addresses = [
        # One line per address: the lines of a letter's address joined as "Storgatan 1, 123 45 Exempelstad".
        ", ".join(line.strip() for line in (request.postal_address or "").splitlines() if line.strip()),
        *(v for v in other if "@" not in v and any(c.isdigit() for c in v)),
    ]
    verified = request.identity_status == IdentityStatus.VERIFIED and "X" not in national_id.upper()
    controller = request.controller
    return {
        "municipality": controller.municipality_id or controller.pk,
        "national_id": national_id if verified else "",
        "names": "\n".join(v for v in names if v),
        "emails": "\n".join(v for v in emails if v),
        "addresses": "\n".join(v for v in addresses if v),
        "request": request.pk,
    }


class RestrictionLiftForm(forms.Form):
    """Art. 18(3): why the restriction ends (the person was told first); required, as the audit trail keeps it."""

    restriction = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why the restriction is lifted"),
        max_length=2000,
        error_messages={"required": _("Give the reason for lifting the restriction.")},
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the accuracy has been verified; the person was told on …"),
    )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data.get("reason") or "").strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for lifting the restriction."), code="required")
        return reason
