"""Canonical fields: the vocabulary shared by the loaders, the matcher and the hub.

A loaded source is a DataFrame whose columns are canonical field names (below) plus
`_row` (the 1-based data-row number in its file, for lineage). Every value is kept
as the original text (pandas string or object dtype); typing happens in `values`
when the hub is aggregated, so that a bad cell is reported, not lost.
"""

from __future__ import annotations

from typing import Final

FAMILIES: Final = ("fit", "intent", "relationship", "engagement", "crm")
# Families `abm measure` reads beside the hub: they are matched to the hub's accounts,
# never merged into it (a contact at a company is not a new account).
MEASURE_FAMILIES: Final = ("opportunities", "contacts")
ALL_FAMILIES: Final = FAMILIES + MEASURE_FAMILIES

FAMILY_LETTERS: Final = {
    "fit": "F",
    "intent": "I",
    "relationship": "R",
    "engagement": "E",
    "crm": "CRM",
}

# Identity fields: any family may carry them; the matcher keys on them.
IDENTITY_FIELDS: Final = {
    "name": "company or account name",
    "domain": "website, URL or domain of the company",
    "email": "a contact's email address (its domain identifies the company)",
}

# Firmographics a signal export may carry beside its signals (Bombora's Size, Industry,
# HQ Country): the hub uses them for fit where no fit or CRM source has the value, and
# its *_source columns say where they came from.
SIGNAL_FIRMOGRAPHICS: Final = {
    "industry": "the company's industry",
    "employees": "employee count or range",
    "revenue": "annual revenue or range",
    "country": "headquarters country",
    "state": "headquarters state or region",
    "city": "headquarters city",
}

# Fields each family may map, with what they mean. Values stay text until the hub.
FAMILY_FIELDS: Final[dict[str, dict[str, str]]] = {
    "fit": {
        "vendor_id": "the vendor's company id",
        "industry": "primary industry",
        "sub_industry": "sub-industry",
        "employees": "employee count or range ('1,001-5,000')",
        "revenue": "annual revenue or range ('$10M - $50M')",
        "revenue_thousands": "annual revenue in thousands of USD (ZoomInfo)",
        "country": "headquarters country",
        "state": "headquarters state or region",
        "city": "headquarters city",
        "postal_code": "headquarters postal or ZIP code",
        "phone": "company phone number",
        "technologies": "technologies installed, separated by ; or ,",
        "funding": "total funding",
        "funding_thousands": "total funding in thousands of USD (ZoomInfo)",
        "founded_year": "year founded",
        "linkedin_url": "LinkedIn company page URL",
        "ticker": "stock symbol",
        "keywords": "keywords or description",
    },
    "intent": {
        "topic": "intent topic name",
        "score": "surge or intent score 0-100 for the topic",
        "date": "report or signal date",
        "category": "topic category",
        "buying_stage": "buying stage (6sense)",
        **SIGNAL_FIRMOGRAPHICS,
    },
    "relationship": {
        "score": "relationship score (number or Weak/Moderate/Strong/Very Strong)",
        "contacts": "number of contacts with a relationship",
        "last_interaction": "last interaction of any kind (email, call, meeting)",
        "last_email": "last email date (an email we sent is not engagement: shown only)",
        "last_meeting": "last meeting date (engagement)",
        "last_reply": "last reply from someone at the account (engagement)",
    },
    "engagement": {
        "date": "week or activity date of the row",
        "page_views": "page views",
        "visits": "visits or sessions",
        "responses": "campaign responses",
        "minutes": "engagement minutes",
        "last_activity": "last engagement date",
        "spike_percent": "vendor's engagement spike size in percent",
        "spike_start": "vendor's spike start date",
        "spike_end": "vendor's spike end date",
        "last_meeting": "last meeting date",
        "last_reply": "last reply from someone at the account",
        "last_form_fill": "last form fill by someone at the account",
        "stage": "journey stage",
        **SIGNAL_FIRMOGRAPHICS,
    },
    "crm": {
        "crm_id": "CRM account id",
        "owner": "account owner",
        "type": "account type (customer, prospect ...)",
        "acv": "annual contract value (customers)",
        "opportunity_amount": "open opportunity amount (prospects)",
        "renewal_date": "renewal date",
        "industry": "industry",
        "employees": "employees",
        "revenue": "annual revenue",
        "country": "billing country",
        "state": "billing state",
        "city": "billing city",
        "postal_code": "billing postal or ZIP code",
        "phone": "account phone number",
        "ticker": "stock symbol",
        "territory": "sales territory",
        "parent_id": "parent account id",
    },
    "opportunities": {
        "opportunity_id": "the CRM's opportunity or deal id",
        "opportunity_name": "opportunity or deal name",
        "account_crm_id": "the CRM id of the opportunity's account",
        "amount": "deal amount, in the export's currency",
        "currency": "currency code of the amount (EUR, USD ...)",
        "deal_stage": "stage name (Prospecting ... Closed Won / Closed Lost)",
        "created_date": "date the opportunity was created",
        "close_date": "close date (expected for open deals)",
        "is_closed": "closed flag (TRUE/FALSE)",
        "is_won": "won flag (TRUE/FALSE)",
        "opportunity_type": "type (New Business, Renewal ...)",
        "lead_source": "lead source",
        "campaign": "primary campaign",
        "opportunity_owner": "opportunity owner",
    },
    "contacts": {
        "contact_id": "the vendor's or CRM's contact id",
        "account_crm_id": "the CRM id of the contact's account",
        "first_name": "first name",
        "last_name": "last name",
        "full_name": "full name",
        "title": "job title",
        "department": "the vendor's department or job function",
        "level": "the vendor's management level or seniority",
        "last_activity": "last activity or engagement date of the contact",
    },
}

ROW_COLUMN: Final = "_row"

# Fields beyond the name that tell two companies with look-alike names apart (or show
# they are one); the matcher reads them for rows without a usable domain. Any family
# may carry the location ones (an engagement export with the company's country):
# they are loaded for matching, and only fit and CRM values reach the hub.
EVIDENCE_FIELDS: Final = ("country", "state", "city", "postal_code", "phone", "ticker",
                          "industry", "employees", "parent_id")
LOCATION_FIELDS: Final = {
    "country": "the company's country",
    "state": "the company's state or region",
    "city": "the company's city",
    "postal_code": "the company's postal or ZIP code",
    "phone": "the company's phone number",
    "ticker": "the company's stock symbol",
}
# Engagement activity counts: summed per account over the window (hub.py).
ACTIVITY_FIELDS: Final = ("page_views", "visits", "responses", "minutes")


def fields_of(family: str) -> dict[str, str]:
    """All canonical fields a source of `family` may carry, identity fields first (and
    the location evidence for the families merged into accounts)."""
    location = LOCATION_FIELDS if family in FAMILIES else {}
    return {**IDENTITY_FIELDS, **location, **FAMILY_FIELDS[family]}
