"""The Art. 30 register: one per controller (an organ), one row per processing activity.

Every Art. 30(1) field is structured in its own model or field; free text is kept beside the
structure where the source has prose ("Hämtas från", "Gallras"), because notices quote it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegisterKind(models.TextChoices):
    CONTROLLER = "controller", _("Controller (Art. 30(1))")
    PROCESSOR = "processor", _("Processor (Art. 30(2))")


class ApprovalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class LegalBasisArticle(models.TextChoices):
    CONSENT = "6.1.a", _("Consent (Art. 6(1)(a))")
    CONTRACT = "6.1.b", _("Contract (Art. 6(1)(b))")
    LEGAL_OBLIGATION = "6.1.c", _("Legal obligation (Art. 6(1)(c))")
    VITAL_INTERESTS = "6.1.d", _("Vital interests (Art. 6(1)(d))")
    PUBLIC_INTEREST = "6.1.e", _("Public interest or official authority (Art. 6(1)(e))")
    LEGITIMATE_INTERESTS = "6.1.f", _("Legitimate interests (Art. 6(1)(f))")


class Art9Condition(models.TextChoices):
    NONE = "", _("None stated")
    EXPLICIT_CONSENT = "9.2.a", _("Explicit consent (Art. 9(2)(a))")
    EMPLOYMENT = "9.2.b", _("Employment and social security law (Art. 9(2)(b))")
    VITAL_INTERESTS = "9.2.c", _("Vital interests (Art. 9(2)(c))")
    NOT_FOR_PROFIT = "9.2.d", _("Not-for-profit body (Art. 9(2)(d))")
    MADE_PUBLIC = "9.2.e", _("Made public by the data subject (Art. 9(2)(e))")
    LEGAL_CLAIMS = "9.2.f", _("Legal claims (Art. 9(2)(f))")
    SUBSTANTIAL_PUBLIC_INTEREST = "9.2.g", _("Substantial public interest (Art. 9(2)(g))")
    HEALTH_SOCIAL_CARE = "9.2.h", _("Health or social care (Art. 9(2)(h))")
    PUBLIC_HEALTH = "9.2.i", _("Public health (Art. 9(2)(i))")
    ARCHIVING_RESEARCH = "9.2.j", _("Archiving, research or statistics (Art. 9(2)(j))")


class SourceKind(models.TextChoices):
    SUBJECT = "subject", _("The data subject")
    AUTHORITIES = "authorities", _("Other authorities")
    PUBLIC_REGISTERS = "public_registers", _("Public registers (e.g. Navet)")
    INTERNAL = "internal", _("Generated internally")
    THIRD_PARTY = "third_party", _("Third parties")


class ProvisionRequirement(models.TextChoices):
    UNKNOWN = "", _("Not stated")
    STATUTORY = "statutory", _("Required by law")
    CONTRACTUAL = "contractual", _("Required by contract")
    CONTRACT_PREREQUISITE = "prerequisite", _("Needed to enter into a contract")
    VOLUNTARY = "voluntary", _("Voluntary")


class TransferMechanism(models.TextChoices):
    NONE = "", _("None stated")
    ADEQUACY = "adequacy", _("Adequacy decision (Art. 45)")
    SCCS = "sccs", _("Standard contractual clauses (Art. 46(2)(c))")
    BCRS = "bcrs", _("Binding corporate rules (Art. 47)")
    DEROGATION = "derogation", _("Derogation for specific situations (Art. 49)")


class DpiaNeed(models.TextChoices):
    NOT_ASSESSED = "", _("Not assessed")
    NOT_NEEDED = "not_needed", _("Not needed")
    NEEDED = "needed", _("Needed")
    DONE = "done", _("Carried out")


class Register(models.Model):
    controller = models.ForeignKey(
        "core.Organisation", verbose_name=_("controller"), on_delete=models.PROTECT, related_name="privacy_registers"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RegisterKind.choices, default=RegisterKind.CONTROLLER)
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=ApprovalStatus.choices, default="draft")
    version = models.PositiveIntegerField(_("approved version"), default=0)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_date = models.DateField(_("next review"), null=True, blank=True)
    review_reminder_sent_on = models.DateField(_("review reminder sent"), null=True, blank=True)
    dpo_name = models.CharField(_("data protection officer"), max_length=200, blank=True)
    dpo_email = models.EmailField(_("DPO e-mail"), blank=True)
    dpo_phone = models.CharField(_("DPO phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("controller contact e-mail"), blank=True)
    contact_address = models.TextField(_("controller postal address"), blank=True)
    source_file = models.CharField(_("imported from"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("processing register")
        verbose_name_plural = _("processing registers")
        ordering = ["controller__path", "kind"]
        permissions = [("approve_register", "Can approve a processing register")]
        constraints = [
            models.UniqueConstraint(fields=["controller", "kind"], name="privacy_one_register_per_controller_kind"),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(approved_at__isnull=False),
                name="privacy_register_approved_needs_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RegisterVersion(models.Model):
    """What an approval froze: the register as its export JSON, so versions can be diffed field by field."""

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("content"))
    approved_at = models.DateTimeField(_("approved"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by_label = models.CharField(_("approved by"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("register version")
        verbose_name_plural = _("register versions")
        ordering = ["register", "-number"]
        constraints = [models.UniqueConstraint(fields=["register", "number"], name="privacy_register_version_unique")]

    def __str__(self) -> str:
        return f"{self.register} v{self.number}"


class ProcessingActivity(models.Model):
    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="activities")
    name = models.CharField(_("processing activity"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ApprovalStatus.choices, default="draft")
    # Identity
    joint_controllers = models.TextField(_("joint controllers"), blank=True)
    joint_arrangement = models.TextField(_("Art. 26 arrangement"), blank=True)
    owning_unit = models.CharField(_("owning unit"), max_length=200, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    # For a processor register (Art. 30(2)): the controller on whose behalf the processing is done.
    on_behalf_of = models.CharField(_("processing on behalf of"), max_length=300, blank=True)
    # Purposes, one per line as the source lists them ("Skicka ut beslutsunderlag", "Skriva protokoll").
    purposes = models.JSONField(_("purposes"), default=list, blank=True)
    data_uses = models.ManyToManyField(
        "privacy.TaxonomyTerm", verbose_name=_("data uses"), blank=True, related_name="activities_as_use"
    )
    legal_basis_text = models.TextField(_("lawfulness (as written)"), blank=True)
    # Sources
    sources = models.JSONField(_("sources"), default=list, blank=True)  # SourceKind values
    sources_text = models.TextField(_("sources (as written)"), blank=True)
    provision_requirement = models.CharField(
        _("is providing the data required?"),
        max_length=15,
        choices=ProvisionRequirement.choices,
        default="",
        blank=True,
    )
    provision_consequence = models.TextField(_("consequence of not providing the data"), blank=True)
    recipients_text = models.TextField(_("recipients (as written)"), blank=True)
    # Retention
    retention_text = models.TextField(_("retention (as written)"), blank=True)
    retention_rules = models.JSONField(_("retention rules (structured)"), default=list, blank=True)
    document_types = models.ManyToManyField(
        "records.DocumentType", verbose_name=_("document types in the plan"), blank=True, related_name="+"
    )
    systems = models.ManyToManyField(
        "records.ITSystem", verbose_name=_("IT systems / information carriers"), blank=True, related_name="+"
    )
    systems_text = models.CharField(_("information carriers (as written)"), max_length=500, blank=True)
    # Security, automated decisions, DPIA
    security_measures = models.TextField(_("technical and organisational security measures"), blank=True)
    automated_decision = models.BooleanField(_("automated decision-making (Art. 22)"), default=False)
    automated_decision_logic = models.TextField(_("logic and consequences of the automated decision"), blank=True)
    dpia_need = models.CharField(_("DPIA"), max_length=12, choices=DpiaNeed.choices, default="", blank=True)
    dpia_criteria = models.JSONField(_("DPIA criteria met"), default=list, blank=True)  # rules.DPIA_CRITERIA keys
    dpia_link = models.CharField(_("link to the DPIA"), max_length=500, blank=True)
    # Where Insyn itself holds this activity's data: model labels of the personal-data registry
    # ("officials.person", "loans.loan"), so a subject search hit carries this activity's purpose.
    system_models = models.JSONField(_("Insyn data in this activity"), default=list, blank=True)
    position = models.PositiveIntegerField(default=0)
    # Columns of an imported file that map to no field: {label as the file shows it: cell text}.
    extra = models.JSONField(_("other columns"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("processing activity")
        verbose_name_plural = _("processing activities")
        ordering = ["register", "position", "id"]

    def __str__(self) -> str:
        return self.name


class LegalBasis(models.Model):
    activity = models.ForeignKey(ProcessingActivity, on_delete=models.CASCADE, related_name="legal_bases")
    article = models.CharField(_("legal basis"), max_length=5, choices=LegalBasisArticle.choices)
    reference = models.CharField(_("law reference"), max_length=500, blank=True)
    # Consent only: how the subject withdraws it (Art. 7(3)); a check warns when it is empty.
    withdrawal_route = models.TextField(_("how consent is withdrawn"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["activity", "position", "article"]
        constraints = [models.UniqueConstraint(fields=["activity", "article"], name="privacy_basis_once")]

    def __str__(self) -> str:
        return self.get_article_display()


class ActivitySubject(models.Model):
    activity = models.ForeignKey(ProcessingActivity, on_delete=models.CASCADE, related_name="subjects")
    category = models.ForeignKey(
        "privacy.TaxonomyTerm", verbose_name=_("data-subject category"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("data-subject category")
        verbose_name_plural = _("data-subject categories")
        ordering = ["activity", "position"]
        constraints = [models.UniqueConstraint(fields=["activity", "category"], name="privacy_subject_once")]

    def __str__(self) -> str:
        return str(self.category)


class ActivityData(models.Model):
    """One personal-data category processed about one subject category (or all of them: subject empty)."""

    activity = models.ForeignKey(ProcessingActivity, on_delete=models.CASCADE, related_name="data")
    subject = models.ForeignKey(
        ActivitySubject, verbose_name=_("about"), null=True, blank=True, on_delete=models.CASCADE, related_name="data"
    )
    category = models.ForeignKey(
        "privacy.TaxonomyTerm", verbose_name=_("personal-data category"), on_delete=models.PROTECT, related_name="+"
    )
    art9_condition = models.CharField(
        _("Art. 9(2) condition"), max_length=5, choices=Art9Condition.choices, default="", blank=True
    )
    dsl_reference = models.CharField(_("Dataskyddslagen reference"), max_length=200, blank=True)
    art10_reference = models.CharField(_("Art. 10 authority (law reference)"), max_length=200, blank=True)
    # DSL 3 kap. 10 §: personnummer only when clearly justified by the purpose, identification or another reason.
    national_id_reason = models.TextField(_("reason for personnummer (DSL 3 kap. 10 §)"), blank=True)
    children = models.BooleanField(_("children's data"), default=False)
    secrecy = models.CharField(_("secrecy (OSL reference)"), max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("personal-data category")
        verbose_name_plural = _("personal-data categories")
        ordering = ["activity", "position"]

    def __str__(self) -> str:
        return str(self.category)


class RecipientKind(models.TextChoices):
    CATEGORY = "category", _("Category of recipients")
    NAMED = "named", _("Named recipient")


class Recipient(models.Model):
    activity = models.ForeignKey(ProcessingActivity, on_delete=models.CASCADE, related_name="recipients")
    kind = models.CharField(_("kind"), max_length=10, choices=RecipientKind.choices, default=RecipientKind.CATEGORY)
    name = models.CharField(_("recipient"), max_length=300)
    country = models.CharField(_("country (ISO 3166)"), max_length=2, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["activity", "position"]

    def __str__(self) -> str:
        return self.name


class Processor(models.Model):
    """A personuppgiftsbiträde and the agreement (Art. 28(3)) under which it processes for the activity."""

    activity = models.ForeignKey(ProcessingActivity, on_delete=models.CASCADE, related_name="processors")
    name = models.CharField(_("processor"), max_length=300)
    service = models.CharField(_("service"), max_length=300, blank=True)
    agreement_reference = models.CharField(_("agreement reference"), max_length=200, blank=True)
    agreement_date = models.DateField(_("agreement date"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("processor")
        verbose_name_plural = _("processors")
        ordering = ["activity", "position"]

    def __str__(self) -> str:
        return self.name


class Transfer(models.Model):
    activity = models.ForeignKey(ProcessingActivity, on_delete=models.CASCADE, related_name="transfers")
    country = models.CharField(_("country (ISO 3166)"), max_length=2)
    recipient = models.CharField(_("recipient"), max_length=300, blank=True)
    mechanism = models.CharField(
        _("transfer mechanism"), max_length=12, choices=TransferMechanism.choices, default="", blank=True
    )
    # "EU–US Data Privacy Framework (C(2023) 4745)", "SCC 2021/914 module 2", "Art. 49(1)(b)"
    mechanism_reference = models.CharField(_("decision, clauses or derogation"), max_length=300, blank=True)
    tia_reference = models.CharField(_("transfer impact assessment"), max_length=300, blank=True)
    tia_date = models.DateField(_("TIA date"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("third-country transfer")
        verbose_name_plural = _("third-country transfers")
        ordering = ["activity", "position"]

    def __str__(self) -> str:
        return self.country
