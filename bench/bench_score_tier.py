"""Time scoring, tiering and cutting the segments of a random 100,000-account hub
(target: under 10 s together).

The hub has the columns `abm merge` writes, with realistic gaps: about 40% of accounts
have intent, 30% engagement, 20% a relationship and 25% a CRM record. The segments are
the example config's (examples/abm.toml), written to a temporary folder. Times are wall
and CPU (user + system, steadier on a shared machine).

Run: .venv/bin/python bench/bench_score_tier.py [--accounts 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run from a checkout without installing the package

from abmcli.config import config_from_tables, load_config  # noqa: E402
from abmcli.stages.score import score_hub  # noqa: E402
from abmcli.stages.segment import run_segments, segment_specs  # noqa: E402
from abmcli.stages.tier import tier_accounts  # noqa: E402

AS_OF = dt.date(2026, 11, 23)
INDUSTRIES = ["Computer Software", "Internet", "Financial Services", "Retail", "Hospital & "
              "Health Care", "Banking & Financial Services", "Manufacturing", None]
COUNTRIES = ["United States", "USA", "US", "Canada", "United Kingdom", "UK", "Germany",
             "Deutschland", "France", "Brazil", "India", None]
TECHNOLOGIES = ["Salesforce; Marketo", "HubSpot", "Salesforce Sales Cloud; Slack",
                "Marketo Engage; Google Analytics", "WordPress", None]
TOPICS = ["Account Based Marketing; Intent Data", "Predictive Analytics", "Cloud Security",
          "Intent Data; Data Warehousing; Account Based Marketing"]
CONFIG = config_from_tables({
    "icp": {
        "industries": ["Computer Software", "Internet", "Financial Services"],
        "countries": ["North America", "United Kingdom", "Germany", "France"],
        "employees": {"min": 200, "max": 10_000},
        "revenue": {"min": 20_000_000},
        "technologies": {"any": ["Salesforce", "Marketo"]},
        "rules": [{"column": "crm_type", "op": "!=", "value": "Partner", "weight": 10,
                   "label": "not a partner"}],
    },
    "tiers": {"max_tier1": 100, "max_tier2": 200, "max_tier3": 200},
}, as_of=AS_OF)
CONFIG.segments = load_config(REPO / "examples" / "abm.toml").segments


def random_hub(accounts: int, seed: int = 42) -> pd.DataFrame:
    """A hub with the merge's columns and realistic shares of missing families."""
    rng = np.random.default_rng(seed)

    def some(share: float, values: np.ndarray) -> np.ndarray:
        return np.where(rng.random(accounts) < share, values, None)

    def recent(share: float, days: int) -> np.ndarray:
        offsets = rng.integers(0, days, accounts)
        dates = np.array([AS_OF - dt.timedelta(days=int(d)) for d in range(days)], dtype=object)
        return some(share, dates[offsets])

    return pd.DataFrame({
        "account_id": [f"ACC-{i:010x}" for i in range(accounts)],
        "account_name": [f"Company {i} Inc." for i in range(accounts)],
        "domain": [f"company{i}.com" for i in range(accounts)],
        "industry": rng.choice(np.array(INDUSTRIES, dtype=object), accounts),
        "country": rng.choice(np.array(COUNTRIES, dtype=object), accounts),
        "employees": some(0.9, rng.lognormal(6, 1.8, accounts).round()),
        "revenue": some(0.7, rng.lognormal(17, 2, accounts)),
        "technologies": rng.choice(np.array(TECHNOLOGIES, dtype=object), accounts),
        "intent_max_score": some(0.4, rng.integers(20, 100, accounts).astype(float)),
        "intent_surging_topics": rng.integers(0, 8, accounts),
        "intent_topics": some(0.4, rng.choice(np.array(TOPICS, dtype=object), accounts)),
        "intent_latest_date": recent(0.4, 60),
        "intent_last_surge_date": recent(0.3, 60),
        "relationship_score": some(0.2, rng.choice([25.0, 50.0, 75.0, 100.0], accounts)),
        "engagement_total": some(0.3, rng.exponential(50, accounts).round()),
        "engagement_last_date": recent(0.3, 90),
        "engagement_spike": rng.random(accounts) < 0.05,
        "engagement_spike_pct": some(0.05, rng.integers(50, 400, accounts).astype(float)),
        "crm_type": some(0.25, rng.choice(np.array(["Prospect", "Customer", "Partner"]),
                                          accounts)),
        "crm_acv": some(0.15, rng.lognormal(11, 1, accounts).round(-2)),
    })


def main() -> None:
    from abmcli.frames import keep_text_in_python

    keep_text_in_python()  # text kept as abm keeps it (abmcli/frames.py)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=100_000)
    args = parser.parse_args()
    hub = random_hub(args.accounts)
    marks = [(time.perf_counter(), time.process_time())]
    scored = score_hub(hub, CONFIG).hub
    marks.append((time.perf_counter(), time.process_time()))
    result = tier_accounts(scored, CONFIG)
    marks.append((time.perf_counter(), time.process_time()))
    with tempfile.TemporaryDirectory() as folder:
        lists = run_segments(result.accounts, segment_specs(CONFIG), Path(folder), AS_OF)
    marks.append((time.perf_counter(), time.process_time()))
    print(f"accounts: {len(hub):,}")
    steps = zip(marks, marks[1:], strict=False)
    for label, (start, end) in zip(["score", "tier", "segments"], steps, strict=True):
        print(f"{label + ':':<9} {end[0] - start[0]:6.2f} s ({end[1] - start[1]:5.2f} s CPU)")
    wall, cpu = marks[-1][0] - marks[0][0], marks[-1][1] - marks[0][1]
    print(f"total:    {wall:6.2f} s ({cpu:5.2f} s CPU; target < 10 s)")
    print("segments:", ", ".join(f"{o.name} {o.rows:,}" for o in lists.outputs))
    print("tiers:   ", ", ".join(f"{tier} {count:,}" for tier, count in result.counts().items()))


if __name__ == "__main__":
    main()
