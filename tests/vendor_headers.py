"""Header rows exactly as ../shared/spec/VENDOR_FORMATS.md gives them, for the tests."""

ZOOMINFO_COMPANY = (
    "ZoomInfo Company ID, Company Name, Website, Founded Year, Company HQ Phone, Fax, "
    "Ticker, Revenue (in 000s USD), Revenue Range (in USD), Employees, Employee Range, "
    "SIC Code 1, SIC Code 2, SIC Codes, NAICS Code 1, NAICS Code 2, NAICS Codes, Primary "
    "Industry, Primary Sub-Industry, All Industries, All Sub-Industries, Industry "
    "Hierarchical Category, Secondary Industry Hierarchical Category, Alexa Rank, ZoomInfo "
    "Company Profile URL, LinkedIn Company Profile URL, Facebook Company Profile URL, "
    "Twitter Company Profile URL, Ownership Type, Business Model, Certified Active Company, "
    "Certification Date, Defunct Company, Total Funding Amount (in 000s USD), Recent "
    "Funding Amount (in 000s USD), Recent Funding Round, Recent Funding Date, Recent "
    "Investors, All Investors, Company Street Address, Company City, Company State, Company "
    "Zip Code, Company Country, Full Address, Number of Locations, Company Is Acquired, "
    "Company ID (Ultimate Parent), Entity Name (Ultimate Parent), Company ID (Immediate "
    "Parent), Entity Name (Immediate Parent), Relationship (Immediate Parent)"
).split(", ")
BOMBORA = ("Company Name, Domain, Size, Industry, Category, Topic, Composite Score, "
           "Topic Cluster, Metro Area, Domain Origin, HQ City, HQ State, HQ Country, "
           "Report Date").split(", ")
