from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "insyn.core"
    label = "core"
    verbose_name = _("Insyn core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from insyn.core import personal_data, signals  # noqa: F401

        personal_data.register_core_fields()
