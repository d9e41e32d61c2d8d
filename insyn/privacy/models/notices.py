"""Privacy notices (Art. 13/14), generated from the register per controller × data-subject category."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    controller = models.ForeignKey(
        "core.Organisation", verbose_name=_("controller"), on_delete=models.PROTECT, related_name="privacy_notices"
    )
    subject_category = models.ForeignKey(
        "privacy.TaxonomyTerm", verbose_name=_("data-subject category"), on_delete=models.PROTECT, related_name="+"
    )
    slug = models.SlugField(_("address"), max_length=100)
    # {"sv": "Information till förtroendevalda om hantering av personuppgifter", …}: the DPO's wording per language;
    # a language left out gets a title made from the subject category's label.
    titles = models.JSONField(_("title per language"), default=dict, blank=True)
    # {"sv": "När du har uppdrag som förtroendevald …", …}: the opening paragraph per language, may be empty.
    intros = models.JSONField(_("introduction per language"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        ordering = ["controller__path", "slug"]
        permissions = [("publish_notice", "Can approve and publish a privacy notice")]
        constraints = [
            models.UniqueConstraint(fields=["controller", "subject_category"], name="privacy_notice_once"),
            models.UniqueConstraint(fields=["controller", "slug"], name="privacy_notice_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.controller} · {self.subject_category}"


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")
    DISCARDED = "discarded", _("Discarded")


class NoticeVersion(models.Model):
    """One generated text of a notice. Published versions are never changed: a change makes a new draft."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=12, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT)
    # {"sv": {...}, "pl": {...}, "en": {...}}: the notice as data (title, intro, sections, art13), per language.
    content = models.JSONField(_("content"))
    # SHA-256 of the register/plan data the content was made from: a regeneration with the same digest is a no-op.
    source_digest = models.CharField(_("source digest"), max_length=64)
    reason = models.CharField(_("why this version was made"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by_label = models.CharField(_("approved by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("notice version")
        verbose_name_plural = _("notice versions")
        ordering = ["notice", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "number"], name="privacy_notice_version_unique"),
            models.UniqueConstraint(
                fields=["notice"], condition=models.Q(status="draft"), name="privacy_notice_one_draft"
            ),
            models.UniqueConstraint(
                fields=["notice"], condition=models.Q(status="published"), name="privacy_notice_one_published"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="privacy_notice_published_needs_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice} v{self.number}"


class PublicAttempt(models.Model):
    """One counted attempt on a public privacy page (the request form, the access key, the identity step).

    The rate limit counts these rows, in the database, so that every server process counts together (the default
    cache is per process). `key` is a keyed hash of the client address or of the request reference, never the
    address itself; rows are deleted a day after they were made.
    """

    bucket = models.CharField(_("what was attempted"), max_length=20)
    key = models.CharField(_("who or what it counts"), max_length=64)
    at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        verbose_name = _("public attempt")
        verbose_name_plural = _("public attempts")
        indexes = [models.Index(fields=["bucket", "key", "at"], name="privacy_attempt_lookup")]

    def __str__(self) -> str:
        return f"{self.bucket} {self.at:%Y-%m-%d %H:%M}"
