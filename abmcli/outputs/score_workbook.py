"""The scored hub workbook: `abm score` rewrites the hub with its scores and a Scores
sheet (stars, coverage per family, the fit rules, the star grid).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from abmcli.config import Config
from abmcli.outputs.readback import copied_sheets, read_hub
from abmcli.safe import written_together
from abmcli.stages.score import (
    ENGAGEMENT_LEVELS,
    STAR_FIT_ROWS,
    ScoreModel,
    ScoreResult,
    score_hub,
    star_text,
)
from abmcli.xlsx.columns import hub_column_formats
from abmcli.xlsx.provenance import facts_for
from abmcli.xlsx.workbook import (
    Chart,
    ColumnFormat,
    Sheet,
    SummarySheet,
    sheet_names,
    write_workbook,
)


def score_hub_file(hub_path: Path, config: Config, out_path: Path | None = None,
                   as_of: dt.date | None = None) -> ScoreResult:
    """Score the Hub sheet of `hub_path` and write the workbook back (or to `out_path`).

    The other sheets are copied as they read back (the merge's charts are not kept),
    and a Scores sheet is added with the star counts and the coverage per family.
    The write is atomic: a failure leaves the original file as it was.
    """
    hub_path = Path(hub_path)
    names = sheet_names(hub_path)
    hub = read_hub(hub_path)
    result = score_hub(hub, config, as_of, str(hub_path))
    copies = copied_sheets(hub_path, leave_out={"Hub", "Scores"})
    sheets: list[Sheet | SummarySheet] = [
        Sheet("Hub", result.hub, formats=hub_column_formats(result.hub.columns))
        if name == "Hub" else copies[name] for name in names if name != "Scores"]
    sheets.insert(names.index("Hub") + 1, scores_sheet(result))
    with written_together():  # one file today; the same mechanism as every command's
        write_workbook(out_path or hub_path, sheets, facts_for(config, result.as_of))
    return result


def scores_sheet(result: ScoreResult) -> SummarySheet:
    """Stars and coverage per family, with the ICP rules and weights that produced them."""
    stars = result.star_counts()
    coverage = result.coverage()
    total = max(len(result.hub), 1)
    rules = pd.DataFrame({"rule": [r.label for r in result.model.rules],
                          "requirement": [r.requirement() for r in result.model.rules],
                          "weight": [r.weight for r in result.model.rules]})
    return SummarySheet(
        "Scores",
        blocks=[
            ("Stars", pd.DataFrame({"stars": [star_text(n) for n in stars],
                                    "accounts": list(stars.values())})),
            ("Signal per family", pd.DataFrame({
                "family": list(coverage), "accounts": list(coverage.values()),
                "share": [n / total for n in coverage.values()],
                "weight": [result.model.scoring.weights.get(f, 0.0) for f in coverage]})),
            ("Fit rules", rules),
            ("Stars: fit x engagement", star_grid_table(result.model)),
        ],
        charts=[Chart("column", "Accounts per star rating", block="Stars", values="accounts",
                      categories="stars")],
        formats={"accounts": ColumnFormat("int"), "share": ColumnFormat("percent")},
    )


def star_grid_table(model: ScoreModel) -> pd.DataFrame:
    """The star grid as the Scores sheet shows it: a row per fit band, a column per
    engagement level in the window."""
    tiers = model.tiers
    bands = {"high_fit": f"fit {tiers.tier1_min_fit:g}+",
             "medium_fit": f"fit {tiers.min_fit:g}+", "low_fit": f"fit below {tiers.min_fit:g}"}
    window = f" in {tiers.recent_engagement_days} days"
    return pd.DataFrame(
        [[bands[row], *(star_text(stars) for stars in model.scoring.star_grid[row])]
         for row in STAR_FIT_ROWS],
        columns=["fit", *(level + window for level in ENGAGEMENT_LEVELS)])
