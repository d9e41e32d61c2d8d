from django.utils.translation import gettext_lazy as _

from insyn.core.registry import InsynAppConfig


class RecordsConfig(InsynAppConfig):
    name = "insyn.records"
    label = "records"
    default = True  # apps.py also imports InsynAppConfig: say which config Django picks
    verbose_name = _("Records management")
    demo_loader = "insyn.records.demo.load_demo"
    search_providers = ["insyn.records.search.search"]
    api_routers = [("/records", "insyn.records.api.router")]
    commands = {"records": "retention plans: import, export, parse-retention, list, adopt, new-version, diff (--user)"}

    def ready(self) -> None:
        from insyn.core.personal_data import DataCategory, register
        from insyn.records import receivers

        receivers.connect()

        # Who confirmed an unclear rule at adoption: a login, kept with the plan.
        register("records.unclearruleconfirmation", "confirmed_by", DataCategory.ACCOUNT)
        register("records.unclearruleconfirmation", "confirmed_by_label", DataCategory.ACCOUNT)
