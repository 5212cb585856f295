"""Canonical fields: the vocabulary shared by the loaders, the matcher and the hub.

A loaded source is a DataFrame whose columns are canonical field names (below) plus
`_row` (the 1-based data-row number in its file, for lineage). Every value is kept
as the original text (pandas string or object dtype); typing happens in `values`
when the hub is aggregated, so that a bad cell is reported, not lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

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
FIT_FIELDS: Final = {
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
}
INTENT_FIELDS: Final = {
    "topic": "intent topic name",
    "score": "surge or intent score 0-100 for the topic",
    "date": "report or signal date",
    "category": "topic category",
    "buying_stage": "buying stage (6sense)",
    **SIGNAL_FIRMOGRAPHICS,
}
RELATIONSHIP_FIELDS: Final = {
    "score": "relationship score (number or Weak/Moderate/Strong/Very Strong)",
    "contacts": "number of contacts with a relationship",
    "last_interaction": "last interaction of any kind (email, call, meeting)",
    "last_email": "last email date (an email we sent is not engagement: shown only)",
    "last_meeting": "last meeting date (engagement)",
    "last_reply": "last reply from someone at the account (engagement)",
}
ENGAGEMENT_FIELDS: Final = {
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
}
CRM_FIELDS: Final = {
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
}
OPPORTUNITY_FIELDS: Final = {
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
}
CONTACT_FIELDS: Final = {
    "contact_id": "the vendor's or CRM's contact id",
    "account_crm_id": "the CRM id of the contact's account",
    "first_name": "first name",
    "last_name": "last name",
    "full_name": "full name",
    "title": "job title",
    "department": "the vendor's department or job function",
    "level": "the vendor's management level or seniority",
    "last_activity": "last activity or engagement date of the contact",
}


ROW_COLUMN: Final = "_row"
# The file a record came from (its label as the user named it), so that values two files
# of one family disagree on can be named (stages/hub.py value_conflicts).
FILE_COLUMN: Final = "_file"
# The input rows one record stands for: a streamed feed keeps one record per distinct
# identity (feeds.py); matching and the hub count it that many times. Absent: 1.
WEIGHT_COLUMN: Final = "_weight"


@dataclass(frozen=True)
class Family:
    """One source family: what its files carry and how each part of abm treats it.

    Adding a family is one record in FAMILY_REGISTRY plus its fields in FAMILY_FIELDS, its
    layouts (sources/layouts.py), and, for a merged family, its hub aggregation
    (stages/hub.py AGGREGATORS) and its hub columns; docs/ARCHITECTURE.md "Where things
    vary" lists the steps and tests/test_families.py checks they were all taken.
    """

    name: str  # as --family, [inputs] and the memory's files name it
    export: str  # how --<name>'s help names one file: "fit export"
    # The letter in the hub's `coverage` column; "" for a family that is matched beside
    # the hub and never merged into it (opportunities, contacts: `abm measure`).
    letter: str = ""
    # How `abm run` remembers it: a snapshot is carried whole for the carry window; a
    # history keeps dated rows per account for history_weeks. None: not remembered.
    memory: Literal["snapshot", "history"] | None = None
    # What one record stands for within its account (a contact's email, a CRM id, a
    # topic), so that a row this week's export leaves out is found.
    row_identity: tuple[str, ...] = ()
    fields: Mapping[str, str] = field(default_factory=dict)  # canonical field -> meaning
    # What a file of the family cannot do without (sources/layouts.py checks it): every
    # `required` field (unless its vendor layout says otherwise), and at least one of
    # `needs_one_of` (a company list given as --engagement is no engagement data).
    required: tuple[str, ...] = ()
    needs_one_of: tuple[str, ...] = ()

    @property
    def merged(self) -> bool:
        """Merged into the hub's accounts (has_<family>, coverage), else only matched."""
        return bool(self.letter)

    @property
    def flag(self) -> str:
        """The hub's column saying an account has rows of this family."""
        return f"has_{self.name}"

    @property
    def option_help(self) -> str:
        """The help of the command-line option --<name>."""
        article = "An" if self.export[0] in "aeiou" else "A"
        return f"{article} {self.export} (repeatable)."


FAMILY_REGISTRY: Final[dict[str, Family]] = {family.name: family for family in (
    Family("fit", "fit export", "F", "snapshot", ("vendor_id",), FIT_FIELDS),
    Family("intent", "intent export", "I", "history", ("topic",), INTENT_FIELDS,
           required=("topic", "score")),
    Family("relationship", "relationship export", "R", "snapshot", ("email",),
           RELATIONSHIP_FIELDS, needs_one_of=("score", "contacts", "last_interaction",
                                              "last_email", "last_meeting", "last_reply")),
    Family("engagement", "engagement export", "E", "history", ("email",),
           ENGAGEMENT_FIELDS, needs_one_of=(
               "page_views", "visits", "responses", "minutes", "last_activity",
               "spike_percent", "spike_start", "spike_end", "last_meeting", "last_reply",
               "last_form_fill")),
    Family("crm", "crm export", "CRM", "snapshot", ("crm_id",), CRM_FIELDS),
    Family("opportunities", "opportunity or deal export",
           fields=OPPORTUNITY_FIELDS, required=("deal_stage",)),
    Family("contacts", "contact export with job titles", fields=CONTACT_FIELDS,
           required=("title",)),
)}
# Families merged into the hub, in the order of its has_* columns and coverage letters.
FAMILIES: Final = tuple(name for name, family in FAMILY_REGISTRY.items() if family.merged)
# Families `abm measure` reads beside the hub: they are matched to the hub's accounts,
# never merged into it (a contact at a company is not a new account).
MEASURE_FAMILIES: Final = tuple(name for name, family in FAMILY_REGISTRY.items()
                                if not family.merged)
ALL_FAMILIES: Final = FAMILIES + MEASURE_FAMILIES
FAMILY_LETTERS: Final = {name: FAMILY_REGISTRY[name].letter for name in FAMILIES}
FAMILY_FIELDS: Final = {name: family.fields for name, family in FAMILY_REGISTRY.items()}

# Fields beyond the name that tell two companies with look-alike names apart (or show
# they are one); the matcher reads them for rows without a usable domain. Any family
# may carry the location ones (an engagement export with the company's country):
# they are loaded for matching, and only fit and CRM values reach the hub.
# Rows that carry one CRM account id are one account (matching/crm_ids.py).
CRM_ID_FIELD: Final = "crm_id"
EVIDENCE_FIELDS: Final = ("country", "state", "city", "postal_code", "phone", "ticker",
                          "industry", "employees", "parent_id")
LOCATION_FIELDS: Final = {
    "country": "the company's country",
    "state": "the company's state or region",
    "city": "the company's city",
    "postal_code": "the company's postal or ZIP code",
    "phone": "the company's phone number",
    "ticker": "the company's stock symbol",
    # Split into city, state and country where the file has no column of its own for
    # them (sources/load.py).
    "location": "the company's location in one cell: \"Redmond, WA, USA\"",
    # Kept with the ticker (sources/load.py): a ticker names a listing on one exchange.
    "exchange": "the stock exchange the ticker is listed on",
}
# Engagement activity counts: summed per account over the window (hub.py).
ACTIVITY_FIELDS: Final = ("page_views", "visits", "responses", "minutes")


def fields_of(family: str) -> dict[str, str]:
    """All canonical fields a source of `family` may carry, identity fields first (and
    the location evidence for the families merged into accounts)."""
    location = LOCATION_FIELDS if family in FAMILIES else {}
    return {**IDENTITY_FIELDS, **location, **FAMILY_FIELDS[family]}
