"""Write what `abm merge` produced: the hub workbook, the lineage CSV, the review template.

The workbook has the sheets Summary, Hub, Review, Rejected and, when it is small
enough to open comfortably, Lineage (every input row and where it went).
"""

from __future__ import annotations

import contextvars
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from abmcli.config import Config
from abmcli.fields import FAMILIES
from abmcli.matching.decisions import update_decisions_file
from abmcli.outputs.readback import merge_summary
from abmcli.safe import write_csv_parts, written_together
from abmcli.stages.merge import LINEAGE_COLUMNS, MergeResult
from abmcli.xlsx.columns import hub_column_formats
from abmcli.xlsx.provenance import facts_for
from abmcli.xlsx.workbook import (
    ColumnFormat,
    Sheet,
    SummarySheet,
    key_values,
    write_workbook,
)

# Past this many input rows the lineage goes to CSV only: a sheet that size makes the
# workbook slow to write and to open, and nobody scrolls it.
LINEAGE_SHEET_MAX_ROWS = 200_000



@dataclass
class WrittenFiles:
    hub: Path
    lineage: Path | None
    decisions: Path | None
    lineage_in_workbook: bool


def write_merge_outputs(
    result: MergeResult, hub_path: Path, lineage_path: Path | None = None,
    decisions_path: Path | None = None, config: Config | None = None,
) -> WrittenFiles:
    """Write the hub workbook and, when asked, the lineage CSV; add open candidates to
    the decisions file (default: `<hub>-decisions.csv` beside the hub)."""
    in_workbook = result.lineage_rows <= LINEAGE_SHEET_MAX_ROWS
    candidates = result.open_candidate_rows()
    if decisions_path is None and not candidates.empty:
        decisions_path = Path(hub_path).with_name(f"{Path(hub_path).stem}-decisions.csv")
    with written_together(), ThreadPoolExecutor(1) as beside:
        # An unwritable --lineage leaves the old hub in place. The lineage (a streamed
        # feed's runs to tens of millions of lines, joined in pyarrow without the
        # interpreter lock) is written while the workbook is.
        lineage = None if lineage_path is None else beside.submit(
            contextvars.copy_context().run, write_csv_parts, result.lineage_csv_parts(),
            Path(lineage_path))
        facts = facts_for(config, config.as_of) if config is not None else None
        write_workbook(Path(hub_path), hub_sheets(result, in_workbook), facts)
        if lineage is not None:
            lineage.result()
        if decisions_path is not None and not candidates.empty:
            update_decisions_file(Path(decisions_path), candidates)
    return WrittenFiles(Path(hub_path), lineage_path, decisions_path, in_workbook)


def hub_sheets(result: MergeResult, lineage_in_workbook: bool = True) -> list[Sheet | SummarySheet]:
    formats = hub_column_formats(result.hub.columns)
    sheets: list[Sheet | SummarySheet] = [
        summary_sheet(result, lineage_in_workbook),
        Sheet("Hub", result.hub, formats=formats),
        Sheet("Review", result.review, formats={"score": ColumnFormat("score")}),
        Sheet("Conflicts", conflicts_table(result.hub),
              formats={"value_conflicts": ColumnFormat(width=60),
                       "revenue": ColumnFormat("money"), "employees": ColumnFormat("int")}),
        Sheet("Rejected", result.rejected),
    ]
    if lineage_in_workbook:
        sheets.append(Sheet("Lineage", result.full_lineage()[LINEAGE_COLUMNS]))
    return sheets


CONFLICT_COLUMNS = ("account_id", "account_name", "domain", "value_conflicts", "employees",
                    "employees_source", "revenue", "revenue_source", "crm_id", "crm_owner")


def conflicts_table(hub: pd.DataFrame) -> pd.DataFrame:
    """The accounts whose sources disagree materially on employees or revenue: the
    values the hub used and the others, for someone to check at the source."""
    columns = [c for c in CONFLICT_COLUMNS if c in hub.columns]
    if "value_conflicts" not in hub.columns:
        return pd.DataFrame(columns=columns)
    flagged = hub["value_conflicts"].fillna("").astype(str) != ""
    return hub.loc[flagged, columns].reset_index(drop=True)


def summary_sheet(result: MergeResult, lineage_in_workbook: bool) -> SummarySheet:
    counts = result.match_counts()
    overview = {
        "Accounts": len(result.hub),
        "Input rows": result.rows_in,
        "Rows placed on an account": result.rows_in - counts["rejected"],
        "Rows rejected (see Rejected)": counts["rejected"],
        "Candidate pairs to review (see Review)": result.open_candidates(),
        "Look-alikes the evidence separates (last on Review)": result.separated_pairs(),
        "Accounts whose sources disagree (see Conflicts)": len(conflicts_table(result.hub)),
        "Lineage": "sheet Lineage" if lineage_in_workbook else "in the lineage CSV only "
        f"({result.lineage_rows:,} rows is too many for a sheet)",
    }
    files = pd.DataFrame([
        {"file": f.source_file, "family": f.family, "layout": f.vendor, "rows": f.rows,
         **f.matched} for f in result.files])
    matches = pd.DataFrame({"match": list(counts), "rows": list(counts.values())})
    coverage = pd.DataFrame({
        "family": list(FAMILIES),
        "accounts": [int(result.hub[f"has_{f}"].sum()) if len(result.hub) else 0
                     for f in FAMILIES],
        "share": list(result.coverage().values()),
    })
    return merge_summary([("Merge", key_values(overview)), ("Files", files),
                          ("Matches", matches), ("Coverage", coverage)])
