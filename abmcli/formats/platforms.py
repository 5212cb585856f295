"""The ad and ABM platforms' upload formats, and plain CSV and Excel lists.

- `linkedin`: LinkedIn Matched Audiences company list, the exact header of LinkedIn's
  template; a list under 300 companies gets a warning (LinkedIn will not serve it), one
  over 300,000 rows or 20 MB is split into parts.
- `6sense`: `Account Name,Country,Domain`, at most 25,000 rows a file, no spaces in the
  file name.
- `demandbase`: `Account Name,Account Domain` and the optional columns Demandbase
  accepts (External Account ID, Owner, Employees, Annual Revenue, Industry).
- `terminus`: CRM account ids, one a line, no header; accounts without an id are counted
  and named in a warning, never dropped silently.
- `hubspot`: `Company name,Company Domain Name` plus chosen properties (hub columns
  with a HubSpot default property get its label).
- `csv`, `xlsx`: the chosen columns (default: identity, tier, scores, owner).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from abmcli import schema
from abmcli.formats.upload import LeftOut, RecordKey, Rendered, RowLimits, UploadFormat
from abmcli.keys.values import texts
from abmcli.words import agree, counted

if TYPE_CHECKING:
    import pandas as pd

LINKEDIN_COLUMNS = {  # LinkedIn's template header -> the hub column that fills it
    "companyname": "account_name", "companywebsite": "domain",
    "companyemaildomain": "domain", "linkedincompanypageurl": "linkedin_url",
    "stocksymbol": "ticker", "industry": "industry", "city": "city", "state": "state",
    "companycountry": "country", "zipcode": "zipcode",
}
SIXSENSE_COLUMNS = {"Account Name": "account_name", "Country": "country", "Domain": "domain"}
DEMANDBASE_COLUMNS = {"Account Name": "account_name", "Account Domain": "domain"}
# Demandbase's optional columns in the order its template lists them (the default
# columns of a demandbase list); each column's label is declared in the schema.
DEMANDBASE_ORDER = ("crm_id", "crm_owner", "employees", "revenue", "industry")
DEMANDBASE_OPTIONAL = {column: schema.upload_labels("demandbase")[column]
                       for column in DEMANDBASE_ORDER}  # hub column -> Demandbase column
HUBSPOT_COLUMNS = {"Company name": "account_name", "Company Domain Name": "domain"}
# hub column -> HubSpot's default company property label, as the schema declares them
HUBSPOT_PROPERTIES = schema.upload_labels("hubspot")
DEFAULT_COLUMNS = (
    "account_id", "account_name", "domain", "country", "industry", "employees", "tier",
    "account_score", "stars", "intent_topics", "engagement_spike", "engagement_last_date",
    "crm_id", "crm_owner",
)
LIST_DOC = ("the chosen columns (default: id, name, domain, country, industry, employees, "
            "tier, scores, owner)")


def _too_few_for_linkedin(fmt: UploadFormat, frame: pd.DataFrame, file_name: str,
                          limits: RowLimits) -> list[str]:
    if limits.min_rows is None or len(frame) >= limits.min_rows:
        return []
    return [f"{file_name}: {len(frame):,} companies; LinkedIn needs at least "
            f"{limits.min_rows:,} to serve a matched audience"]


def _domainless_for_hubspot(fmt: UploadFormat, frame: pd.DataFrame, file_name: str,
                            limits: RowLimits) -> list[str]:
    blank = int((texts(frame, "domain") == "").sum())
    if not blank:
        return []
    return [f"{file_name}: {counted(blank, 'account')} {agree(blank, 'has', 'have')} no "
            "domain; HubSpot de-duplicates companies by domain, so importing "
            f"{agree(blank, 'it', 'them')} may create duplicates"]


def _terminus_ids(fmt: UploadFormat, frame: pd.DataFrame, columns: list[str],
                  fields: Mapping[str, str]) -> Rendered:
    import pandas as pd

    ids = texts(frame, "crm_id")
    return Rendered(pd.DataFrame({"crm_id": ids[ids != ""].to_numpy()}),
                    left_out=frame[(ids == "").to_numpy()])


LINKEDIN = UploadFormat(
    "linkedin", "LinkedIn",
    "LinkedIn Matched Audiences company list: `" + ",".join(LINKEDIN_COLUMNS) + "`; a "
    "warning under 300 rows, split into `_part1`, `_part2` ... over 300,000 rows or 20 MB",
    headers=LINKEDIN_COLUMNS, choose="none", checks=_too_few_for_linkedin,
    limits=RowLimits(min_rows=300, max_rows=300_000, max_bytes=20_000_000))
SIXSENSE = UploadFormat(
    "6sense", "6sense",
    "`Account Name,Country,Domain`, at most 25,000 rows a file, no spaces in file names",
    headers=SIXSENSE_COLUMNS, choose="none", limits=RowLimits(max_rows=25_000),
    spaces_in_file_name=False)
DEMANDBASE = UploadFormat(
    "demandbase", "Demandbase",
    "`Account Name,Account Domain` and " + ", ".join(DEMANDBASE_OPTIONAL.values())
    + " (or the `columns` chosen among " + ", ".join(f"`{c}`" for c in DEMANDBASE_OPTIONAL)
    + ")",
    headers=DEMANDBASE_COLUMNS, choose="labelled", labels=DEMANDBASE_OPTIONAL,
    defaults=tuple(DEMANDBASE_OPTIONAL))
TERMINUS = UploadFormat(
    "terminus", "Terminus",
    "CRM account ids, one a line, no header; accounts without an id are counted in a "
    "warning; an id two accounts hold is written once, as for `salesforce_update`",
    choose="none", render=_terminus_ids, header=False,
    record=RecordKey("CRM account id", lambda frame: texts(frame, "crm_id")),
    left_out=LeftOut("no CRM id", "the Terminus list"))
HUBSPOT = UploadFormat(
    "hubspot", "HubSpot",
    "`Company name,Company Domain Name` and the chosen columns (HubSpot's labels where it "
    "has one)",
    headers=HUBSPOT_COLUMNS, labels=HUBSPOT_PROPERTIES, checks=_domainless_for_hubspot)
CSV = UploadFormat("csv", "CSV", LIST_DOC, defaults=DEFAULT_COLUMNS)
XLSX = UploadFormat("xlsx", "Excel", LIST_DOC, defaults=DEFAULT_COLUMNS, workbook=True)
