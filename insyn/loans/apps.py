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
        from insyn.core.personal_data import DataCategory, register
        from insyn.loans.receivers import recompute_due_dates_on_membership_change
        from insyn.officials.signals import membership_changed

        membership_changed.connect(
            recompute_due_dates_on_membership_change, dispatch_uid="loans_recompute_due_dates_on_membership_change"
        )

        register("loans.incident", "place", DataCategory.OTHER)
        register("loans.incident", "police_report_number", DataCategory.OTHER)
        register("loans.loan", "handover", DataCategory.ACCOUNT)
        register("loans.loan", "return_checklist", DataCategory.OTHER)
        register("loans.incident", "description", DataCategory.OTHER)
        register("loans.broadbandrequest", "motivation", DataCategory.OTHER)
        register("loans.receipt", "accepted_by", DataCategory.ACCOUNT)
