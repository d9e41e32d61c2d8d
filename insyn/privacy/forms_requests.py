"""Forms of the public request pages: bounded inputs; the services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from insyn.privacy.models import IdentityMethod, RequestKind


class RequestForm(forms.Form):
    controller = forms.TypedChoiceField(label=_("Which authority is your request for?"), coerce=int, choices=())
    kind = forms.ChoiceField(label=_("What do you ask for?"), choices=RequestKind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("E-mail"), max_length=254, required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=40, required=False, widget=forms.TextInput(attrs={"autocomplete": "tel"})
    )
    postal_address = forms.CharField(
        label=_("Postal address"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        help_text=_("Only if you want answers by post. We do not look up your address anywhere else."),
    )
    protected_identity = forms.BooleanField(
        label=_("I have protected personal data (skyddad identitet)"),
        required=False,
        help_text=_(
            "We will then send nothing to an address from a register, and only a few people may handle your request."
        ),
    )
    description = forms.CharField(
        label=_("Describe your request"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("For example which data, or which time period, the request is about."),
    )

    def __init__(self, *args: Any, controllers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["controller"].choices = [("", _("Choose…")), *controllers]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("email") or data.get("phone") or data.get("postal_address")):
            self.add_error("email", _("Give at least one way to reach you."))
        return data


class IdentityMethodForm(forms.Form):
    method = forms.ChoiceField(label=_("How do you want to prove who you are?"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, methods: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(IdentityMethod.choices)
        self.fields["method"].choices = [(m, labels[m]) for m in methods]  # type: ignore[attr-defined]


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The code in the letter"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )


class AccessKeyForm(forms.Form):
    access_key = forms.CharField(
        label=_("Your access key"), max_length=100, widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )


class TestEidForm(forms.Form):
    national_id = forms.CharField(label=_("Personal identity number (test)"), max_length=13)


# --- Staff (admin) forms -----------------------------------------------------------------------------------


class RegisterRequestForm(forms.Form):
    controller = forms.TypedChoiceField(label=_("Controller"), coerce=int, choices=())
    kind = forms.ChoiceField(label=_("Type of request"), choices=RequestKind.choices)
    channel_note = forms.ChoiceField(
        label=_("Received by"), choices=[("email", _("E-mail")), ("letter", _("Letter")), ("visit", _("Visit"))]
    )
    received_at = forms.DateTimeField(label=_("Received"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    postal_address = forms.CharField(
        label=_("Postal address (as given)"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    national_id = forms.CharField(label=_("Personal identity number (if given)"), max_length=13, required=False)
    other_names = forms.CharField(
        label=_("Other names, e-mail addresses and addresses to search"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description = forms.CharField(
        label=_("What the request says"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    protected_identity = forms.BooleanField(label=_("Protected identity"), required=False)

    def __init__(self, *args: Any, controllers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["controller"].choices = controllers  # type: ignore[attr-defined]


class ExtendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the extension"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    notified_on = forms.DateField(label=_("The person was told on"), widget=forms.DateInput(attrs={"type": "date"}))


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("Decision and reasons"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class StaffIdentityForm(forms.Form):
    national_id = forms.CharField(label=_("Personal identity number seen on the identity document"), max_length=13)
