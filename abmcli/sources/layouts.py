"""Recognise a file's family, vendor layout and column mapping from its header row.

Known exports (VENDOR_FORMATS.md) are recognised by their characteristic columns, not
by the whole row, because real files add, drop and reorder columns. Other files are
mapped by header aliases and, for the identity fields, by telling words ("Supplier
Company" is a name, "Corporate Web Site" a domain). An explicit [[mapping]] in
abm.toml overrides both.

When several headers could supply one field, the better kind of match wins (the
vendor's own column, then an exact alias, then a loose alias such as "Name", then a
telling word), and among equals the earlier column, so the result never depends on
anything but the header row.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from abmcli.errors import AbmError, ColumnError
from abmcli.fields import (
    ALL_FAMILIES,
    FAMILY_REGISTRY,
    IDENTITY_FIELDS,
    MEASURE_FAMILIES,
    fields_of,
)
from abmcli.keys.fold import without_accents
from abmcli.sections import ColumnMapping
from abmcli.words import with_article


@dataclass
class Layout:
    """How one file's columns map onto canonical fields, and why."""

    family: str
    vendor: str
    columns: dict[str, str]  # source header -> canonical field (only mapped headers)
    unmapped: list[str]
    how: str
    # field -> (multiplier, why) for numbers the header says are in thousands, millions ...
    units: dict[str, tuple[float, str]] = field(default_factory=dict)
    # field -> further headers that could supply it, best first (used when the chosen
    # column turns out unusable, e.g. a profile-URL column where the website was wanted)
    alternates: dict[str, list[str]] = field(default_factory=dict)
    # e.g. the family the user gave contradicts a layout abm recognises
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class VendorLayout:
    """A known export: the columns that identify it and how its columns map."""

    vendor: str
    family: str
    # Each group needs at least one of its headers present (any order, any case).
    signature: tuple[tuple[str, ...], ...]
    columns: dict[str, str] = field(default_factory=dict)
    # Used only when no better column supplies the field.
    fallbacks: dict[str, str] = field(default_factory=dict)
    # Headers that mean the file is something else (activity columns in a CRM-like report).
    excludes: tuple[str, ...] = ()
    # Fields the file must have beyond an identity field; None: the family's default.
    required: tuple[str, ...] | None = None
    # Headers whose generic alias says the wrong thing in this layout: a lead's OwnerId
    # is the lead's owner, not the account's.
    not_mapped: tuple[str, ...] = ()


_PERSON_COLUMNS = ("Email Address", "Email", "First Name", "Last Name", "Job Title",
                   "ZoomInfo Contact ID", "Direct Phone Number")
_DOMAIN_COLUMNS = ("Domain", "Company Domain", "Website", "Company Website", "Account Domain",
                   "Domain Name", "Company Domain Name")
_ACTIVITY_COLUMNS = ("Page Views", "Visits", "Campaign Responses", "Engagement Minutes",
                     "Topic", "Topic Name", "Composite Score", "Intent Score",
                     "Relationship Score", "Relationship Strength", "Spike Percent")

_ZOOMINFO_COMPANY = {
    "ZoomInfo Company ID": "vendor_id", "Company Name": "name", "Website": "domain",
    "Founded Year": "founded_year", "Ticker": "ticker",
    "Revenue (in 000s USD)": "revenue_thousands", "Employees": "employees",
    "Primary Industry": "industry", "Primary Sub-Industry": "sub_industry",
    "LinkedIn Company Profile URL": "linkedin_url",
    "Total Funding Amount (in 000s USD)": "funding_thousands",
    "Company City": "city", "Company State": "state", "Company Country": "country",
}
_ZOOMINFO_FALLBACKS = {"Employee Range": "employees", "Revenue Range (in USD)": "revenue"}
_APOLLO = {
    "Company Name": "name", "# Employees": "employees", "Industry": "industry",
    "Website": "domain", "Company Linkedin Url": "linkedin_url", "Company Country": "country",
    "Company State": "state", "Company City": "city", "Keywords": "keywords",
    "Apollo Account Id": "vendor_id", "Apollo Record Id": "vendor_id",
    "Founded Year": "founded_year", "Technologies": "technologies",
    "Annual Revenue": "revenue", "Total Funding": "funding", "Email": "email",
}

# Checked in order: the more specific layout first (a ZoomInfo intent export also
# carries the ZoomInfo company columns; a contact export carries them too).
KNOWN_LAYOUTS: tuple[VendorLayout, ...] = (
    VendorLayout("ZoomInfo intent export", "intent", (("Intent ID",), ("Topic",)),
                 {"Date": "date", "Company Name": "name", "Topic": "topic",
                  "Category": "category", "Score": "score", "Website": "domain"}),
    VendorLayout("ZoomInfo contact export", "fit",
                 (("ZoomInfo Company ID", "Revenue (in 000s USD)"), _PERSON_COLUMNS),
                 {**_ZOOMINFO_COMPANY, "Email Address": "email"}, _ZOOMINFO_FALLBACKS),
    VendorLayout("ZoomInfo company export", "fit",
                 (("ZoomInfo Company ID", "Revenue (in 000s USD)"),),
                 _ZOOMINFO_COMPANY, _ZOOMINFO_FALLBACKS),
    VendorLayout("Apollo contacts export", "fit",
                 (("Apollo Contact Id", "Apollo Account Id"), ("Email", "First Name")),
                 _APOLLO),
    VendorLayout("Apollo accounts export", "fit",
                 (("Apollo Record Id", "Apollo Account Id", "# Employees",
                   "Company Name for Emails"),), _APOLLO),
    VendorLayout("Bombora Company Surge", "intent",
                 (("Composite Score",), ("Topic", "Topic Name"), _DOMAIN_COLUMNS),
                 {"Company Name": "name", "Domain": "domain", "Topic": "topic",
                  "Topic Name": "topic", "Composite Score": "score", "Category": "category",
                  "Report Date": "date"}),
    VendorLayout("6sense intent columns", "intent",
                 (("6sense Account Intent Score", "6sense Account Buying Stage"),),
                 {"6sense Account Intent Score": "score",
                  "6sense Account Buying Stage": "buying_stage",
                  "6sense Account Update Date": "date"}, required=("score",)),
    VendorLayout("Terminus engagement spike report", "engagement",
                 (("Spike Percent", "Spike Start", "Spike End", "Engagement Model",
                   "Visitor ID Tracked Domain"),),
                 {"Account Name": "name", "Account Domain": "domain",
                  "Spike Percent": "spike_percent", "Spike Start": "spike_start",
                  "Spike End": "spike_end"},
                 {"Visitor ID Tracked Domain": "domain"}),
    VendorLayout("Demandbase engagement export", "engagement",
                 (("Engagement Minutes", "Journey Stage"),),
                 {"Engagement Minutes": "minutes", "Journey Stage": "stage"}),
    VendorLayout("Sigstr relationship export", "relationship",
                 (("Relationship Score", "Relationship Strength"),)),
    # A lead's Id (00Q...) names the lead, not an account: only a converted lead points
    # at its CRM account, in ConvertedAccountId. The lead's owner is not the account's.
    VendorLayout("Salesforce lead export (Data Loader)", "crm",
                 (("Id",), ("IsConverted", "ConvertedAccountId"), ("Company",)),
                 {"ConvertedAccountId": "crm_id", "Company": "name", "Website": "domain",
                  "Email": "email", "Industry": "industry", "AnnualRevenue": "revenue",
                  "NumberOfEmployees": "employees", "Country": "country", "State": "state",
                  "City": "city"}, excludes=_ACTIVITY_COLUMNS, not_mapped=("OwnerId",)),
    VendorLayout("Salesforce Data Loader export", "crm",
                 (("Id",), ("OwnerId", "NumberOfEmployees", "AnnualRevenue", "BillingCountry",
                            "BillingCity")),
                 {"Id": "crm_id", "Name": "name", "Website": "domain", "OwnerId": "owner",
                  "Type": "type", "AnnualRevenue": "revenue", "NumberOfEmployees": "employees",
                  "Industry": "industry", "BillingCountry": "country", "BillingState": "state",
                  "BillingCity": "city", "ParentId": "parent_id",
                  "BillingPostalCode": "postal_code", "Phone": "phone",
                  "TickerSymbol": "ticker"}, excludes=_ACTIVITY_COLUMNS),
    VendorLayout("HubSpot company export", "crm",
                 (("Record ID",), ("Company name", "Company Domain Name", "Company owner")),
                 {"Record ID": "crm_id", "Company name": "name",
                  "Company Domain Name": "domain", "Company owner": "owner",
                  "Country/Region": "country", "Number of Employees": "employees",
                  "Annual Revenue": "revenue", "Lifecycle Stage": "type"},
                 {"Type": "type"}, excludes=_ACTIVITY_COLUMNS),
    VendorLayout("Salesforce account report", "crm",
                 (("Account Name",), ("Account Owner", "Account ID", "Parent Account ID",
                                      "Billing Country", "Billing State/Province")),
                 {"Account Name": "name", "Website": "domain", "Account Owner": "owner",
                  "Type": "type", "Account ID": "crm_id", "Parent Account ID": "parent_id",
                  "Billing City": "city", "Billing State/Province": "state",
                  "Billing Country": "country", "Annual Revenue": "revenue",
                  "Employees": "employees", "Territory": "territory",
                  "Billing Zip/Postal Code": "postal_code", "Phone": "phone"},
                 excludes=_ACTIVITY_COLUMNS),
)

# Generic aliases, checked when a header is not a vendor column: field -> (family the
# alias implies or None, aliases). Matching ignores case, spaces, quotes and "_".
_ALIASES: dict[str, list[tuple[str | None, tuple[str, ...]]]] = {
    "name": [(None, ("company", "company name", "companyname", "account name", "accountname",
                     "organization", "organisation", "organization name", "organisation name",
                     "business name", "company legal name", "legal name", "customer name",
                     "client name", "account", "name", "security", "security name",
                     "company title",
                     # German, French, Spanish, Dutch CRMs ("Nom" beside "Prénom" is the
                     # person's: _PERSON_NAME_HEADERS)
                     "firma", "firmenname", "unternehmen", "unternehmensname",
                     "name des unternehmens", "société", "entreprise", "raison sociale",
                     "nom de l'entreprise", "nom de la société", "dénomination", "nom",
                     "empresa", "nombre de la empresa", "nombre de empresa", "razón social",
                     "nombre", "bedrijf", "bedrijfsnaam", "organisatie", "naam",
                     "handelsnaam"))],
    "domain": [(None, ("website", "domain", "company website", "companywebsite",
                       "company domain", "company domain name", "account domain", "url",
                       "web address", "homepage", "home page", "website url", "web site",
                       "company url", "domain name", "website domain", "email domain",
                       "companyemaildomain", "company email domain", "primary domain",
                       "corporate website", "urls", "websites", "homepage url",
                       "company homepage", "domains", "website address",
                       "webseite", "internetseite", "internetadresse", "web-adresse",
                       "site web", "site internet", "sitio web", "página web", "dominio",
                       "domaine", "webadres", "internetadres"))],
    "email": [(None, ("email", "e-mail", "email address", "e-mail address", "work email",
                      "business email", "contact email", "emailaddress", "primary email",
                      "contact email address", "work email address"))],
    "industry": [(None, ("industry", "primary industry", "vertical", "sector",
                         "industry vertical", "gics sector", "industry name", "category",
                         "category code", "industry group", "gics industry group",
                         "branche", "wirtschaftszweig", "secteur", "secteur d'activité",
                         "industrie", "industria", "sector de actividad",
                         # UK Companies House (SICCode.SicText_1) and US registers
                         "sic text", "sic description", "sicdesc", "naics description",
                         "naicsdesc"))],
    "sub_industry": [(None, ("sub-industry", "sub industry", "subindustry", "sub-category",
                             "subcategory", "sub category",
                             "primary sub-industry", "gics sub-industry", "sub-vertical"))],
    "employees": [(None, ("employees", "# employees", "# of employees", "number of employees",
                          "numberofemployees", "employee count", "employees count",
                          "headcount", "head count", "company size", "employee range",
                          "employees range", "total employees", "no. of employees",
                          "company headcount", "team size", "size", "num. of employees",
                          "num of employees", "nr. of employees", "employee number",
                          "current employee estimate", "employee estimate", "staff",
                          "size range", "employee size", "workforce",
                          "mitarbeiter", "mitarbeiteranzahl", "anzahl mitarbeiter",
                          "anzahl der mitarbeiter", "mitarbeiterzahl", "beschäftigte",
                          "anzahl beschäftigte", "effectif", "effectifs",
                          "nombre de salariés", "nombre d'employés", "salariés",
                          "empleados", "número de empleados", "nº de empleados",
                          "nº empleados", "plantilla", "medewerkers", "aantal medewerkers",
                          "werknemers", "aantal werknemers"))],
    "revenue": [(None, ("revenue", "annual revenue", "annualrevenue", "annual sales",
                        "revenue range", "revenue (usd)", "estimated revenue",
                        "total revenue", "company revenue", "revenue range (in usd)",
                        "sales", "revenues", "turnover", "annual turnover", "arr",
                        "annual recurring revenue", "net sales", "total sales",
                        "umsatz", "jahresumsatz", "umsatzerlöse", "chiffre d'affaires",
                        "ingresos", "facturación", "ventas", "omzet", "jaaromzet"))],
    "revenue_thousands": [(None, ("revenue (in 000s usd)", "revenue (in 000s)",
                                  "revenue ($000)"))],
    "country": [(None, ("country", "hq country", "headquarters country", "company country",
                        "billing country", "billingcountry", "country/region",
                        "account country", "country name", "companycountry", "country code",
                        "hq country code", "country iso", "land", "pays", "país"))],
    "state": [(None, ("state", "hq state", "company state", "billing state",
                      "billingstate", "billing state/province", "state/province",
                      "state/region", "province", "state code", "bundesland",
                      "provincia", "provincie", "county"))],
    "city": [(None, ("city", "hq city", "company city", "billing city", "billingcity",
                     "headquarters city", "stadt", "ort", "ville", "ciudad",
                     "localidad", "plaats", "vestigingsplaats", "stad", "post town",
                     "town", "town/city"))],
    "location": [(None, ("hq", "headquarters", "location", "hq location", "locality",
                         "headquarters location", "company location", "head office",
                         "company headquarters", "hq city, state, country"))],
    "postal_code": [(None, ("zip", "zip code", "zipcode", "postal code", "postcode",
                            "post code", "postalcode", "company zip code", "hq zip code",
                            "billing zip/postal code", "billing postal code",
                            "billingpostalcode", "company postal code", "plz",
                            "postleitzahl", "code postal", "código postal"))],
    "phone": [(None, ("phone", "company phone", "phone number", "hq phone", "main phone",
                      "company hq phone", "company phone number", "account phone",
                      "tel", "telefon", "telefonnummer", "téléphone", "teléfono", "telefoon",
                      "telefoonnummer"))],
    "technologies": [(None, ("technologies", "technology", "tech stack", "technographics",
                             "installed technologies", "technologies used"))],
    "funding": [(None, ("total funding", "funding", "total funding amount",
                        "total funding (usd)", "total raised", "funding total usd",
                        "funding total", "amount raised", "total funding raised"))],
    "funding_thousands": [(None, ("total funding amount (in 000s usd)",))],
    "founded_year": [(None, ("founded year", "founded", "year founded", "yearstarted",
                             "year started", "gründungsjahr", "année de création",
                             "año de fundación", "oprichtingsjaar"))],
    "linkedin_url": [(None, ("linkedin url", "company linkedin url", "linkedin",
                             "linkedin company profile url", "linkedin company page",
                             "linkedincompanypageurl", "company linkedin"))],
    "ticker": [(None, ("ticker", "ticker symbol", "stock symbol", "stocksymbol", "symbol",
                       "stock code", "ticker code", "asx code", "securities code",
                       "security code", "securities identification code"))],
    "exchange": [(None, ("exchange", "stock exchange", "listing exchange", "exchange name",
                         "primary exchange", "market", "listing market"))],
    "keywords": [(None, ("keywords", "description", "short description",
                         "company description"))],
    "topic": [("intent", ("topic", "topic name", "intent topic", "primary intent topic",
                          "surging topic"))],
    "score": [("intent", ("composite score", "intent score", "surge score", "topic score",
                          "primary intent score", "buyer intent score")),
              ("relationship", ("relationship score", "relationship strength",
                                "relationship", "connection strength", "relationship level",
                                "strength")),
              (None, ("score",))],
    "date": [(None, ("date", "week", "report date", "week starting", "week start",
                     "week of", "week beginning", "activity date", "signal date",
                     "intent date"))],
    "category": [(None, ("category", "topic category"))],
    "buying_stage": [(None, ("buying stage",))],
    "contacts": [(None, ("contacts", "# of contacts", "# contacts", "number of contacts",
                         "known contacts", "contact count"))],
    "last_interaction": [(None, ("last interaction", "last interaction date",
                                 "last contacted", "last touch", "last touch date"))],
    # An email we sent is not engagement; a meeting, a reply or a form fill is.
    "last_email": [(None, ("last email date", "last email", "last email sent",
                           "last email sent date", "last sent email date"))],
    "last_meeting": [(None, ("last meeting date", "last meeting", "last meeting held",
                             "last meeting held date", "meeting date", "last meeting booked"))],
    "last_reply": [(None, ("last reply date", "last reply", "last replied",
                           "last replied date", "last email reply", "last email reply date",
                           "last inbound email date", "last email received date"))],
    "last_form_fill": [(None, ("last form fill", "last form fill date",
                               "last form submission", "last form submission date",
                               "last form submitted", "last form submitted date"))],
    "page_views": [(None, ("page views", "pageviews", "web page views", "views"))],
    "visits": [(None, ("visits", "sessions", "web visits", "website visits", "site visits"))],
    "responses": [(None, ("campaign responses", "responses", "form fills",
                          "form submissions"))],
    "minutes": [(None, ("engagement minutes", "engaged minutes", "minutes"))],
    "last_activity": [(None, ("last engagement date", "last activity date", "last activity",
                              "last engaged", "last visit date"))],
    "spike_percent": [(None, ("spike percent", "spike %", "spike percentage"))],
    "spike_start": [(None, ("spike start", "spike start date"))],
    "spike_end": [(None, ("spike end", "spike end date"))],
    "stage": [(None, ("journey stage", "stage", "engagement stage"))],
    "crm_id": [(None, ("account id", "accountid", "record id", "crm id", "salesforce id",
                       "sfdc id", "salesforce account id", "hubspot id", "id"))],
    "owner": [(None, ("account owner", "company owner", "owner", "ownerid", "owner name",
                      "account owner name", "account manager", "sales rep"))],
    "type": [(None, ("type", "account type", "customer type", "lifecycle stage",
                     "lifecyclestage", "company type"))],
    "acv": [(None, ("acv", "annual contract value", "arr", "contract value",
                    "annual recurring revenue"))],
    "opportunity_amount": [(None, ("open opportunity amount", "opportunity amount",
                                   "open pipeline", "pipeline amount", "amount"))],
    "renewal_date": [(None, ("renewal date", "contract end date", "contract end",
                             "next renewal date"))],
    "territory": [(None, ("territory", "sales territory"))],
    "parent_id": [(None, ("parent account id", "parentid", "parent id"))],
}
# Loose aliases: right when nothing better is there ("Name" may be a person's name).
_LOOSE_ALIASES = frozenset({"name", "account", "url", "size", "sales", "score", "date",
                            "week", "type", "owner", "id", "amount", "strength", "views",
                            "minutes", "stage", "relationship", "symbol", "description",
                            "security", "sector", "staff", "size range", "urls", "workforce",
                            "nom", "nombre", "naam", "ventas", "ort", "county", "town"})
# Aliases loose for one field only: "ARR" in a company list is the company's revenue, in
# a CRM it is the customer's contract value; "Category" is an intent topic's category,
# else (martech lists, directories) the company's industry.
_LOOSE_FOR = frozenset({("revenue", "arr"), ("revenue", "annual recurring revenue"),
                        ("industry", "category")})
# Aliases that never decide a file's family on their own ("ARR" alone is no CRM).
_NO_FAMILY_SIGN = frozenset({"arr", "annual recurring revenue"})
# Aliases that mean something else when certain other headers are present: "Turnover"
# beside "Volume" is a stock's trading turnover, not the company's revenue.
_MEANS_ELSE_WITH = {"turnover": ("volume", "closing price", "last price", "open price")}

_DOMAIN_WORDS = frozenset({"website", "websites", "domain", "domains", "url", "urls", "web",
                           "homepage", "homepages", "site", "sites", "www"})
_NOT_DOMAIN_WORDS = frozenset({"linkedin", "facebook", "twitter", "instagram", "youtube",
                               "github", "crunchbase", "profile", "logo", "photo", "image",
                               "views", "visits", "sessions", "traffic", "rank", "page",
                               "pages", "count", "score", "date", "phone", "slug", "name",
                               "names", "permalink", "quote", "summary", "title",
                               "email", "emails", "careers", "job", "jobs", "blog", "news",
                               "press", "review", "reviews"})
# A header naming a site ("Inc.com URL", "Crunchbase.com page") holds pages on that site.
_SITE_IN_HEADER = re.compile(r"[a-z0-9]\.(?:com|org|net|io|co|de|fr|uk)\b")
_NOT_EMAIL_WORDS = frozenset({"date", "last", "sent", "opt", "out", "optout", "bounced",
                              "bounce", "status", "count", "opens", "open", "clicks", "click",
                              "verified", "unsubscribed", "consent", "emails", "number",
                              "score", "campaign", "engagement", "template", "subject"})
_NAME_WORDS = frozenset({"company", "account", "organization", "organisation", "business",
                         "firm", "employer", "submitter", "issuer", "filer", "entity",
                         "institution", "startup", "brand"})
_NAME_MODIFIERS = frozenset({"name", "legal", "registered", "trading", "official", "full",
                             "customer", "supplier", "client", "vendor", "partner",
                             "primary", "display", "current", "the", "of", "s"})

_CRM_SIGNS = frozenset({"owner", "type", "acv", "opportunity_amount", "crm_id", "renewal_date",
                        "territory"})
_ENGAGEMENT_SIGNS = frozenset({"page_views", "visits", "responses", "minutes",
                               "spike_percent", "spike_start", "spike_end",
                               "last_form_fill"})
# A thousands column is the more precise of the two; the plain one is then left out.
_RIVALS = {"revenue": "revenue_thousands", "funding": "funding_thousands"}
# Opportunities and contacts may name their account only by its CRM id.
_MEASURE_IDENTITY = frozenset({"account_crm_id"})
_MAX_LISTED_HEADERS = 60


class _Candidate(NamedTuple):
    rank: int  # 0 config, 1 vendor column, 2 alias, 3 loose alias, 4 fallback, 5 telling word
    column: int
    field: str
    hint: str | None  # the family the match implies, if any
    sign: bool = True  # whether the match may decide the file's family
    unit: HeaderUnit | None = None  # a unit the header names ("Revenue ($M)")


@dataclass(frozen=True)
class HeaderUnit:
    """The scale a header gives its numbers: "Revenue ($M)" -> 1e6, said by "$M"."""

    multiplier: float
    words: str


# Unit words in headers, after currency and filler words are set aside.
_HEADER_UNITS = {
    "k": 1e3, "000": 1e3, "000s": 1e3, "'000": 1e3, "thousand": 1e3, "thousands": 1e3,
    "tsd": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "mio": 1e6, "mil": 1e6, "mln": 1e6,
    "million": 1e6, "millions": 1e6, "b": 1e9, "bn": 1e9, "bil": 1e9, "billion": 1e9,
    "billions": 1e9, "mrd": 1e9, "tn": 1e12, "trillion": 1e12, "trillions": 1e12,
    # German, French, Spanish, Dutch
    "tausend": 1e3, "millionen": 1e6, "milliarden": 1e9, "milliers": 1e3, "mille": 1e3,
    "milliards": 1e9, "miles": 1e3, "millones": 1e6, "duizend": 1e3, "miljoen": 1e6,
    "miljard": 1e9, "mld": 1e9,
}
_HEADER_UNIT_FILLER = frozenset({"in", "of", "usd", "us", "eur", "gbp", "chf", "jpy", "cad",
                                 "aud", "$", "€", "£", "¥", "us$", "dollars", "euros",
                                 "currency", "euro", "de", "d", "des", "en", "x"})
# Fields whose numbers a header may scale.
SCALED_FIELDS = frozenset({"revenue", "funding", "employees", "acv", "opportunity_amount"})
_HEADER_TOKEN = re.compile(r"'000|us\$|[$€£¥]|[a-z0-9]+")
# "x 1.000" / "in 1.000.000 EUR" (Dutch, German): a count of zeros is a unit word.
_ZEROS_UNIT = ((re.compile(r"\b1[.,' ]?000[.,' ]?000\b"), "million"),
               (re.compile(r"\b1[.,' ]?000\b"), "thousand"))


_CONFIG, _VENDOR, _ALIAS, _LOOSE, _FALLBACK, _TELLING = range(6)


def clean_header(header: object) -> str:
    """A header as matching sees it: no BOM, quotes or surrounding space, "_" as a space,
    single spaces, case folded. "\\ufeff\"Company_Name \"" -> "company name"."""
    text = str(header).replace("\ufeff", "").replace("ï»¿", "").replace("\u200b", "")
    # Accents off as every comparison folds them (keys/fold.py): "Société" is "societe".
    text = without_accents(text.strip().strip("\"'").replace("_", " ").replace("’", "'"))
    # "_ - name" (a scraper's nested column) is "name"; "# Employees" keeps its "#".
    return " ".join(text.split()).casefold().strip(" -–:.")


# German headers written without umlauts spell them out ("Beschaeftigte").
_UMLAUTS_SPELT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe",
                                "Ü": "Ue"})


def _alias_keys(alias: str) -> set[str]:
    """The cleaned forms a header writing `alias` may take: with the accents folded,
    with umlauts spelt out, and as its words (how a header with a unit is looked up)."""
    keys = {clean_header(alias), clean_header(alias.translate(_UMLAUTS_SPELT))}
    # Not for "spike %" or "# contacts": without the sign the words mean something else.
    words = [_HEADER_TOKEN.findall(key) for key in keys if not set(key) & set("%#")]
    return keys | {" ".join(t for t in tokens if t not in _HEADER_UNIT_FILLER)
                   for tokens in words}


def _alias_lookup() -> dict[str, list[tuple[str, str | None, bool]]]:
    """Cleaned alias -> every (field, family hint, loose) it may stand for."""
    lookup: dict[str, list[tuple[str, str | None, bool]]] = {}
    for canonical, groups in _ALIASES.items():
        for hint, aliases in groups:
            for alias in aliases:
                loose = alias in _LOOSE_ALIASES or (canonical, alias) in _LOOSE_FOR
                for key in _alias_keys(alias):
                    lookup.setdefault(key, []).append((canonical, hint, loose))
    return lookup


_ALIAS_LOOKUP = _alias_lookup()


def recognise(headers: list[str], path: Path | None = None,
              mapping: ColumnMapping | None = None, family: str | None = None) -> Layout:
    """Recognise the family, vendor layout and header -> canonical field mapping of a
    file from its header row. `family` (a command-line flag) or `mapping.family`
    overrides detection; `mapping.columns` overrides and extends the mapping.

    Raises ColumnError when no column identifies a company (name, website/domain or
    email), when an intent file lacks a topic or score, or when the mapping names
    headers the file does not have.
    """
    where = path if path is not None else "input"
    forced = _forced_family(family, mapping)
    positions = _positions(headers)
    overrides = _config_columns(headers, positions, mapping, where)
    candidates = _alias_candidates(headers)
    vendor, hits = _match_vendor(positions, forced)
    if forced is None:
        _refuse_opportunities(positions, headers, where)
    if vendor is not None:
        chosen_family = vendor.family
        unwanted = {positions.get(clean_header(h)) for h in vendor.not_mapped}
        candidates = [c for c in candidates if c.column not in unwanted]
        candidates += _vendor_candidates(vendor, positions)
        how = f"characteristic columns: {', '.join(_shown(headers[i]) for i in hits)}"
    else:
        chosen_family, how = _generic_family(headers, candidates, overrides, forced)
    candidates = _without_person_names(headers, candidates)
    columns = _assign(headers, candidates, overrides, chosen_family, where)
    vendor_name = vendor.vendor if vendor else (
        "config mapping" if overrides else f"generic {chosen_family}")
    if mapping is not None and (overrides or mapping.family):
        how += f"; config mapping for {mapping.file}"
    _check_columns(headers, columns, chosen_family, vendor, path)
    unmapped = [h for i, h in enumerate(headers) if i not in columns]
    return Layout(chosen_family, vendor_name, {headers[i]: f for i, f in sorted(columns.items())},
                  unmapped, how, _units(headers, candidates, columns),
                  _alternates(headers, candidates, columns),
                  _contradictions(positions, forced))


def _refuse_opportunities(positions: dict[str, int], headers: list[str], where: object
                          ) -> None:
    """An opportunity export given with no family is not an account list: merged, each
    deal (its name, in a Data Loader export) would become an account."""
    from abmcli.measure.layouts import TELLING_OPPORTUNITY_LAYOUTS  # imports this module

    for layout in TELLING_OPPORTUNITY_LAYOUTS:
        hits = _signature_hits(layout, positions)
        if hits:
            shown = ", ".join(_shown(headers[i]) for i in hits)
            raise ColumnError(
                where, f"is {with_article(layout.vendor)} ({shown}): deals, not accounts",
                "give it to abm measure --opportunities (or under [inputs] opportunities "
                "for abm run); abm inspect --family opportunities shows how it is read")


def _contradictions(positions: dict[str, int], forced: str | None) -> list[str]:
    """A warning when the family the user gave contradicts a layout abm recognises (a
    Bombora surge report given as --crm): it is read as given, but likely mislabelled."""
    if forced is None:
        return []
    recognised, _hits = _match_vendor(positions, None)
    if recognised is None or recognised.family == forced:
        return []
    return [f"looks like {with_article(recognised.vendor)} ({recognised.family}) but was "
            f"given as {forced}; read as {forced}. If it is {recognised.family} data, give it with "
            f"--{recognised.family} (or family = \"{recognised.family}\" in [inputs] / "
            "[[mapping]])"]


# Beside first/last-name columns, a bare "Name" is the person's (Salesforce Lead and
# Contact exports); the company is in "Company" or only in the email's domain.
_PERSON_NAME_PARTS = frozenset({"first name", "firstname", "last name", "lastname",
                                "given name", "surname", "family name", "vorname",
                                "nachname", "prenom", "nom de famille", "apellido",
                                "apellidos", "voornaam", "achternaam"})
_PERSON_NAME_HEADERS = frozenset({"name", "full name", "fullname", "contact name",
                                  "lead name", "person name", "nom", "nombre", "naam"})


def _without_person_names(headers: list[str], candidates: list[_Candidate]
                          ) -> list[_Candidate]:
    if not any(clean_header(h) in _PERSON_NAME_PARTS for h in headers):
        return candidates
    return [c for c in candidates if not (
        c.field == "name" and clean_header(headers[c.column]) in _PERSON_NAME_HEADERS)]


def _forced_family(family: str | None, mapping: ColumnMapping | None) -> str | None:
    forced = family or (mapping.family if mapping else None)
    if forced is not None and forced not in ALL_FAMILIES:
        raise AbmError(f"unknown family '{forced}'; use one of {', '.join(ALL_FAMILIES)}")
    return forced


def _positions(headers: list[str]) -> dict[str, int]:
    """Cleaned header -> index of its first column."""
    positions: dict[str, int] = {}
    for index, header in enumerate(headers):
        positions.setdefault(clean_header(header), index)
    return positions


def _shown(header: object) -> str:
    """A header as a user reads it in the file: no BOM, quotes or surrounding space."""
    return str(header).replace("\ufeff", "").strip().strip("\"'").strip()


def _listed(headers: list[str]) -> str:
    shown = [_shown(h) for h in headers[:_MAX_LISTED_HEADERS]]
    more = len(headers) - len(shown)
    return ", ".join(s or "(blank)" for s in shown) + (f" ... ({more} more)" if more > 0 else "")


def _config_columns(headers: list[str], positions: dict[str, int],
                    mapping: ColumnMapping | None, where: object) -> dict[int, str]:
    """Column index -> field for the headers an abm.toml [[mapping]] names."""
    if mapping is None:
        return {}
    missing = [h for h in mapping.columns if clean_header(h) not in positions]
    if missing:
        names = ", ".join(f"'{h}'" for h in missing)
        raise ColumnError(where, f"the [[mapping]] for \"{mapping.file}\" in abm.toml names "
                          f"{names}, not among the headers: {_listed(headers)}",
                          hint="correct the header names in its columns = { ... } "
                               "(case and surrounding spaces do not matter)")
    return {positions[clean_header(h)]: f for h, f in mapping.columns.items()}


def _alias_candidates(headers: list[str]) -> list[_Candidate]:
    """Alias matches for each header (with a unit the header names), else a
    telling-word match for the identity fields."""
    present = {clean_header(h) for h in headers}
    candidates = []
    for index, header in enumerate(headers):
        cleaned = clean_header(header)
        found, unit = _ALIAS_LOOKUP.get(cleaned), None
        if found is None and (split := split_header_unit(cleaned)) is not None:
            rest, unit = split
            found = [f for f in _ALIAS_LOOKUP.get(rest, []) if f[0] in SCALED_FIELDS] or None
        if found is None:
            found = _owned_alias(header)
        if found is not None:
            for canonical, hint, loose in found:
                if any(other in present for other in _MEANS_ELSE_WITH.get(cleaned, ())):
                    continue
                candidates.append(_Candidate(_LOOSE if loose else _ALIAS, index, canonical,
                                             hint, cleaned not in _NO_FAMILY_SIGN, unit))
        elif (told := telling_field(header)) is not None:
            candidates.append(_Candidate(_TELLING, index, told, None))
    return candidates


# Groups of a dotted or possessive header whose fields are another company's or a
# person's: "PreviousName_1.CompanyName" is a former name, "Parent.Country" the parent's.
_OTHER_OWNERS = frozenset({"previous", "previousname", "former", "old", "parent",
                           "ultimate", "contact", "person", "owner", "agent", "officer",
                           "director", "shipping", "mailing"})
# Fields a group or owner word may qualify ("RegAddress.PostTown", "Submitter's industry").
_OWNED_FIELDS = frozenset({"name", "industry", "sub_industry", "country", "state", "city",
                           "postal_code", "phone", "employees", "revenue", "founded_year",
                           "ticker"})
_POSSESSIVE = re.compile(r"^([a-z]+)'s\s+(.+)$")


def _owned_alias(header: str) -> list[tuple[str, str | None, bool]] | None:
    """Aliases of a header that qualifies a field by its group or owner, read loosely:
    registers write "RegAddress.PostTown" (the registered address's town, Companies
    House) and "Submitter's industry" (EDINET), where a person reads city and industry.
    None when the group is another party's ("PreviousName_1.CompanyName")."""
    text = str(header).strip()
    if "." in text.strip("."):
        group, last = text.rsplit(".", 1)
        owners = set(_tokens(group))
    elif (possessive := _POSSESSIVE.match(clean_header(text))) is not None:
        owner, last = possessive.groups()
        if owner not in _NAME_WORDS:
            return None
        owners = {owner}
    else:
        return None
    if not last.strip() or owners & _OTHER_OWNERS:
        return None
    words = re.sub(r"[_\s]*\d+$", "", last)  # "SicText_1": the first of several
    found = _ALIAS_LOOKUP.get(" ".join(_tokens(words))) or _ALIAS_LOOKUP.get(
        clean_header(words))
    owned = [(f, hint, True) for f, hint, _loose in found or () if f in _OWNED_FIELDS]
    return owned or None


def split_header_unit(cleaned: str) -> tuple[str, HeaderUnit] | None:
    """A cleaned header without its unit and currency words, and the unit it names:
    "revenue ($m)" -> ("revenue", 1e6), "revenue millions" -> ("revenue", 1e6),
    "sales ($billion)" -> ("sales", 1e9), "revenue (eur)" -> ("revenue", 1).
    None when the header names neither a unit nor a currency."""
    for zeros, word in _ZEROS_UNIT:
        cleaned = zeros.sub(word, cleaned)
    tokens = _HEADER_TOKEN.findall(cleaned)
    units = [t for t in tokens if t in _HEADER_UNITS]
    rest = [t for t in tokens if t not in _HEADER_UNITS and t not in _HEADER_UNIT_FILLER]
    if len(units) > 1 or not rest or len(rest) == len(tokens):
        return None
    multiplier = _HEADER_UNITS[units[0]] if units else 1.0
    said = re.search(r"\(([^)]*)\)", cleaned)
    words = said.group(1) if said else " ".join(t for t in tokens if t not in rest)
    return " ".join(rest), HeaderUnit(multiplier, words)


def _tokens(header: str) -> list[str]:
    spaced = re.sub(r"(?i)e-mail", "email", str(header))
    if not re.search(r"[\s_\-]", spaced.strip()):  # CompanyWebsite, but not "LinkedIn URL"
        spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", spaced)
    return re.findall(r"[a-z0-9]+", spaced.casefold())


def telling_field(header: str) -> str | None:
    """The identity field a header's words point at, for headers no alias knows:
    "Company Website URL" -> domain, "Primary Contact Email" -> email,
    "Supplier Company" -> name; None for "Company LinkedIn URL" or "Company Size"."""
    tokens = set(_tokens(header))
    names_a_site = _SITE_IN_HEADER.search(str(header).casefold()) is not None
    if tokens & _DOMAIN_WORDS and not tokens & _NOT_DOMAIN_WORDS and not names_a_site:
        return "domain"
    if "email" in tokens and not tokens & _NOT_EMAIL_WORDS:
        return "email"
    if tokens & _NAME_WORDS and tokens <= _NAME_WORDS | _NAME_MODIFIERS:
        return "name"
    return None


def _match_vendor(positions: dict[str, int], forced: str | None
                  ) -> tuple[VendorLayout | None, list[int]]:
    """The first known layout (of the forced family, if any) whose signature is present.
    Opportunity and contact layouts are tried only when the family is given."""
    for layout in _layouts_for(forced):
        if forced is not None and layout.family != forced:
            continue
        if any(clean_header(h) in positions for h in layout.excludes):
            continue
        hits = _signature_hits(layout, positions)
        if hits:
            return layout, hits
    return None, []


def _layouts_for(forced: str | None) -> tuple[VendorLayout, ...]:
    if forced not in MEASURE_FAMILIES:
        return KNOWN_LAYOUTS
    from abmcli.measure.layouts import MEASURE_LAYOUTS  # it imports VendorLayout from here

    return MEASURE_LAYOUTS


def _signature_hits(layout: VendorLayout, positions: dict[str, int]) -> list[int]:
    hits: list[int] = []
    for group in layout.signature:
        found = [positions[clean_header(h)] for h in group if clean_header(h) in positions]
        if not found:
            return []
        hits.extend(i for i in found if i not in hits)
    return sorted(hits)


def _vendor_candidates(layout: VendorLayout, positions: dict[str, int]) -> list[_Candidate]:
    candidates = []
    for rank, table in ((_VENDOR, layout.columns), (_FALLBACK, layout.fallbacks)):
        for header, canonical in table.items():
            index = positions.get(clean_header(header))
            if index is not None:
                candidates.append(_Candidate(rank, index, canonical, None))
    return candidates


def _generic_family(headers: list[str], candidates: list[_Candidate],
                    overrides: dict[int, str], forced: str | None) -> tuple[str, str]:
    """The family of a file no known layout matches, and one line on why."""
    if forced is not None:
        return forced, f"no known vendor layout; header aliases; family {forced} as requested"
    signs: dict[str, list[int]] = {}
    strong = [c for c in candidates if c.rank <= _ALIAS and c.sign]
    strong += [_Candidate(_CONFIG, i, f, None) for i, f in overrides.items()]
    for candidate in strong:
        sign = "relationship_score" if candidate.hint == "relationship" else candidate.field
        signs.setdefault(sign, []).append(candidate.column)
    family, reasons = _family_from_signs(signs)
    if not reasons:
        return family, "no known vendor layout; header aliases; fit by default"
    because = ", ".join(_shown(headers[i]) for i in sorted(set(reasons)))
    return family, f"no known vendor layout; header aliases; {family} because of {because}"


def _family_from_signs(signs: dict[str, list[int]]) -> tuple[str, list[int]]:
    if "topic" in signs and "score" in signs:
        return "intent", signs["topic"] + signs["score"]
    if "relationship_score" in signs:
        return "relationship", signs["relationship_score"]
    for family, fields in (("engagement", _ENGAGEMENT_SIGNS), ("crm", _CRM_SIGNS)):
        found = [i for f in fields & signs.keys() for i in signs[f]]
        if found:
            return family, found
    return "fit", []


def _assign(headers: list[str], candidates: list[_Candidate], overrides: dict[int, str],
            family: str, where: object) -> dict[int, str]:
    """Column index -> field: config first, then the best candidate per field."""
    allowed = fields_of(family)
    for index, canonical in overrides.items():
        if canonical not in allowed:
            raise ColumnError(where, f"the [[mapping]] in abm.toml maps '{headers[index]}' to "
                              f"'{canonical}', which {with_article(family)} file does not have",
                              hint=f"map it to one of {', '.join(allowed)}, or set "
                                   f"family = \"...\" in that [[mapping]]")
    chosen = dict(overrides)
    taken = set(overrides.values())
    usable = [c for c in candidates if c.field in allowed and c.hint in (None, family)]
    for candidate in sorted(usable, key=lambda c: (c.rank, c.column)):
        if candidate.column not in chosen and candidate.field not in taken:
            chosen[candidate.column] = candidate.field
            taken.add(candidate.field)
    for plain, thousands in _RIVALS.items():
        if thousands in taken and plain in taken:
            index = next(i for i, f in chosen.items() if f == plain)
            if index not in overrides:
                del chosen[index]
    return chosen


def _units(headers: list[str], candidates: list[_Candidate], columns: dict[int, str]
           ) -> dict[str, tuple[float, str]]:
    """field -> (multiplier, why) for chosen columns whose header names a unit."""
    units = {}
    for candidate in candidates:
        if candidate.unit is not None and columns.get(candidate.column) == candidate.field:
            units[candidate.field] = (candidate.unit.multiplier,
                                      f"header '{_shown(headers[candidate.column])}' says "
                                      f"{candidate.unit.words}")
    return units


def _alternates(headers: list[str], candidates: list[_Candidate], columns: dict[int, str]
                ) -> dict[str, list[str]]:
    """Further columns that could supply the domain, best first, for when the chosen
    one turns out to hold pages on one site rather than each company's domain."""
    others = sorted({(c.rank, c.column) for c in candidates
                     if c.field == "domain" and c.column not in columns})
    return {"domain": [headers[i] for _, i in others]} if others else {}


def _check_columns(headers: list[str], columns: dict[int, str], family: str,
                   vendor: VendorLayout | None, path: Path | None) -> None:
    """A company identity column, and the fields the family cannot do without."""
    mapped = set(columns.values())
    where = path if path is not None else "input"
    file_name = Path(path).name if path is not None else "x.csv"
    identity = IDENTITY_FIELDS.keys() | (_MEASURE_IDENTITY if family in MEASURE_FAMILIES
                                         else frozenset())
    if not mapped & identity:
        account_id = ", CRM account id" if family in MEASURE_FAMILIES else ""
        raise ColumnError(where, f"no company name, website/domain{account_id} or email column "
                          f"among the headers: {_listed(headers)}",
                          hint=_mapping_hint(file_name, "domain"))
    _check_signal_columns(headers, mapped, family, where, file_name)
    required = vendor.required if vendor and vendor.required is not None else (
        FAMILY_REGISTRY[family].required)
    missing = [f for f in required if f not in mapped]
    if missing:
        needed = " and ".join(with_article(f) for f in required)
        raise ColumnError(where, f"{with_article(family)} file needs {needed} "
                          "column; "
                          f"no {' or '.join(missing)} column among the headers: "
                          f"{_listed(headers)}", hint=_mapping_hint(file_name, missing[0]))


def _check_signal_columns(headers: list[str], mapped: set[str], family: str,
                          where: Path | str, file_name: str) -> None:
    """An engagement or relationship file holds at least one of the family's own fields
    (its registry record's `needs_one_of`)."""
    own = FAMILY_REGISTRY[family].needs_one_of
    if own and not mapped & set(own):
        raise ColumnError(where, f"{with_article(family)} file needs at least one {family} "
                          f"column ({', '.join(f.replace('_', ' ') for f in own[:4])} ...); "
                          f"none among the headers: {_listed(headers)}",
                          hint=_mapping_hint(file_name, own[0]))


def _mapping_hint(file_name: str, canonical: str) -> str:
    """A [[mapping]] table a user can paste into abm.toml as printed: one key a line
    (TOML allows no two on one line), the file name as a TOML string (JSON's escapes)."""
    file = json.dumps(file_name, ensure_ascii=False)
    return (f"map one in abm.toml:\n[[mapping]]\nfile = {file}\n"
            f'columns = {{ "Your Header" = "{canonical}" }}')


def layout_table() -> list[tuple[str, str, str]]:
    """(vendor, family, characteristic columns) for every known layout, for `abm inspect`
    and the docs. Groups are joined with " + ", alternatives with " / "."""
    return [(layout.vendor, layout.family,
             " + ".join(" / ".join(group) for group in layout.signature))
            for layout in KNOWN_LAYOUTS]
