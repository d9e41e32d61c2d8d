from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "insyn.core"
    label = "core"
    verbose_name = _("Insyn core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from insyn.core import personal_data, signals  # noqa: F401

        personal_data.register_core_fields()
        post_migrate.connect(_sync_roles_after_migrate)


def _sync_roles_after_migrate(sender: AppConfig, **kwargs: object) -> None:
    # Every installation gets the role groups with current permissions, demo or not.
    # post_migrate fires per app; permissions of all apps exist only at the last one.
    from django.apps import apps

    from insyn.core.roles_sync import sync_roles

    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender is not last:
        return

    sync_roles(using=str(kwargs.get("using", "default")))
