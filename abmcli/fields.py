"""Canonical fields: the vocabulary shared by the loaders, the matcher and the hub.

A loaded source is a DataFrame whose columns are canonical field names (below) plus
`_row` (the 1-based data-row number in its file, for lineage). Every value is kept
as the original text (pandas string or object dtype); typing happens in `values`
when the hub is aggregated, so that a bad cell is reported, not lost.
"""

from __future__ import annotations

from typing import Final

FAMILIES: Final = ("fit", "intent", "relationship", "engagement", "crm")

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
    },
    "relationship": {
        "score": "relationship score (number or Weak/Moderate/Strong/Very Strong)",
        "contacts": "number of contacts with a relationship",
        "last_interaction": "last email or meeting date",
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
        "stage": "journey stage",
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


def fields_of(family: str) -> dict[str, str]:
    """All canonical fields a source of `family` may carry, identity fields first."""
    return {**IDENTITY_FIELDS, **LOCATION_FIELDS, **FAMILY_FIELDS[family]}
