"""Data-subject requests (Arts. 15–18, 20, 21) with the Art. 12(3) deadline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access (Art. 15)")
    RECTIFICATION = "rectification", _("Rectification (Art. 16)")
    ERASURE = "erasure", _("Erasure (Art. 17)")
    RESTRICTION = "restriction", _("Restriction (Art. 18)")
    PORTABILITY = "portability", _("Portability (Art. 20)")
    OBJECTION = "objection", _("Objection (Art. 21)")


class RequestChannel(models.TextChoices):
    WEB = "web", _("Public form")
    STAFF = "staff", _("Registered by staff (e-mail or letter)")
    API = "api", _("API")


class IdentityMethod(models.TextChoices):
    NONE = "", _("Not yet chosen")
    IN_PERSON = "in_person", _("In person, with identity document")
    POST = "post", _("By post to the registered (folkbokföring) address")
    EID = "eid", _("Electronic identification")


class IdentityStatus(models.TextChoices):
    PENDING = "pending", _("Not verified")
    VERIFIED = "verified", _("Verified")
    FAILED = "failed", _("Could not be verified")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SubjectRequest(models.Model):
    controller = models.ForeignKey(
        "core.Organisation", verbose_name=_("controller"), on_delete=models.PROTECT, related_name="privacy_requests"
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    kind = models.CharField(_("type of request"), max_length=15, choices=RequestKind.choices)
    channel = models.CharField(_("received through"), max_length=10, choices=RequestChannel.choices)
    received_at = models.DateTimeField(_("received"))
    # Art. 12(3): one month from receipt, counted on the calendar (rules.request_deadline).
    due_on = models.DateField(_("due"))
    extended_due_on = models.DateField(_("extended due date"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    extension_notified_on = models.DateField(_("subject told of the extension on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=RequestStatus.choices, default="received")
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    outcome = models.TextField(_("decision and reasons"), blank=True)
    # The requester. Names and contacts as given; the national id is the search key once verified.
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    national_id = models.CharField(_("personal identity number"), max_length=13, blank=True)
    other_names = models.TextField(_("other names, e-mail addresses and addresses to search"), blank=True)
    description = models.TextField(_("what the request says"), blank=True)
    protected_identity = models.BooleanField(_("protected identity"), default=False)
    identity_method = models.CharField(
        _("identity check"), max_length=10, choices=IdentityMethod.choices, default="", blank=True
    )
    identity_status = models.CharField(
        _("identity"), max_length=10, choices=IdentityStatus.choices, default=IdentityStatus.PENDING
    )
    identity_verified_at = models.DateTimeField(_("identity verified"), null=True, blank=True)
    identity_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("identity verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A code sent by post to the folkbokföring address (stored hashed) or the e-ID provider's transaction id.
    identity_token_hash = models.CharField(max_length=128, blank=True)
    identity_provider_ref = models.CharField(_("e-ID transaction"), max_length=200, blank=True)
    # Public form: the requester follows the request with this secret (stored hashed), never with the id.
    access_key_hash = models.CharField(max_length=128, blank=True)
    # Wrong codes entered for the current challenge; the check fails after INSYN_PRIVACY_IDENTITY_MAX_ATTEMPTS.
    identity_attempts = models.PositiveSmallIntegerField(default=0)
    identity_code_expires_at = models.DateTimeField(null=True, blank=True)
    # The last deadline state the handlers were e-mailed about ("due_soon", "overdue"): one e-mail per state.
    reminder_state = models.CharField(max_length=10, blank=True)
    # Records: the request file is kept for the plan's period after closing (seed 003: 1 year), then deleted.
    dispose_after = models.DateField(_("dispose after"), null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["-received_at"]
        permissions = [
            ("view_subject_data", "Can search and extract a data subject's data"),
            ("erase_subject_data", "Can erase or restrict a data subject's data"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(extended_due_on__isnull=True) | ~models.Q(extension_reason=""),
                name="privacy_request_extension_needs_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(extended_due_on__isnull=True) | models.Q(extension_notified_on__isnull=False),
                name="privacy_request_extension_needs_notice",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="privacy_request_open_due")]

    def __str__(self) -> str:
        return self.reference

    @property
    def effective_due_on(self):  # type: ignore[no-untyped-def]
        return self.extended_due_on or self.due_on


class ExtractFormat(models.TextChoices):
    PDF = "pdf", _("PDF/A decision")
    JSON = "json", _("JSON (portability)")


class SubjectExtract(models.Model):
    """A registerutdrag made for a request: kept as a file for the plan's period (seed 003: 3 months)."""

    request = models.ForeignKey(
        SubjectRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="extracts"
    )
    controller = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    format = models.CharField(_("format"), max_length=4, choices=ExtractFormat.choices)
    file = models.FileField(_("file"), upload_to="privacy/extracts/")
    hits = models.PositiveIntegerField(_("places found"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dispose_after = models.DateField(_("dispose after"), null=True, blank=True)

    class Meta:
        verbose_name = _("register extract")
        verbose_name_plural = _("register extracts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.request or self.controller} {self.format}"


class ErasureOutcome(models.TextChoices):
    ERASED = "erased", _("Erased")
    RESTRICTED = "restricted", _("Restricted")
    KEPT = "kept", _("Kept")


class ErasureItem(models.Model):
    """What an erasure or restriction request did to each place found, with the reason when it could not act."""

    request = models.ForeignKey(SubjectRequest, on_delete=models.CASCADE, related_name="erasure_items")
    model_label = models.CharField(_("kind of data"), max_length=100)
    object_id = models.CharField(_("object"), max_length=64)
    object_label = models.CharField(_("place"), max_length=300)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=ErasureOutcome.choices)
    reason_code = models.CharField(_("reason code"), max_length=40, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # The plan row that retains it: {"plan": …, "document_type": …, "decision": "Kommunstyrelsen 2016-11-28 § 208"}
    citation = models.JSONField(_("citation"), default=dict, blank=True)
    keep_until = models.DateField(_("kept until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("erasure item")
        verbose_name_plural = _("erasure items")
        ordering = ["request", "id"]

    def __str__(self) -> str:
        return f"{self.object_label}: {self.get_outcome_display()}"


class ProcessingRestriction(models.Model):
    """Art. 18: data kept but not to be processed (other than stored) while the restriction holds."""

    request = models.ForeignKey(SubjectRequest, on_delete=models.CASCADE, related_name="restrictions")
    model_label = models.CharField(_("kind of data"), max_length=100)
    object_id = models.CharField(_("object"), max_length=64)
    object_label = models.CharField(_("place"), max_length=300)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)

    class Meta:
        verbose_name = _("processing restriction")
        verbose_name_plural = _("processing restrictions")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["model_label", "object_id"], name="privacy_restriction_obj")]

    def __str__(self) -> str:
        return self.object_label
