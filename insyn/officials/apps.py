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
        from insyn.core.personal_data import (
            DataCategory,
            SubjectRoot,
            register,
            register_hidden_fields,
            register_subject_root,
        )
        from insyn.officials.models import Person

        # An official's login belongs to the official's municipality: no other one may claim it.
        register_user_municipality_source(lambda: Person.objects.filter(user__isnull=False))

        # An official is a subject root: the subject search finds them by these fields, and their login.
        register_subject_root(
            SubjectRoot(
                "officials.person",
                national_id_fields=("national_id",),
                email_fields=("email",),
                name_fields=("given_name", "family_name"),
                address_fields=("address",),
                same_person=("user",),
            )
        )
        register("officials.person", "given_name", DataCategory.IDENTITY)
        register("officials.person", "family_name", DataCategory.IDENTITY)
        register("officials.person", "national_id", DataCategory.NATIONAL_ID)
        register("officials.person", "national_id_scheme", DataCategory.NATIONAL_ID)
        register("officials.person", "email", DataCategory.CONTACT)
        register("officials.person", "phone", DataCategory.CONTACT)
        register("officials.person", "address", DataCategory.CONTACT)
        register("officials.person", "party", DataCategory.POLITICAL_OPINION)
        register("officials.person", "protected_identity", DataCategory.PROTECTED_IDENTITY)
        register("officials.person", "user", DataCategory.ACCOUNT)
        register("officials.membership", "person", DataCategory.IDENTITY, subject="person")
        register("officials.membership", "on_behalf_of", DataCategory.POLITICAL_OPINION, subject="person")
        register_hidden_fields("officials.person", _hidden_person_fields)

        # erasure hooks
        from insyn.core.personal_data import register_eraser
        from insyn.officials.erasure import erase_person

        register_eraser("officials.person", erase_person)


def _hidden_person_fields(actor: object, person: object) -> set[str]:
    # A protected identity shows only the name to those who may not see it, in its History and audit entries
    # as on its own page (`selectors.person_view`).
    from insyn.officials.selectors import can_see_protected

    if not getattr(person, "protected_identity", False) or can_see_protected(actor, person):  # type: ignore[arg-type]
        return set()
    return {"national_id", "national_id_scheme", "email", "phone", "address", "party", "title", "user"}
