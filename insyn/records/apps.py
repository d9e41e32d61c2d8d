from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "insyn.records"
    label = "records"
    verbose_name = _("Records management")
    default_auto_field = "django.db.models.BigAutoField"
