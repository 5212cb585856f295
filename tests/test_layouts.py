"""Recognising vendor exports from their header rows, as vendors write them."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from vendor_headers import BOMBORA, ZOOMINFO_COMPANY

from abmcli.config import ColumnMapping
from abmcli.errors import AbmError, ColumnError
from abmcli.fields import FAMILIES, fields_of
from abmcli.sources.layouts import (
    KNOWN_LAYOUTS,
    clean_header,
    layout_table,
    recognise,
    telling_field,
)

# Header rows exactly as VENDOR_FORMATS.md lists them.
ZOOMINFO_CONTACT = ["ZoomInfo Contact ID", "Last Name", "First Name", "Job Title",
                    "Direct Phone Number", "Email Address", "Email Domain",
                    "LinkedIn Contact Profile URL", *ZOOMINFO_COMPANY]
APOLLO_ACCOUNTS = ("Company Name, Company Name for Emails, # Employees, Industry, Website, "
                   "Company Linkedin Url, Company Country, Keywords, Apollo Record Id, "
                   "Short Description, Founded Year, Subsidiary of (Organization ID)").split(", ")
APOLLO_CONTACTS = ["First Name", "Last Name", "Title", "Email", "Email Status", *APOLLO_ACCOUNTS,
                   "Technologies", "Annual Revenue", "Total Funding", "Latest Funding",
                   "Latest Funding Amount", "Last Raised At", "Company City", "Company State",
                   "Apollo Contact Id", "Apollo Account Id", "Primary Intent Topic",
                   "Primary Intent Score", "Secondary Intent Topic", "Secondary Intent Score"]
ZOOMINFO_INTENT = ["Intent ID", "Date", "Company Name", "Topic", "Category", "Score",
                   "Company ID", *ZOOMINFO_COMPANY[2:12]]
SIXSENSE = ["Account Name", "Website", "6sense Account Intent Score",
            "6sense Account Buying Stage", "6sense Account Profile Score",
            "6sense Account Profile Fit", "6sense Account Reach Score",
            "6sense Account Update Date", "6sense 6QA"]
TERMINUS_OLD = ["Account Name", "Account Domain", "Visitor ID Tracked Domain", "Page Views"]
TERMINUS_SPIKES = ["Account Name", "Engagement Model", "Spike Start", "Spike End",
                   "Spike Percent"]
DEMANDBASE = ["Account Name", "Account Domain", "Activity Type", "Engagement Minutes",
              "Journey Stage", "Week"]
GENERIC_ENGAGEMENT = ["Company", "Website", "Week Starting", "Page Views", "Visits",
                      "Campaign Responses", "Last Engagement Date"]
RELATIONSHIP = ["Account Name", "Domain", "Relationship Score", "# of Contacts",
                "Last Interaction"]
SALESFORCE_REPORT = ("Account Name, Website, Billing City, Billing State/Province, Billing "
                     "Zip/Postal Code, Billing Country, Account Owner, Territory, Type, Annual "
                     "Revenue, Employees, Industry, Account ID, Parent Account ID").split(", ")
SALESFORCE_DATA_LOADER = ("Id, Name, Website, BillingCity, BillingCountry, OwnerId, Type, "
                          "AnnualRevenue, NumberOfEmployees, Industry").split(", ")
# The header of a real Salesforce Account.csv (SFDC-Assets/data-cloud-workshop), BOM included.
SALESFORCE_ACCOUNT_CSV = (
    "\ufeffId,IsDeleted,MasterRecordId,Name,Type,ParentId,BillingStreet,BillingCity,"
    "BillingState,BillingPostalCode,BillingCountry,BillingLatitude,BillingLongitude,"
    "BillingGeocodeAccuracy,BillingAddress,ShippingStreet,ShippingCity,ShippingState,"
    "ShippingPostalCode,ShippingCountry,ShippingLatitude,ShippingLongitude,"
    "ShippingGeocodeAccuracy,ShippingAddress,Phone,Fax,Website,PhotoUrl,Industry,"
    "AnnualRevenue,NumberOfEmployees,Description,OwnerId,CreatedDate,CreatedById,"
    "LastModifiedDate,LastModifiedById,SystemModstamp,LastActivityDate,LastViewedDate,"
    "LastReferencedDate,IsCustomerPortal,Jigsaw,JigsawCompanyId,AccountSource,DunsNumber,"
    "Tradestyle,NaicsCode,NaicsDesc,YearStarted,SicDesc,DandbCompanyId,External_id__c"
).split(",")
HUBSPOT = ("Record ID, Company name, Company Domain Name, Company owner, Create Date, Phone "
           "Number, Last Activity Date, City, Country/Region, Industry, Number of Employees, "
           "Annual Revenue, Ideal Customer Profile Tier, Target Account").split(", ")

# (header row, family, vendor, columns that must map so)
KNOWN = {
    "zoominfo company": (ZOOMINFO_COMPANY, "fit", "ZoomInfo company export", {
        "ZoomInfo Company ID": "vendor_id", "Company Name": "name", "Website": "domain",
        "Revenue (in 000s USD)": "revenue_thousands", "Employees": "employees",
        "Total Funding Amount (in 000s USD)": "funding_thousands",
        "Primary Industry": "industry", "Company Country": "country",
        "LinkedIn Company Profile URL": "linkedin_url"}),
    "zoominfo contact": (ZOOMINFO_CONTACT, "fit", "ZoomInfo contact export", {
        "Email Address": "email", "Website": "domain", "Company Name": "name"}),
    "apollo accounts": (APOLLO_ACCOUNTS, "fit", "Apollo accounts export", {
        "Company Name": "name", "# Employees": "employees", "Website": "domain",
        "Company Linkedin Url": "linkedin_url", "Apollo Record Id": "vendor_id"}),
    "apollo contacts": (APOLLO_CONTACTS, "fit", "Apollo contacts export", {
        "Email": "email", "Technologies": "technologies", "Annual Revenue": "revenue",
        "Total Funding": "funding", "Company City": "city"}),
    "bombora": (BOMBORA, "intent", "Bombora Company Surge", {
        "Domain": "domain", "Topic": "topic", "Composite Score": "score",
        "Report Date": "date", "Category": "category"}),
    "zoominfo intent": (ZOOMINFO_INTENT, "intent", "ZoomInfo intent export", {
        "Topic": "topic", "Score": "score", "Date": "date", "Website": "domain"}),
    "6sense": (SIXSENSE, "intent", "6sense intent columns", {
        "6sense Account Intent Score": "score", "6sense Account Buying Stage": "buying_stage",
        "Account Name": "name", "Website": "domain"}),
    "terminus old": (TERMINUS_OLD, "engagement", "Terminus engagement spike report", {
        "Account Domain": "domain", "Page Views": "page_views"}),
    "terminus spikes": (TERMINUS_SPIKES, "engagement", "Terminus engagement spike report", {
        "Spike Percent": "spike_percent", "Spike Start": "spike_start",
        "Spike End": "spike_end", "Account Name": "name"}),
    "demandbase": (DEMANDBASE, "engagement", "Demandbase engagement export", {
        "Engagement Minutes": "minutes", "Journey Stage": "stage", "Week": "date"}),
    "generic engagement": (GENERIC_ENGAGEMENT, "engagement", "generic engagement", {
        "Page Views": "page_views", "Visits": "visits", "Campaign Responses": "responses",
        "Week Starting": "date", "Last Engagement Date": "last_activity"}),
    "relationship": (RELATIONSHIP, "relationship", "Sigstr relationship export", {
        "Relationship Score": "score", "# of Contacts": "contacts",
        "Last Interaction": "last_interaction"}),
    "salesforce report": (SALESFORCE_REPORT, "crm", "Salesforce account report", {
        "Account Name": "name", "Account Owner": "owner", "Type": "type",
        "Account ID": "crm_id", "Billing Country": "country", "Parent Account ID": "parent_id",
        "Territory": "territory"}),
    "salesforce data loader": (SALESFORCE_DATA_LOADER, "crm", "Salesforce Data Loader export", {
        "Id": "crm_id", "Name": "name", "OwnerId": "owner", "AnnualRevenue": "revenue",
        "NumberOfEmployees": "employees", "BillingCountry": "country"}),
    "salesforce account.csv": (SALESFORCE_ACCOUNT_CSV, "crm", "Salesforce Data Loader export", {
        "\ufeffId": "crm_id", "Name": "name", "Website": "domain", "ParentId": "parent_id"}),
    "hubspot": (HUBSPOT, "crm", "HubSpot company export", {
        "Record ID": "crm_id", "Company name": "name", "Company Domain Name": "domain",
        "Company owner": "owner", "Country/Region": "country"}),
}
# Columns a file's own vendor leaves out: never the characteristic ones.
EXTRA_COLUMNS = ["Notes", "Lead Source", "Unnamed: 17", "SDR Notes (internal)"]


def _characteristic(headers: list[str]) -> set[str]:
    cleaned = {clean_header(h) for h in headers}
    return {clean_header(h) for layout in KNOWN_LAYOUTS for group in layout.signature
            for h in group if clean_header(h) in cleaned}


def _assert_recognised(headers, family, vendor, expected):
    layout = recognise(headers, Path("exports/file.csv"))
    assert (layout.family, layout.vendor) == (family, vendor)
    for header, canonical in expected.items():
        if header in headers:
            assert layout.columns[header] == canonical, header
    assert set(layout.columns) | set(layout.unmapped) == set(headers)
    assert all(field in fields_of(family) for field in layout.columns.values())
    return layout


@pytest.mark.parametrize("case", KNOWN)
def test_known_layout_is_recognised_from_its_exact_header_row(case):
    headers, family, vendor, expected = KNOWN[case]
    _assert_recognised(headers, family, vendor, expected)


@pytest.mark.parametrize("case", KNOWN)
@pytest.mark.parametrize("seed", [1, 2])
def test_known_layout_survives_shuffled_dropped_and_added_columns(case, seed):
    headers, family, vendor, expected = KNOWN[case]
    rng = random.Random(f"{case}-{seed}")
    keep = _characteristic(headers) | {clean_header(h) for h in expected}
    optional = [h for h in headers if clean_header(h) not in keep]
    dropped = set(rng.sample(optional, len(optional) // 2))
    shuffled = [h for h in headers if h not in dropped] + EXTRA_COLUMNS
    rng.shuffle(shuffled)
    layout = _assert_recognised(shuffled, family, vendor, expected)
    assert not set(EXTRA_COLUMNS) & set(layout.columns)


def test_headers_match_ignoring_case_spaces_bom_and_quotes():
    headers = ["\ufeff\"ZoomInfo Company ID\"", "  company name ", "'WEBSITE'",
               "Revenue (in 000s USD)", "employees"]
    layout = recognise(headers)
    assert layout.vendor == "ZoomInfo company export"
    # Keys are the headers as the file has them, so the loader can rename its columns.
    assert layout.columns == {
        "\ufeff\"ZoomInfo Company ID\"": "vendor_id", "  company name ": "name",
        "'WEBSITE'": "domain", "Revenue (in 000s USD)": "revenue_thousands",
        "employees": "employees"}


def test_how_names_the_characteristic_columns_found():
    layout = recognise(ZOOMINFO_COMPANY)
    assert layout.how == "characteristic columns: ZoomInfo Company ID, Revenue (in 000s USD)"
    salesforce = recognise(SALESFORCE_ACCOUNT_CSV)
    assert salesforce.how.startswith("characteristic columns: Id, BillingCity, ")


def test_zoominfo_revenue_range_and_employee_range_are_used_only_without_exact_columns():
    full = recognise(ZOOMINFO_COMPANY)
    assert "Revenue Range (in USD)" in full.unmapped
    assert "Employee Range" in full.unmapped
    ranges_only = [h for h in ZOOMINFO_COMPANY if h not in ("Revenue (in 000s USD)", "Employees")]
    layout = recognise(ranges_only)
    assert layout.vendor == "ZoomInfo company export"
    assert layout.columns["Revenue Range (in USD)"] == "revenue"
    assert layout.columns["Employee Range"] == "employees"


def test_zoominfo_profile_urls_are_not_the_domain():
    layout = recognise([h for h in ZOOMINFO_COMPANY if h != "Website"])
    assert "domain" not in layout.columns.values()
    assert layout.columns["LinkedIn Company Profile URL"] == "linkedin_url"
    assert "ZoomInfo Company Profile URL" in layout.unmapped


def test_apollo_company_name_beats_company_name_for_emails_in_either_order():
    headers = ["Company Name for Emails", "Website", "Company Name", "Apollo Record Id"]
    assert recognise(headers).columns["Company Name"] == "name"
    assert "Company Name for Emails" in recognise(headers).unmapped


@pytest.mark.parametrize(("topic", "date"), [("Topic Name", "Week"), ("Topic", "Date")])
def test_bombora_variants_of_topic_and_date(topic, date):
    layout = recognise(["Company Name", "Domain", topic, "Composite Score", date])
    assert layout.vendor == "Bombora Company Surge"
    assert layout.columns == {"Company Name": "name", "Domain": "domain", topic: "topic",
                              "Composite Score": "score", date: "date"}


@pytest.mark.parametrize(("score", "contacts", "last", "field"), [
    ("Relationship Strength", "Contacts", "Last Email Date", "last_email"),
    ("Relationship Score", "# of Contacts", "Last Meeting Date", "last_meeting"),
    ("Relationship Score", "Contacts", "Last Interaction", "last_interaction"),
])
def test_relationship_export_variants(score, contacts, last, field):
    # An email we sent and a meeting are different facts (issue 12): each its own field.
    layout = recognise(["Account Name", "Website", score, contacts, last])
    assert layout.family == "relationship"
    assert layout.columns[score] == "score"
    assert layout.columns[contacts] == "contacts"
    assert layout.columns[last] == field


def test_contact_level_relationship_export_keys_on_email():
    layout = recognise(["Contact Name", "Email", "Relationship Strength", "Last Email Date"])
    assert layout.family == "relationship"
    assert layout.columns == {"Email": "email", "Relationship Strength": "score",
                              "Last Email Date": "last_email"}


@pytest.mark.parametrize(("header", "field"), [
    ("ACV", "acv"), ("Annual Contract Value", "acv"), ("ARR", "acv"),
    ("Open Opportunity Amount", "opportunity_amount"),
    ("Opportunity Amount", "opportunity_amount"), ("Amount", "opportunity_amount")])
def test_crm_contract_value_headers_map_to_acv_or_opportunity(header, field):
    layout = recognise(["Account Name", "Account Owner", header, "Renewal Date"])
    assert layout.family == "crm"
    assert layout.columns[header] == field
    assert layout.columns["Renewal Date"] == "renewal_date"


def test_a_report_with_acv_and_open_opportunity_keeps_both():
    layout = recognise(["Account Name", "Website", "Account Owner", "Type",
                        "Open Opportunity Amount", "ACV", "Renewal Date"])
    assert layout.columns["ACV"] == "acv"
    assert layout.columns["Open Opportunity Amount"] == "opportunity_amount"


def test_contract_end_date_is_the_renewal_date_and_acv_makes_a_crm_file():
    layout = recognise(["Customer Name", "Domain", "ARR", "Contract End Date"])
    assert layout.family == "crm"
    assert layout.vendor == "generic crm"
    assert layout.columns == {"Customer Name": "name", "Domain": "domain", "ARR": "acv",
                              "Contract End Date": "renewal_date"}


def test_crm_looking_report_with_activity_columns_is_engagement():
    layout = recognise(["Account Name", "Account Owner", "Account ID", "Page Views", "Visits"])
    assert layout.family == "engagement"
    assert layout.columns["Page Views"] == "page_views"


@pytest.mark.parametrize(("header", "canonical"), [
    ("Supplier Company", "name"),
    ("Customer Company Name", "name"),
    ("Organisation Legal Name", "name"),
    ("Primary Contact Email", "email"),
    ("Contact E-mail", "email"),
    ("Company Website URL", "domain"),
    ("Corporate Web Site", "domain"),
    ("CompanyWebsite", "domain"),
    ("Website Domain", "domain"),
])
def test_telling_words_map_unknown_headers_to_identity_fields(header, canonical):
    assert telling_field(header) == canonical
    layout = recognise(["Spend (EUR)", header])
    assert layout.columns == {header: canonical}


@pytest.mark.parametrize("header", [
    "Company LinkedIn URL", "Company Size", "Account Owner", "Company ID", "Company Type",
    "Company Phone", "Email Opt Out", "Last Email Date", "Parent Company", "Target Account",
    "Company Name for Emails", "Website Visits", "Facebook Page URL"])
def test_telling_words_leave_other_columns_alone(header):
    assert telling_field(header) is None


def test_exact_alias_beats_telling_word_even_when_later():
    layout = recognise(["Company Website URL", "Supplier Company", "Website", "Company Name"])
    assert layout.columns == {"Website": "domain", "Company Name": "name"}
    assert layout.unmapped == ["Company Website URL", "Supplier Company"]


def test_earlier_column_wins_among_equal_matches():
    layout = recognise(["Domain", "Website", "Company", "Company Name"])
    assert layout.columns == {"Domain": "domain", "Company": "name"}


def test_plain_name_column_yields_to_a_company_column():
    layout = recognise(["Name", "Title", "Company", "Work Email"])
    assert layout.columns == {"Company": "name", "Work Email": "email"}


def test_public_company_lists_map_by_alias():
    martech = recognise(["\ufeffCategory", "Sub-Category", "Company", "Website Domain"])
    assert (martech.family, martech.vendor) == ("fit", "generic fit")
    # A directory's "Category" is the company's industry (issue 10).
    assert martech.columns == {"\ufeffCategory": "industry", "Company": "name",
                               "Sub-Category": "sub_industry", "Website Domain": "domain"}
    yc = recognise(["file", "id", "name", "slug", "former_names", "website", "batch",
                    "status", "all_locations", "team_size"])
    assert yc.family == "fit"
    assert yc.columns == {"name": "name", "website": "domain", "team_size": "employees"}


@pytest.mark.parametrize(("headers", "family"), [
    (["Company", "Domain", "Intent Topic", "Intent Score", "Week"], "intent"),
    (["Company", "Domain", "Connection Strength"], "relationship"),
    (["Company", "Domain", "Engaged Minutes"], "engagement"),
    (["Company", "Domain", "Sessions", "Form Fills"], "engagement"),
    (["Company", "Domain", "Account Type", "Owner"], "crm"),
    (["Company", "Domain", "Headcount", "Vertical", "Tech Stack"], "fit"),
    (["Company", "Domain", "ID", "Type", "Score"], "fit"),  # loose aliases decide nothing
])
def test_family_of_unknown_layouts_comes_from_the_mapped_fields(headers, family):
    layout = recognise(headers)
    assert layout.family == family
    assert layout.vendor == f"generic {family}"
    assert layout.how.startswith("no known vendor layout; header aliases; ")


def test_family_flag_overrides_detection():
    layout = recognise(["Company", "Domain", "Page Views"], family="fit")
    assert layout.family == "fit"
    assert "Page Views" in layout.unmapped
    assert "family fit as requested" in layout.how


def test_mapping_family_overrides_detection_and_flag_overrides_mapping():
    mapping = ColumnMapping(file="*.csv", family="crm")
    assert recognise(["Company", "Domain", "Page Views"], mapping=mapping).family == "crm"
    assert recognise(["Company", "Domain"], mapping=mapping, family="fit").family == "fit"


def test_forced_family_picks_that_familys_layout():
    crm_export_with_6sense = [*SALESFORCE_REPORT, "6sense Account Intent Score",
                              "6sense Account Buying Stage"]
    assert recognise(crm_export_with_6sense).family == "intent"
    layout = recognise(crm_export_with_6sense, family="crm")
    assert layout.vendor == "Salesforce account report"
    assert layout.columns["Account Owner"] == "owner"


def test_config_mapping_extends_an_unknown_layout():
    mapping = ColumnMapping(file="lieferanten*.csv", columns={
        "Firma": "name", " webseite ": "domain", "Mitarbeiter": "employees"})
    layout = recognise(["Firma", "Webseite", "Mitarbeiter", "Lieferantennummer"],
                       Path("lieferanten_2026.csv"), mapping)
    assert layout.vendor == "config mapping"
    assert layout.columns == {"Firma": "name", "Webseite": "domain", "Mitarbeiter": "employees"}
    assert layout.unmapped == ["Lieferantennummer"]
    assert "config mapping for lieferanten*.csv" in layout.how


def test_config_mapping_overrides_a_vendor_mapping():
    mapping = ColumnMapping(file="*.csv", columns={"Territory": "owner"})
    layout = recognise(SALESFORCE_REPORT, mapping=mapping)
    assert layout.vendor == "Salesforce account report"
    assert layout.columns["Territory"] == "owner"
    assert "Account Owner" in layout.unmapped
    assert layout.how.endswith("; config mapping for *.csv")


def test_config_mapping_family_decides_with_mapped_fields():
    mapping = ColumnMapping(file="*.csv", columns={"Thema": "topic", "Wert": "score"})
    layout = recognise(["Firma", "Domain", "Thema", "Wert"], mapping=mapping)
    assert layout.family == "intent"
    assert layout.columns["Thema"] == "topic"


def test_config_mapping_naming_a_missing_header_lists_the_headers():
    mapping = ColumnMapping(file="suppliers.csv", columns={"Web Site": "domain"})
    with pytest.raises(ColumnError) as caught:
        recognise(["Supplier", "URL Link", "Spend"], Path("in/suppliers.csv"), mapping)
    message = str(caught.value)
    assert message.startswith("in/suppliers.csv: ")
    assert "'Web Site'" in message
    assert "Supplier, URL Link, Spend" in message


def test_config_mapping_to_a_field_the_family_lacks_says_how_to_fix_it():
    mapping = ColumnMapping(file="*.csv", family="fit", columns={"Views": "page_views"})
    with pytest.raises(ColumnError, match="'Views' to 'page_views', which a fit file") as caught:
        recognise(["Company", "Views"], mapping=mapping)
    assert 'family = "..."' in str(caught.value)


def test_no_identity_column_lists_the_headers_and_shows_the_config_snippet():
    headers = ["Symbol", "GICS Sector", "Headquarters Location", "CIK"]
    with pytest.raises(ColumnError) as caught:
        recognise(headers, Path("data/sp500.csv"))
    error = caught.value
    assert error.path == "data/sp500.csv"
    assert error.problem == ("no company name, website/domain or email column among the "
                             "headers: Symbol, GICS Sector, Headquarters Location, CIK")
    assert error.hint == ('map one in abm.toml:\n[[mapping]]\nfile = "sp500.csv"\n'
                          'columns = { "Your Header" = "domain" }')


@pytest.mark.parametrize("name", ["sp500.csv", 'odd "quoted" name.csv', "C:\\exports\\x.csv"])
def test_the_mapping_hint_is_toml_a_user_can_paste(name: str):
    """The hint printed [[mapping]] file = ... columns = ... on one line, which is not
    TOML: pasted into abm.toml it broke the config."""
    import tomllib

    with pytest.raises(ColumnError) as caught:
        recognise(["Symbol", "CIK"], Path("data") / name)
    snippet = caught.value.hint.split("abm.toml:\n", 1)[1]
    assert tomllib.loads(snippet) == {
        "mapping": [{"file": name, "columns": {"Your Header": "domain"}}]}


@pytest.mark.parametrize(("vendor", "article"), [("Apollo", "an"), ("Outreach", "an"),
                                                  ("ZoomInfo", "a"), ("Bombora", "a")])
def test_an_article_agrees_with_the_vendor_name(vendor: str, article: str):
    from abmcli.words import with_article

    assert with_article(vendor) == f"{article} {vendor}"


def test_long_header_rows_are_listed_with_a_count_of_the_rest():
    headers = [f"Metric {i}" for i in range(80)]
    with pytest.raises(ColumnError, match=r"Metric 59 \.\.\. \(20 more\)"):
        recognise(headers)


@pytest.mark.parametrize(("headers", "missing"), [
    (["Company", "Domain", "Intent Score"], "no topic column"),
    (["Company", "Domain", "Topic"], "no score column"),
    (["Company", "Domain", "Week"], "no topic or score column"),
])
def test_intent_file_without_topic_or_score_names_what_is_missing(headers, missing):
    with pytest.raises(ColumnError, match=missing) as caught:
        recognise(headers, Path("surge.csv"), family="intent")
    assert "an intent file needs a topic and a score column" in str(caught.value)
    assert 'file = "surge.csv"' in str(caught.value)


def test_unknown_family_is_a_user_error():
    with pytest.raises(AbmError, match="unknown family 'firmographic'; use one of fit"):
        recognise(["Company"], family="firmographic")


def test_layout_table_documents_every_layout_and_family():
    table = layout_table()
    assert len(table) == len(KNOWN_LAYOUTS)
    assert {family for _, family, _ in table} == set(FAMILIES)
    zoominfo = next(row for row in table if row[0] == "ZoomInfo company export")
    assert zoominfo == ("ZoomInfo company export", "fit",
                        "ZoomInfo Company ID / Revenue (in 000s USD)")


def test_every_vendor_column_maps_to_a_field_of_its_family():
    for layout in KNOWN_LAYOUTS:
        allowed = fields_of(layout.family)
        for canonical in [*layout.columns.values(), *layout.fallbacks.values()]:
            assert canonical in allowed, (layout.vendor, canonical)


header_rows = st.lists(st.one_of(
    st.sampled_from([*ZOOMINFO_COMPANY[:12], *BOMBORA, *HUBSPOT, *RELATIONSHIP,
                     *GENERIC_ENGAGEMENT, "Company Website URL", "Supplier Company"]),
    st.text(max_size=30)), max_size=15)


@given(header_rows, st.sampled_from([None, *FAMILIES]))
def test_any_header_row_gives_a_layout_or_a_column_error(headers, family):
    try:
        layout = recognise(headers, family=family)
    except ColumnError as error:
        assert "among the headers" in str(error)
        return
    assert layout.family == (family or layout.family) and layout.family in FAMILIES
    assert set(layout.columns) | set(layout.unmapped) == set(headers)
    assert len(set(layout.columns.values())) == len(layout.columns)  # one column per field
    assert set(layout.columns.values()) & {"name", "domain", "email"}
    assert recognise(headers, family=family) == layout  # deterministic


# Issue 10 item 3: columns of real public lists.
@pytest.mark.parametrize(("header", "field"), [
    ("Security", "name"), ("Security Name", "name"), ("_ - name", "name"),
    ("company_name", "name"),
    ("num. of employees", "employees"), ("Turnover", "revenue"), ("Category", "industry"),
    ("Homepage", "domain"), ("URLs", "domain"), ("Total Raised", "funding"),
    ("current employee estimate", "employees"), ("revenues", "revenue"),
    ("category_code", "industry"), ("country_code", "country"),
])
def test_real_list_headers_are_recognised(header, field):
    other = "Symbol" if field in ("name", "domain") else "Company"
    layout = recognise([other, header])
    assert layout.columns.get(header) == field


def test_industry_beats_sector_whatever_the_order():
    layout = recognise(["Symbol", "Name", "Sector", "industry"])
    assert layout.columns == {"Symbol": "ticker", "Name": "name", "industry": "industry"}


@pytest.mark.parametrize("profile", ["Inc.com URL", "Site Name", "Company LinkedIn URL",
                                     "Crunchbase URL", "Facebook URL", "_ - url"])
def test_a_profile_or_slug_column_is_never_the_domain_beside_a_website_column(profile):
    for headers in ([profile, "Company", "Website"], ["Company", "Website", profile]):
        layout = recognise(headers)
        assert layout.columns["Website"] == "domain"
        assert layout.columns.get(profile) != "domain"


def test_a_site_named_in_the_header_is_not_the_company_domain():
    with pytest.raises(ColumnError):
        recognise(["Inc.com URL", "Rank"])


def test_trading_turnover_beside_prices_is_not_revenue():
    headers = ["Name", "ISIN", "Symbol", "Open Price", "Volume", "Turnover"]
    assert "Turnover" in recognise(headers).unmapped


def test_arr_is_a_company_lists_revenue_but_a_crms_contract_value():
    company_list = recognise(["Company Name", "Founded Year", "Total Funding", "ARR"])
    assert company_list.family == "fit"
    assert company_list.columns["ARR"] == "revenue"
    crm = recognise(["Customer Name", "Domain", "ARR", "Contract End Date"])
    assert (crm.family, crm.columns["ARR"]) == ("crm", "acv")


def test_beside_first_and_last_name_a_bare_name_is_the_persons():
    lead = recognise(["Id", "LastName", "FirstName", "Name", "Company", "Email", "Website",
                      "OwnerId", "AnnualRevenue"])
    assert lead.columns["Company"] == "name"
    assert "Name" in lead.unmapped
    contact = recognise(["Id", "AccountId", "LastName", "FirstName", "Email", "Name"])
    assert "name" not in contact.columns.values()
    assert contact.columns["Email"] == "email"


def test_a_registers_submitter_name_is_the_company_name():
    layout = recognise(["EDINET Code", "Submitter Name", "Submitter Name（alphabetic）"])
    assert layout.columns == {"Submitter Name": "name"}


@pytest.mark.parametrize("family", ["engagement", "relationship"])
def test_a_company_list_given_as_a_signal_family_is_refused_not_read_as_no_activity(family):
    # `abm merge --engagement constituents.csv` gave every S&P 500 company "engagement
    # data" (coverage 100 %) of nothing at all.
    headers = ["Symbol", "Security", "GICS Sector", "Headquarters Location", "Date added"]
    with pytest.raises(ColumnError, match=f"needs at least one {family} column") as caught:
        recognise(headers, Path("constituents.csv"), family=family)
    assert 'file = "constituents.csv"' in str(caught.value)


@pytest.mark.parametrize(("family", "headers"), [
    ("engagement", ["Account Name", "Account Domain", "Last Meeting Date"]),
    ("engagement", ["Company", "Website", "Page Views"]),
    ("relationship", ["Account Name", "Relationship Score"]),
])
def test_one_column_of_the_family_is_enough(family, headers):
    assert recognise(headers, Path("x.csv"), family=family).family == family
