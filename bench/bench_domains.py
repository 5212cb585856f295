"""Time `domain_keys` on a realistic website column: 1,000,000 values, ~100,000 distinct.

Company words come from the public company lists in shared/reference (martech 2017,
YC directory), combined into synthetic registered domains and written the many ways
CRMs and vendors write them (scheme, www, path, upper case, email, blanks, n/a).

Run: .venv/bin/python bench/bench_domains.py [--rows 1000000] [--distinct 100000]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run from a checkout without installing the package

from abmcli.keys import domains  # noqa: E402

REFERENCE = REPO.parent / "shared" / "reference"
SUFFIXES = ["com"] * 12 + ["io", "co", "net", "org", "de", "co.uk", "com.au", "fr", "ai"]
FALLBACK_WORDS = ["acme", "globex", "initech", "umbrella", "stark", "wayne", "hooli", "vandelay"]


def company_words() -> list[str]:
    """Lower-case words from real company names, or a small built-in list."""
    words: set[str] = set()
    for csv in (
        REFERENCE / "martech-landscape-2017" / "martech2017.csv",
        REFERENCE / "yc-directory" / "yc_flattened_from_saved_responses.csv",
    ):
        if csv.exists():
            frame = pd.read_csv(csv, encoding="utf-8-sig", dtype=str)
            column = "Company" if "Company" in frame else "name"
            for name in frame[column].dropna():
                words.update(re.findall(r"[a-z]{3,}", name.lower()))
    return sorted(words) or FALLBACK_WORDS


def written_forms(domain: str, rng: random.Random) -> str:
    """One way a person or a vendor export writes this domain."""
    form = rng.randrange(10)
    if form == 0:
        return f"https://www.{domain}/"
    if form == 1:
        return f"http://{domain}/en-us/about?utm_source=crm"
    if form == 2:
        return f"www.{domain.upper()}"
    if form == 3:
        return f"jane.doe@{domain}"
    if form == 4:
        return f"shop.{domain}."
    return domain


def distinct_values(count: int, rng: random.Random) -> list[str]:
    words = company_words()
    values = {"", "n/a", "-", "gmail.com", "jane@gmail.com", "ACME Inc", "192.168.0.1"}
    while len(values) < count:
        stem = rng.choice(words) + rng.choice(["", "", rng.choice(words), "hq", "labs"])
        values.add(written_forms(f"{stem}.{rng.choice(SUFFIXES)}", rng))
    pool = sorted(values)
    rng.shuffle(pool)  # popularity must not follow alphabetical order
    return pool


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--distinct", type=int, default=100_000)
    args = parser.parse_args()
    rng = random.Random(42)
    pool = distinct_values(args.distinct, rng)
    # Popular accounts recur (intent and engagement exports are long): skewed repeats.
    weights = [1.0 / (rank + 10) for rank in range(len(pool))]
    column = pd.Series(rng.choices(pool, weights=weights, k=args.rows), dtype="str")
    distinct = column.nunique()

    start = time.perf_counter()
    keys = domains.domain_keys(column)
    seconds = time.perf_counter() - start

    usable = keys["domain"].notna().mean()
    print(f"{len(column):,} values ({distinct:,} distinct) in {seconds:.2f} s")
    print(f"{len(column) / seconds:,.0f} values/s (cold cache, includes tldextract load)")
    print(f"usable domains: {usable:.1%}; distinct keys: {keys['domain'].nunique():,}")


if __name__ == "__main__":
    main()
