"""Tiers back into the CRM: a Salesforce update file and a HubSpot company import.

Sales works in the CRM, so abm writes the tier, stars, account score and tier reason
in the files the CRMs import as they are:

- `salesforce_update`: `Id` (the 15- or 18-character Salesforce account id) and one
  column per custom field, headed by its API name (`ABM_Tier__c` ...), for Data Loader's
  Update or the Data Import Wizard's "update existing records" matched by Salesforce ID.
- `hubspot_update`: `Record ID` and `Company Domain Name` (HubSpot matches an existing
  company on either) and one column per company property, headed by its internal name
  (`abm_tier` ...).

`[crm_fields]` in abm.toml names the fields: `salesforce = { tier = "ABM_Tier__c", ... }`
(hub column -> CRM field). Accounts the CRM cannot match (no Salesforce id; no HubSpot
record id and no domain) are never dropped silently: they are counted, named in a
warning and listed in a `<list>_no_crm_id.csv` file beside the upload.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from abmcli.config import Config, Problem, did_you_mean
from abmcli.formats.upload import LeftOut, RecordKey, Rendered, UploadFormat
from abmcli.keys.values import texts
from abmcli.sections import CrmFields

if TYPE_CHECKING:
    import pandas as pd

# Salesforce record ids are 15 or 18 letters and digits; HubSpot record ids are digits.
SALESFORCE_ID = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$")
HUBSPOT_ID = re.compile(r"^\d{1,20}$")
# API names (Salesforce) and internal property names (HubSpot)
FIELD_NAMES = {"salesforce": re.compile(r"^[A-Za-z][A-Za-z0-9_]*$"),
               "hubspot": re.compile(r"^[a-z][a-z0-9_]*$")}
MISSING_COLUMNS = ("account_id", "account_name", "domain", "tier", "crm_id")


def crm_fields(config: Config, problems: list[Problem], columns: list[str]) -> CrmFields:
    """`[crm_fields]`, checked against the hub's columns."""
    fields = config.crm_fields
    known = {c.lower() for c in columns}
    for crm in ("salesforce", "hubspot"):
        mapping: dict[str, str] = getattr(fields, crm)
        if not mapping:
            problems.append(Problem(("crm_fields", crm), f"[crm_fields] {crm} names no "
                                    "fields; give at least tier = \"...\""))
        for column, name in mapping.items():
            path = ("crm_fields", crm, column)
            if column.lower() not in known:
                problems.append(Problem(path, f"[crm_fields] {crm}: '{column}' is not a hub "
                                        "column" + did_you_mean(column.lower(), sorted(known))))
            if not FIELD_NAMES[crm].match(name):
                kind = "an API name such as ABM_Tier__c" if crm == "salesforce" else (
                    "an internal property name such as abm_tier (lower case)")
                problems.append(Problem(path, f"[crm_fields] {crm}: {column} = {name!r} "
                                        f"must be {kind}"))
    return fields


def _salesforce_ids(frame: pd.DataFrame) -> pd.Series:
    """Each account's Salesforce account id, "" when its crm_id is none."""
    ids = texts(frame, "crm_id")
    return ids.where(ids.map(lambda value: bool(SALESFORCE_ID.match(value))), "")


def _hubspot_record_ids(frame: pd.DataFrame) -> pd.Series:
    """Each account's HubSpot record id, "" when its crm_id is none."""
    ids = texts(frame, "crm_id")
    return ids.where(ids.map(lambda value: bool(HUBSPOT_ID.match(value))), "")


def _salesforce_update(fmt: UploadFormat, frame: pd.DataFrame, columns: list[str],
                       fields: Mapping[str, str]) -> Rendered:
    """`Id` and the custom fields; an account without a Salesforce id is left out."""
    ids = _salesforce_ids(frame)
    return _upload(frame, {"Id": ids}, ids != "", fields)


def _hubspot_update(fmt: UploadFormat, frame: pd.DataFrame, columns: list[str],
                    fields: Mapping[str, str]) -> Rendered:
    """`Record ID` and `Company Domain Name` (HubSpot matches on either) and the
    properties; an account with neither is left out."""
    record = _hubspot_record_ids(frame)
    domain = texts(frame, "domain")
    return _upload(frame, {"Record ID": record, "Company Domain Name": domain},
                   (record != "") | (domain != ""), fields)


def _upload(frame: pd.DataFrame, keys: dict[str, pd.Series], matched: pd.Series,
            fields: Mapping[str, str]) -> Rendered:
    """The accounts of `frame` as the CRM imports them, and those it cannot match."""
    import pandas as pd

    values = {name: _values(frame, column) for column, name in fields.items()}
    table = pd.DataFrame({**keys, **values})[matched.to_numpy()].reset_index(drop=True)
    unmatched = frame[~matched.to_numpy()]
    listed = pd.DataFrame({c: texts(unmatched, c) for c in MISSING_COLUMNS})
    return Rendered(table, listed.reset_index(drop=True))


def _values(frame: pd.DataFrame, column: str) -> pd.Series:
    """A hub column as the CRM field takes it: stars as the number 1-5, even when a tier
    workbook gave them back as "★★★★☆"."""
    import numpy as np
    import pandas as pd

    found = next((c for c in frame.columns if str(c).lower() == column.lower()), None)
    if found is None:
        return pd.Series(pd.NA, index=frame.index, dtype=object)
    values = frame[found]
    if column.lower() == "stars" and not pd.api.types.is_numeric_dtype(values):
        text = values.astype(object).where(values.notna(), "").astype(str)
        counted = text.str.count("★")
        numeric = pd.to_numeric(text, errors="coerce")
        return pd.Series(np.where(counted > 0, counted, numeric), index=frame.index).astype(
            "Int64")
    return values


SALESFORCE_UPDATE = UploadFormat(
    "salesforce_update", "Salesforce",
    "tiers back into Salesforce: `Id` and the custom fields `[crm_fields] salesforce` names "
    "(default `ABM_Tier__c`, `ABM_Stars__c`, `ABM_Account_Score__c`, `ABM_Tier_Reason__c`), "
    "for Data Loader's Update; accounts without a Salesforce id are counted and listed in "
    "`<list>_no_crm_id.csv`; an Id two accounts hold is written once, for the "
    "better-tiered one, and named in a warning",
    choose="none", render=_salesforce_update, crm="salesforce", updates=True,
    record=RecordKey("Salesforce Id", _salesforce_ids),
    left_out=LeftOut("no Salesforce account id", "the upload", listed=True))
HUBSPOT_UPDATE = UploadFormat(
    "hubspot_update", "HubSpot",
    "tiers back into HubSpot: `Record ID,Company Domain Name` and the company properties "
    "`[crm_fields] hubspot` names (default `abm_tier`, `abm_stars`, `abm_account_score`, "
    "`abm_tier_reason`); accounts with neither id nor domain are listed in "
    "`<list>_no_crm_id.csv`; a record id two accounts hold is written once, as for "
    "`salesforce_update`",
    choose="none", render=_hubspot_update, crm="hubspot", updates=True,
    record=RecordKey("HubSpot Record ID", _hubspot_record_ids),
    left_out=LeftOut("neither a HubSpot record id nor a domain", "the upload", listed=True))
