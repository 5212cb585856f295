#!/usr/bin/env python3
"""Generate one week of realistic vendor exports for a TAM of N accounts.

Five files, each written the way its tool writes it (headers exactly as in
VENDOR_FORMATS.md): a ZoomInfo company export (fit), a Bombora Company Surge
comprehensive report with three weekly reports in long form (intent), a contact-level
relationship export, weekly web/marketing-automation engagement rows, and a Salesforce
account report with its title rows and footer (CRM). With --truth it also writes
truth.csv (file, row, account) so that match quality can be measured (B-cubed).

The first ~7,000 companies are real names and domains from the reference lists
(martech landscape, YC directory, S&P 500); beyond that, plausible companies are
synthesized. Deterministic: the same seed gives byte-identical files (stdlib `random`
with string seeds, whose algorithm is stable across Python versions).

    python bench/bundle.py /tmp/bundle --accounts 100000 --seed 1 --truth
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import math
import os
import random
import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

# ../shared/reference beside the project, as the developers' guide lays it out.
REFERENCE_DIR = Path(os.environ.get(
    "ABM_REFERENCE_DIR", Path(__file__).resolve().parents[2] / "shared" / "reference"))
DEFAULT_AS_OF = dt.date(2026, 11, 25)

FILE_NAMES = {
    "fit": "zoominfo_company_export.csv",
    "intent": "bombora_company_surge.csv",
    "relationship": "relationship_contacts.csv",
    "engagement": "engagement_weekly.csv",
    "crm": "salesforce_account_report.csv",
}
TRUTH_NAME = "truth.csv"

# Share of the TAM present in each file (before the forced curated companies).
COVERAGE = {"fit": 0.85, "intent": 0.40, "relationship": 0.50, "engagement": 0.60, "crm": 0.70}
IN_MARKET_SHARE = 0.15
NAME_ONLY_ROW_SHARE = 0.03  # CRM and engagement rows with a blank domain
JUNK_DOMAIN_SHARE = 0.015  # placeholder, IP address or social URL instead of a website
TYPO_SHARE = 0.35  # of name-only rows whose (long) name is mistyped
ALT_DOMAIN_SHARE = 0.015  # companies that also own a country domain (acme.com / acme.de)
CRM_DUPLICATE_SHARE = 0.02

# ---------------------------------------------------------------------------------------
# Headers, exactly as VENDOR_FORMATS.md lists them.

ZOOMINFO_HEADER = [
    "ZoomInfo Company ID", "Company Name", "Website", "Founded Year", "Company HQ Phone",
    "Fax", "Ticker", "Revenue (in 000s USD)", "Revenue Range (in USD)", "Employees",
    "Employee Range", "SIC Code 1", "SIC Code 2", "SIC Codes", "NAICS Code 1", "NAICS Code 2",
    "NAICS Codes", "Primary Industry", "Primary Sub-Industry", "All Industries",
    "All Sub-Industries", "Industry Hierarchical Category",
    "Secondary Industry Hierarchical Category", "Alexa Rank", "ZoomInfo Company Profile URL",
    "LinkedIn Company Profile URL", "Facebook Company Profile URL",
    "Twitter Company Profile URL", "Ownership Type", "Business Model",
    "Certified Active Company", "Certification Date", "Defunct Company",
    "Total Funding Amount (in 000s USD)", "Recent Funding Amount (in 000s USD)",
    "Recent Funding Round", "Recent Funding Date", "Recent Investors", "All Investors",
    "Company Street Address", "Company City", "Company State", "Company Zip Code",
    "Company Country", "Full Address", "Number of Locations", "Company Is Acquired",
    "Company ID (Ultimate Parent)", "Entity Name (Ultimate Parent)",
    "Company ID (Immediate Parent)", "Entity Name (Immediate Parent)",
    "Relationship (Immediate Parent)",
]
BOMBORA_HEADER = [
    "Company Name", "Domain", "Size", "Industry", "Category", "Topic", "Composite Score",
    "Topic Cluster", "Metro Area", "Domain Origin", "HQ City", "HQ State", "HQ Country",
    "Report Date",
]
RELATIONSHIP_HEADER = [
    "Contact Email", "Contact Name", "Account Name", "Relationship Score",
    "Relationship Strength", "Last Email Date", "Last Meeting Date",
]
ENGAGEMENT_HEADER = [
    "Account Name", "Account Domain", "Week Starting", "Page Views", "Visits",
    "Campaign Responses", "Last Engagement Date",
]
SALESFORCE_HEADER = [
    "Account Name", "Website", "Billing City", "Billing State/Province",
    "Billing Zip/Postal Code", "Billing Country", "Account Owner", "Territory", "Type",
    "Annual Revenue", "Employees", "Industry", "Account ID", "Parent Account ID",
    "Open Opportunity Amount", "ACV", "Renewal Date",
]
HEADERS = {
    "fit": ZOOMINFO_HEADER,
    "intent": BOMBORA_HEADER,
    "relationship": RELATIONSHIP_HEADER,
    "engagement": ENGAGEMENT_HEADER,
    "crm": SALESFORCE_HEADER,
}

# ---------------------------------------------------------------------------------------
# Reference tables: countries, industries, topics, people.


@dataclass(frozen=True)
class Country:
    """A country as the vendors write it, with places, domains and legal forms."""

    code: str
    name: str  # as ZoomInfo and Bombora write it
    crm_names: tuple[str, ...]  # as sales reps type it into Salesforce
    tlds: tuple[str, ...]
    legal: tuple[str, ...]
    # city, state or region, state code, postal-code prefix
    cities: tuple[tuple[str, str, str, str], ...]
    postal: str  # pattern: '#' digit, '@' letter, completing the prefix
    phone: str
    region_tag: str  # "Acme - Germany", "Acme (UK)"
    weight: float


COUNTRIES = {c.code: c for c in [
    Country("US", "United States", ("United States", "USA", "US", "United States of America"),
            (".com", ".com", ".com", ".io", ".co", ".ai"),
            ("Inc.", "Inc.", "LLC", "Corp.", "Corporation", "Co."),
            (("San Francisco", "California", "CA", "941"), ("New York", "New York", "NY", "100"),
             ("Austin", "Texas", "TX", "787"), ("Boston", "Massachusetts", "MA", "021"),
             ("Chicago", "Illinois", "IL", "606"), ("Seattle", "Washington", "WA", "981"),
             ("Atlanta", "Georgia", "GA", "303"), ("Denver", "Colorado", "CO", "802"),
             ("Los Angeles", "California", "CA", "900"), ("Raleigh", "North Carolina", "NC", "276"),
             ("Minneapolis", "Minnesota", "MN", "554"), ("Salt Lake City", "Utah", "UT", "841"),
             ("Dallas", "Texas", "TX", "752"), ("Philadelphia", "Pennsylvania", "PA", "191"),
             ("San Jose", "California", "CA", "951"), ("Columbus", "Ohio", "OH", "432")),
            "##", "({a}) {b}-{c}", "US", 0.55),
    Country("CA", "Canada", ("Canada", "CA"), (".ca", ".com"), ("Inc.", "Ltd.", "Corp."),
            (("Toronto", "Ontario", "ON", "M5V"), ("Vancouver", "British Columbia", "BC", "V6B"),
             ("Montreal", "Quebec", "QC", "H3B"), ("Calgary", "Alberta", "AB", "T2P")),
            " #@#", "+1 {a} {b} {c}", "Canada", 0.06),
    Country("GB", "United Kingdom", ("United Kingdom", "UK", "England", "Great Britain"),
            (".co.uk", ".co.uk", ".com", ".io"), ("Ltd", "Limited", "plc", "Ltd."),
            (("London", "England", "ENG", "EC2A"), ("Manchester", "England", "ENG", "M1"),
             ("Edinburgh", "Scotland", "SCT", "EH2"), ("Bristol", "England", "ENG", "BS1"),
             ("Cambridge", "England", "ENG", "CB2")),
            " #@@", "+44 20 {b} {c}", "UK", 0.10),
    Country("DE", "Germany", ("Germany", "Deutschland", "DE"), (".de", ".de", ".com"),
            ("GmbH", "GmbH", "AG", "SE"),
            (("Berlin", "Berlin", "BE", "10"), ("München", "Bavaria", "BY", "80"),
             ("Hamburg", "Hamburg", "HH", "20"), ("Frankfurt am Main", "Hesse", "HE", "60"),
             ("Köln", "North Rhine-Westphalia", "NW", "50")),
            "###", "+49 30 {b}{c}", "Germany", 0.07),
    Country("FR", "France", ("France", "FR"), (".fr", ".fr", ".com"), ("SA", "SAS", "S.A."),
            (("Paris", "Île-de-France", "IDF", "750"),
             ("Lyon", "Auvergne-Rhône-Alpes", "ARA", "690"),
             ("Toulouse", "Occitanie", "OCC", "310"), ("Nantes", "Pays de la Loire", "PDL", "440")),
            "##", "+33 1 {b} {c}", "France", 0.05),
    Country("AU", "Australia", ("Australia", "AU"), (".com.au", ".com.au", ".com"),
            ("Pty Ltd", "Pty. Ltd.", "Limited"),
            (("Sydney", "New South Wales", "NSW", "20"), ("Melbourne", "Victoria", "VIC", "30"),
             ("Brisbane", "Queensland", "QLD", "40")),
            "##", "+61 2 {b} {c}", "Australia", 0.04),
    Country("NL", "Netherlands", ("Netherlands", "The Netherlands", "Holland"), (".nl", ".com"),
            ("B.V.", "N.V."), (("Amsterdam", "North Holland", "NH", "10"),
                               ("Rotterdam", "South Holland", "ZH", "30")),
            "## @@", "+31 20 {b} {c}", "Netherlands", 0.03),
    Country("IN", "India", ("India", "IN"), (".in", ".com", ".co.in"), ("Pvt. Ltd.", "Limited"),
            (("Bengaluru", "Karnataka", "KA", "560"), ("Mumbai", "Maharashtra", "MH", "400"),
             ("Pune", "Maharashtra", "MH", "411")),
            "###", "+91 80 {b} {c}", "India", 0.03),
    Country("ES", "Spain", ("Spain", "España"), (".es", ".com"), ("S.L.", "S.A."),
            (("Madrid", "Madrid", "MD", "280"), ("Barcelona", "Catalonia", "CT", "080")),
            "##", "+34 91 {b} {c}", "Spain", 0.02),
    Country("SE", "Sweden", ("Sweden", "Sverige"), (".se", ".com"), ("AB",),
            (("Stockholm", "Stockholm County", "AB", "111"),
             ("Göteborg", "Västra Götaland", "O", "411")),
            " ##", "+46 8 {b} {c}", "Sweden", 0.02),
    Country("JP", "Japan", ("Japan", "JP"), (".co.jp", ".jp", ".com"), ("K.K.", "Co., Ltd."),
            (("Tokyo", "Tokyo", "13", "100-"), ("Osaka", "Osaka", "27", "530-")),
            "####", "+81 3 {b} {c}", "Japan", 0.02),
    Country("BR", "Brazil", ("Brazil", "Brasil"), (".com.br", ".com"), ("Ltda.", "S.A."),
            (("São Paulo", "São Paulo", "SP", "01"),
             ("Rio de Janeiro", "Rio de Janeiro", "RJ", "20")),
            "###-###", "+55 11 {b} {c}", "Brazil", 0.01),
]}
COUNTRY_CODES = list(COUNTRIES)
COUNTRY_WEIGHTS = [COUNTRIES[c].weight for c in COUNTRY_CODES]
COUNTRY_BY_NAME = {c.name: c.code for c in COUNTRIES.values()} | {"USA": "US"}
TLD_COUNTRY = {".de": "DE", ".fr": "FR", ".co.uk": "GB", ".uk": "GB", ".ca": "CA",
               ".com.au": "AU", ".nl": "NL", ".in": "IN", ".es": "ES", ".se": "SE",
               ".jp": "JP", ".com.br": "BR"}


@dataclass(frozen=True)
class Sector:
    """One industry under the labels ZoomInfo, Bombora and Salesforce give it."""

    zoominfo: str  # ZoomInfo primary industry
    subs: tuple[str, ...]  # ZoomInfo sub-industries
    bombora: str  # LinkedIn-style industry, as Bombora writes it
    salesforce: str  # Salesforce standard Industry picklist value
    sic: str
    naics: str
    nouns: tuple[str, ...]  # last word of synthesized company names
    weight: float


SECTORS = {
    "software": Sector("Software", ("Business Intelligence (BI) Software", "CRM Software",
                                    "Security Software", "Engineering Software",
                                    "Supply Chain Management Software"),
                       "Computer Software", "Technology", "7372", "511210",
                       ("Analytics", "Software", "Systems", "Technologies", "Labs", "Data",
                        "Cloud", "AI"), 0.22),
    "internet": Sector("Media & Internet", ("Internet Service Providers, Website Hosting & "
                                            "Internet-related Services", "Search Engines"),
                       "Internet", "Technology", "7374", "519130",
                       ("Digital", "Online", "Interactive", "Web"), 0.08),
    "finance": Sector("Finance", ("Banking", "Investment Banking", "Credit Cards & Transaction "
                                  "Processing", "Venture Capital & Private Equity"),
                      "Financial Services", "Banking", "6021", "522110",
                      ("Capital", "Financial", "Bank", "Advisors", "Payments"), 0.10),
    "insurance": Sector("Insurance", ("Insurance",), "Insurance", "Insurance", "6411", "524210",
                        ("Insurance", "Assurance", "Mutual"), 0.03),
    "healthcare": Sector("Hospitals & Physicians Clinics", ("Medical & Surgical Hospitals",
                                                            "Physicians Clinics"),
                         "Hospital & Health Care", "Healthcare", "8062", "622110",
                         ("Health", "Medical", "Care", "Diagnostics", "Therapeutics"), 0.08),
    "retail": Sector("Retail", ("Department Stores, Shopping Centers & Superstores",
                                "Apparel & Accessories Retail", "Grocery Retail"),
                     "Retail", "Retail", "5311", "452210",
                     ("Outfitters", "Goods", "Brands", "Market", "Stores"), 0.08),
    "manufacturing": Sector("Manufacturing", ("Industrial Machinery & Equipment",
                                              "Motor Vehicles", "Electronics"),
                            "Machinery", "Manufacturing", "3599", "333999",
                            ("Manufacturing", "Industries", "Engineering", "Machinery",
                             "Materials"), 0.12),
    "telecom": Sector("Telecommunications", ("Telephony & Wireless", "Cable & Satellite"),
                      "Telecommunications", "Telecommunications", "4813", "517311",
                      ("Telecom", "Networks", "Communications", "Wireless"), 0.04),
    "education": Sector("Education", ("Colleges & Universities", "Training"),
                        "E-Learning", "Education", "8299", "611710",
                        ("Learning", "Education", "Academy"), 0.05),
    "media": Sector("Media & Internet", ("Broadcasting", "Newspapers & News Services",
                                         "Music"),
                    "Marketing and Advertising", "Media", "7311", "541810",
                    ("Media", "Studios", "Publishing", "Creative"), 0.06),
    "services": Sector("Business Services", ("Management Consulting", "HR & Staffing",
                                             "Advertising & Marketing"),
                       "Management Consulting", "Consulting", "8742", "541611",
                       ("Consulting", "Group", "Solutions", "Services", "Partners"), 0.08),
    "transport": Sector("Transportation", ("Trucking, Moving & Storage",
                                           "Airlines, Airports & Air Services"),
                        "Logistics and Supply Chain", "Transportation", "4213", "484121",
                        ("Logistics", "Freight", "Transport", "Shipping"), 0.03),
    "energy": Sector("Energy, Utilities & Waste", ("Electricity, Oil & Gas",
                                                   "Renewables & Environment"),
                     "Oil & Energy", "Energy", "4911", "221122",
                     ("Energy", "Power", "Solar", "Utilities"), 0.02),
    "food": Sector("Manufacturing", ("Food & Beverage",), "Food & Beverages",
                   "Food & Beverage", "2099", "311999", ("Foods", "Beverages", "Kitchen"), 0.01),
}
SECTOR_KEYS = list(SECTORS)
SECTOR_WEIGHTS = [SECTORS[s].weight for s in SECTOR_KEYS]
GICS_SECTOR = {
    "Information Technology": "software", "Financials": "finance", "Health Care": "healthcare",
    "Consumer Discretionary": "retail", "Industrials": "manufacturing",
    "Communication Services": "telecom", "Consumer Staples": "food", "Energy": "energy",
    "Utilities": "energy", "Real Estate": "services", "Materials": "manufacturing",
}
MARTECH_SECTOR = {"Advertising & Promotion": "media", "Social & Relationships": "internet"}

# (topic, category, cluster, weight): weights make the seller's topics common.
TOPICS = [
    ("Account Based Marketing", "Marketing", "ABM", 6),
    ("Intent Data", "Marketing", "Data & Analytics", 5),
    ("Predictive Analytics", "Technology", "Data & Analytics", 5),
    ("Marketing Automation", "Technology", "Marketing Technology", 5),
    ("Customer Data Platform", "Technology", "Marketing Technology", 4),
    ("Sales Intelligence", "Sales", "Sales Technology", 4),
    ("Lead Scoring", "Sales", "Demand Generation", 3),
    ("Demand Generation", "Marketing", "Demand Generation", 3),
    ("Marketing Attribution", "Marketing", "Data & Analytics", 3),
    ("Customer Relationship Management (CRM)", "Technology", "Sales Technology", 3),
    ("Data Enrichment", "Technology", "Data & Analytics", 2),
    ("Business Intelligence", "Technology", "Data & Analytics", 3),
    ("Web Personalization", "Marketing", "Marketing Technology", 2),
    ("Conversational Marketing", "Marketing", "Marketing Technology", 2),
    ("Revenue Operations", "Sales", "Sales Technology", 2),
    ("Sales Enablement", "Sales", "Sales Technology", 2),
    ("Programmatic Advertising", "Marketing", "Advertising", 2),
    ("Email Marketing", "Marketing", "Marketing Technology", 2),
    ("Content Marketing", "Marketing", "Demand Generation", 2),
    ("Data Warehousing", "Technology", "Data & Analytics", 2),
    ("Cloud Computing", "Technology", "IT Infrastructure", 2),
    ("Cybersecurity", "Technology", "IT Infrastructure", 2),
]
TOPIC_WEIGHTS = [t[3] for t in TOPICS]
TOPIC_COUNT_WEIGHTS = [55, 22, 10, 5, 3, 2, 2, 1]  # 1..8 topics per intent account

OWNERS = {
    "NA West": ("Maria Gonzalez", "Daniel Kim"),
    "NA East": ("Emily Carter", "James O'Connor"),
    "NA Central": ("Tom Whitfield",),
    "EMEA": ("Lukas Becker", "Sophie Martin"),
    "APAC & Canada": ("Priya Raman",),
}
WEST_STATES = {"CA", "WA", "OR", "CO", "UT", "AZ", "NV"}
CENTRAL_STATES = {"TX", "IL", "MN", "OH", "MO"}
TERRITORY = {"CA": "Canada", "GB": "UK&I", "DE": "DACH", "FR": "France", "NL": "Benelux",
             "ES": "Southern Europe", "SE": "Nordics", "AU": "ANZ", "IN": "APAC", "JP": "APAC",
             "BR": "LATAM", "CH": "DACH", "CN": "APAC"}

FIRST_NAMES = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
    "Sarah", "Chris", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty",
    "Mark", "Sandra", "Steven", "Ashley", "Andrew", "Emily", "Kevin", "Michelle", "Brian",
    "Amanda", "José", "Zoë", "François", "Jürgen", "Søren", "Ana", "Priya", "Wei", "Hiroshi",
    "Aisha", "Mateo", "Chloé", "Lars", "Ingrid", "Raj", "Mei", "Olivia", "Noah", "Liam",
    "Emma", "Lucas", "Sofia", "Ethan", "Mia",
)
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
    "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
    "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
    "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Nguyen", "Hill", "Müller", "Schmidt", "Dubois", "Lefèvre", "O'Brien", "Patel",
    "Sharma", "Chen", "Wang", "Tanaka", "Sato", "Kowalski", "Johansson", "Rossi", "Silva",
    "Novak", "Murphy", "Kelly", "Fischer", "Weber", "Moreau", "Bernard", "Singh", "Khan",
)
EMAIL_FORMATS = ("{f}.{l}", "{f}.{l}", "{i}{l}", "{i}.{l}", "{f}", "{f}_{l}")
FREE_MAIL = ("gmail.com", "gmail.com", "yahoo.com", "yahoo.co.uk", "outlook.com",
             "hotmail.com", "gmx.de", "qq.com", "hotmail.fr", "icloud.com")
MAIL_SUBDOMAINS = ("us", "uk", "eu", "emea", "corp", "mail")

# Words of synthesized company names: "Blue Harbor Logistics", "Cedarpoint Analytics GmbH".
NAME_WORDS = (
    "Northwind", "Blue Harbor", "Quantum", "Silver Creek", "Redwood", "Ironclad", "Bright",
    "Summit", "Cedar", "Pioneer", "Lakeside", "Granite", "Aurora", "Beacon", "Crescent",
    "Evergreen", "Falcon", "Harbor", "Horizon", "Keystone", "Lumen", "Maple", "Meridian",
    "Nimbus", "Oakridge", "Orion", "Pinnacle", "Polaris", "Prairie", "Riverbend", "Sapphire",
    "Sierra", "Skyline", "Sterling", "Stonebridge", "Sunrise", "Tidewater", "Trident",
    "Vanguard", "Vertex", "Westbrook", "Willow", "Zenith", "Apex", "Atlas", "Bluebird",
    "Cobalt", "Copper", "Ember", "Fjord", "Glacier", "Halcyon", "Indigo", "Juniper",
    "Kestrel", "Larkspur", "Mosaic", "Nova", "Onyx", "Pacific", "Quarry", "Raven", "Sable",
    "Tandem", "Velvet", "Wren", "Alder", "Bayside", "Birchwood", "Canyon", "Coral",
    "Crimson", "Eastgate", "Elmstead", "Foxglove", "Golden Gate", "Greenfield", "Highland",
    "Hillcrest", "Ivory", "Jade", "Lighthouse", "Lodestar", "Magnolia", "Marble", "Midland",
    "Monarch", "Northstar", "Oceanic", "Old Mill", "Parkway", "Pebble", "Pinecrest",
    "Red Oak", "Ridgeline", "Rockport", "Saltmarsh", "Seaside", "Silverline", "Southport",
    "Spruce", "Starling", "Stillwater", "Thunderbird", "Timber", "Trailhead", "Union Square",
    "Valley", "Waypoint", "Whitestone", "Wildflower", "Windward", "Yellowpine", "Acorn",
    "Arrow", "Bison", "Clearwater", "Driftwood", "Eagle Rock", "Firefly", "Gemini",
    "Hawthorne", "Iris", "Kingfisher", "Lantern", "Mistral", "Nautilus", "Osprey", "Peregrine",
    "Quill", "Saffron", "Tamarack", "Upland", "Verdant", "Wolfpack", "Zephyr",
)
ACCENTED_WORDS = {
    "DE": ("Müller", "Bürger", "Zürcher", "Schönberg", "Grünwald", "Höfner", "Löwen"),
    "FR": ("Étoile", "Lumière", "Crédit Alpin", "Côte", "Forêt", "Élan", "Société Générale du"),
    "ES": ("Señorío", "Peñalara", "Ibérica"),
    "SE": ("Åkerlund", "Björk", "Nordström"),
}
NAME_PARTS = (
    "Ridge", "Point", "Bay", "Peak", "Stone", "Field", "Brook", "Gate", "Light", "Wave",
    "Path", "Line", "Works", "Forge", "Bridge", "Crest", "Vale", "Haven", "Port", "Spring",
    "Rock", "Wood", "View", "Star", "Shore", "Lake", "Mark", "Way", "Hill", "Mount",
)

# Legal suffixes recognised in reference names, with how the name key ignores them.
LEGAL_WORDS = {
    "inc", "incorporated", "llc", "corp", "corporation", "co", "company", "ltd", "limited",
    "plc", "gmbh", "ag", "se", "sa", "sas", "sl", "bv", "nv", "ab", "pty", "pvt", "kk",
    "ltda", "the",
}
LEGAL_TAIL = re.compile(
    r"[,\s]+(Inc\.?|Incorporated|LLC|Corp\.?|Corporation|Company|Co\.|Ltd\.?|Limited|plc|"
    r"PLC|GmbH|AG|S\.A\.|SA|N\.V\.|B\.V\.)$"
)

# ---------------------------------------------------------------------------------------
# Companies.


@dataclass
class Company:
    """One real-world company of the TAM, with the facts every vendor file derives from."""

    account: str  # the true identity written to truth.csv (slug of the name key)
    name: str  # canonical display name without legal form ("Acme", "The Home Depot")
    legal: str  # legal form ("Inc.", "GmbH") or ""
    domain: str  # primary registered domain; "" for name-only companies
    country: str
    sector: str
    employees: int
    revenue: int  # USD
    founded: int
    city: str = ""
    state: str = ""
    state_code: str = ""
    zip_code: str = ""
    street: str = ""
    ticker: str = ""
    funding: int = 0  # USD
    former_name: str = ""
    alt_domain: str = ""  # same company, other country domain (acme.de)
    alt_country: str = ""
    in_market: bool = False  # researching and engaging: rising intent, engagement spikes
    curated: bool = False  # a hand-picked tricky case, always in the fit and CRM files


@dataclass
class Seed:
    """What a reference list or the synthesizer knows about a company before completion."""

    name: str
    domain: str
    legal: str = ""
    country: str = ""
    city: str = ""
    state: str = ""
    sector: str = ""
    employees: int = 0
    ticker: str = ""
    former_name: str = ""
    alt_domain: str = ""
    curated: bool = False


# Tricky real cases: look-alike names that are different companies, entities and accents,
# "The" prefixes, and companies with a second country or brand domain.
CURATED = [
    Seed("United Airlines", "united.com", "Holdings, Inc.", "US", "Chicago", "Illinois",
         "transport", 86000, "UAL", curated=True),
    Seed("United Rentals", "unitedrentals.com", "Inc.", "US", "Stamford", "Connecticut",
         "services", 26000, "URI", curated=True),
    Seed("General Motors", "gm.com", "Company", "US", "Detroit", "Michigan", "manufacturing",
         163000, "GM", curated=True),
    Seed("General Mills", "generalmills.com", "Inc.", "US", "Golden Valley", "Minnesota",
         "food", 34000, "GIS", curated=True),
    Seed("Bank of America", "bankofamerica.com", "Corporation", "US", "Charlotte",
         "North Carolina", "finance", 213000, "BAC", curated=True),
    Seed("Bank of China", "boc.cn", "Limited", "CN", "Beijing", "Beijing", "finance", 306000,
         curated=True),
    Seed("Delta Air Lines", "delta.com", "Inc.", "US", "Atlanta", "Georgia", "transport",
         100000, "DAL", curated=True),
    Seed("Delta Dental", "deltadental.com", "", "US", "Oak Brook", "Illinois", "insurance",
         4500, curated=True),
    Seed("AT&T", "att.com", "Inc.", "US", "Dallas", "Texas", "telecom", 150000, "T",
         curated=True),
    Seed("Macy's", "macys.com", "Inc.", "US", "New York", "New York", "retail", 94000,
         curated=True),
    Seed("Nestlé", "nestle.com", "S.A.", "CH", "Vevey", "Vaud", "food", 270000, curated=True),
    Seed("Procter & Gamble", "pg.com", "Company", "US", "Cincinnati", "Ohio", "food", 107000,
         "PG", curated=True),
    Seed("The Home Depot", "homedepot.com", "Inc.", "US", "Atlanta", "Georgia", "retail",
         470000, "HD", curated=True),
    Seed("Kroger", "kroger.com", "Co.", "US", "Cincinnati", "Ohio", "retail", 414000, "KR",
         alt_domain="thekrogerco.com", curated=True),
    Seed("Siemens", "siemens.com", "AG", "DE", "München", "Bavaria", "manufacturing", 320000,
         alt_domain="siemens.de", curated=True),
    Seed("Capgemini", "capgemini.com", "SE", "FR", "Paris", "Île-de-France", "services",
         340000, alt_domain="capgemini.fr", curated=True),
    Seed("Société Générale", "societegenerale.com", "S.A.", "FR", "Paris", "Île-de-France",
         "finance", 117000, curated=True),
]
EXTRA_COUNTRIES = {  # countries only curated companies have
    "CH": Country("CH", "Switzerland", ("Switzerland", "Schweiz"), (".ch",), ("AG", "S.A."),
                  (("Vevey", "Vaud", "VD", "18"),), "##", "+41 21 {b} {c}", "Switzerland", 0),
    "CN": Country("CN", "China", ("China", "PRC"), (".cn",), ("Limited",),
                  (("Beijing", "Beijing", "BJ", "1000"),), "##", "+86 10 {b} {c}", "China", 0),
}
ALL_COUNTRIES = COUNTRIES | EXTRA_COUNTRIES


# Letters that Unicode does not decompose into a base letter and an accent.
UNDECOMPOSABLE = str.maketrans({"ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE",
                                "ł": "l", "Ł": "L", "đ": "d", "œ": "oe"})


def fold_accents(text: str) -> str:
    """'Nestlé' -> 'Nestle', 'Søren' -> 'Soren': what ASCII-only vendors write."""
    decomposed = unicodedata.normalize("NFKD", text.translate(UNDECOMPOSABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_key(name: str) -> str:
    """A crude company-name key used only to keep generated companies distinct."""
    text = fold_accents(name).lower().replace("&", " and ")
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    kept = [w for w in words if w not in LEGAL_WORDS]
    return " ".join(kept or words)


def registered_domain(host: str) -> str:
    """Registered domain of a host, good enough for the reference lists' hosts."""
    labels = host.strip(".").split(".")
    second_level = {"co", "com", "org", "net", "ac", "gov", "edu"}
    if len(labels) >= 3 and labels[-2] in second_level and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def clean_host(website: str) -> str:
    """'http://www.Rumie.org/x' -> 'rumie.org'; '' for values without a dot."""
    text = website.strip().lower().replace(" ", "")
    text = re.sub(r"^[a-z]+:/+", "", text).split("/")[0].split(":")[0]
    text = text.removeprefix("www.")
    return registered_domain(text) if "." in text else ""


def split_legal(name: str) -> tuple[str, str]:
    """'Ball Corporation' -> ('Ball', 'Corporation'); 'Home Depot (The)' -> 'The Home Depot'."""
    name = re.sub(r"\s*\(Class [A-Z]\)$", "", name.strip())
    if name.endswith(" (The)"):
        name = "The " + name.removesuffix(" (The)")
    match = LEGAL_TAIL.search(name)
    if match and match.start() > 0:
        return name[: match.start()], match.group(1)
    return name, ""


def read_reference(path: Path) -> list[dict[str, str]]:
    """Rows of a reference CSV, or none when the reference folder is not available."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def martech_seeds(reference: Path) -> list[Seed]:
    """Martech vendors: real names with bare domains, some ccTLDs."""
    seeds = []
    for row in read_reference(reference / "martech-landscape-2017" / "martech2017.csv"):
        domain = clean_host(row["Website Domain"])
        if domain:
            name, legal = split_legal(row["Company"])
            sector = MARTECH_SECTOR.get(row["Category"], "software")
            seeds.append(Seed(name, domain, legal, country=_tld_country(domain), sector=sector))
    return seeds


def yc_seeds(reference: Path) -> list[Seed]:
    """YC startups: websites as http://..., locations, team sizes and former names."""
    seeds = []
    for row in read_reference(reference / "yc-directory" / "yc_flattened_from_saved_responses.csv"):
        domain = clean_host(row["website"])
        if not domain:
            continue
        city, state, country = _yc_location(row["all_locations"])
        former = row["former_names"].split("|")[0].strip()
        team = int(row["team_size"]) if row["team_size"].isdigit() else 0
        sector = "education" if row["batch"] == "IK12" else "software"
        name, legal = split_legal(row["name"])
        seeds.append(Seed(name, domain, legal, country or _tld_country(domain), city, state,
                          sector, team, former_name=former))
    return seeds


def _yc_location(locations: str) -> tuple[str, str, str]:
    parts = [p.strip() for p in locations.split(";")[0].split(",")]
    country = {"USA": "US", "Canada": "CA", "United Kingdom": "GB", "India": "IN",
               "France": "FR", "Germany": "DE"}.get(parts[-1], "")
    if country == "US" and len(parts) == 3:
        return parts[0], parts[1], "US"
    return "", "", country


def sp500_seeds(reference: Path) -> list[Seed]:
    """S&P 500: names with suffixes and '(The)'; a domain only where it is obvious."""
    curated_tickers = {s.ticker for s in CURATED}
    seeds = []
    for row in read_reference(reference / "sp500-constituents" / "constituents.csv"):
        if row["Symbol"] in curated_tickers:
            continue
        name, legal = split_legal(row["Security"])
        words = re.sub(r"[^A-Za-z0-9 ]", "", name.removeprefix("The ")).split()
        # One- or two-word names are obvious (apple.com, americanexpress.com); longer
        # ones are left name-only rather than guessed.
        domain = "".join(words).lower() + ".com" if len(words) <= 2 else ""
        city, _, state = row["Headquarters Location"].partition(", ")
        country = "US" if state in US_STATE_CODES else COUNTRY_BY_NAME.get(state, "")
        sector = GICS_SECTOR.get(row["GICS Sector"], "services")
        seeds.append(Seed(name, domain, legal, country, city if country == "US" else "",
                          state if country == "US" else "", sector, ticker=row["Symbol"]))
    return seeds


def _tld_country(domain: str) -> str:
    for tld, country in TLD_COUNTRY.items():
        if domain.endswith(tld):
            return country
    return ""


class Registry:
    """Keeps name keys and domains of the generated companies unique."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.domains: set[str] = set()

    def claim(self, name: str, domain: str) -> str | None:
        """The account slug if both name and domain are new, else None."""
        key = name_key(name)
        if not key or key in self.keys or (domain and domain in self.domains):
            return None
        self.keys.add(key)
        if domain:
            self.domains.add(domain)
        return key.replace(" ", "-")

    def free(self, domain: str) -> bool:
        """Whether no company owns `domain` yet."""
        return domain not in self.domains


def synthetic_seed(rng: random.Random, registry: Registry) -> Seed:
    """A plausible company that does not exist in the reference lists."""
    while True:
        country = rng.choices(COUNTRY_CODES, COUNTRY_WEIGHTS)[0]
        sector = rng.choices(SECTOR_KEYS, SECTOR_WEIGHTS)[0]
        name = _synthetic_name(rng, country, sector)
        if name_key(name) in registry.keys:
            continue
        for domain in _domain_candidates(rng, name, country):
            if registry.free(domain):
                return Seed(name, domain, country=country, sector=sector)


def _synthetic_name(rng: random.Random, country: str, sector: str) -> str:
    noun = rng.choice(SECTORS[sector].nouns)
    first = rng.choice(NAME_WORDS)
    if country in ACCENTED_WORDS and rng.random() < 0.35:
        first = rng.choice(ACCENTED_WORDS[country])
    pattern = rng.random()
    if pattern < 0.25:
        return f"{first} {noun}"
    if pattern < 0.55:
        return f"{first} {_name_part(rng, first)} {noun}"
    if pattern < 0.75:
        return f"{first.split()[0]}{_name_part(rng, first).lower()} {noun}"
    if pattern < 0.88:
        return f"{rng.choice(LAST_NAMES)} & {rng.choice(LAST_NAMES)} {noun}"
    return f"{rng.choice(LAST_NAMES)} {first} {noun}"


def _name_part(rng: random.Random, first: str) -> str:
    """A second word that does not repeat the first ('Skyline' + 'Line')."""
    while (part := rng.choice(NAME_PARTS)).lower() in first.lower():
        pass
    return part


def _domain_candidates(rng: random.Random, name: str, country: str) -> Iterator[str]:
    words = re.sub(r"[^a-z0-9 ]", "", fold_accents(name).lower().replace("&", " ")).split()
    tld = rng.choice(COUNTRIES[country].tlds)
    yield "".join(words[:-1] or words) + tld
    yield "".join(words) + tld
    yield "-".join(words) + tld
    yield "".join(w[0] for w in words[:-1]) + words[-1] + tld
    while True:
        yield f"{''.join(words)}{rng.randrange(2, 999)}{tld}"


def complete(seed: Seed, rng: random.Random, account: str) -> Company:
    """Fill in every fact the vendors report that the seed does not know."""
    country = seed.country or _unknown_country(rng)
    place = ALL_COUNTRIES[country]
    city, state, state_code, prefix = rng.choice(place.cities)
    if seed.city:
        city, state = seed.city, US_STATE_NAMES.get(seed.state, seed.state)
        state_code = _state_code(place, seed.state, state_code)
    employees = seed.employees or _employees(rng, seed.ticker != "")
    sector = seed.sector or rng.choices(SECTOR_KEYS, SECTOR_WEIGHTS)[0]
    company = Company(
        account=account, name=seed.name, legal=seed.legal or rng.choice(place.legal),
        domain=seed.domain, country=country, sector=sector, employees=employees,
        revenue=_revenue(rng, employees, sector), founded=_founded(rng, employees),
        city=city, state=state, state_code=state_code, zip_code=_postal(rng, place, prefix),
        street=f"{rng.randrange(1, 2400)} {rng.choice(NAME_WORDS)} {rng.choice(STREETS)}",
        ticker=seed.ticker, former_name=seed.former_name, alt_domain=seed.alt_domain,
        curated=seed.curated, in_market=rng.random() < IN_MARKET_SHARE,
    )
    company.funding = _funding(rng, company)
    if company.alt_domain:
        # "" for a second brand domain (thekrogerco.com) rather than a country one.
        company.alt_country = _tld_country(company.alt_domain)
    return company


def _unknown_country(rng: random.Random) -> str:
    # Companies of the reference lists without a known country are mostly American.
    return "US" if rng.random() < 0.5 else rng.choices(COUNTRY_CODES, COUNTRY_WEIGHTS)[0]


STREETS = ("Street", "Avenue", "Road", "Boulevard", "Drive", "Lane", "Way", "Parkway")


def _state_code(place: Country, state: str, default: str) -> str:
    codes = {full: code for _, full, code, _ in place.cities}
    if len(state) == 2:
        return state
    return codes.get(state, US_STATE_CODES.get(state, default))


US_STATE_CODES = {
    "Alabama": "AL", "Arizona": "AZ", "Arkansas": "AR", "California": "CA", "Colorado": "CO",
    "Connecticut": "CT", "Delaware": "DE", "Florida": "FL", "Georgia": "GA", "Idaho": "ID",
    "Illinois": "IL", "Indiana": "IN", "Iowa": "IA", "Kansas": "KS", "Kentucky": "KY",
    "Louisiana": "LA", "Maryland": "MD", "Massachusetts": "MA", "Michigan": "MI",
    "Minnesota": "MN", "Missouri": "MO", "Nebraska": "NE", "Nevada": "NV",
    "New Jersey": "NJ", "New York": "NY", "North Carolina": "NC", "Ohio": "OH",
    "Oklahoma": "OK", "Oregon": "OR", "Pennsylvania": "PA", "Rhode Island": "RI",
    "Tennessee": "TN", "Texas": "TX", "Utah": "UT", "Virginia": "VA", "Washington": "WA",
    "Wisconsin": "WI", "District of Columbia": "DC",
}
US_STATE_NAMES = {code: name for name, code in US_STATE_CODES.items()}


def _employees(rng: random.Random, public: bool) -> int:
    # Log-uniform-ish: most of a B2B TAM has 20-5,000 employees.
    low, high = (2000, 300000) if public else (5, 60000)
    value = math.exp(rng.gauss(math.log(math.sqrt(low * high)), 1.5))
    return int(min(max(value, low), high))


def _revenue(rng: random.Random, employees: int, sector: str) -> int:
    per_head = {"software": 220000, "finance": 400000, "retail": 180000, "energy": 900000}
    revenue = employees * per_head.get(sector, 250000) * rng.uniform(0.5, 1.6)
    return int(round(revenue, -4))


def _founded(rng: random.Random, employees: int) -> int:
    age = int(rng.uniform(2, 25) * (1 + math.log10(max(employees, 10)) / 2))
    return 2025 - min(age, 150)


def _funding(rng: random.Random, company: Company) -> int:
    if company.ticker or company.employees > 5000 or rng.random() < 0.6:
        return 0
    return int(round(company.employees * rng.uniform(20000, 120000), -5))


def _postal(rng: random.Random, place: Country, prefix: str) -> str:
    digits = "".join(str(rng.randrange(10)) if ch == "#" else
                     chr(65 + rng.randrange(26)) if ch == "@" else ch for ch in place.postal)
    return prefix + digits


def build_companies(accounts: int, seed: int, reference: Path = REFERENCE_DIR) -> list[Company]:
    """The TAM: curated cases, then real reference companies, then synthesized ones."""
    rng = random.Random(f"{seed}:companies")
    pool = martech_seeds(reference) + yc_seeds(reference) + sp500_seeds(reference)
    rng.shuffle(pool)
    registry = Registry()
    companies: list[Company] = []
    for candidate in _candidates(CURATED + pool, rng, registry):
        account = registry.claim(candidate.name, candidate.domain)
        if account is not None:
            companies.append(complete(candidate, rng, account))
        if len(companies) == accounts:
            break
    _add_alt_domains(companies, rng, registry)
    rng.shuffle(companies)
    return companies


def _candidates(pool: list[Seed], rng: random.Random, registry: Registry) -> Iterator[Seed]:
    yield from pool
    while True:
        yield synthetic_seed(rng, registry)


def _add_alt_domains(companies: list[Company], rng: random.Random, registry: Registry) -> None:
    """Give a few companies a second country domain (acme.com -> acme.de)."""
    for company in companies:
        if company.alt_domain or not company.domain or rng.random() >= ALT_DOMAIN_SHARE:
            continue
        country = rng.choice([c for c in ("DE", "GB", "FR", "CA", "AU") if c != company.country])
        label = company.domain.split(".")[0]
        alt = label + COUNTRIES[country].tlds[0]
        if registry.free(alt):
            registry.domains.add(alt)
            company.alt_domain, company.alt_country = alt, country


# ---------------------------------------------------------------------------------------
# How each tool writes names and domains.


def legal_name(company: Company, comma: bool = False) -> str:
    """'Acme, Inc.' (comma=True) or 'Acme Inc.'; just the name when there is no legal form."""
    if not company.legal:
        return company.name
    separator = ", " if comma and company.legal.startswith(("Inc", "LLC", "Ltd")) else " "
    return f"{company.name}{separator}{company.legal}"


def toggle_the(name: str) -> str:
    """'The Home Depot' <-> 'Home Depot'."""
    return name[4:] if name.startswith("The ") else f"The {name}"


def html_entities(name: str) -> str:
    """What a vendor that scraped its names from web pages writes: 'AT&amp;T', 'Macy&#8217;s'."""
    return name.replace("&", "&amp;").replace("'", "&#8217;")


def typo(name: str, rng: random.Random) -> str:
    """One letter swapped or dropped, only in long names (short ones would be other names)."""
    if len(name) < 12:
        return name
    at = rng.randrange(2, len(name) - 2)
    if not (name[at].isalpha() and name[at + 1].isalpha()):
        return name
    if rng.random() < 0.5:
        return name[:at] + name[at + 1] + name[at] + name[at + 2:]
    return name[:at] + name[at + 1:]


def zoominfo_name(company: Company, rng: random.Random) -> str:
    """ZoomInfo: the plain name, sometimes with its legal form."""
    return company.name if rng.random() < 0.75 else legal_name(company)


def bombora_name(company: Company, rng: random.Random) -> str:
    """Bombora: accents folded, legal form without dots, HTML entities."""
    name = fold_accents(company.name)
    if company.legal and rng.random() < 0.35:
        name = f"{name} {company.legal.replace('.', '').replace(',', '')}"
    return html_entities(name)


def crm_name(company: Company, rng: random.Random) -> str:
    """Sales reps type names every way: 'Acme, Inc.', 'ACME CORPORATION', 'Acme (UK)'."""
    roll = rng.random()
    if roll < 0.40:
        name = company.name
    elif roll < 0.65:
        name = legal_name(company, comma=True)
    elif roll < 0.73:
        name = legal_name(company).upper()
    elif roll < 0.80:
        name = toggle_the(company.name)
    elif roll < 0.85:
        name = region_tagged(company.name, company.country, rng)
    else:
        name = legal_name(company)
    return name.replace("'", "\u2019") if rng.random() < 0.3 else name


def region_tagged(name: str, country: str, rng: random.Random) -> str:
    """'Acme - Germany' or 'Acme (UK)', as CRMs name country records."""
    tag = ALL_COUNTRIES[country].region_tag
    return f"{name} - {tag}" if rng.random() < 0.5 else f"{name} ({tag})"


def plain_name(company: Company, rng: random.Random) -> str:
    """Relationship and engagement tools: the CRM name as synced, mostly without legal form."""
    roll = rng.random()
    if roll < 0.65:
        return company.name
    if roll < 0.90:
        return legal_name(company)
    return company.name.lower() if roll < 0.95 else toggle_the(company.name)


def capitalised(domain: str) -> str:
    """'acme.com' -> 'Acme.com', as people type websites into a CRM."""
    label, _, rest = domain.partition(".")
    return f"{label.capitalize()}.{rest}"


def zoominfo_website(domain: str, rng: random.Random) -> str:
    """ZoomInfo: 'www.acme.com' or 'acme.com'."""
    if not domain:
        return ""
    return f"www.{domain}" if rng.random() < 0.6 else domain


def crm_website(domain: str, rng: random.Random) -> str:
    """Whatever a sales rep pasted: full URLs, upper case, www. or the bare domain."""
    return rng.choice((
        f"https://www.{capitalised(domain)}/", f"http://{domain}/en-us/", domain.upper(),
        f"www.{domain}", domain, f"http://www.{domain}", f"https://{domain}",
        f"www.{domain}", domain,
    ))


def engagement_domain(domain: str, rng: random.Random) -> str:
    """Web analytics: the bare domain, sometimes with https:// or www."""
    roll = rng.random()
    return domain if roll < 0.65 else f"https://{domain}" if roll < 0.9 else f"www.{domain}"


def junk_website(company: Company, rng: random.Random) -> str:
    """What ends up in a website field instead of a website."""
    slug = company.account
    return rng.choice((
        "n/a", "-", "N/A", "none", f"192.0.2.{rng.randrange(1, 255)}",
        f"203.0.113.{rng.randrange(1, 255)}", f"https://www.linkedin.com/company/{slug}",
        f"https://www.facebook.com/{slug.replace('-', '')}",
    ))


def identity(company: Company, rng: random.Random,
             website: Callable[[str, random.Random], str],
             name: Callable[[Company, random.Random], str]) -> tuple[str, str]:
    """(name, website) for a row of a file that holds names and optional websites."""
    roll = rng.random()
    if not company.domain or roll < NAME_ONLY_ROW_SHARE:
        written = name(company, rng)
        return (typo(written, rng) if rng.random() < TYPO_SHARE else written), ""
    if roll < NAME_ONLY_ROW_SHARE + JUNK_DOMAIN_SHARE:
        return name(company, rng), junk_website(company, rng)
    return name(company, rng), website(company.domain, rng)


# ---------------------------------------------------------------------------------------
# Dates and numbers as the tools write them.


def us_date(day: dt.date) -> str:
    """'11/23/2026': the US date marketing-automation and Salesforce exports write."""
    return f"{day.month}/{day.day}/{day.year}"


def employee_range(employees: int) -> str:
    """ZoomInfo's employee range label for a head count."""
    bands = [(10, "1 - 9"), (20, "10 - 19"), (50, "20 - 49"), (100, "50 - 99"),
             (250, "100 - 249"), (500, "250 - 499"), (1000, "500 - 999"),
             (5000, "1,000 - 4,999"), (10000, "5,000 - 9,999")]
    return next((label for limit, label in bands if employees < limit), "10,000+")


def revenue_range(revenue: int) -> str:
    """ZoomInfo's revenue range label for a revenue in USD."""
    million = 1_000_000
    bands = [(million, "Under $1 mil."), (5 * million, "$1 mil. - $5 mil."),
             (10 * million, "$5 mil. - $10 mil."), (25 * million, "$10 mil. - $25 mil."),
             (50 * million, "$25 mil. - $50 mil."), (100 * million, "$50 mil. - $100 mil."),
             (250 * million, "$100 mil. - $250 mil."), (500 * million, "$250 mil. - $500 mil."),
             (1000 * million, "$500 mil. - $1 bil."), (5000 * million, "$1 bil. - $5 bil.")]
    return next((label for limit, label in bands if revenue < limit), "$5 bil. +")


def bombora_size(employees: int) -> str:
    """Bombora's company size label for a head count."""
    bands = [(10, "Micro (1 - 9 Employees)"), (50, "Small (10 - 49 Employees)"),
             (200, "Medium-Small (50 - 199 Employees)"), (500, "Medium (200 - 499 Employees)"),
             (1000, "Medium-Large (500 - 999 Employees)"),
             (5000, "Large (1,000 - 4,999 Employees)"),
             (10000, "XLarge (5,000 - 10,000 Employees)")]
    return next((label for limit, label in bands if employees < limit),
                "XXLarge (10,000+ Employees)")


def thousands(amount: int) -> str:
    """ZoomInfo writes money in thousands of USD; blank when unknown."""
    return str(amount // 1000) if amount else ""


def phone(country: str, rng: random.Random) -> str:
    """A headquarters phone number in the country's format."""
    return ALL_COUNTRIES[country].phone.format(
        a=rng.randrange(201, 990), b=rng.randrange(200, 999), c=f"{rng.randrange(10000):04d}")


# ---------------------------------------------------------------------------------------
# The five files. Each generator yields (row, true account) in file order.

Row = tuple[list[str], str]
TruthSink = Callable[[tuple[str, int, str]], object]


def included(company: Company, family: str, rng: random.Random) -> bool:
    """Whether `company` appears in the file of `family` (in-market ones more often)."""
    share = COVERAGE[family]
    if family in ("intent", "engagement"):
        # In-market companies are 1.8x as likely; the overall share stays COVERAGE.
        share /= 1 + IN_MARKET_SHARE * 0.8
        share *= 1.8 if company.in_market else 1.0
    return rng.random() < share


def zoominfo_rows(companies: list[Company], rng: random.Random, as_of: dt.date) -> Iterator[Row]:
    """ZoomInfo company export: one row per company, revenue and funding in thousands."""
    for index, company in enumerate(companies):
        if company.curated or included(company, "fit", rng):
            company_id = str(100_000_000 + index * 97 + rng.randrange(97))
            record = zoominfo_record(company, rng, company_id)
            yield [record.get(column, "") for column in ZOOMINFO_HEADER], company.account


def zoominfo_record(company: Company, rng: random.Random, company_id: str) -> dict[str, str]:
    """One ZoomInfo row by column name; columns not filled stay blank."""
    sector = SECTORS[company.sector]
    sub = rng.choice(sector.subs)
    country = ALL_COUNTRIES[company.country].name
    slug = company.account
    return {
        "ZoomInfo Company ID": company_id, "Company Name": zoominfo_name(company, rng),
        "Website": zoominfo_website(company.domain, rng),
        "Founded Year": str(company.founded) if rng.random() < 0.85 else "",
        "Company HQ Phone": phone(company.country, rng), "Ticker": company.ticker,
        "Revenue (in 000s USD)": str(company.revenue // 1000) if rng.random() < 0.92 else "",
        "Revenue Range (in USD)": revenue_range(company.revenue),
        "Employees": str(company.employees), "Employee Range": employee_range(company.employees),
        "SIC Code 1": sector.sic, "SIC Codes": sector.sic, "NAICS Code 1": sector.naics,
        "NAICS Codes": sector.naics, "Primary Industry": sector.zoominfo,
        "Primary Sub-Industry": sub, "All Industries": sector.zoominfo, "All Sub-Industries": sub,
        "Industry Hierarchical Category": f"{sector.zoominfo} > {sub}",
        "ZoomInfo Company Profile URL": f"https://www.zoominfo.com/c/{slug}/{company_id}",
        "LinkedIn Company Profile URL": f"http://www.linkedin.com/company/{slug}",
        "Ownership Type": "Public" if company.ticker else "Private", "Business Model": "B2B",
        "Total Funding Amount (in 000s USD)": thousands(company.funding),
        "Company Street Address": company.street, "Company City": company.city,
        "Company State": company.state, "Company Zip Code": company.zip_code,
        "Company Country": country,
        "Full Address": f"{company.street}, {company.city}, {company.state}, {country}",
        "Number of Locations": str(1 + int(math.log2(max(company.employees, 1)) // 3)),
        "Company Is Acquired": "No",
    }


@dataclass
class Interest:
    """One company's research on one topic over the three weekly reports."""

    company: Company
    name: str
    topic: tuple[str, str, str, int]
    scores: list[int | None] = field(default_factory=list)  # None: not in that report


def intent_interests(companies: list[Company], rng: random.Random) -> list[Interest]:
    """Each intent company's topics and their scores over the three reports."""
    interests = []
    for company in companies:
        if not company.domain or not included(company, "intent", rng):
            continue
        name = bombora_name(company, rng)
        count = rng.choices(range(1, 9), TOPIC_COUNT_WEIGHTS)[0]
        topics = _distinct_topics(rng, count)
        for rank, topic in enumerate(topics):
            rising = company.in_market and rank < 2
            interests.append(Interest(company, name, topic, topic_scores(rng, rising)))
    return interests


def _distinct_topics(rng: random.Random, count: int) -> list[tuple[str, str, str, int]]:
    chosen: dict[str, tuple[str, str, str, int]] = {}
    while len(chosen) < count:
        topic = rng.choices(TOPICS, TOPIC_WEIGHTS)[0]
        chosen.setdefault(topic[0], topic)
    return list(chosen.values())


def topic_scores(rng: random.Random, rising: bool) -> list[int | None]:
    """Composite scores for the three reports: most 40-75; rising surges end >= 60."""
    if rising:
        first = rng.randrange(45, 62)
        second = first + rng.randrange(3, 12)
        return [first, second, min(99, max(62, second + rng.randrange(3, 16)))]
    level = rng.gauss(55, 9)
    return [None if rng.random() < 0.25 else int(min(max(level + rng.gauss(0, 6), 1), 100))
            for _ in range(3)]


def bombora_rows(companies: list[Company], rng: random.Random, as_of: dt.date) -> Iterator[Row]:
    """Three weekly Comprehensive reports concatenated: one row per company, topic, week."""
    interests = intent_interests(companies, rng)
    for week, report_date in enumerate(report_dates(as_of)):
        for interest in interests:
            score = interest.scores[week]
            if score is not None:
                yield bombora_row(interest, score, report_date), interest.company.account


def report_dates(as_of: dt.date) -> list[dt.date]:
    """Bombora's weekly report dates: the Mondays 16, 9 and 2 days before a Wednesday."""
    return [as_of - dt.timedelta(days=days) for days in (16, 9, 2)]


def bombora_row(interest: Interest, score: int, report_date: dt.date) -> list[str]:
    """One Comprehensive-report row for a company, topic and report date."""
    company = interest.company
    country = ALL_COUNTRIES[company.country]
    topic, category, cluster, _ = interest.topic
    metro = f"{company.city}, {company.state_code}" if company.country == "US" else company.city
    return [
        interest.name, company.domain, bombora_size(company.employees),
        SECTORS[company.sector].bombora, category, topic, str(score), cluster, metro,
        company.country, company.city, company.state, country.name, report_date.isoformat(),
    ]


def relationship_rows(companies: list[Company], rng: random.Random,
                      as_of: dt.date) -> Iterator[Row]:
    """Contact-level relationship export: several contacts per account, keyed by email."""
    used: set[str] = set()
    for company in companies:
        if not company.domain or not included(company, "relationship", rng):
            continue
        account_name = plain_name(company, rng)
        email_format = rng.choice(EMAIL_FORMATS)
        for _ in range(rng.choices(range(1, 7), (45, 28, 13, 7, 4, 3))[0]):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = contact_email(company, rng, email_format, first, last, used)
            yield [email, f"{first} {last}", account_name,
                   *relationship_strength(rng, as_of)], company.account


def contact_email(company: Company, rng: random.Random, email_format: str, first: str,
                  last: str, used: set[str]) -> str:
    """'jane.doe@acme.com', sometimes on a mail subdomain or a free-mail address."""
    roll = rng.random()
    if roll < 0.06:
        domain = rng.choice(FREE_MAIL)
    elif roll < 0.11:
        domain = f"{rng.choice(MAIL_SUBDOMAINS)}.{company.domain}"
    elif roll < 0.3 and company.alt_domain:
        domain = company.alt_domain
    else:
        domain = company.domain
    first_ascii = re.sub(r"[^a-z]", "", fold_accents(first).lower())
    last_ascii = re.sub(r"[^a-z]", "", fold_accents(last).lower())
    local = email_format.format(f=first_ascii, l=last_ascii, i=first_ascii[0])
    email = f"{local}@{domain}"
    while email in used:
        email = f"{local}{rng.randrange(2, 99)}@{domain}"
    used.add(email)
    return email


STRENGTHS = (("Weak", 5, 40), ("Moderate", 40, 65), ("Strong", 65, 85), ("Very Strong", 85, 100))


def relationship_strength(rng: random.Random, as_of: dt.date) -> list[str]:
    """Score (sometimes blank), strength, last email date, last meeting date (ISO)."""
    strength, low, high = rng.choices(STRENGTHS, (35, 35, 20, 10))[0]
    score = str(rng.randrange(low, high)) if rng.random() < 0.7 else ""
    last_email = as_of - dt.timedelta(days=int(rng.expovariate(1 / 20)))
    meeting = ""
    if rng.random() < 0.5:
        meeting = (as_of - dt.timedelta(days=int(rng.expovariate(1 / 45)))).isoformat()
    return [score, strength, last_email.isoformat(), meeting]


def engagement_rows(companies: list[Company], rng: random.Random,
                    as_of: dt.date) -> Iterator[Row]:
    """Six weekly rows per engaged account, weeks starting Mondays up to the as_of week."""
    weeks = week_starts(as_of)
    for company in companies:
        if not included(company, "engagement", rng):
            continue
        name, domain = identity(company, rng, engagement_domain, plain_name)
        spike = rng.random() < (0.5 if company.in_market else 0.05)
        for week, (views, visits, responses) in zip(weeks, weekly_activity(rng, spike),
                                                     strict=True):
            last = last_engagement(rng, week, as_of) if views + visits + responses else ""
            yield [cp1252_safe(name), domain, us_date(week), str(views), str(visits),
                   str(responses), last], company.account


def week_starts(as_of: dt.date) -> list[dt.date]:
    """The Mondays of the six weeks up to and including the as-of week."""
    monday = as_of - dt.timedelta(days=as_of.weekday())
    return [monday - dt.timedelta(weeks=back) for back in range(5, -1, -1)]


def weekly_activity(rng: random.Random, spike: bool) -> list[tuple[int, int, int]]:
    """(page views, visits, responses) per week; a spike makes the latest week >= 2x."""
    level = math.exp(rng.gauss(1.6, 0.9))
    weeks = [_week_activity(rng, level) for _ in range(6)]
    if spike:
        baseline = sum(sum(week) for week in weeks[1:5]) / 4
        target = max(12, math.ceil(baseline * rng.uniform(2.2, 5.0)))
        responses = rng.randrange(1, 4)
        visits = max(1, round((target - responses) * 0.3))
        weeks[5] = (target - responses - visits, visits, responses)
    return weeks


def _week_activity(rng: random.Random, level: float) -> tuple[int, int, int]:
    if rng.random() < 0.15:
        return 0, 0, 0
    views = int(level * rng.uniform(0.4, 1.6))
    visits = max(1, round(views * rng.uniform(0.3, 0.7))) if views else 0
    responses = rng.choices((0, 1, 2), (90, 8, 2))[0]
    return views, visits, responses


def last_engagement(rng: random.Random, week: dt.date, as_of: dt.date) -> str:
    """A day of activity in the week, never after the as-of date."""
    days = min(7, (as_of - week).days + 1)
    return us_date(week + dt.timedelta(days=rng.randrange(days)))


def cp1252_safe(text: str) -> str:
    """The engagement file is Windows-1252, as exported from Excel: fold what it cannot hold."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return fold_accents(text).encode("cp1252", "replace").decode("cp1252")
    return text


# ---------------------------------------------------------------------------------------
# Salesforce.

SF_ID_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def salesforce_id(rng: random.Random) -> str:
    """An 18-character Account id: '001', pod, serial, then the case-safe checksum."""
    body = ("001" + "".join(rng.choices(SF_ID_CHARS, k=2)) + "0000"
            + "".join(rng.choices(SF_ID_CHARS, k=6)))
    suffix = ""
    for chunk in (body[0:5], body[5:10], body[10:15]):
        bits = sum(1 << i for i, ch in enumerate(chunk) if ch.isupper())
        suffix += "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"[bits]
    return body + suffix


@dataclass
class CrmAccount:
    """One Salesforce account record of a company (a company may have several)."""

    company: Company
    account_id: str
    name: str
    website: str
    country: str
    parent_id: str = ""


def salesforce_rows(companies: list[Company], rng: random.Random,
                    as_of: dt.date) -> Iterator[Row]:
    """The report's data rows, sorted by Account Name as the report is."""
    ids: set[str] = set()
    accounts: list[CrmAccount] = []
    for company in companies:
        if company.curated or included(company, "crm", rng):
            accounts.extend(crm_accounts(company, rng, lambda: unique_id(rng, ids)))
    accounts.sort(key=lambda account: (account.name.lower(), account.account_id))
    for account in accounts:
        yield salesforce_row(account, rng, as_of), account.company.account


def unique_id(rng: random.Random, ids: set[str]) -> str:
    """A Salesforce id not yet used in this report."""
    while (account_id := salesforce_id(rng)) in ids:
        pass
    ids.add(account_id)
    return account_id


def crm_accounts(company: Company, rng: random.Random,
                 new_id: Callable[[], str]) -> list[CrmAccount]:
    """The company's CRM record, plus a country subsidiary or an accidental duplicate."""
    name, website = identity(company, rng, crm_website, crm_name)
    if company.former_name and website and rng.random() < 0.3:
        name = company.former_name  # renamed since the record was created
    main = CrmAccount(company, new_id(), name, website, company.country)
    records = [main]
    if company.alt_domain:
        alt_country = company.alt_country or company.country
        alt_name = (region_tagged(company.name, alt_country, rng) if company.alt_country
                    else toggle_the(legal_name(company)))  # a brand domain: 'The Kroger Co.'
        records.append(CrmAccount(company, new_id(), alt_name, crm_website(company.alt_domain, rng),
                                  alt_country, parent_id=main.account_id))
    if rng.random() < CRM_DUPLICATE_SHARE:
        dup_name, dup_website = identity(company, rng, crm_website, crm_name)
        records.append(CrmAccount(company, new_id(), dup_name, dup_website, company.country))
    return records


def salesforce_row(account: CrmAccount, rng: random.Random, as_of: dt.date) -> list[str]:
    """One report row: billing address, owner, territory, type, money fields."""
    company = account.company
    place = ALL_COUNTRIES[account.country]
    same_place = account.country == company.country
    territory = territory_of(account.country, company.state_code)
    kind = rng.choices(("Customer", "Prospect", "Partner"), (12, 83, 5))[0]
    employees = round(company.employees * rng.uniform(0.8, 1.2))
    return [
        account.name, account.website, company.city if same_place else place.cities[0][0],
        company.state_code if same_place else "", company.zip_code if same_place else "",
        rng.choice(place.crm_names), rng.choice(owners_of(territory)), territory, kind,
        str(company.revenue) if rng.random() < 0.75 else "",
        str(employees) if rng.random() < 0.85 else "",
        SECTORS[company.sector].salesforce if rng.random() < 0.9 else "",
        account.account_id, account.parent_id, *deal_fields(company, kind, rng, as_of),
    ]


def territory_of(country: str, state_code: str) -> str:
    """The sales territory of a billing country (and US state)."""
    if country == "US":
        if state_code in WEST_STATES:
            return "NA West"
        return "NA Central" if state_code in CENTRAL_STATES else "NA East"
    return TERRITORY.get(country, "EMEA")


def owners_of(territory: str) -> tuple[str, ...]:
    """The account owners who cover a territory."""
    if territory.startswith("NA "):
        return OWNERS[territory]
    if territory in ("Canada", "ANZ", "APAC", "LATAM"):
        return OWNERS["APAC & Canada"]
    return OWNERS["EMEA"]


def deal_fields(company: Company, kind: str, rng: random.Random,
                as_of: dt.date) -> list[str]:
    """Open Opportunity Amount (prospects), ACV and Renewal Date (customers)."""
    size = min(max(company.employees, 50), 20000) ** 0.5
    if kind == "Customer":
        acv = int(round(size * rng.uniform(600, 1800), -2))
        renewal = as_of + dt.timedelta(days=rng.randrange(15, 380))
        return ["", str(acv), us_date(renewal)]
    if kind == "Prospect" and rng.random() < 0.25:
        return [str(int(round(size * rng.uniform(400, 1500), -3))), "", ""]
    return ["", "", ""]


def salesforce_preamble(as_of: dt.date) -> list[list[str]]:
    """The title rows Salesforce writes above the header."""
    return [["Target Accounts - Northwind"], [f"As of {us_date(as_of)}"],
            ["Filtered By: Type equals Customer, Prospect, Partner"], []]


def salesforce_footer(records: int) -> list[list[str]]:
    """The totals and confidentiality lines Salesforce writes below the data."""
    return [[], [f"Grand Totals ({records} records)"], [],
            ["Confidential Information - Do Not Distribute"],
            [f"Copyright (c) 2000-{DEFAULT_AS_OF.year} salesforce.com, inc. All rights reserved."]]


# ---------------------------------------------------------------------------------------
# Writing.


@dataclass(frozen=True)
class FileSpec:
    """How one vendor file is written: rows, encoding, line ends, quoting, extras."""

    family: str
    rows: Callable[[list[Company], random.Random, dt.date], Iterator[Row]]
    encoding: str = "utf-8"
    newline: str = "\n"
    quote_all: bool = False  # Salesforce quotes every field
    preamble: Callable[[dt.date], list[list[str]]] | None = None
    footer: Callable[[int], list[list[str]]] | None = None


FILE_SPECS = [
    FileSpec("fit", zoominfo_rows, newline="\r\n"),
    FileSpec("intent", bombora_rows),
    FileSpec("relationship", relationship_rows),
    FileSpec("engagement", engagement_rows, encoding="cp1252", newline="\r\n"),
    FileSpec("crm", salesforce_rows, encoding="utf-8-sig", newline="\r\n",
             quote_all=True, preamble=salesforce_preamble, footer=salesforce_footer),
]


def write_file(spec: FileSpec, path: Path, companies: list[Company], seed: int,
               as_of: dt.date, record_truth: TruthSink | None) -> int:
    """Write one vendor file row by row; returns the number of data rows."""
    rng = random.Random(f"{seed}:{spec.family}")
    count = 0
    with path.open("w", encoding=spec.encoding, newline="") as handle:
        writer = (csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator=spec.newline)
                  if spec.quote_all else csv.writer(handle, lineterminator=spec.newline))
        writer.writerows(spec.preamble(as_of) if spec.preamble else [])
        writer.writerow(HEADERS[spec.family])
        for row, account in spec.rows(companies, rng, as_of):
            count += 1
            writer.writerow(row)
            if record_truth is not None:
                record_truth((path.name, count, account))
        writer.writerows(spec.footer(count) if spec.footer else [])
    return count


def write_bundle(outdir: Path, accounts: int, seed: int, as_of: dt.date = DEFAULT_AS_OF,
                 truth: bool = False, reference: Path = REFERENCE_DIR) -> dict[str, Path]:
    """Write the five vendor files (and truth.csv) into `outdir`; returns family -> path.

    Keys are the families (fit, intent, relationship, engagement, crm) and "truth".
    """
    written = write_bundle_counted(outdir, accounts, seed, as_of, truth, reference)
    return {family: path for family, (path, _) in written.items()}


def write_bundle_counted(outdir: Path, accounts: int, seed: int, as_of: dt.date,
                         truth: bool, reference: Path) -> dict[str, tuple[Path, int]]:
    """Like write_bundle, with the number of data rows written to each file."""
    outdir.mkdir(parents=True, exist_ok=True)
    companies = build_companies(accounts, seed, reference)
    written: dict[str, tuple[Path, int]] = {}
    with contextlib.ExitStack() as stack:
        sink = None
        if truth:
            handle = stack.enter_context((outdir / TRUTH_NAME).open("w", encoding="utf-8",
                                                                    newline=""))
            sink = csv.writer(handle, lineterminator="\n").writerow
            sink(("file", "row", "account"))
        for spec in FILE_SPECS:
            path = outdir / FILE_NAMES[spec.family]
            written[spec.family] = path, write_file(spec, path, companies, seed, as_of, sink)
    if truth:
        written["truth"] = outdir / TRUTH_NAME, sum(count for _, count in written.values())
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: write a bundle and print rows, sizes and seconds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--accounts", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=DEFAULT_AS_OF)
    parser.add_argument("--truth", action="store_true", help="also write truth.csv")
    parser.add_argument("--reference", type=Path, default=REFERENCE_DIR)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    written = write_bundle_counted(args.outdir, args.accounts, args.seed, args.as_of,
                                   args.truth, args.reference)
    elapsed = time.perf_counter() - started
    for family, (path, rows) in written.items():
        print(f"{family:13} {path.name:32} {rows:>9,} rows {path.stat().st_size / 1e6:7.1f} MB")
    total = sum(rows for family, (_, rows) in written.items() if family != "truth")
    print(f"{args.accounts:,} accounts, {total:,} data rows in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
