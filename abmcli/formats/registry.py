"""Every upload format abm writes, one record each (`upload.UploadFormat`).

Adding a format is one record here (defined beside its platform's kin in `platforms.py`
or `crm_upload.py`) plus its tests: `abm segment --format`, the checks of
`[segments.*] format`, file naming, splitting, warnings and the README's format table
(tests/test_formats.py) all read this registry.
"""

from __future__ import annotations

from abmcli.errors import ConfigError
from abmcli.formats.crm_upload import HUBSPOT_UPDATE, SALESFORCE_UPDATE
from abmcli.formats.platforms import CSV, DEMANDBASE, HUBSPOT, LINKEDIN, SIXSENSE, TERMINUS, XLSX
from abmcli.formats.upload import UploadFormat

UPLOAD_FORMATS: dict[str, UploadFormat] = {fmt.name: fmt for fmt in (
    LINKEDIN, SIXSENSE, DEMANDBASE, TERMINUS, HUBSPOT, CSV, XLSX, SALESFORCE_UPDATE,
    HUBSPOT_UPDATE,
)}


def format_names() -> tuple[str, ...]:
    """The registered formats' names, in the order help and errors list them."""
    return tuple(UPLOAD_FORMATS)


def names_text(conjunction: str = "or") -> str:
    """"linkedin, 6sense, ... salesforce_update or hubspot_update", for help texts."""
    *first, last = format_names()
    return f"{', '.join(first)} {conjunction} {last}"


def upload_format(name: str) -> UploadFormat:
    """The format called `name`, or a ConfigError listing the registered ones."""
    if name not in UPLOAD_FORMATS:
        raise ConfigError(f"format '{name}' is not one of {', '.join(UPLOAD_FORMATS)}")
    return UPLOAD_FORMATS[name]
