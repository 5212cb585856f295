"""Known layouts of the two families `abm measure` reads: opportunities and contacts.

Header names as the exports write them (VENDOR_FORMATS.md and the Salesforce demo-org
export in ../shared/reference/real-exports). They are tried only when a file is given
as opportunities or contacts (`--opportunities`, `--contacts`, `[inputs]` or a
`[[mapping]] family`): a contact export that also carries company columns is still a
fit source when it is merged.

Each family ends with a generic layout of common header spellings, so a CRM report
with its own labels is read without a mapping; those spellings also fill in the fields
a known layout does not name (a "Currency" column beside a Salesforce report).
"""

from __future__ import annotations

from abmcli.sources.layouts import VendorLayout

_SF_OPPORTUNITY_API = {
    "Id": "opportunity_id", "AccountId": "account_crm_id", "Name": "opportunity_name",
    "StageName": "deal_stage", "Amount": "amount", "CloseDate": "close_date",
    "CreatedDate": "created_date", "IsClosed": "is_closed", "IsWon": "is_won",
    "Type": "opportunity_type", "LeadSource": "lead_source", "CampaignId": "campaign",
    "OwnerId": "opportunity_owner", "CurrencyIsoCode": "currency",
    "Account.Name": "name", "Account.Website": "domain",
}
_SF_OPPORTUNITY_REPORT = {
    "Opportunity ID": "opportunity_id", "Opportunity Name": "opportunity_name",
    "Account ID": "account_crm_id", "Account Name": "name", "Website": "domain",
    "Stage": "deal_stage", "Amount": "amount", "Close Date": "close_date",
    "Created Date": "created_date", "Closed": "is_closed", "Won": "is_won",
    "Type": "opportunity_type", "Lead Source": "lead_source",
    "Primary Campaign Source": "campaign", "Opportunity Owner": "opportunity_owner",
    "Opportunity Currency": "currency", "Amount Currency": "currency",
}
_HUBSPOT_DEALS = {
    "Record ID": "opportunity_id", "Deal Name": "opportunity_name",
    "Deal Stage": "deal_stage", "Amount": "amount", "Close Date": "close_date",
    "Create Date": "created_date", "Deal Type": "opportunity_type",
    "Deal owner": "opportunity_owner", "Currency": "currency",
    "Deal currency code": "currency", "Is Closed Won": "is_won",
    "Is Deal Closed?": "is_closed", "Original Source Type": "lead_source",
    "Original Traffic Source": "lead_source", "Associated Company": "name",
    "Associated Company (Primary)": "name", "Company name": "name",
    "Associated Company IDs": "account_crm_id",
    "Associated Company IDs (Primary)": "account_crm_id",
    "Associated Company ID": "account_crm_id", "Company Domain Name": "domain",
    "Campaign of last booking in meetings tool": "campaign",
}
_GENERIC_OPPORTUNITY = {
    "Opportunity ID": "opportunity_id", "Deal ID": "opportunity_id",
    "Opportunity Name": "opportunity_name", "Deal Name": "opportunity_name",
    "Opportunity": "opportunity_name", "Deal": "opportunity_name",
    "Account ID": "account_crm_id", "AccountId": "account_crm_id",
    "Company ID": "account_crm_id", "CRM Account ID": "account_crm_id",
    "Account Name": "name", "Account": "name", "Company": "name", "Company Name": "name",
    "Website": "domain", "Domain": "domain", "Account Domain": "domain",
    "Company Domain": "domain", "Stage": "deal_stage", "Deal Stage": "deal_stage",
    "Opportunity Stage": "deal_stage", "StageName": "deal_stage", "Status": "deal_stage",
    "Amount": "amount", "Opportunity Amount": "amount", "Deal Amount": "amount",
    "Deal Value": "amount", "Value": "amount", "Amount (converted)": "amount",
    "Currency": "currency", "Amount Currency": "currency", "Currency Code": "currency",
    "Created Date": "created_date", "Create Date": "created_date",
    "Creation Date": "created_date", "Date Created": "created_date",
    "CreatedDate": "created_date", "Close Date": "close_date", "CloseDate": "close_date",
    "Closed Date": "close_date", "Expected Close Date": "close_date",
    "Won": "is_won", "IsWon": "is_won", "Closed": "is_closed", "IsClosed": "is_closed",
    "Type": "opportunity_type", "Opportunity Type": "opportunity_type",
    "Deal Type": "opportunity_type", "Lead Source": "lead_source", "Source": "lead_source",
    "Primary Campaign Source": "campaign", "Primary Campaign": "campaign",
    "Campaign": "campaign", "Opportunity Owner": "opportunity_owner",
    "Deal Owner": "opportunity_owner", "Owner": "opportunity_owner",
}

_SF_CONTACT_API = {
    "Id": "contact_id", "AccountId": "account_crm_id", "FirstName": "first_name",
    "LastName": "last_name", "Name": "full_name", "Email": "email", "Title": "title",
    "Department": "department", "LastActivityDate": "last_activity",
    "Account.Name": "name", "Account.Website": "domain",
}
_SF_CONTACT_REPORT = {
    "Contact ID": "contact_id", "Account ID": "account_crm_id", "First Name": "first_name",
    "Last Name": "last_name", "Full Name": "full_name", "Email": "email", "Title": "title",
    "Department": "department", "Last Activity": "last_activity", "Account Name": "name",
    "Website": "domain",
}
_HUBSPOT_CONTACTS = {
    "Record ID": "contact_id", "First Name": "first_name", "Last Name": "last_name",
    "Email": "email", "Job Title": "title", "Job function": "department",
    "Seniority": "level", "Company Name": "name", "Associated Company": "name",
    "Associated Company (Primary)": "name", "Associated Company IDs": "account_crm_id",
    "Associated Company IDs (Primary)": "account_crm_id", "Website URL": "domain",
    "Company Domain Name": "domain", "Last Activity Date": "last_activity",
    "Last Engagement Date": "last_activity",
}
_ZOOMINFO_CONTACTS = {
    "ZoomInfo Contact ID": "contact_id", "First Name": "first_name",
    "Last Name": "last_name", "Job Title": "title", "Management Level": "level",
    "Department": "department", "Job Function": "department", "Email Address": "email",
    "Company Name": "name", "Website": "domain", "Last Updated Date": "last_activity",
}
_APOLLO_CONTACTS = {
    "Apollo Contact Id": "contact_id", "First Name": "first_name", "Last Name": "last_name",
    "Title": "title", "Seniority": "level", "Departments": "department",
    "Email": "email", "Company": "name", "Company Name": "name", "Website": "domain",
    "Last Contacted": "last_activity", "Last Activity Date": "last_activity",
}
_SALES_NAVIGATOR = {
    "First Name": "first_name", "Last Name": "last_name", "Full Name": "full_name",
    "Name": "full_name", "Title": "title", "Job Title": "title", "Current Title": "title",
    "Company": "name", "Company Name": "name", "Account": "name", "Account Name": "name",
    "Company Website": "domain", "Email": "email", "Seniority": "level",
    "Function": "department", "Last Activity": "last_activity",
    "Profile URL": "contact_id", "LinkedIn Profile URL": "contact_id",
    "Sales Navigator URL": "contact_id", "Sales Navigator Profile URL": "contact_id",
}
_GENERIC_CONTACT = {
    "Contact ID": "contact_id", "Person ID": "contact_id", "Id": "contact_id",
    "First Name": "first_name", "Firstname": "first_name", "Given Name": "first_name",
    "Last Name": "last_name", "Lastname": "last_name", "Surname": "last_name",
    "Full Name": "full_name", "Contact Name": "full_name", "Name": "full_name",
    "Title": "title", "Job Title": "title", "Position": "title", "Job Position": "title",
    "Role": "title", "Jobtitle": "title", "Designation": "title",
    "Department": "department", "Job Function": "department", "Function": "department",
    "Departments": "department", "Seniority": "level", "Management Level": "level",
    "Job Level": "level", "Level": "level", "Email": "email", "Email Address": "email",
    "Work Email": "email", "Business Email": "email", "Company": "name",
    "Company Name": "name", "Account Name": "name", "Account": "name",
    "Organization": "name", "Employer": "name", "Website": "domain", "Domain": "domain",
    "Company Website": "domain", "Company Domain": "domain", "Account ID": "account_crm_id",
    "AccountId": "account_crm_id", "Company ID": "account_crm_id",
    "Last Activity": "last_activity", "Last Activity Date": "last_activity",
    "Last Engagement Date": "last_activity", "Last Engaged": "last_activity",
    "Last Contacted": "last_activity",
}

# Checked in order; the generic layout last. Signatures key on columns only this kind
# of export writes.
MEASURE_LAYOUTS: tuple[VendorLayout, ...] = (
    VendorLayout("Salesforce opportunity export (Data Loader)", "opportunities",
                 (("StageName",), ("AccountId", "CloseDate", "IsWon", "Amount")),
                 _SF_OPPORTUNITY_API, _GENERIC_OPPORTUNITY),
    VendorLayout("HubSpot deals export", "opportunities",
                 (("Deal Stage",), ("Deal Name", "Record ID", "Pipeline")),
                 _HUBSPOT_DEALS, _GENERIC_OPPORTUNITY),
    VendorLayout("Salesforce opportunity report", "opportunities",
                 (("Opportunity Name", "Opportunity ID", "Opportunity Owner"),
                  ("Stage",)), _SF_OPPORTUNITY_REPORT, _GENERIC_OPPORTUNITY),
    VendorLayout("opportunity export", "opportunities",
                 (tuple(h for h, f in _GENERIC_OPPORTUNITY.items() if f == "deal_stage"),),
                 _GENERIC_OPPORTUNITY),
    VendorLayout("ZoomInfo contact export", "contacts",
                 (("ZoomInfo Contact ID", "Management Level"), ("Job Title",)),
                 _ZOOMINFO_CONTACTS, _GENERIC_CONTACT),
    VendorLayout("Apollo contacts export", "contacts",
                 (("Apollo Contact Id", "Apollo Account Id", "Departments"), ("Title",)),
                 _APOLLO_CONTACTS, _GENERIC_CONTACT),
    VendorLayout("Salesforce contact export (Data Loader)", "contacts",
                 (("AccountId",), ("Title", "LastName", "FirstName")),
                 _SF_CONTACT_API, _GENERIC_CONTACT),
    VendorLayout("HubSpot contacts export", "contacts",
                 (("Record ID",), ("Job Title",)), _HUBSPOT_CONTACTS, _GENERIC_CONTACT),
    VendorLayout("LinkedIn Sales Navigator leads", "contacts",
                 (("Profile URL", "LinkedIn Profile URL", "Sales Navigator URL",
                   "Sales Navigator Profile URL"),), _SALES_NAVIGATOR, _GENERIC_CONTACT),
    VendorLayout("Salesforce contact report", "contacts",
                 (("Contact ID", "Contact Owner", "Account Name"), ("Title",)),
                 _SF_CONTACT_REPORT, _GENERIC_CONTACT),
    VendorLayout("contact export", "contacts",
                 (tuple(h for h, f in _GENERIC_CONTACT.items()
                        if f in ("title", "department", "level")),),
                 _GENERIC_CONTACT),
)

# Opportunity exports whose headers leave no doubt: a file like this is never an account
# list, even when no family is given (a Data Loader export's Name is the deal's name).
TELLING_OPPORTUNITY_LAYOUTS = tuple(layout for layout in MEASURE_LAYOUTS
                                    if layout.family == "opportunities"
                                    and layout.vendor != "opportunity export")
