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
from dataclasses import dataclass

import numpy as np
import pandas as pd

from abmcli.config import Config, Problem, did_you_mean
from abmcli.sections import CrmFields

CRM_FORMATS = ("salesforce_update", "hubspot_update")
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


@dataclass
class CrmUpload:
    """The upload table and the accounts the CRM could not match."""

    table: pd.DataFrame
    unmatched: pd.DataFrame


def crm_upload(frame: pd.DataFrame, fmt: str, fields: dict[str, str]) -> CrmUpload:
    """The accounts of `frame` as the CRM imports them, and those it cannot match."""
    ids = _texts(frame, "crm_id")
    values = {name: _values(frame, column) for column, name in fields.items()}
    if fmt == "salesforce_update":
        matched = ids.map(lambda value: bool(SALESFORCE_ID.match(value)))
        keys = {"Id": ids}
    else:
        record = ids.where(ids.map(lambda value: bool(HUBSPOT_ID.match(value))), "")
        domain = _texts(frame, "domain")
        matched = (record != "") | (domain != "")
        keys = {"Record ID": record, "Company Domain Name": domain}
    table = pd.DataFrame({**keys, **values})[matched.to_numpy()].reset_index(drop=True)
    unmatched = frame[~matched.to_numpy()]
    listed = pd.DataFrame({c: _texts(unmatched, c) for c in MISSING_COLUMNS})
    return CrmUpload(table, listed.reset_index(drop=True))


def _texts(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    values = frame[column]
    return values.astype(object).where(values.notna(), "").astype(str).str.strip()


def _values(frame: pd.DataFrame, column: str) -> pd.Series:
    """A hub column as the CRM field takes it: stars as the number 1-5, even when a tier
    workbook gave them back as "★★★★☆"."""
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
