from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "insyn.records"
    label = "records"
    verbose_name = _("Records management")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from insyn.core.personal_data import DataCategory, register

        # Who confirmed an unclear rule at adoption: a login, kept with the plan.
        register("records.unclearruleconfirmation", "confirmed_by", DataCategory.ACCOUNT)
        register("records.unclearruleconfirmation", "confirmed_by_label", DataCategory.ACCOUNT)
