"""Opportunity and contact exports are recognised from their header rows when the file
is given as that family, and never otherwise."""

from __future__ import annotations

import pytest

from abmcli.errors import ColumnError
from abmcli.sources.layouts import recognise

SF_OPPORTUNITY_API = ("Id,AccountId,Name,Description,StageName,Amount,Probability,"
                      "ExpectedRevenue,CloseDate,NextStep,LeadSource,IsClosed,IsWon,"
                      "CreatedDate,LastModifiedDate,LastActivityDate")
SF_OPPORTUNITY_REPORT = ("Opportunity Name,Account Name,Account ID,Amount,Opportunity Currency,"
                         "Stage,Close Date,Created Date,Type,Lead Source,"
                         "Primary Campaign Source,Opportunity Owner")
HUBSPOT_DEALS = ("Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Create Date,"
                 "Pipeline,Deal Type,Associated Company (Primary),"
                 "Associated Company IDs (Primary),Currency,Is Closed Won")
ZOOMINFO_CONTACTS = ("ZoomInfo Contact ID,Last Name,First Name,Middle Name,Salutation,Suffix,"
                     "Job Title,Job Title Hierarchy Level,Management Level,Job Start Date,"
                     "Buying Committee,Job Function,Department,Direct Phone Number,"
                     "Email Address,Email Domain,Mobile phone,Last Updated Date,"
                     "ZoomInfo Company ID,Company Name,Website,Revenue (in 000s USD),"
                     "Employees,Primary Industry")
APOLLO_CONTACTS = ("First Name,Last Name,Title,Company,Company Name for Emails,Email,"
                   "Email Status,Seniority,Departments,Contact Owner,First Phone,"
                   "# Employees,Industry,Keywords,Person Linkedin Url,Website,"
                   "Company Linkedin Url,Apollo Contact Id,Apollo Account Id")
SF_CONTACT_API = ("Id,IsDeleted,AccountId,LastName,FirstName,Phone,MobilePhone,AssistantPhone,"
                  "Email,Title,Department,LeadSource,LastActivityDate,Name")
HUBSPOT_CONTACTS = ("Record ID,First Name,Last Name,Email,Job Title,Company Name,Website URL,"
                    "Last Activity Date,Contact owner,Lifecycle Stage")
SALES_NAVIGATOR = ("First Name,Last Name,Title,Company,Profile URL,Location,Date Added,"
                   "Connection Degree")


@pytest.mark.parametrize(("header", "family", "vendor", "expected"), [
    (SF_OPPORTUNITY_API, "opportunities", "Salesforce opportunity export (Data Loader)",
     {"AccountId": "account_crm_id", "Name": "opportunity_name", "StageName": "deal_stage",
      "IsWon": "is_won", "CreatedDate": "created_date"}),
    (SF_OPPORTUNITY_REPORT, "opportunities", "Salesforce opportunity report",
     {"Account Name": "name", "Account ID": "account_crm_id", "Stage": "deal_stage",
      "Opportunity Currency": "currency", "Primary Campaign Source": "campaign"}),
    (HUBSPOT_DEALS, "opportunities", "HubSpot deals export",
     {"Deal Stage": "deal_stage", "Create Date": "created_date",
      "Associated Company (Primary)": "name", "Is Closed Won": "is_won"}),
    (ZOOMINFO_CONTACTS, "contacts", "ZoomInfo contact export",
     {"Job Title": "title", "Management Level": "level", "Email Address": "email",
      "Website": "domain"}),
    (APOLLO_CONTACTS, "contacts", "Apollo contacts export",
     {"Title": "title", "Seniority": "level", "Departments": "department",
      "Company": "name"}),
    (SF_CONTACT_API, "contacts", "Salesforce contact export (Data Loader)",
     {"AccountId": "account_crm_id", "Title": "title", "Name": "full_name"}),
    (HUBSPOT_CONTACTS, "contacts", "HubSpot contacts export",
     {"Job Title": "title", "Company Name": "name", "Last Activity Date": "last_activity"}),
    (SALES_NAVIGATOR, "contacts", "LinkedIn Sales Navigator leads",
     {"Title": "title", "Company": "name", "Profile URL": "contact_id"}),
])
def test_known_exports_are_recognised_when_given_as_their_family(
        header: str, family: str, vendor: str, expected: dict[str, str]) -> None:
    layout = recognise(header.split(","), family=family)
    assert (layout.family, layout.vendor) == (family, vendor)
    assert {h: layout.columns.get(h) for h in expected} == expected


@pytest.mark.parametrize("header", [ZOOMINFO_CONTACTS, APOLLO_CONTACTS])
def test_a_contact_export_with_company_columns_is_still_fit_when_merged(header: str) -> None:
    assert recognise(header.split(",")).family == "fit"


def test_an_opportunity_file_without_a_stage_says_what_it_needs() -> None:
    with pytest.raises(ColumnError, match="an opportunities file needs a deal_stage column"):
        recognise(["Account Name", "Amount"], family="opportunities")
