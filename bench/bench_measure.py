"""Time `abm measure` on 100,000 accounts, 300,000 contacts and 50,000 opportunities
(target: under 30 s), from CSV files on disk to the computed scorecard and its workbook.

The tiered hub is generated (5% targets, 10% waitlist, engagement dates on a third of
the accounts); contacts carry titles from a list of real-looking titles and match by
email domain or company name; opportunities match by CRM id, domain or name, with a few
percent of hostile rows (negative amounts, unknown stages, EUR without a rate).

Run: .venv/bin/python bench/bench_measure.py [--accounts 100000]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run from a checkout without installing the package

from abmcli.config import Config  # noqa: E402
from abmcli.measure.config import measure_model  # noqa: E402
from abmcli.measure.scorecard import measure_accounts  # noqa: E402
from abmcli.measure.workbook import write_scorecard  # noqa: E402

AS_OF = dt.date(2026, 11, 25)
TITLES = ["CMO", "VP Marketing", "Director of Marketing Operations", "Marketing Manager",
          "Sr. Mgr, Demand Gen", "Marketing Specialist", "CFO", "Controller", "CIO",
          "IT Manager", "Software Engineer", "VP Sales", "Account Executive", "SDR",
          "Head of Growth", "Geschäftsführer", "Directeur Marketing", "Jefe de Ventas"]
STAGES = ["Prospecting", "Qualification", "Negotiation/Review", "Closed Won", "Closed Lost",
          "Closed Lost", "Spinning Plates"]


def make_hub(n: int, rng: np.random.Generator) -> pd.DataFrame:
    tiers = rng.choice(["Tier 1", "Tier 2", "Tier 3", "Waitlist", "Out of ICP"], size=n,
                       p=[0.005, 0.02, 0.025, 0.1, 0.85])
    engaged = rng.random(n) < 0.33
    days = rng.integers(0, 300, size=n)
    return pd.DataFrame({
        "account_id": [f"ACC-{i:010X}" for i in range(n)],
        "account_name": [f"Company {i} Holdings" for i in range(n)],
        "domain": [f"company{i}.com" for i in range(n)],
        "tier": tiers,
        "engagement_last_date": [AS_OF - dt.timedelta(days=int(d)) if e else None
                                 for d, e in zip(days, engaged, strict=True)],
        "crm_id": [f"001{i:012d}" for i in range(n)],
        "has_fit": rng.random(n) < 0.9,
    })


def write_contacts(path: Path, n: int, accounts: int, rng: np.random.Generator) -> None:
    owner = rng.integers(0, int(accounts * 1.05), size=n)  # 5% at companies outside
    titles = rng.choice(TITLES, size=n)
    days = rng.integers(0, 200, size=n)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["First Name", "Last Name", "Email", "Job Title", "Company Name",
                      "Last Activity Date"])
        for i in range(n):
            by_name = i % 10 == 0
            out.writerow([f"P{i}", "Lee", "" if by_name else f"p{i}@company{owner[i]}.com",
                          titles[i], f"Company {owner[i]} Holdings",
                          (AS_OF - dt.timedelta(days=int(days[i]))).isoformat()
                          if days[i] < 120 else ""])


def write_opportunities(path: Path, n: int, accounts: int, rng: np.random.Generator) -> None:
    owner = rng.integers(0, int(accounts * 1.02), size=n)
    created = rng.integers(20, 330, size=n)
    length = rng.integers(-5, 150, size=n)
    amounts = rng.integers(-1, 200, size=n) * 1000
    stages = rng.choice(STAGES, size=n)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Opportunity Name", "Account ID", "Account Name", "Amount",
                      "Opportunity Currency", "Stage", "Created Date", "Close Date"])
        for i in range(n):
            made = AS_OF - dt.timedelta(days=int(created[i]))
            out.writerow([f"Deal {i}", f"001{owner[i]:012d}" if i % 3 else "",
                          f"Company {owner[i]} Holdings", f"${amounts[i]:,}",
                          "EUR" if i % 97 == 0 else "USD", stages[i], made.isoformat(),
                          (made + dt.timedelta(days=int(length[i]))).isoformat()])


def main() -> None:
    from abmcli.frames import keep_text_in_python

    keep_text_in_python()  # text kept as abm keeps it (abmcli/frames.py)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=100_000)
    args = parser.parse_args()
    n = args.accounts
    rng = np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        hub = make_hub(n, rng)
        write_contacts(base / "contacts.csv", 3 * n, n, rng)
        write_opportunities(base / "opps.csv", n // 2, n, rng)
        config = Config(as_of=AS_OF)
        start, cpu = time.perf_counter(), time.process_time()
        card = measure_accounts(hub, config, measure_model(config),
                                opportunities=[str(base / "opps.csv")],
                                contacts=[str(base / "contacts.csv")], as_of=AS_OF)
        computed = time.perf_counter()
        write_scorecard(card, base / "scorecard.xlsx")  # lineage over 200,000 rows: a CSV
        written, cpu_used = time.perf_counter(), time.process_time() - cpu
    print(f"{n:,} accounts, {3 * n:,} contacts, {n // 2:,} opportunities: "
          f"measured in {computed - start:.1f} s, scorecard written in "
          f"{written - computed:.1f} s, total {written - start:.1f} s (target < 30 s; "
          f"{cpu_used:.1f} s of CPU, the rest waiting for a shared core); "
          f"{len(card.issues):,} issues, {len(card.gaps):,} gaps")


if __name__ == "__main__":
    main()
