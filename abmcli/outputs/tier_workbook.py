"""The tier workbook and CSVs: a Summary sheet, one sheet per tier sorted by
account_score, and one formula-safe CSV per tier (`abm tier`, `abm run`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from abmcli.config import Config
from abmcli.fields import FAMILIES
from abmcli.outputs.readback import read_hub
from abmcli.safe import ensure_folder, refuse_writing_inputs, write_csv, written_together
from abmcli.stages.components import COMPONENTS
from abmcli.stages.score import star_text
from abmcli.stages.tier import (
    PROGRAMS,
    TIER_NAMES,
    TierResult,
    tier_accounts,
)
from abmcli.stages.typed import flags, numbers
from abmcli.xlsx.columns import hub_column_formats
from abmcli.xlsx.provenance import facts_for
from abmcli.xlsx.workbook import (
    Chart,
    ColumnFormat,
    Sheet,
    SummarySheet,
    key_values,
    write_workbook,
)

TIER_FILLS = {"Tier 1": "#C6EFCE", "Tier 2": "#FFEB9C", "Tier 3": "#FCE4D6",
              "Waitlist": "#DDEBF7", "Expansion": "#E4DFEC", "Out of ICP": "#EDEDED",
              "Fit unknown": "#FFF2CC", "Excluded": "#EDEDED"}
LEADING_COLUMNS = (
    "account_id", "account_name", "domain", "tier", "stars", "account_score", "tier_reason",
    "fit_score", "fit_reasons", "intent_score", "relationship_score", "engagement_score",
    "acv_estimate", "acv_band", "acv_source",
)
CSV_NAMES = {"Tier 1": "tier-1.csv", "Tier 2": "tier-2.csv", "Tier 3": "tier-3.csv",
             "Waitlist": "waitlist.csv", "Expansion": "expansion.csv",
             "Out of ICP": "out-of-icp.csv", "Fit unknown": "fit-unknown.csv",
             "Excluded": "excluded.csv"}
SCORE_BINS = [f"{low}-{low + 9}" for low in range(0, 90, 10)] + ["90-100"]


def display_frame(accounts: pd.DataFrame) -> pd.DataFrame:
    """The columns people read first, stars as "★★★★☆", then the rest of the hub."""
    shown = accounts.copy()
    if "stars" in shown.columns:
        shown["stars"] = shown["stars"].map(
            {n: star_text(n) for n in shown["stars"].dropna().unique()})
    first = [c for c in LEADING_COLUMNS if c in shown.columns]
    return shown[first + [c for c in shown.columns if c not in first]]


def tier_workbook_sheets(result: TierResult) -> list[Sheet | SummarySheet]:
    """Summary, then one sheet per tier (Tier 1 ... Out of ICP) sorted by account_score."""
    shown = display_frame(result.accounts)
    formats = {**hub_column_formats(shown.columns), "stars": ColumnFormat("text", width=9),
               "tier_reason": ColumnFormat(width=60)}
    sheets: list[Sheet | SummarySheet] = [summary_sheet(result)]
    for tier in result.model.shown_tiers():
        frame = shown[shown["tier"] == tier].reset_index(drop=True)
        sheets.append(Sheet(tier, frame, formats=formats, row_fill="tier",
                            fills={tier: TIER_FILLS[tier]}))
    return sheets


def summary_sheet(result: TierResult) -> SummarySheet:
    """Counts and programs per tier, the run's thresholds, coverage, and two charts."""
    return SummarySheet(
        "Summary",
        blocks=[("Tiers", tier_table(result)), ("Run", key_values(_run_facts(result))),
                ("Coverage", coverage_table(result.accounts)),
                ("Account scores", score_distribution(result.accounts))],
        charts=[Chart("column", "Accounts per tier", block="Tiers", values="accounts",
                      categories="tier"),
                Chart("column", "Distribution of account scores", block="Account scores",
                      values="accounts", categories="account_score")],
        formats={"accounts": ColumnFormat("int"), "share": ColumnFormat("percent"),
                 "cap": ColumnFormat("int")},
    )


def tier_table(result: TierResult) -> pd.DataFrame:
    """One row per tier: its name, the suggested program, the count and the cap."""
    counts = result.counts()
    total = max(len(result.accounts), 1)
    caps = result.model.tiers.caps()
    shown = result.model.shown_tiers()
    return pd.DataFrame({
        "tier": shown,
        "profile": [TIER_NAMES[t] for t in shown],
        "program": [PROGRAMS[t] for t in shown],
        "accounts": [counts[t] for t in shown],
        "share": [counts[t] / total for t in shown],
        "cap": pd.Series([caps.get(t) for t in shown], dtype="Int64"),  # blank: no cap
    })


def _run_facts(result: TierResult) -> dict[str, object]:
    tiers, acv = result.model.tiers, result.model.acv
    return {
        "Run date (signals aged against)": result.as_of,
        "Accounts": len(result.accounts),
        "Moved down by capacity caps": result.moved_down,
        "In the program: fit at least": tiers.min_fit,
        "Tier 1: fit at least": tiers.tier1_min_fit,
        "Recent intent: surge within days": tiers.recent_intent_days,
        "Recent engagement: activity, meeting, reply, form fill or spike within days":
            tiers.recent_engagement_days,
        "Large ACV from": acv.large,
        "Medium ACV from": acv.medium,
        "Strategic domains": ", ".join(sorted(result.model.strategic)) or "none",
        "Intent topics that count": ", ".join(result.model.relevant_topics) or "every topic",
        "CRM customers": {"tier": "tiered with the prospects",
                          "expansion": "listed apart (Expansion)",
                          "exclude": "left out (Excluded)"}[tiers.customers],
    }


# A hub column showing data of each family that has no score component.
UNSCORED_FAMILY_COLUMNS = {"crm": "crm_id"}


def coverage_table(accounts: pd.DataFrame) -> pd.DataFrame:
    """Accounts with data per family (the hub's has_* flags, else a family score)."""
    fallback = {family: (COMPONENTS[family].column if family in COMPONENTS
                         else UNSCORED_FAMILY_COLUMNS[family]) for family in FAMILIES}
    counts = []
    for family, column in fallback.items():
        if f"has_{family}" in accounts.columns:
            counts.append(int(flags(accounts, f"has_{family}").sum()))
        else:
            counts.append(int(accounts[column].notna().sum()) if column in accounts else 0)
    total = max(len(accounts), 1)
    return pd.DataFrame({"family": list(fallback), "accounts": counts,
                         "share": [count / total for count in counts]})


def score_distribution(accounts: pd.DataFrame) -> pd.DataFrame:
    """Accounts per 10-point band of account_score (90-100 includes 100)."""
    scores = numbers(accounts, "account_score").fillna(0).clip(0, 100)
    bins = np.minimum((scores // 10).astype("int64"), 9)
    counts = np.bincount(bins, minlength=10)
    return pd.DataFrame({"account_score": SCORE_BINS, "accounts": counts.astype("int64")})


def write_tier_csvs(result: TierResult, directory: Path) -> list[Path]:
    """One formula-safe CSV per tier in `directory` (created if needed)."""
    directory = ensure_folder(Path(directory), "CSV folder")
    shown = display_frame(result.accounts)
    return [write_csv(shown[shown["tier"] == tier], directory / CSV_NAMES[tier])
            for tier in result.model.shown_tiers()]


def tier_hub_file(hub_path: Path, out_path: Path, config: Config, *,
                  csv_dir: Path | None = None, as_of: dt.date | None = None,
                  caps: dict[str, int | None] | None = None) -> TierResult:
    """Read the Hub sheet of `hub_path`, tier it, write the tier workbook to `out_path`
    and, with `csv_dir`, one CSV per tier. `result.outputs` lists the files written."""
    hub_path, out_path = Path(hub_path), Path(out_path)
    refuse_writing_inputs({"-o": out_path}, [hub_path])
    hub = read_hub(hub_path)
    result = tier_accounts(hub, config, as_of=as_of, caps=caps, where=str(hub_path))
    with written_together():  # an unwritable --csv-dir leaves the old tiers.xlsx in place
        result.outputs.append(write_workbook(out_path, tier_workbook_sheets(result),
                                             facts_for(config, result.as_of)))
        if csv_dir is not None:
            result.outputs.extend(write_tier_csvs(result, Path(csv_dir)))
    return result
