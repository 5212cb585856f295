"""Reading abm's own workbooks back: the accounts of a hub or tier workbook, typed as
the schema declares their columns, and the other sheets of a hub as they were written.

Every command that takes a workbook abm wrote (score, tier, explain, segment, diff,
measure, and `abm run` reading last week's tiers) reads it here, so a hand-edited sheet
is judged the same way everywhere. This module imports no stage: stages read their
input workbooks through it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from abmcli import schema
from abmcli.errors import AbmError
from abmcli.xlsx.workbook import (
    Chart,
    ColumnFormat,
    Sheet,
    SummarySheet,
    read_blocks,
    read_sheet,
    require_columns,
    sheet_names,
)

HUB_SHEET = "Hub"
HUB_HINT = "give the hub workbook written by abm merge"
SUMMARY_SHEET = "Summary"


def read_hub(path: Path, hint: str = HUB_HINT) -> pd.DataFrame:
    """The Hub sheet of the hub workbook at `path`, its columns typed as declared."""
    path = Path(path)
    return _accounts_sheet(path, HUB_SHEET, hint)


def read_accounts(path: Path) -> pd.DataFrame:
    """The accounts of a hub workbook (sheet Hub) or a tier workbook (the tier sheets)."""
    path = Path(path)
    return joined_accounts(read_account_sheets(path, account_sheets(path)))


def account_sheets(path: Path) -> list[str]:
    """The sheets `read_accounts` reads: Hub, else the tier sheets in tier order."""
    path = Path(path)
    names = sheet_names(path)
    if HUB_SHEET in names:
        return [HUB_SHEET]
    tier_sheets = [name for name in schema.TIER_VALUES if name in names]
    if not tier_sheets:
        raise AbmError(f"{path}: has neither a Hub sheet nor tier sheets (sheets: "
                       f"{', '.join(names)}); give the hub from abm merge or the tiers "
                       "from abm tier")
    return tier_sheets


def read_account_sheets(path: Path, sheets: list[str]) -> list[pd.DataFrame]:
    """Each of `sheets` (of `account_sheets`) as `read_accounts` reads it: a run reads
    last week's in two workers, a part each."""
    return [_accounts_sheet(Path(path), name) for name in sheets]


def joined_accounts(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The accounts of the sheets read, in the order of `account_sheets`, in one frame."""
    return pd.concat([f for f in frames if not f.empty] or frames[:1], ignore_index=True)


def _accounts_sheet(path: Path, sheet: str, hint: str | None = None) -> pd.DataFrame:
    """One sheet of accounts: row 1 names every column, the identity columns are there,
    and the declared columns come back as their declared types."""
    more = {"hint": hint} if hint is not None else {}
    frame = read_sheet(path, sheet, named_columns=True, types=schema.type_of, **more)
    return require_columns(frame, path, sheet)


def copied_sheets(path: Path, leave_out: set[str]) -> dict[str, Sheet | SummarySheet]:
    """The sheets of the hub workbook at `path` other than `leave_out`, as they read
    back, ready to be written again (the merge's Summary with its chart)."""
    path = Path(path)
    return {name: (merge_summary(read_blocks(path, name)) if name == SUMMARY_SHEET
                   else Sheet(name, read_sheet(path, name)))
            for name in sheet_names(path) if name not in leave_out}


def merge_summary(blocks: list[tuple[str, pd.DataFrame]]) -> SummarySheet:
    """The merge's Summary sheet from its blocks: written by abm merge, and again when
    `abm score` rewrites a hub."""
    titles = {title for title, _ in blocks}
    charts = [Chart("bar", "Accounts with data per family", block="Coverage",
                    values="accounts", categories="family")] if "Coverage" in titles else []
    return SummarySheet(SUMMARY_SHEET, blocks=blocks, charts=charts,
                        formats={"share": ColumnFormat("percent"), "rows": ColumnFormat("int"),
                                 "accounts": ColumnFormat("int")})
