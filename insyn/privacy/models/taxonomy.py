"""The vocabulary of the register: data categories, data uses and data-subject categories.

Keys follow fideslang (`user.contact.email`, `user.government_id.national_identification_number`,
`customer`, `employee`) where it has one; Swedish additions use the `se.` prefix
(`se.personnummer`, `se.samordningsnummer`, `se.skyddad_identitet` …). Built-in terms have no
municipality; a DPO's own terms belong to their municipality.
"""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class TermKind(models.TextChoices):
    DATA_CATEGORY = "data_category", _("Personal-data category")
    DATA_USE = "data_use", _("Data use")
    SUBJECT_CATEGORY = "subject_category", _("Data-subject category")


class SpecialCategory(models.TextChoices):
    NONE = "", _("None")
    ART9 = "art9", _("Special category (Art. 9)")
    ART10 = "art10", _("Criminal convictions and offences (Art. 10)")


class TaxonomyTerm(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=TermKind.choices)
    key = models.CharField(_("key"), max_length=150)
    municipality = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="privacy_terms",
        help_text=_("Empty for Insyn's built-in terms."),
    )
    label_sv = models.CharField(_("label (Swedish)"), max_length=200)
    label_pl = models.CharField(_("label (Polish)"), max_length=200, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    fideslang = models.BooleanField(_("fideslang key"), default=False)
    special = models.CharField(
        _("special category"), max_length=5, choices=SpecialCategory.choices, default="", blank=True
    )
    national_id = models.BooleanField(_("personnummer or samordningsnummer"), default=False)
    protected_identity = models.BooleanField(_("protected identity"), default=False)
    children = models.BooleanField(_("children's data"), default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        ordering = ["kind", "position", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key"], condition=models.Q(municipality__isnull=True), name="privacy_term_builtin_key"
            ),
            models.UniqueConstraint(
                fields=["kind", "key", "municipality"],
                condition=models.Q(municipality__isnull=False),
                name="privacy_term_local_key",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        lang = (translation.get_language() or "sv")[:2]
        return {"pl": self.label_pl, "en": self.label_en}.get(lang, "") or self.label_sv

    def label_in(self, lang: str) -> str:
        return {"pl": self.label_pl, "en": self.label_en}.get(lang[:2], "") or self.label_sv
