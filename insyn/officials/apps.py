from django.utils.translation import gettext_lazy as _

from insyn.core.registry import InsynAppConfig


class OfficialsConfig(InsynAppConfig):
    name = "insyn.officials"
    label = "officials"
    default = True  # apps.py also imports InsynAppConfig: say which config Django picks
    verbose_name = _("Elected officials")
    api_routers = [("/officials", "insyn.officials.api.router")]
    search_providers = ["insyn.officials.search.search"]
    commands = {"officials": "elected officials: import and export Popolo JSON, CSV, XLSX (--user)"}

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
