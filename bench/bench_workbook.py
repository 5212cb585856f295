"""Time `write_workbook` and `read_sheet` on a hub-shaped sheet: 100,000 rows x 35 columns.

The columns mix what a hub holds: names and domains built from the martech 2017 list in
shared/reference, industries, countries, owners, tiers, topic lists, integer counts,
scores, money, percentages, dates and flags, with some blanks. The sheet is written
with tier row fills and score colour scales, as `abm tier` writes it.

The same frame is then written again with xlsxwriter rendering every cell itself (the
per-cell path workbook.py falls back to), to show what the XML row path saves and that
both write the same sheet.

Run: .venv/bin/python bench/bench_workbook.py [--rows 100000] [--keep out.xlsx] [--fast-only]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run from a checkout without installing the package

from abmcli.xlsx import rows as xlsx_rows  # noqa: E402
from abmcli.xlsx.workbook import ColumnFormat, Sheet, read_sheet, write_workbook  # noqa: E402

MARTECH = REPO.parent / "shared" / "reference" / "martech-landscape-2017" / "martech2017.csv"
T = TypeVar("T")
TIER_FILLS = {"Tier 1": "#C6EFCE", "Tier 2": "#FFEB9C", "Tier 3": "#FCE4D6"}


def company_words() -> tuple[list[str], list[str]]:
    """Company names and domains from the martech list, or a few stand-ins without it."""
    if MARTECH.is_file():
        table = pd.read_csv(MARTECH, encoding="utf-8-sig").dropna()
        return table["Company"].tolist(), table["Website Domain"].tolist()
    return ["Acme Corp.", "Globex GmbH", "Initech, Inc."], ["acme.com", "globex.de", "initech.io"]


def hub_frame(rows: int, seed: int = 7) -> pd.DataFrame:
    """A synthetic hub with 35 columns of mixed types and realistic blanks."""
    rng = np.random.default_rng(seed)
    names, domains = company_words()
    pick = rng.integers(0, len(names), rows)
    frame = pd.DataFrame(
        {
            "account_id": [f"ACC-{value:010x}" for value in rng.integers(0, 2**40, rows)],
            "account_name": np.array(names, dtype=object)[pick],
            "domain": np.array(domains, dtype=object)[pick],
        }
    )
    text_columns: dict[str, list[str | None]] = {
        "coverage": ["F I R E CRM", "F - - E -", "F I - - CRM"],
        "industry": ["Software", "Retail", "Manufacturing", "Financial Services", None],
        "country": ["United States", "Germany", "France", "Brazil", "Japan", None],
        "state": ["CA", "NY", "TX", "Bavaria", None],
        "city": ["San Francisco", "München", "São Paulo", "Paris", None],
        "industry_source": ["crm", "fit"],
        "crm_owner": ["Dana Whitfield", "Jörg Müller", "Aiko Tanaka", None],
        "crm_type": ["Customer", "Prospect", None],
        "tier": ["Tier 1", "Tier 2", "Tier 3", "Tier 4"],
        "tier_reason": ["high fit, surging on 3 topics", "engaged this week", "fit only"],
        "intent_topics": ["Account Based Marketing; Intent Data", "CRM Software", None],
        "technologies": ["Salesforce; Marketo; Google Analytics", "HubSpot", None],
        "fit_reasons": ["industry Software (+30); employees 1,200 (+25)", "country (+10)"],
        "ticker": ["CRM", "HUBS", "ADBE", None, None, None],
    }
    for column, choices in text_columns.items():
        frame[column] = pd.Series(
            np.array(choices, dtype=object)[rng.integers(0, len(choices), rows)]
        )
    for column in ("source_rows", "intent_surging_topics", "relationship_contacts"):
        frame[column] = rng.integers(0, 40, rows)
    frame["founded_year"] = rng.integers(1890, 2024, rows)
    frame["employees"] = pd.array(rng.integers(1, 200_000, rows), dtype="Int64")
    frame.loc[rng.random(rows) < 0.2, "employees"] = pd.NA
    for column in ("fit_score", "intent_score", "engagement_score", "account_score"):
        frame[column] = np.round(rng.random(rows) * 100, 1)
    frame["revenue"] = np.where(rng.random(rows) < 0.3, np.nan, rng.random(rows) * 5e9)
    frame["crm_acv"] = np.round(rng.random(rows) * 250_000, 0)
    frame["engagement_spike_pct"] = rng.random(rows) * 3
    start = np.datetime64("2025-01-01")
    for column in ("intent_latest_date", "engagement_last_date", "crm_renewal_date"):
        days = rng.integers(0, 400, rows).astype("timedelta64[D]")
        frame[column] = pd.Series(start + days).astype("datetime64[ns]")
    for column in ("has_fit", "has_intent", "engagement_spike"):
        frame[column] = rng.random(rows) < 0.5
    return frame


def hub_formats() -> dict[str, ColumnFormat]:
    scores = {name: ColumnFormat("score") for name in ("fit_score", "intent_score")}
    scores |= {name: ColumnFormat("score") for name in ("engagement_score", "account_score")}
    return scores | {
        "revenue": ColumnFormat("money"),
        "crm_acv": ColumnFormat("money"),
        "engagement_spike_pct": ColumnFormat("percent"),
        "fit_reasons": ColumnFormat(width=40),
    }


def main() -> None:
    from abmcli.frames import keep_text_in_python

    keep_text_in_python()  # text kept as abm keeps it (abmcli/frames.py)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the workbook here and keep it")
    parser.add_argument("--fast-only", action="store_true", help="skip the per-cell write")
    args = parser.parse_args()
    frame = hub_frame(args.rows)
    sheet = Sheet("Hub", frame, hub_formats(), row_fill="tier", fills=TIER_FILLS)
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "hub.xlsx"
        write_wall, write_cpu, _ = timed(write_workbook, path, [sheet])
        read_wall, read_cpu, back = timed(read_sheet, path, "Hub")
        size = path.stat().st_size
        print(f"{len(frame):,} rows x {frame.shape[1]} columns, {size / 2**20:.1f} MiB")
        print(f"write_workbook: {write_wall:6.2f} s wall, {write_cpu:6.2f} s CPU (XML rows)")
        if not args.fast_only:
            compare_per_cell(path, Path(folder) / "per_cell.xlsx", sheet)
    print(f"read_sheet:     {read_wall:6.2f} s wall, {read_cpu:6.2f} s CPU ({len(back):,} rows)")


def compare_per_cell(fast_path: Path, slow_path: Path, sheet: Sheet) -> None:
    """Write `sheet` again cell by cell; print the time and whether the sheets match."""
    with per_cell_only():
        wall, cpu, _ = timed(write_workbook, slow_path, [sheet])
    print(f"write_workbook: {wall:6.2f} s wall, {cpu:6.2f} s CPU (per cell, xlsxwriter)")
    same = sheet_xml_crc(fast_path) == sheet_xml_crc(slow_path)
    print(f"sheet XML identical on both paths: {'yes' if same else 'NO'}")


@contextmanager
def per_cell_only() -> Iterator[None]:
    """Make workbook.py take its fallback: xlsxwriter renders every cell itself."""
    checked = xlsx_rows.unsupported_reason
    xlsx_rows.unsupported_reason = lambda *args: "the benchmark asks for the per-cell path"
    try:
        yield
    finally:
        xlsx_rows.unsupported_reason = checked


def sheet_xml_crc(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return archive.getinfo("xl/worksheets/sheet1.xml").CRC


def timed(function: Callable[..., T], *args: object) -> tuple[float, float, T]:
    """Wall and CPU seconds; CPU time is the steadier figure on a shared machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, result


if __name__ == "__main__":
    main()
