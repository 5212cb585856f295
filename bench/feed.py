#!/usr/bin/env python3
"""Generate a long Bombora Company Surge history (one row per company, topic and week)
of about a given size, for the streaming benchmark (bench/bench_feed.py).

    python bench/feed.py /tmp/surge.csv --gigabytes 5

Companies are synthetic (`Company 12345 Inc`, `company12345.com`); every company has the
same topics each week, so the file is as long as a quarter or a year of surge history
for a large TAM. Deterministic for a given size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

HEADER = ("Company Name,Domain,Size,Industry,Category,Topic,Composite Score,Topic Cluster,"
          "Metro Area,Domain Origin,HQ City,HQ State,HQ Country,Report Date\n")
SIZES = ("Small (1 - 49 Employees)", "Medium (50 - 199 Employees)",
         "Large (1,000 - 4,999 Employees)", "XXLarge (10,000+ Employees)")
INDUSTRIES = ("Software", "Financial Services", "Manufacturing", "Retail", "Healthcare")
CITIES = (("Boston", "Massachusetts", "US"), ("Austin", "Texas", "US"),
          ("London", "England", "GB"), ("Berlin", "Berlin", "DE"), ("Toronto", "Ontario", "CA"))
TOPICS = ("Account Based Marketing", "Intent Data", "Predictive Analytics", "Marketing Automation",
          "Customer Data Platform", "Sales Enablement", "Data Warehousing", "Cloud Security",
          "Lead Scoring", "Web Personalization", "Email Marketing", "Conversational AI",
          "Revenue Operations", "Product Analytics", "Demand Generation", "B2B Advertising",
          "Marketing Attribution", "Customer Success", "Data Governance", "CRM Software")
ROW_BYTES = 160  # about, for the sizes above


def company_prefixes(companies: int, rng: random.Random) -> list[str]:
    prefixes = []
    for number in range(companies):
        city, state, country = CITIES[number % len(CITIES)]
        prefixes.append(
            f"Company {number} Inc,company{number}.com,\"{SIZES[number % len(SIZES)]}\","
            f"{INDUSTRIES[rng.randrange(len(INDUSTRIES))]},Marketing,")
        prefixes[-1] += "\x00" + f",{city} Metro,{country},{city},{state},{country},"
    return prefixes


def write_feed(path: Path, companies: int, topics: int, weeks: int, seed: int = 1) -> int:
    """Write the history; returns the number of data rows."""
    rng = random.Random(seed)
    prefixes = [p.split("\x00") for p in company_prefixes(companies, rng)]
    start = dt.date(2026, 11, 23) - dt.timedelta(weeks=weeks - 1)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        for week in range(weeks):
            date = (start + dt.timedelta(weeks=week)).isoformat()
            for topic in TOPICS[:topics]:
                scores = [rng.randrange(30, 100) for _ in range(companies)]
                out.write("".join(
                    f"{head}{topic},{score},Marketing{tail}{date}\n"
                    for (head, tail), score in zip(prefixes, scores, strict=True)))
                rows += companies
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--gigabytes", type=float, default=5.0)
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--topics", type=int, default=20)
    args = parser.parse_args()
    per_week = args.companies * args.topics * ROW_BYTES
    weeks = max(1, round(args.gigabytes * (1 << 30) / per_week))
    rows = write_feed(args.path, args.companies, args.topics, weeks)
    print(f"wrote {args.path}: {rows:,} rows, {weeks} weeks, "
          f"{args.path.stat().st_size / (1 << 30):.2f} GiB")


if __name__ == "__main__":
    main()
