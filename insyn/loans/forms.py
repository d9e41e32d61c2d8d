"""Forms for the loan actions, shared by the staff admin and the officials' self-service pages.

They only collect input: every rule (eligibility, the return checklist, who decides on broadband)
is checked by the services, and their refusals come back as form errors.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insyn.loans.models import BroadbandReason, Device, IncidentKind, Kit, Liability
from insyn.loans.rules import RETURN_CHECKLIST
from insyn.officials.forms import PersonChoiceField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CheckoutForm(forms.Form):
    kit: forms.ModelChoiceField[Kit] = forms.ModelChoiceField(queryset=Kit.objects.none(), label=_("Kit"))
    # Labelled with the organs or the birth year: two officials may share a name.
    person = PersonChoiceField(label=_("Elected official"))
    user_id = forms.CharField(label=_("User id handed over"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail address handed over"), required=False)
    meeting_app_login = forms.BooleanField(label=_("Login to the meeting app handed over"), required=False)

    def __init__(self, *args: Any, kits: Any, persons: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kit_field: Any = self.fields["kit"]
        kit_field.queryset = kits
        kit_field.label_from_instance = _kit_label
        person_field: Any = self.fields["person"]
        person_field.queryset = persons

    def handover(self) -> dict[str, Any]:
        return {key: self.cleaned_data[key] for key in ("user_id", "email", "meeting_app_login")}


def _kit_label(kit: Kit) -> str:
    label = f"{kit.label} ({kit.get_kind_display()})"
    # Marked outside the f-strings: gettext cannot find _() inside them.
    on_loan, not_in_stock = _("on loan"), _("not in stock")
    if getattr(kit, "on_loan", False):
        return f"{label} – {on_loan}"
    if getattr(kit, "blocked", False):
        return f"{label} – {not_in_stock}"
    return label


class RequestReturnForm(forms.Form):
    requested_on = forms.DateField(label=_("Return requested on"), initial=timezone.localdate, widget=DATE_INPUT)


class ReturnForm(forms.Form):
    """The return checklist of the instruction (22KS572): the service refuses an incomplete one.

    `items` are the checklist items the kit calls for (`selectors.loan_return_checklist`): a laptop's
    return has no Find My / activation lock item. The service checks the same list again.
    """

    activation_lock_off = forms.BooleanField(label=_("Find My / activation lock turned off"), required=False)
    logged_out = forms.BooleanField(label=_("Logged out of private accounts and apps"), required=False)
    all_accessories = forms.BooleanField(label=_("Every accessory returned"), required=False)
    condition = forms.CharField(
        label=_("Condition"),
        help_text=_("For example: as new, scratches on the case, cracked screen."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        required=False,
    )

    def __init__(self, *args: Any, items: tuple[str, ...] = RETURN_CHECKLIST, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in RETURN_CHECKLIST:
            if name not in items:
                del self.fields[name]

    def checklist(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class IncidentForm(forms.Form):
    device: forms.ModelChoiceField[Device] = forms.ModelChoiceField(
        queryset=Device.objects.none(), label=_("Which item"), empty_label=None
    )
    kind = forms.ChoiceField(label=_("What happened"), choices=IncidentKind.choices, widget=forms.RadioSelect)
    occurred_at = forms.DateTimeField(label=_("When"), widget=DATETIME_INPUT)
    place = forms.CharField(label=_("Where"), max_length=200, required=False)
    police_report_number = forms.CharField(
        label=_("Police report number"), help_text=_("When the item was stolen."), max_length=50, required=False
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )

    def __init__(self, *args: Any, devices: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault(
            "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
        )
        super().__init__(*args, **kwargs)
        field: Any = self.fields["device"]
        field.queryset = devices

    def clean_occurred_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["occurred_at"]
        if value > timezone.now() + dt.timedelta(minutes=5):
            raise forms.ValidationError(_("The time cannot be in the future."))
        return value


class AssessForm(forms.Form):
    liability = forms.ChoiceField(label=_("Assessment"), choices=Liability.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class BroadbandRequestForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why you need it"), choices=BroadbandReason.choices, widget=forms.RadioSelect)
    motivation = forms.CharField(
        label=_("Motivation"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


class BroadbandDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Approve")), ("no", _("Reject"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    monthly_allowance_gb = forms.IntegerField(
        label=_("Monthly data allowance (GB)"),
        help_text=_("Required when approving. Roaming abroad stays blocked."),
        min_value=1,
        max_value=1000,
        required=False,
    )


class ReceiptAcceptForm(forms.Form):
    confirm = forms.BooleanField(label=_("I have received the items and read the instruction"), required=True)
