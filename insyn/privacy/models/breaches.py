"""The breach register (personuppgiftsincidenter, Art. 33(5)): every breach is documented."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BreachRisk(models.TextChoices):
    NOT_ASSESSED = "", _("Not yet assessed")
    UNLIKELY = "unlikely", _("Unlikely to result in a risk")
    RISK = "risk", _("Risk to rights and freedoms")
    HIGH = "high", _("High risk")


class SubjectNotification(models.TextChoices):
    UNDECIDED = "", _("Not yet decided")
    NOTIFIED = "notified", _("Data subjects notified (Art. 34)")
    NOT_NOTIFIED = "not_notified", _("Decided not to notify")


class BreachStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Breach(models.Model):
    controller = models.ForeignKey(
        "core.Organisation", verbose_name=_("controller"), on_delete=models.PROTECT, related_name="privacy_breaches"
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    discovered_at = models.DateTimeField(_("discovered"))
    occurred_at = models.DateTimeField(_("occurred"), null=True, blank=True)
    reported_by = models.CharField(_("reported by"), max_length=200, blank=True)
    description = models.TextField(_("what happened"))
    data_categories = models.ManyToManyField(
        "privacy.TaxonomyTerm", verbose_name=_("personal data affected"), blank=True, related_name="+"
    )
    subject_categories = models.ManyToManyField(
        "privacy.TaxonomyTerm", verbose_name=_("data subjects affected"), blank=True, related_name="breaches_as_subject"
    )
    activities = models.ManyToManyField(
        "privacy.ProcessingActivity", verbose_name=_("processing activities"), blank=True, related_name="breaches"
    )
    subjects_count = models.PositiveIntegerField(_("approximate number of data subjects"), null=True, blank=True)
    records_count = models.PositiveIntegerField(_("approximate number of records"), null=True, blank=True)
    risk = models.CharField(_("risk"), max_length=10, choices=BreachRisk.choices, default="", blank=True)
    risk_assessment = models.TextField(_("risk assessment"), blank=True)
    consequences = models.TextField(_("likely consequences"), blank=True)
    measures = models.TextField(_("measures taken or proposed"), blank=True)
    # Art. 33(1): the authority (IMY in Sweden, UODO in Poland) within 72 hours of discovery.
    authority = models.CharField(_("supervisory authority"), max_length=10, blank=True)
    authority_notified_at = models.DateTimeField(_("authority notified"), null=True, blank=True)
    authority_reference = models.CharField(_("authority's reference"), max_length=100, blank=True)
    authority_not_notified_reason = models.TextField(_("reason for not notifying the authority"), blank=True)
    late_reason = models.TextField(_("reason for notifying after 72 hours"), blank=True)
    subject_notification = models.CharField(
        _("data subjects"), max_length=15, choices=SubjectNotification.choices, default="", blank=True
    )
    subjects_notified_at = models.DateTimeField(_("data subjects notified"), null=True, blank=True)
    subject_notification_reason = models.TextField(_("reasons for the decision on notifying subjects"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=BreachStatus.choices, default=BreachStatus.OPEN)
    discovery_mail_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_48h_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("personal data breach")
        verbose_name_plural = _("personal data breaches")
        ordering = ["-discovered_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(subject_notification="not_notified") | ~models.Q(subject_notification_reason=""),
                name="privacy_breach_not_notifying_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"
