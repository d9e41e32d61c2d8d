"""Elected officials (förtroendemannaregister), after the Popolo standard: persons, posts, memberships.

Organs are the organisation tree's organs (insyn.core). Personal data is
declared in apps.py; the national identity number and protected identity
are only ever shown through selectors that mask them and log unmasked reads.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MembershipRole(models.TextChoices):
    CHAIR = "ordforande", _("Chair")
    VICE_CHAIR = "vice_ordforande", _("Vice chair")
    MEMBER = "ledamot", _("Member")
    SUBSTITUTE = "ersattare", _("Substitute")


class IdScheme(models.TextChoices):
    PERSONNUMMER = "se_personnummer", _("Personal identity number")
    SAMORDNINGSNUMMER = "se_samordningsnummer", _("Coordination number")


class Person(models.Model):
    municipality = models.ForeignKey(
        "core.Organisation", verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="officials"
    )
    external_id = models.CharField(_("identifier in the source register"), max_length=100, blank=True)
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    national_id = models.CharField(_("personal identity number"), max_length=13, blank=True)
    national_id_scheme = models.CharField(
        _("identity number kind"), max_length=30, choices=IdScheme.choices, blank=True
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)
    party = models.CharField(_("party"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=100, blank=True)
    protected_identity = models.BooleanField(_("protected identity"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="official",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("elected official")
        verbose_name_plural = _("elected officials")
        ordering = ["family_name", "given_name"]
        permissions = [
            ("view_national_id", _("Can see personal identity numbers unmasked")),
            ("view_protected_identity", _("Can see persons with protected identity in full")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "external_id"],
                condition=~models.Q(external_id=""),
                name="person_external_id_unique",
            ),
            models.UniqueConstraint(
                fields=["municipality", "national_id"],
                condition=~models.Q(national_id=""),
                name="person_national_id_unique",
            ),
        ]
        # The subject search looks a person up by national id (any municipality's spelling) and by e-mail,
        # case-insensitively: lower(email) is what it compares.
        indexes = [
            models.Index(fields=["national_id"], name="person_national_id"),
            models.Index(Lower("email"), name="person_email_lower"),
            # A name search compares lower(given_name) and lower(family_name) for each split of the name.
            models.Index(Lower("family_name"), Lower("given_name"), name="person_name_lower"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def clean(self) -> None:
        from insyn.officials.rules import has_control_characters, normalise_national_id

        bad = [
            name
            for name in ("given_name", "family_name", "party", "title", "phone", "external_id", "address")
            if has_control_characters(getattr(self, name), multiline=name == "address")
        ]
        if bad:
            raise ValidationError(dict.fromkeys(bad, _("Control characters (such as a tab or NUL) are not allowed.")))
        if self.national_id:
            try:
                self.national_id, scheme = normalise_national_id(self.national_id)
            except ValueError as exc:
                raise ValidationError({"national_id": str(exc)}) from exc
            self.national_id_scheme = scheme


class Post(models.Model):
    """A seat in an organ (Popolo Post): "ledamot i Barn- och utbildningsnämnden"."""

    organisation = models.ForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="posts")
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices)
    label = models.CharField(_("label"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [models.UniqueConstraint(fields=["organisation", "role", "label"], name="post_unique")]

    def __str__(self) -> str:
        return self.label or f"{self.get_role_display()}, {self.organisation}"


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self, on: dt.date | None = None) -> MembershipQuerySet:
        """Memberships in force on `on` (today by default): started (or no start) and not yet ended (or no end).

        The one definition of "current membership": officials, loans and the admin all use it.
        """
        on = on or timezone.localdate()
        return self.filter(models.Q(start_date__isnull=True) | models.Q(start_date__lte=on)).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=on)
        )


MembershipManager = models.Manager.from_queryset(MembershipQuerySet)


class Membership(models.Model):
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "core.Organisation", verbose_name=_("organ"), on_delete=models.PROTECT, related_name="memberships"
    )
    post = models.ForeignKey(Post, verbose_name=_("post"), null=True, blank=True, on_delete=models.SET_NULL)
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    is_external = models.BooleanField(_("external member"), default=False)
    on_behalf_of = models.CharField(_("on behalf of (party)"), max_length=100, blank=True)
    decision = models.CharField(_("elected by decision"), max_length=200, blank=True)
    external_id = models.CharField(_("identifier in the source register"), max_length=100, blank=True)

    objects = MembershipManager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["person", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} · {self.organisation}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("A membership cannot end before it starts.")
        if errors:
            raise ValidationError(errors)
