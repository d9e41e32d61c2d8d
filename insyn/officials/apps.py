from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficialsConfig(AppConfig):
    name = "insyn.officials"
    label = "officials"
    verbose_name = _("Elected officials")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from insyn.core.permissions import register_user_municipality_source
        from insyn.core.personal_data import DataCategory, register
        from insyn.officials.models import Person

        # An official's login belongs to the official's municipality: no other one may claim it.
        register_user_municipality_source(lambda: Person.objects.filter(user__isnull=False))

        register("officials.person", "given_name", DataCategory.IDENTITY)
        register("officials.person", "family_name", DataCategory.IDENTITY)
        register("officials.person", "national_id", DataCategory.NATIONAL_ID)
        register("officials.person", "email", DataCategory.CONTACT)
        register("officials.person", "phone", DataCategory.CONTACT)
        register("officials.person", "address", DataCategory.CONTACT)
        register("officials.person", "party", DataCategory.POLITICAL_OPINION)
        register("officials.person", "protected_identity", DataCategory.PROTECTED_IDENTITY)
        register("officials.membership", "on_behalf_of", DataCategory.POLITICAL_OPINION)
