from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from insyn.core.registry import InsynAppConfig


class CoreConfig(InsynAppConfig):
    name = "insyn.core"
    label = "core"
    default = True  # apps.py also imports InsynAppConfig: say which config Django picks
    verbose_name = _("Insyn core")
    daily_jobs = [
        ("governing_documents_daily", "insyn.core.tasks.governing_documents_daily", 6),
        ("audit_head_daily", "insyn.core.tasks.audit_head_daily", 23),
        ("import_pending_cleanup_daily", "insyn.core.tasks.import_pending_cleanup_daily", 3),
    ]
    demo_loader = "insyn.core.demo.load_demo"
    search_providers = ["insyn.core.search.search"]
    api_routers = [
        ("/organisations", "insyn.core.api.organisations_router"),
        ("/governing-documents", "insyn.core.api.documents_router"),
    ]
    commands = {
        "demo": "load the demo data built from the seed documents (idempotent)",
        "audit": "audit trail: `insyn audit verify`, `insyn audit head`",
        "check": "check configuration, database, storage, mail and worker",
        "worker": "run the background worker and the daily scheduler",
        "serve": "run the production web server (gunicorn, DEBUG off; see docs/deployment.md)",
        "organisations": "list, show, create organisations (--user)",
        "documents": "list, show, create, update governing documents (--user)",
        "roles": "list, assign, revoke role assignments (--user)",
        "ensure_admin": "create an administrator if none exists and print its password once",
        "flush": "empty the database, triggers of the append-only tables included (development only)",
    }

    def ready(self) -> None:
        # Imported here, not at the top: `insyn --help` reads this module without loading the ORM.
        from django.db.models.signals import post_migrate

        from insyn.core import personal_data, roles, signals  # noqa: F401

        personal_data.register_core_fields()
        roles.show_groups_by_role_label()
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
