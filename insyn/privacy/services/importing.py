"""Importing a register file: the preview is the real import rolled back, so it shows exactly what will be written.

`register_import_preview` reads the file against the actor's taxonomy (it writes nothing); `register_import`
writes it through the register's and the taxonomy's own services (P1 `register_create`/`activity_save`,
P3 `term_create`), so every row is checked and audited as if typed in the admin. Activities whose name was
already in the register before the import are left alone and reported (an import never overwrites what a DPO edited).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_record
from insyn.core.exceptions import ValidationFailed
from insyn.core.models import Organisation
from insyn.core.models.audit import AuditAction
from insyn.core.permissions import has_org_perm, require_org_perm
from insyn.privacy.importing import Problem, RegisterFile, known_terms, read_register
from insyn.privacy.models import Register

IMPORT_PERMISSION = "privacy.add_processingactivity"


class _DryRun(Exception):
    """Raised to roll back a dry-run import after it has counted what it would do."""


@dataclass
class RegisterImportResult:
    register_id: int | None
    created_register: bool = False
    dry_run: bool = False
    created: list[str] = field(default_factory=list)  # activity names
    skipped: list[str] = field(default_factory=list)  # already in the register
    new_terms: list[str] = field(default_factory=list)  # keys

    def as_dict(self) -> dict[str, Any]:
        return {
            "register": self.register_id,
            "created_register": self.created_register,
            "dry_run": self.dry_run,
            "created": self.created,
            "skipped": self.skipped,
            "new_terms": self.new_terms,
        }


def register_import_preview(*, actor: Actor, controller: Organisation, content: bytes, filename: str) -> RegisterFile:
    """The file read against the taxonomy the actor's municipality has (built-ins and its own terms)."""
    require_org_perm(actor, IMPORT_PERMISSION, controller)
    from insyn.privacy.selectors.taxonomy import taxonomy_terms  # P3's selector

    read = read_register(content, filename=filename, terms=known_terms(taxonomy_terms(actor=actor)))
    _unlink_systems_not_allowed(actor, controller, read)
    return read


def _unlink_systems_not_allowed(actor: Actor, controller: Organisation, read: RegisterFile) -> None:
    """IT systems the register names that are not in the municipality's register of IT systems, when the actor
    may not add them there: not linked (the activity's systems text keeps them), each reported by row."""
    from insyn.privacy.services.register import SYSTEM_ADD
    from insyn.records.models import ITSystem

    municipality = _municipality(controller)
    if has_org_perm(actor, SYSTEM_ADD, municipality):
        return
    names = {str(system["name"]).lower() for item in read.activities for system in item.data.get("systems", [])}
    known = {
        name.lower()
        for name in ITSystem.objects.filter(municipality=municipality).values_list("name", flat=True)
        if name.lower() in names
    }
    heading = next((label for label, key in read.columns if key == "systems"), "")
    for item in read.activities:
        systems = item.data.get("systems")
        if not systems:
            continue
        item.data["systems"] = [system for system in systems if system["name"].lower() in known]
        for system in systems:
            if system["name"].lower() not in known:
                read.problems.append(
                    Problem(
                        "system_not_linked",
                        _(
                            "%(name)s is not in the register of IT systems and you may not add it: the activity "
                            "keeps it in its systems text, not linked"
                        )
                        % {"name": system["name"]},
                        read.file,
                        item.sheet,
                        item.row,
                        heading,
                    )
                )


def _municipality(controller: Organisation) -> Organisation:
    return getattr(controller, "municipality", None) or controller


@transaction.atomic
def register_import(
    *,
    actor: Actor,
    controller: Organisation,
    data: RegisterFile,
    title: str = "",
    dry_run: bool = False,
) -> RegisterImportResult:
    """Write the read file into the controller's register (created if it has none), new terms first."""
    require_org_perm(actor, IMPORT_PERMISSION, controller)
    from insyn.privacy.services.register import activity_save, register_create  # P1's services
    from insyn.privacy.services.taxonomy import term_create  # P3's service

    result = RegisterImportResult(register_id=None, dry_run=dry_run)
    try:
        with transaction.atomic():
            register = Register.objects.filter(controller=controller, kind="controller").first()
            if register is None:
                register = register_create(
                    actor=actor,
                    controller=controller,
                    title=title or _("Register of processing activities: %(controller)s") % {"controller": controller},
                    kind="controller",
                )
                result.created_register = True
            result.register_id = register.pk
            for term in data.new_terms:
                term_create(
                    actor=actor,
                    municipality=_municipality(controller),
                    kind=term.kind,
                    key=term.key,
                    label_sv=term.label_sv,
                )
                result.new_terms.append(term.key)
            existing = set(register.activities.values_list("name", flat=True))
            for item in data.activities:
                name = item.data["name"]
                if name in existing:
                    result.skipped.append(name)
                    continue
                try:
                    activity_save(actor=actor, register=register, data=item.data)
                except ValidationFailed as error:
                    where = f"{data.file}, {item.sheet}" if item.sheet and len(data.sheets) > 1 else data.file
                    raise ValidationFailed(
                        _("%(file)s, row %(row)s: %(message)s")
                        % {"file": where, "row": item.row, "message": error.message},
                        detail={"file": data.file, "sheet": item.sheet, "row": item.row, "error": error.detail},
                    ) from None
                # Not added to `existing`: two rows of one file may share a name (a merged name cell).
                result.created.append(name)
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=register,
                organisation=controller,
                changes={
                    "import": data.file,
                    "activities": len(result.created),
                    "skipped": len(result.skipped),
                    "new_terms": len(result.new_terms),
                },
                reason=_("Import"),
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        if result.created_register:
            result.register_id = None
    return result
