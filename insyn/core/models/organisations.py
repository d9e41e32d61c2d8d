from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from insyn.core.rules import is_valid_organisation_number


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    ORGAN = "organ", _("Organ")
    ADMINISTRATION = "administration", pgettext_lazy("organisation kind", "Administration")
    UNIT = "unit", _("Unit")


class OrganType(models.TextChoices):
    MUNICIPAL_COUNCIL = "kommunfullmaktige", _("Municipal council")
    EXECUTIVE_BOARD = "kommunstyrelse", _("Municipal executive board")
    COMMITTEE = "namnd", _("Committee")
    SUBCOMMITTEE = "utskott", _("Sub-committee")
    MUNICIPAL_COMPANY = "kommunalt_bolag", _("Municipal company")
    ELECTORAL_COMMITTEE = "valnamnd", _("Electoral committee")
    AUDIT = "revision", _("Auditors")
    COOPERATION_COUNCIL = "samverkansrad", _("Cooperation council")
    USER_COUNCIL = "brukarrad", _("User council")
    OTHER = "other", _("Other")


class Country(models.TextChoices):
    SWEDEN = "SE", _("Sweden")
    POLAND = "PL", _("Poland")


class Organisation(models.Model):
    """One node of the tree municipality → organ → administration → unit.

    `path` (ids joined by '/') and `municipality` (the root) are maintained by
    the organisation services so that scoping a query is one indexed filter.
    """

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    organ_type = models.CharField(_("organ type"), max_length=30, choices=OrganType.choices, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    municipality = models.ForeignKey(
        "self",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    path = models.CharField(_("tree path"), max_length=255, editable=False, db_index=True, default="")
    organisation_number = models.CharField(_("organisation number"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, default=Country.SWEDEN)
    is_controller = models.BooleanField(_("GDPR controller"), default=False)
    is_archive_creator = models.BooleanField(_("archive creator"), default=False)
    email = models.EmailField(_("e-mail"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="organisation_unique_name_per_parent"),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(parent__isnull=True), name="organisation_unique_root_name"
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="municipality", parent__isnull=True))
                | (~models.Q(kind="municipality") & models.Q(parent__isnull=False)),
                name="organisation_only_municipalities_are_roots",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="organ") | models.Q(organ_type=""),
                name="organisation_organ_type_only_on_organs",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.kind == OrganisationKind.MUNICIPALITY and self.parent_id:
            errors["parent"] = _("A municipality is the root of its tree and has no parent.")
        if self.kind != OrganisationKind.MUNICIPALITY and not self.parent_id:
            errors["parent"] = _("Only a municipality can be without a parent.")
        if self.kind == OrganisationKind.ORGAN and not self.organ_type:
            errors["organ_type"] = _("An organ needs an organ type.")
        if self.kind != OrganisationKind.ORGAN and self.organ_type:
            errors["organ_type"] = _("Only organs have an organ type.")
        if self.organisation_number and not is_valid_organisation_number(self.organisation_number, self.country):
            errors["organisation_number"] = _("This is not a valid organisation number.")
        if errors:
            raise ValidationError(errors)

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)


class RoleAssignment(models.Model):
    """A user holds a role (a permission group) within an organisation and its subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.ForeignKey(Group, verbose_name=_("role"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="role_assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.role} · {self.organisation}"
