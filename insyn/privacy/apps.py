from django.utils.translation import gettext_lazy as _

from insyn.core.registry import InsynAppConfig


class PrivacyConfig(InsynAppConfig):
    name = "insyn.privacy"
    label = "privacy"
    default = True  # apps.py also imports InsynAppConfig: say which config Django picks
    verbose_name = _("Data protection")
    daily_jobs = [
        ("privacy_register_reviews_daily", "insyn.privacy.tasks.register_reviews_daily", 6),
        ("privacy_request_deadlines_daily", "insyn.privacy.tasks.request_deadlines_daily", 7),
        ("privacy_extracts_disposal_daily", "insyn.privacy.tasks.extracts_disposal_daily", 3),
        ("privacy_requests_disposal_daily", "insyn.privacy.tasks.requests_disposal_daily", 3),
        # The scheduler runs jobs once a day at their hour: one entry per hour makes the breach clock hourly.
        *[(f"privacy_breach_clock_{hour:02d}", "insyn.privacy.tasks.breach_clock_hourly", hour) for hour in range(24)],
    ]
    demo_loader = "insyn.privacy.demo.load_demo"
    search_providers = ["insyn.privacy.search.search"]
    api_routers = [("/privacy", "insyn.privacy.api.router")]
    commands = {
        "privacy": "data protection: register export/import, notice, search, extract, requests, breaches (--user)"
    }

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from insyn.privacy import receivers
        from insyn.privacy.personal_data_fields import register_privacy_fields
        from insyn.privacy.services.taxonomy import sync_taxonomy_after_migrate

        receivers.connect()
        register_privacy_fields()
        # The built-in taxonomy (fideslang keys and Swedish additions) exists in every installation, demo or not.
        post_migrate.connect(sync_taxonomy_after_migrate, sender=self, dispatch_uid="privacy_taxonomy_sync")
