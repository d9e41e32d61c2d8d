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
        from insyn.core.personal_data import DataCategory, register, register_not_personal
        from insyn.records import receivers

        receivers.connect()

        # Who confirmed an unclear rule at adoption: a login, kept with the plan.
        register("records.unclearruleconfirmation", "confirmed_by", DataCategory.ACCOUNT, subject="confirmed_by")
        register("records.unclearruleconfirmation", "confirmed_by_label", DataCategory.ACCOUNT, subject="confirmed_by")
        # A plan describes document types, not people: its prose and names are declared so, field by field.
        register_not_personal(
            "records.retentionplan", "adopted_by", "the body that adopted the plan (Kommunstyrelsen), not a person"
        )
        for label, name in (
            ("records.planrevision", "description"),
            ("records.classificationnode", "name"),
            ("records.classificationnode", "description"),
            ("records.activity", "name"),
            ("records.itsystem", "name"),
            ("records.itsystem", "description"),
            ("records.documenttype", "name"),
            ("records.documenttype", "retention_text"),
            ("records.documenttype", "remarks"),
            ("records.documenttype", "disposal_authority"),
            ("records.documenttype", "secrecy"),
            ("records.documenttype", "extra"),
            ("records.documenttype", "retention_sources"),
            ("records.documenttype", "search_text"),
            ("records.retentionpattern", "name"),
            ("records.unclearruleconfirmation", "reason"),
        ):
            register_not_personal(label, name, "text of a retention plan about document types and rules")
