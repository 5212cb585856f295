"""Real public exports (tests/data/real/SOURCE.md): what a person reading each file
would say, checked against `abm inspect --json`.

Each expectation was written from reading the file, before looking at abm's answer:
the family, which header names the company, which holds its own domain (or email),
and in which unit revenue, funding and employees are written. `None` means the file
has no such column, and abm must not invent one (a slug or a stock-quote page is not
a domain; a stock's trading turnover is not revenue).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abmcli.cli.app import app
from abmcli.keys.countries import display_country, split_location
from abmcli.sources.load import load_source

HERE = Path(__file__).parent / "data" / "real"
SHARED = Path(__file__).parents[1] / ".." / "shared" / "reference" / "real-exports"
runner = CliRunner()


@dataclass(frozen=True)
class Expected:
    path: Path
    family: str
    name: str | None
    domain: str | None = None
    email: str | None = None
    # field -> (header, unit as abm inspect words it)
    units: dict[str, tuple[str, str]] = field(default_factory=dict)
    # field -> the first value as read ("raw -> number"), where the unit matters
    first: dict[str, str] = field(default_factory=dict)
    # fields the file must not map (a person would say it has none)
    absent: tuple[str, ...] = ()
    # further header -> field a person maps (a register's ticker, industry, location)
    also: dict[str, str] = field(default_factory=dict)


CORPUS = {
    "apollo accounts export": Expected(
        SHARED / "apollo-accounts-export" / "apollo-accounts-export.csv", "fit", "Company",
        "Website", units={"revenue": ("Annual Revenue", "dollars"),
                          "employees": ("# Employees", "people")},
        first={"revenue": "3200000000 -> 3,200,000,000"}),
    "ASX listed companies": Expected(
        SHARED / "asx-listed-companies-2016" / "ASXListedCompanies.csv", "fit",
        "Company name", absent=("revenue", "employees"),
        also={"ASX code": "ticker", "GICS industry group": "industry"}),
    "CrunchBase 2013": Expected(
        HERE / "crunchbase-companies-2013.csv", "fit", "name",
        units={"funding": ("funding_total_usd", "dollars")}, absent=("revenue",)),
    "EDINET register (Shift_JIS)": Expected(
        SHARED / "edinet-code-list-2025" / "EdinetcodeDlInfo.csv", "fit", "Submitter Name",
        absent=("revenue",), also={"Submitter's industry": "industry",
                                   "Securities Identification Code": "ticker"}),
    "Euronext equities": Expected(
        SHARED / "euronext-equities-2023" / "Euronext_Equities_2023-06-01.csv", "fit", "Name",
        absent=("revenue",)),  # its Turnover is the day's trading turnover
    "Forbes Global 2000": Expected(
        SHARED / "forbes-global2000-2022" / "Forbes_2000_top_company_CLNQ11.csv", "fit",
        "Organization Name", units={"revenue": ("Revenue (Billions)", "billions of dollars"),
                                    "employees": ("Total Employees", "people")},
        first={"revenue": "276.09 -> 276,090,000,000"}),
    "Fortune 1000": Expected(
        SHARED / "fortune1000-2022" / "Fortune 1000 Companies by Revenue.csv", "fit", "name",
        units={"revenue": ("revenues", "millions of dollars"),
               "employees": ("employees", "people")},
        first={"revenue": "$572,754 -> 572,754,000,000"}),  # Walmart: $572.754 B
    "NYSE company list": Expected(
        SHARED / "nyse-companylist-2019" / "companylist_nyse.csv", "fit", "Name",
        absent=("domain", "revenue")),  # Summary Quote is a nasdaq.com page
    "People Data Labs sample": Expected(
        SHARED / "pdl-company-dataset-sample" / "companies_sorted.csv", "fit", "name",
        "domain", units={"employees": ("current employee estimate", "people")}),
    "Top 100 SaaS 2025": Expected(
        SHARED / "saas-top100-2025" / "Saas_companies_2025.csv", "fit", "Company Name",
        units={"revenue": ("ARR", "dollars"), "funding": ("Total Funding", "dollars"),
               "employees": ("Employees", "people")},
        first={"revenue": "270B -> 270,000,000,000"}),
    "Salesforce demo Account": Expected(
        HERE / "salesforce-demo-Account.csv", "crm", "Name",
        units={"revenue": ("AnnualRevenue", "dollars"),
               "employees": ("NumberOfEmployees", "people")},
        first={"revenue": "139000000 -> 139,000,000"}),
    "Salesforce demo Lead": Expected(
        HERE / "salesforce-demo-Lead.csv", "crm", "Company", "Website", "Email",
        units={"revenue": ("AnnualRevenue", "dollars")},
        absent=("owner",)),  # the lead's owner (OwnerId) is not the account's
    "Salesforce demo Contact": Expected(
        HERE / "salesforce-demo-Contact.csv", "crm", None, email="Email"),
    "CB Insights unicorns": Expected(
        HERE / "unicorn-companies-2021.csv", "fit", "Company",
        units={"funding": ("Total Raised", "dollars")},
        first={"funding": "$7.44B -> 7,440,000,000"}, absent=("revenue",)),
    "martech landscape 2017": Expected(
        HERE / "martech-landscape-2017.csv", "fit", "Company", "Website Domain",
        also={"Category": "industry", "Sub-Category": "sub_industry"}),
    "Salesforce Data Cloud accounts": Expected(
        HERE / "sfdc-assets-Account.csv", "crm", "Name", "Website",
        units={"revenue": ("AnnualRevenue", "dollars"),
               "employees": ("NumberOfEmployees", "people")}),
    "S&P 500 constituents": Expected(
        HERE / "sp500-constituents.csv", "fit", "Security", absent=("domain",)),
    "YC directory": Expected(
        HERE / "yc-directory.csv", "fit", "name", "website",
        units={"employees": ("team_size", "people")}),
}


def inspect_json(path: Path) -> dict:
    if not path.exists():
        pytest.skip(f"{path} is not beside this checkout")  # ../shared is beside it in CI
    result = runner.invoke(app, ["inspect", "--json", str(path)])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)[0]


def header_of(report: dict, wanted: str) -> str | None:
    return next((h for h, f in report["columns"].items() if f == wanted), None)


@pytest.mark.parametrize("expected", CORPUS.values(), ids=list(CORPUS))
def test_abm_reads_a_real_export_as_a_person_would(expected: Expected) -> None:
    report = inspect_json(expected.path)
    assert report["family"] == expected.family
    for wanted in ("name", "domain", "email"):
        assert header_of(report, wanted) == getattr(expected, wanted), wanted
    readings = {r["field"]: r for r in report["fields"]}
    for wanted, (header, unit) in expected.units.items():
        assert (readings[wanted]["column"], readings[wanted]["unit"]) == (header, unit)
        assert 1 <= len(readings[wanted]["samples"]) <= 3  # three when the file has three
    for wanted, first in expected.first.items():
        assert readings[wanted]["samples"][0] == first
    for wanted in expected.absent:
        assert wanted not in readings
    for header, wanted in expected.also.items():
        assert report["columns"].get(header) == wanted, header


# The header row of Companies House's "Free Company Data Product" (BasicCompanyData CSV,
# download.companieshouse.gov.uk), as published: leading spaces included. The rows are
# made up; the register's own rows name real directors' companies.
COMPANIES_HOUSE_HEADER = (
    'CompanyName, CompanyNumber,RegAddress.CareOf,RegAddress.POBox,RegAddress.AddressLine1,'
    ' RegAddress.AddressLine2,RegAddress.PostTown,RegAddress.County,RegAddress.Country,'
    'RegAddress.PostCode,CompanyCategory,CompanyStatus,CountryOfOrigin,DissolutionDate,'
    'IncorporationDate,Accounts.AccountRefDay,Accounts.AccountRefMonth,Accounts.NextDueDate,'
    'Accounts.LastMadeUpDate,Accounts.AccountCategory,Returns.NextDueDate,'
    'Returns.LastMadeUpDate,Mortgages.NumMortCharges,Mortgages.NumMortOutstanding,'
    'Mortgages.NumMortPartSatisfied,Mortgages.NumMortSatisfied,SICCode.SicText_1,'
    'SICCode.SicText_2,SICCode.SicText_3,SICCode.SicText_4,'
    'LimitedPartnerships.NumGenPartners,LimitedPartnerships.NumLimPartners,URI,'
    'PreviousName_1.CONDATE, PreviousName_1.CompanyName')


def test_a_companies_house_register_maps_as_a_person_reads_it(tmp_path: Path) -> None:
    rows = [f'"EXAMPLE WIDGETS {i} LIMITED","{i:08d}","","","1 High Street","","LEEDS",'
            f'"WEST YORKSHIRE","ENGLAND","LS1 {i}AA","Private Limited Company","Active",'
            '"United Kingdom","","01/02/2015","31","3","31/12/2026","31/03/2025","MICRO ENTITY",'
            '"","","0","0","0","0","62012 - Business and domestic software development","","","",'
            f'"0","0","http://business.data.gov.uk/id/company/{i:08d}","01/01/2014",'
            f'"OLD WIDGETS {i} LTD"' for i in range(1, 13)]
    path = tmp_path / "BasicCompanyData-part1.csv"
    path.write_text(COMPANIES_HOUSE_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    report = inspect_json(path)
    assert report["columns"] == {
        "CompanyName": "name", "RegAddress.PostTown": "city", "RegAddress.County": "state",
        "RegAddress.Country": "country", "RegAddress.PostCode": "postal_code",
        "SICCode.SicText_1": "industry"}
    # URI is the register's page on each company, no website; a former name is no name.
    assert report["rows_with_domain"] == 0 and report["name_only_rows"] == 12


def test_euronexts_notes_under_its_header_are_no_companies() -> None:
    # A person sees three lines of report notes under the header, then 300 companies
    # from AALBERTS NV on: the notes are rejected into the lineage, not accounts.
    path = SHARED / "euronext-equities-2023" / "Euronext_Equities_2023-06-01.csv"
    report = inspect_json(path)
    assert report["rows"] == 300
    from abmcli.sources.read import read_table

    table = read_table(path)
    assert table.rows["Name"].iloc[0] == "AALBERTS NV"
    assert [(r.row, r.text) for r in table.skipped] == [
        (1, "European Equities"), (2, "01-juin-23"),
        (3, "All datapoints provided as of end of last active trading day.")]


def test_an_opportunity_export_is_no_account_list_unless_given_as_one() -> None:
    # A person sees deals (StageName, CloseDate, IsWon); merged as accounts, every deal
    # name ("Dickenson Mobile Generators") became an account.
    path = SHARED / "salesforce-demo-org-export" / "Opportunity.csv"
    if not path.exists():
        pytest.skip(f"{path} is not beside this checkout")
    for command in (["inspect", str(path)], ["merge", str(path), "-o", "/dev/null/x.xlsx"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2, result.output
        assert "is a Salesforce opportunity export (Data Loader)" in result.output
        assert "abm measure --opportunities" in result.output
    report = json.loads(runner.invoke(
        app, ["inspect", "--json", "--family", "opportunities", str(path)]).output)[0]
    assert report["family"] == "opportunities"
    assert header_of(report, "opportunity_name") == "Name"


@pytest.mark.parametrize("header", [
    "Opportunity Name,Account Name,Stage,Amount,Close Date",
    "Record ID,Deal Name,Deal Stage,Amount,Pipeline",
    "Id,AccountId,Name,StageName,Amount,CloseDate,IsWon",
])
def test_opportunity_headers_are_refused_as_accounts(tmp_path: Path, header: str) -> None:
    path = tmp_path / "deals.csv"
    path.write_text(header + "\n" + ",".join(["x"] * header.count(",")) + ",1\n",
                    encoding="utf-8")
    result = runner.invoke(app, ["inspect", str(path)])
    assert result.exit_code == 2 and "deals, not accounts" in result.output


@pytest.mark.parametrize("header", ["Company,Website,Status", "Account Name,Stage,Website"])
def test_an_account_list_with_a_status_or_stage_column_is_still_accounts(
        tmp_path: Path, header: str) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text(header + "\nAcme,acme.com,Active\n".replace(
        "Acme,acme.com,Active", "Acme,acme.com,Active" if header.startswith("Company")
        else "Acme,Customer,acme.com"), encoding="utf-8")
    result = runner.invoke(app, ["inspect", str(path)])
    assert result.exit_code == 0, result.output


def test_corpus_spans_enough_files_and_publishers() -> None:
    assert len(CORPUS) >= 15
    publishers = {e.path.parent.name if e.path.parent != HERE else e.path.name.split("-")[0]
                  for e in CORPUS.values()}
    assert len(publishers) >= 10


def test_a_job_title_list_is_no_company_list_and_abm_says_so_in_one_line() -> None:
    path = SHARED / "job-titles-crunchbase-people" / "Job_titles_with_func_&_level.csv"
    if not path.exists():
        pytest.skip(f"{path} is not beside this checkout")
    result = runner.invoke(app, ["inspect", str(path)])
    assert result.exit_code == 2
    assert "no company name, website/domain or email column" in result.output
    assert "Traceback" not in result.output


def test_a_salesforce_lead_export_names_accounts_only_through_converted_leads(
    tmp_path: Path,
) -> None:
    # A lead's own Id (00Q...) is no account id: Terminus and Salesforce uploads of the
    # hub's crm_id would carry lead ids. A converted lead points at its account.
    report = inspect_json(HERE / "salesforce-demo-Lead.csv")
    assert header_of(report, "crm_id") == "ConvertedAccountId"
    hub = tmp_path / "hub.xlsx"
    result = runner.invoke(app, ["merge", str(HERE / "salesforce-demo-Account.csv"),
                                 str(HERE / "salesforce-demo-Lead.csv"), "-o", str(hub)])
    assert result.exit_code == 0, result.output
    from abmcli.xlsx.workbook import read_sheet

    ids = read_sheet(hub, "Hub")["crm_id"].dropna()
    assert len(ids) > 0
    assert all(str(crm_id).startswith("001") for crm_id in ids)


@pytest.mark.parametrize("page", [
    "http://business.data.gov.uk/id/company/09355500",
    "https://opencorporates.com/companies/gb/09355500",
    "https://www.northdata.de/Acme+GmbH,+Berlin/HRB+1",
    "https://www.sec.gov/cgi-bin/browse-edgar?CIK=0000320193",
    "https://www.nasdaq.com/market-activity/stocks/mmm",
])
def test_a_register_or_quote_page_in_a_url_column_is_no_domain(tmp_path: Path,
                                                                page: str) -> None:
    # Too few rows for the one-site check (sitecolumns.py): the page itself must say it.
    path = tmp_path / "register.csv"
    path.write_text(f"Company,URL\nAcme Ltd,{page}\nBeta Ltd,{page.replace('0', '1')}\n",
                    encoding="utf-8")
    report = inspect_json(path)
    assert report["rows_with_domain"] == 0 and report["name_only_rows"] == 2


@pytest.mark.parametrize("header, wanted", [
    ("RegAddress.PostTown", "city"), ("Lead.Country", "country"),
    ("Submitter's industry", "industry"), ("Company's country", "country"),
    ("PreviousName_1.CompanyName", None), ("Parent.Country", None), ("Contact.City", None),
    ("Shipping.PostalCode", None), ("Inc.com URL", None), ("Employee's name", None),
])
def test_a_qualified_header_is_read_for_its_owner(header: str, wanted: str | None) -> None:
    from abmcli.sources.layouts import recognise

    assert recognise(["Organisation", header]).columns.get(header) == wanted


SAAS = SHARED / "saas-top100-2025" / "Saas_companies_2025.csv"
PDL = SHARED / "pdl-company-dataset-sample" / "companies_sorted.csv"


@pytest.mark.parametrize(("path", "name", "place"), [
    (SAAS, "Microsoft", ("Redmond", "WA", "United States")),  # HQ "Redmond, WA, USA"
    (SAAS, "Atlassian", ("Sydney", "", "Australia")),  # HQ "Sydney, Australia"
    (PDL, "ibm", ("new york", "new york", "United States")),  # locality + country
])
def test_a_location_in_one_cell_gives_city_state_and_country(
        path: Path, name: str, place: tuple[str, str, str]) -> None:
    """The SaaS list's HQ column and PDL's locality were not used: 93 US companies and
    their cities had no country or city in the hub."""
    if not path.exists():
        pytest.skip(f"{path} is not beside this checkout")
    records = load_source(path).records
    row = records[records["name"].str.strip() == name].iloc[0]
    found = tuple(display_country(row[f]) if f == "country" else str(row.get(f, "") or "")
                  for f in ("city", "state", "country"))
    assert found == place


@pytest.mark.parametrize(("cell", "parts"), [
    ("Redmond, WA, USA", ("Redmond", "WA", "USA")),
    ("San Francisco, CA", ("San Francisco", "CA", "")),  # California, not Canada
    ("Toronto, Canada", ("Toronto", "", "Canada")),
    ("London, UK", ("London", "", "UK")),
    ("new york, new york", ("new york", "new york", "")),
    ("Germany", ("", "", "Germany")),
    ("Bangalore", ("Bangalore", "", "")),
    (" , ", ("", "", "")),
])
def test_a_location_cell_splits_as_a_person_reads_it(cell: str, parts: tuple) -> None:
    assert split_location(cell) == parts
