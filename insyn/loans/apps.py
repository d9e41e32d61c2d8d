from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoansConfig(AppConfig):
    name = "insyn.loans"
    label = "loans"
    verbose_name = _("Equipment loans")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from insyn.core.personal_data import DataCategory, register

        register("loans.incident", "place", DataCategory.OTHER)
        register("loans.incident", "police_report_number", DataCategory.OTHER)
        register("loans.loan", "handover", DataCategory.ACCOUNT)
        register("loans.loan", "return_checklist", DataCategory.OTHER)
        register("loans.incident", "description", DataCategory.OTHER)
        register("loans.broadbandrequest", "motivation", DataCategory.OTHER)
        register("loans.receipt", "accepted_by", DataCategory.ACCOUNT)
