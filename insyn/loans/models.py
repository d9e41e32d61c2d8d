"""Equipment lent to elected officials, as the Piteå instruction (22KS572) prescribes.

Invariants in the database: a kit has at most one open loan, a device sits
in at most one kit, receipts are hashed when accepted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeviceType(models.TextChoices):
    TABLET = "tablet", _("Tablet")
    COMPUTER = "computer", _("Computer")
    PHONE = "phone", _("Phone")
    SIM = "sim", _("SIM card")
    CASE = "case", _("Case")
    CHARGER = "charger", _("Charger")
    KEYBOARD = "keyboard", _("Keyboard")
    PEN = "pen", _("Pen")
    OTHER = "other", _("Other")


class DeviceStatus(models.TextChoices):
    IN_STOCK = "in_stock", _("In stock")
    ON_LOAN = "on_loan", _("On loan")
    IN_REPAIR = "in_repair", _("In repair")
    LOST = "lost", _("Lost")
    STOLEN = "stolen", _("Stolen")
    RETIRED = "retired", _("Retired")


class Device(models.Model):
    municipality = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="devices")
    device_type = models.CharField(_("type"), max_length=20, choices=DeviceType.choices)
    make = models.CharField(_("make"), max_length=100, blank=True)
    model = models.CharField(_("model"), max_length=100, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=100)
    imei = models.CharField(_("IMEI"), max_length=20, blank=True)
    mdm_id = models.CharField(_("MDM identifier"), max_length=100, blank=True)
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=DeviceStatus.choices, default=DeviceStatus.IN_STOCK)
    kit = models.ForeignKey(
        "Kit", verbose_name=_("kit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="devices"
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["device_type", "serial_number"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "serial_number"], name="device_serial_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_device_type_display()} {self.make} {self.model} ({self.serial_number})".replace("  ", " ")


class Kit(models.Model):
    """A tablet or computer with its accessories: lent and returned as one unit."""

    municipality = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="kits")
    label = models.CharField(_("label"), max_length=100)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=[(DeviceType.TABLET, DeviceType.TABLET.label), (DeviceType.COMPUTER, DeviceType.COMPUTER.label)],
    )

    class Meta:
        verbose_name = _("kit")
        verbose_name_plural = _("kits")
        ordering = ["label"]
        constraints = [models.UniqueConstraint(fields=["municipality", "label"], name="kit_label_unique")]

    def __str__(self) -> str:
        return self.label


class LoanRuleSet(models.Model):
    """Who may borrow what, as data, with the governing document it comes from (22KS572 v1)."""

    document = models.ForeignKey(
        "core.GoverningDocument", verbose_name=_("instruction"), on_delete=models.PROTECT, related_name="loan_rules"
    )
    version = models.CharField(_("version"), max_length=20)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    return_days = models.PositiveIntegerField(_("days to return after the right ends"), default=14)
    rules = models.JSONField(_("rules"))

    class Meta:
        verbose_name = _("loan rule set")
        verbose_name_plural = _("loan rule sets")
        ordering = ["-valid_from"]
        constraints = [models.UniqueConstraint(fields=["document", "version"], name="loan_rules_unique_version")]

    def __str__(self) -> str:
        return f"{self.document} v{self.version}"


class LoanStatus(models.TextChoices):
    ACTIVE = "active", _("On loan")
    RETURNED = "returned", _("Returned")
    LOST = "lost", _("Lost")
    STOLEN = "stolen", _("Stolen")


class Loan(models.Model):
    kit = models.ForeignKey(Kit, verbose_name=_("kit"), on_delete=models.PROTECT, related_name="loans")
    person = models.ForeignKey(
        "officials.Person", verbose_name=_("borrower"), on_delete=models.PROTECT, related_name="loans"
    )
    rule_set = models.ForeignKey(LoanRuleSet, verbose_name=_("instruction version"), on_delete=models.PROTECT)
    status = models.CharField(_("status"), max_length=10, choices=LoanStatus.choices, default=LoanStatus.ACTIVE)
    checked_out_at = models.DateTimeField(_("checked out"))
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("checked out by")
    )
    eligibility_reasons = models.JSONField(_("eligibility reasons"), default=list)
    # What was handed over (user id, e-mail address, meeting app login): never a password.
    handover = models.JSONField(_("handover checklist"), default=dict)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    return_requested_on = models.DateField(_("return requested on"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    return_checklist = models.JSONField(_("return checklist"), default=dict, blank=True)
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-checked_out_at"]
        constraints = [
            # Two people cannot borrow the same kit at once: the database refuses the second loan.
            models.UniqueConstraint(
                fields=["kit"], condition=models.Q(status="active"), name="loan_one_active_per_kit"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="returned") | models.Q(returned_at__isnull=False),
                name="loan_returned_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kit} → {self.person}"


class ReceiptKind(models.TextChoices):
    CHECKOUT = "checkout", _("Receipt on checkout")
    RETURN = "return", _("Receipt on return")


def receipt_upload_to(instance: Receipt, filename: str) -> str:
    """A random folder per receipt: the name alone never finds a borrower's receipt (older ones keep theirs)."""
    from insyn.core.files import token_path

    return token_path("loans/receipts", filename)


class Receipt(models.Model):
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="receipts")
    kind = models.CharField(_("kind"), max_length=10, choices=ReceiptKind.choices)
    pdf = models.FileField(_("PDF"), upload_to=receipt_upload_to)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signing_method = models.CharField(_("signing method"), max_length=30, blank=True)
    staff_acknowledged_at = models.DateTimeField(_("acknowledged by staff"), null=True, blank=True)
    staff_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [models.UniqueConstraint(fields=["loan", "kind"], name="receipt_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.loan_id}"


class IncidentKind(models.TextChoices):
    LOST = "lost", _("Lost")
    STOLEN = "stolen", _("Stolen")


class Liability(models.TextChoices):
    UNDECIDED = "undecided", _("Not assessed")
    NEGLIGENT = "negligent", _("Negligence: the official may be liable")
    NOT_NEGLIGENT = "not_negligent", _("No negligence")


class Incident(models.Model):
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="incidents")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="incidents")
    kind = models.CharField(_("kind"), max_length=10, choices=IncidentKind.choices)
    occurred_at = models.DateTimeField(_("when"))
    place = models.CharField(_("where"), max_length=200, blank=True)
    police_report_number = models.CharField(_("police report number"), max_length=50, blank=True)
    description = models.TextField(_("description"), blank=True)
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    liability = models.CharField(_("liability"), max_length=15, choices=Liability.choices, default=Liability.UNDECIDED)
    liability_note = models.TextField(_("assessment"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed"), null=True, blank=True)

    class Meta:
        verbose_name = _("loss or theft")
        verbose_name_plural = _("losses and thefts")
        ordering = ["-reported_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.device}"


class BroadbandStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ENDED = "ended", _("Ended")


class BroadbandReason(models.TextChoices):
    TRAVEL = "travel", _("Travel is part of the assignment")
    NO_WIFI = "no_wifi", _("No wireless network at home")
    OTHER = "other", _("Other")


class BroadbandRequest(models.Model):
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="broadband_requests")
    reason = models.CharField(_("reason"), max_length=10, choices=BroadbandReason.choices)
    motivation = models.TextField(_("motivation"), blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=BroadbandStatus.choices, default=BroadbandStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        "officials.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    monthly_allowance_gb = models.PositiveIntegerField(_("monthly data allowance (GB)"), null=True, blank=True)
    roaming_blocked = models.BooleanField(_("roaming abroad blocked"), default=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("mobile broadband")
        verbose_name_plural = _("mobile broadband")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(roaming_blocked=True),
                name="broadband_roaming_always_blocked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan.person} ({self.get_status_display()})"


class Reminder(models.Model):
    """One reminder e-mail per loan, due date and step: the daily job stays idempotent."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="reminders")
    due_date = models.DateField()
    step = models.CharField(max_length=20)  # "before_7", "due", "after_7" …
    sent_to = models.JSONField(default=list)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["loan", "due_date", "step"], name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.step} {self.due_date}"
