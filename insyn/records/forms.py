from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from insyn.core.forms import OrganisationChoiceField
from insyn.core.models import Organisation
from insyn.records.importers_formats import IMPORT_FORMATS


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("Text as exported from Word/PDF, XLSX, ODS, CSV, DOCX or JSON.")
    )
    # Named with its municipality: three "Kommunstyrelsen" must not look alike.
    organisation: forms.ModelChoiceField[Any] = OrganisationChoiceField(
        queryset=Organisation.objects.none(), label=_("Archive creator (organ)")
    )
    format = forms.ChoiceField(label=_("Format"), choices=[(f, f) for f in IMPORT_FORMATS], initial="auto")
    lang = forms.ChoiceField(label=_("Language of the retention texts"), choices=[("sv", "svenska"), ("pl", "polski")])

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class PlanConfirmForm(forms.Form):
    """The preview's confirmation: the plan's title and, per unclear row, the rule chosen among its readings.

    `choices` comes from `import_preview.unclear_choices` on the file read again on the server: a
    posted value is only the number of one of that row's candidates; anything else is refused.
    """

    # Left empty: the title read from the file (or, without one, the file's name).
    title = forms.CharField(label=_("Title of the plan"), max_length=300, required=False)

    def __init__(self, *args: Any, choices: dict[str, Any], **kwargs: Any) -> None:
        from insyn.records.retention_display import retention_words

        super().__init__(*args, **kwargs)
        self.choices = choices
        for key, (row, candidates) in choices.items():
            self.fields[self.rule_field(key)] = forms.TypedChoiceField(
                label=_("Rule for “%(name)s”") % {"name": row.name},
                choices=[("", _("Leave unclear"))] + [(str(i), retention_words(c)) for i, c in enumerate(candidates)],
                coerce=int,
                empty_value=None,
                required=False,
            )

    @staticmethod
    def rule_field(key: str) -> str:
        return f"rule_{key}"

    def rule_bound_field(self, key: str) -> Any:
        name = self.rule_field(key)
        return self[name] if name in self.fields else None

    def chosen(self) -> dict[str, int]:
        """Row key → the number of the candidate chosen (rows left unclear are absent)."""
        out = {}
        for key in self.choices:
            number = self.cleaned_data.get(self.rule_field(key))
            if number is not None:
                out[key] = number
        return out


class PlanAdoptForm(forms.Form):
    adopted_by = forms.CharField(label=_("Adopted by"), max_length=200)
    adopted_on = forms.DateField(
        label=_("Adopted on"), initial=dt.date.today, widget=forms.DateInput(attrs={"type": "date"})
    )
    paragraph = forms.CharField(label=_("Paragraph (§)"), max_length=40, required=False)
    version = forms.CharField(label=_("Version"), max_length=20)
    revision_note = forms.CharField(
        label=_("The revision concerns"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, unclear_rows: Any = (), **kwargs: Any) -> None:
        """`unclear_rows`: the plan's document types still `unclear`; each gets a reason field."""
        super().__init__(*args, **kwargs)
        self.unclear_rows = list(unclear_rows)
        for row in self.unclear_rows:
            # Not required here: the service refuses and names every row left without a reason.
            self.fields[self.unclear_field(row.pk)] = forms.CharField(
                label=_("Reason for adopting “%(name)s” as unclear") % {"name": row.name},
                help_text=row.retention_text,
                max_length=1000,
                required=False,
            )

    @staticmethod
    def unclear_field(pk: int) -> str:
        return f"unclear_{pk}"

    def unclear_fields(self) -> list[Any]:
        return [self[self.unclear_field(row.pk)] for row in self.unclear_rows]

    def adopt_kwargs(self) -> dict[str, Any]:
        """The cleaned data as `services.plan_adopt` takes it."""
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("unclear_")}
        data["unclear_confirmations"] = {
            row.pk: self.cleaned_data.get(self.unclear_field(row.pk), "") for row in self.unclear_rows
        }
        return data
