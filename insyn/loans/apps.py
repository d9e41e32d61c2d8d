from django.utils.translation import gettext_lazy as _

from insyn.core.registry import InsynAppConfig


class LoansConfig(InsynAppConfig):
    name = "insyn.loans"
    label = "loans"
    default = True  # apps.py also imports InsynAppConfig: say which config Django picks
    verbose_name = _("Equipment loans")
    daily_jobs = [("loan_reminders_daily", "insyn.loans.tasks.loan_reminders_daily", 7)]
    demo_loader = "insyn.loans.demo.load_demo"
    search_providers = ["insyn.loans.search.search"]
    api_routers = [("/loans", "insyn.loans.api.router")]
    commands = {"loans": "equipment loans: `insyn loans eligibility --person ID --on DATE`"}

    def ready(self) -> None:
        from insyn.core.personal_data import DataCategory, register, register_not_personal
        from insyn.loans.receivers import recompute_due_dates_on_membership_change
        from insyn.officials.signals import membership_changed

        membership_changed.connect(
            recompute_due_dates_on_membership_change, dispatch_uid="loans_recompute_due_dates_on_membership_change"
        )

        # Whose data: the borrower's (through the loan's person) or a staff member's (their login).
        register("loans.loan", "person", DataCategory.IDENTITY, subject="person")
        register("loans.loan", "handover", DataCategory.ACCOUNT, subject="person")
        register("loans.loan", "eligibility_reasons", DataCategory.OTHER, subject="person")
        register("loans.loan", "return_checklist", DataCategory.OTHER, subject="person")
        register("loans.loan", "checked_out_by", DataCategory.ACCOUNT, subject="checked_out_by")
        register("loans.loan", "returned_to", DataCategory.ACCOUNT, subject="returned_to")
        register("loans.receipt", "pdf", DataCategory.FILE, subject="loan__person")
        register("loans.receipt", "accepted_by", DataCategory.ACCOUNT, subject="accepted_by")
        register("loans.receipt", "staff_acknowledged_by", DataCategory.ACCOUNT, subject="staff_acknowledged_by")
        register("loans.incident", "place", DataCategory.OTHER, subject="loan__person")
        register("loans.incident", "police_report_number", DataCategory.OTHER, subject="loan__person")
        register("loans.incident", "description", DataCategory.FREE_TEXT, subject="loan__person")
        register("loans.incident", "liability_note", DataCategory.FREE_TEXT, subject="loan__person")
        register("loans.incident", "reported_by", DataCategory.ACCOUNT, subject="reported_by")
        register("loans.incident", "assessed_by", DataCategory.ACCOUNT, subject="assessed_by")
        register("loans.broadbandrequest", "motivation", DataCategory.FREE_TEXT, subject="loan__person")
        register("loans.broadbandrequest", "decided_by", DataCategory.IDENTITY, subject="decided_by")
        register("loans.reminder", "sent_to", DataCategory.CONTACT, subject="loan__person")
        register_not_personal("loans.device", "notes", "about the device (condition, repairs), kept apart from loans")
        register_not_personal("loans.loanruleset", "rules", "the structured rules of a governing document")

        # erasure hooks
        from insyn.core.personal_data import register_erasure_blocker
        from insyn.loans import erasure

        register_erasure_blocker("loans.loan", erasure.loan_blocker)
        for part in ("loans.receipt", "loans.incident", "loans.broadbandrequest"):
            register_erasure_blocker(part, erasure.loan_part_blocker)
        register_erasure_blocker("officials.person", erasure.person_blocker)
