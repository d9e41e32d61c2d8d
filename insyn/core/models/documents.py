from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from insyn.core.models.organisations import Organisation


class DocumentType(models.TextChoices):
    POLICY = "policy", _("Policy")
    GUIDELINE = "guideline", _("Guideline")
    INSTRUCTION = "instruction", _("Instruction")
    PLAN = "plan", _("Plan")
    ROUTINE = "routine", _("Routine")
    REGULATION = "regulation", _("Regulation")
    STRATEGY = "strategy", _("Strategy")
    PROGRAMME = "programme", _("Programme")
    PRIVACY_NOTICE = "privacy_notice", _("Privacy notice")
    REGISTER = "register", _("Register")
    PROCEDURE = "procedure", _("Procedure")
    OTHER = "other", _("Other")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("document status", "Draft")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", pgettext_lazy("document status", "Expired")
    REPLACED = "replaced", _("Replaced")


def governing_document_upload_to(instance: GoverningDocument, filename: str) -> str:
    """A random folder per upload, so that no one can guess a file's name (files uploaded before keep theirs)."""
    from insyn.core.files import token_path

    return token_path(f"governing-documents/{instance.organisation_id}", filename)


class GoverningDocument(models.Model):
    """A styrdokument: a decided document that governs how the organisation works."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("owning organisation"), on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=300)
    document_type = models.CharField(_("document type"), max_length=30, choices=DocumentType.choices)
    decision_body = models.CharField(_("decision body"), max_length=200, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    paragraph = models.CharField(_("paragraph (§)"), max_length=40, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=60, blank=True)
    version = models.CharField(_("version"), max_length=20, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    responsible_unit = models.CharField(_("responsible unit / process owner"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_governing_documents",
        help_text=_("Receives the e-mail reminders before the document expires."),
    )
    description = models.TextField(_("description"), blank=True)
    applies_to = models.CharField(_("applies to"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to=governing_document_upload_to, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("governing document")
        verbose_name_plural = _("governing documents")
        ordering = ["organisation__path", "title"]
        indexes = [models.Index(fields=["status", "valid_until"], name="govdoc_status_valid_until")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="govdoc_valid_until_after_valid_from",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="replaced") | models.Q(replaced_by__isnull=False),
                name="govdoc_replaced_needs_replaced_by",
            ),
            models.CheckConstraint(
                condition=~models.Q(replaced_by=models.F("id")),
                name="govdoc_not_replaced_by_itself",
            ),
        ]

    def __str__(self) -> str:
        if self.registration_number:
            return f"{self.title} ({self.registration_number})"
        return self.title

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("A document cannot expire before it takes effect.")
        if self.status == DocumentStatus.REPLACED and not self.replaced_by_id:
            errors["replaced_by"] = _("Say which document replaces this one.")
        if self.replaced_by_id and self.pk and self.replaced_by_id == self.pk:
            errors["replaced_by"] = _("A document cannot replace itself.")
        if errors:
            raise ValidationError(errors)


class DocumentExpiryNotice(models.Model):
    """One reminder sent (or deliberately skipped) for one threshold; makes the daily job idempotent."""

    document = models.ForeignKey(
        GoverningDocument, verbose_name=_("governing document"), on_delete=models.CASCADE, related_name="expiry_notices"
    )
    valid_until = models.DateField(_("valid until"))
    days_before = models.PositiveIntegerField(_("days before"))
    recipient = models.EmailField(_("recipient"), blank=True)
    sent = models.BooleanField(_("sent"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("expiry notice")
        verbose_name_plural = _("expiry notices")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "valid_until", "days_before"], name="expiry_notice_once_per_threshold"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} −{self.days_before} d ({self.valid_until})"
