"""The officials register's own refusals (on top of `insyn.core.exceptions`)."""

from __future__ import annotations

from insyn.core.exceptions import ConflictError, ValidationFailed


class UnknownOrganisations(ValidationFailed):
    """A Popolo file names organisations the municipality does not have (and none may be created).

    `detail` is `{"organizations": [{"id", "name", "classification"}, …]}`: every one of them, so that a
    door can offer to create them (`officials_import(create_organisations=True)`).
    """

    default_code = "unknown_organisations"


class ImportChangedSincePreview(ConflictError):
    """The confirmed import would create organisations the preview did not show."""

    default_code = "import_changed"
