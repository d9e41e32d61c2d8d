"""Retention plans (dokumenthanteringsplan / JRWA): classification, document types and their rules.

An adopted plan is frozen: services refuse changes and database triggers
(migration 0002) refuse INSERT/UPDATE/DELETE of its content. Changes go
into a new draft version that replaces the old one when adopted.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlanStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("plan status", "Draft")
    ADOPTED = "adopted", pgettext_lazy("plan status", "Adopted")
    REPLACED = "replaced", pgettext_lazy("plan status", "Replaced")


class Classification(models.TextChoices):
    SWEDISH = "sv", _("Process-based classification (Sweden)")
    JRWA = "jrwa", _("JRWA (Poland)")


class NodeLevel(models.TextChoices):
    AREA = "area", _("Activity area")
    GROUP = "group", _("Process group")
    PROCESS = "process", _("Process")


class RetentionAction(models.TextChoices):
    RETAIN = "retain", _("Retain")
    DISPOSE = "dispose", _("Dispose")
    REVIEW = "review", _("Review")
    TRANSFER = "transfer", _("Transfer")
    UNCLEAR = "unclear", _("Unclear")


class RetentionTrigger(models.TextChoices):
    CREATED = "created", _("Created or received")
    CASE_CLOSED = "case_closed", _("Case closed")
    EVENT = "event", _("Event")
    OBSOLETE = "obsolete", _("No longer needed")
    NONE = "none", _("None")


class RetentionAlign(models.TextChoices):
    NONE = "none", _("None")
    YEAR_END = "year_end", _("End of the calendar year")


class RetentionPlan(models.Model):
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("archive creator"),
        on_delete=models.PROTECT,
        related_name="retention_plans",
    )
    title = models.CharField(_("title"), max_length=300)
    scope = models.CharField(_("scope"), max_length=300, blank=True)
    classification = models.CharField(
        _("classification scheme"), max_length=10, choices=Classification.choices, default=Classification.SWEDISH
    )
    adopted_by = models.CharField(_("adopted by"), max_length=200, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    paragraph = models.CharField(_("paragraph (§)"), max_length=40, blank=True)
    version = models.CharField(_("version"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    previous_version = models.ForeignKey(
        "self",
        verbose_name=_("previous version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_versions",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("retention plan")
        verbose_name_plural = _("retention plans")
        ordering = ["organisation__path", "title", "-adopted_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(adopted_on__isnull=False),
                name="plan_adopted_needs_date",
            ),
            models.UniqueConstraint(
                fields=["previous_version"],
                condition=models.Q(status="draft"),
                name="plan_one_draft_per_version",
            ),
        ]

    def __str__(self) -> str:
        version = f" v{self.version}" if self.version else ""
        return f"{self.title}{version} ({self.get_status_display()})"

    @property
    def is_frozen(self) -> bool:
        return self.status != PlanStatus.DRAFT

    @property
    def adoption_label(self) -> str:
        parts = [self.adopted_by]
        if self.adopted_on:
            parts.append(self.adopted_on.isoformat())
        label = ", ".join(p for p in parts if p)
        return f"{label} {self.paragraph}".strip()


class PlanRevision(models.Model):
    plan = models.ForeignKey(RetentionPlan, on_delete=models.CASCADE, related_name="revisions")
    date = models.DateField(_("date"))
    paragraph = models.CharField(_("paragraph (§)"), max_length=40, blank=True)
    description = models.TextField(_("the revision concerns"), blank=True)
    version = models.CharField(_("version"), max_length=20, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["plan", "position", "date"]

    def __str__(self) -> str:
        return f"{self.date} {self.paragraph} {self.version}".strip()


class ClassificationNode(models.Model):
    """Activity area → process group → process (or JRWA symbols at the same three levels)."""

    plan = models.ForeignKey(RetentionPlan, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    level = models.CharField(_("level"), max_length=10, choices=NodeLevel.choices)
    # Blank where the file has no such level or no numbering: nothing is invented (issue 8).
    code = models.CharField(_("code"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("classification node")
        verbose_name_plural = _("classification nodes")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "level", "code"], condition=~models.Q(code=""), name="node_code_unique_per_plan"
            ),
            models.CheckConstraint(
                condition=models.Q(level="area", parent__isnull=True)
                | (~models.Q(level="area") & models.Q(parent__isnull=False)),
                name="node_only_areas_are_roots",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Activity(models.Model):
    plan = models.ForeignKey(RetentionPlan, on_delete=models.CASCADE, related_name="activities")
    process = models.ForeignKey(ClassificationNode, on_delete=models.CASCADE, related_name="activities")
    name = models.CharField(_("activity"), max_length=300, blank=True)  # "" in plans without an activity level
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["plan", "position"]

    def __str__(self) -> str:
        return self.name


class ITSystem(models.Model):
    """A system that holds records ("W3D3", "Ärendehanteringssystem"), per municipality."""

    municipality = models.ForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="it_systems")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Where the data is kept (the register of processing and the transfer check read it): "Sverige",
    # "EU/EES", "USA (Microsoft Azure)".
    hosting_location = models.CharField(_("hosting location"), max_length=200, blank=True)
    hosting_country = models.CharField(_("hosting country (ISO 3166)"), max_length=2, blank=True)
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("IT system")
        verbose_name_plural = _("IT systems")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="it_system_unique_name")]

    def __str__(self) -> str:
        return self.name


class DocumentType(models.Model):
    """A handlingstyp row: where and how it is kept, and its retention rule (text as written + structure)."""

    plan = models.ForeignKey(RetentionPlan, on_delete=models.CASCADE, related_name="document_types")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="document_types")
    name = models.CharField(_("document type"), max_length=500)
    analog_format = models.CharField(_("analogue format"), max_length=200, blank=True)
    analog_storage = models.CharField(_("analogue storage"), max_length=300, blank=True)
    digital_format = models.CharField(_("digital format"), max_length=200, blank=True)
    digital_storage = models.CharField(_("digital storage"), max_length=300, blank=True)
    it_systems = models.ManyToManyField(
        ITSystem, verbose_name=_("IT systems"), blank=True, related_name="document_types"
    )
    retention_text = models.TextField(_("retain/dispose (as written)"), blank=True)
    action = models.CharField(
        _("action"), max_length=10, choices=RetentionAction.choices, default=RetentionAction.UNCLEAR
    )
    period = models.CharField(_("period (ISO 8601)"), max_length=20, blank=True)
    trigger = models.CharField(_("counted from"), max_length=12, choices=RetentionTrigger.choices, default="none")
    trigger_event = models.CharField(_("event"), max_length=100, blank=True)
    align = models.CharField(_("alignment"), max_length=10, choices=RetentionAlign.choices, default="none")
    sampling = models.CharField(_("sampling"), max_length=100, blank=True)
    archival_format = models.CharField(_("format at archiving"), max_length=200, blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    legal_reference = models.CharField(_("decision or legal reference"), max_length=300, blank=True)
    personal_data = models.BooleanField(_("holds personal data"), null=True, blank=True)
    sorting = models.CharField(_("sorting"), max_length=200, blank=True)
    delivery_deadline = models.CharField(_("delivery deadline to the archive"), max_length=200, blank=True)
    original_or_copy = models.CharField(_("original/copy"), max_length=50, blank=True)
    reference_code = models.CharField(_("reference code"), max_length=200, blank=True)
    disposal_authority = models.TextField(_("disposal authority"), blank=True)
    secrecy = models.TextField(_("secrecy"), blank=True)
    # Columns of the imported file that map to no field: {label as the file shows it: cell text}.
    extra = models.JSONField(_("other columns"), default=dict, blank=True)
    # The separate columns that together stated the rule ("Bevaras", "Gallras", "Gallringsfrist"), verbatim.
    retention_sources = models.JSONField(_("retention columns (as written)"), default=dict, blank=True)
    position = models.PositiveIntegerField(default=0)
    # Lower-cased, diacritics folded: "forvaring" finds "förvaring".
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["plan", "position"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(trigger="event") | ~models.Q(trigger_event=""),
                name="doctype_event_trigger_needs_event",
            ),
            models.CheckConstraint(
                condition=models.Q(period="") | models.Q(period__startswith="P"),
                name="doctype_period_is_iso_duration",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from insyn.records.rules import is_iso_duration

        errors: dict[str, Any] = {}
        if self.period and not is_iso_duration(self.period):
            errors["period"] = _("Write the period as an ISO 8601 duration, e.g. P2Y or P1M.")
        if self.trigger == RetentionTrigger.EVENT and not self.trigger_event:
            errors["trigger_event"] = _("Name the event the period is counted from.")
        if errors:
            raise ValidationError(errors)


class RetentionPattern(models.Model):
    """A grammar rule added by users: extends the built-in retention parser without code."""

    municipality = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="retention_patterns"
    )
    name = models.CharField(_("name"), max_length=100)
    pattern = models.CharField(_("pattern (regular expression)"), max_length=500)
    lang = models.CharField(_("language"), max_length=2, default="sv")
    action = models.CharField(_("action"), max_length=10, choices=RetentionAction.choices)
    period = models.CharField(_("period"), max_length=40, blank=True)
    trigger = models.CharField(_("counted from"), max_length=12, choices=RetentionTrigger.choices, default="none")
    trigger_event = models.CharField(_("event"), max_length=100, blank=True)
    align = models.CharField(_("alignment"), max_length=10, choices=RetentionAlign.choices, default="none")
    sampling = models.CharField(_("sampling"), max_length=100, blank=True)
    priority = models.IntegerField(
        _("priority"), default=150, help_text=_("Higher is tried first; the built-in rules use 10 to 120.")
    )

    class Meta:
        verbose_name = _("retention pattern")
        verbose_name_plural = _("retention patterns")
        ordering = ["-priority", "name"]

    def __str__(self) -> str:
        return self.name

    def as_rule(self) -> Any:
        from insyn.records.retention import GrammarRule

        return GrammarRule(
            name=self.name,
            pattern=self.pattern,
            lang=self.lang,
            action=self.action,
            period=self.period or None,
            trigger=self.trigger,
            trigger_event=self.trigger_event or None,
            align=self.align,
            sampling=self.sampling or None,
            priority=self.priority,
        )

    def clean(self) -> None:
        try:
            self.as_rule()
        except ValueError as exc:  # the parser's own validation: bad pattern, period or event
            raise ValidationError({"pattern": str(exc)}) from exc


class UnclearRuleConfirmation(models.Model):
    """A person's word that an unclear rule may be adopted as it stands ("se anmärkning", handled by hand).

    Written in the adoption's transaction before the plan is frozen; the triggers of migration 0003 then
    freeze it with the plan's content.
    """

    document_type = models.OneToOneField(
        DocumentType,
        verbose_name=_("document type"),
        on_delete=models.CASCADE,
        related_name="unclear_confirmation",
    )
    reason = models.TextField(_("reason"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_by_label = models.CharField(_("confirmed by"), max_length=200, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"))

    class Meta:
        verbose_name = _("confirmation of an unclear rule")
        verbose_name_plural = _("confirmations of unclear rules")
        constraints = [models.CheckConstraint(condition=~models.Q(reason=""), name="unclear_confirmation_has_reason")]

    def __str__(self) -> str:
        return f"{self.document_type_id}: {self.reason}"
