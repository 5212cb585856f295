"""The scorecard in the weekly run: `[inputs]` opportunities and contacts are measured
against the week's tiers, written as scorecard.xlsx with a Trend sheet over the earlier
weeks' summary.json, and their KPIs go into this week's summary.json under "measure"."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from abmcli.config import Config
from abmcli.errors import InputFileError
from abmcli.fields import MEASURE_FAMILIES
from abmcli.measure.config import measure_model
from abmcli.measure.scorecard import measure_accounts
from abmcli.measure.workbook import lineage_csv_path, scorecard_json, scorecard_sheets
from abmcli.outputs.hub_workbook import LINEAGE_SHEET_MAX_ROWS
from abmcli.safe import write_csv
from abmcli.sources.load import Source
from abmcli.xlsx.workbook import Chart, ColumnFormat, SummarySheet, write_workbook

SCORECARD = "scorecard.xlsx"
_WEEK = re.compile(r"^\d{4}-W\d{2}$")
TREND_KPIS = ("engaged_target_accounts", "target_with_3_contacts_share",
              "persona_coverage_75_share", "target_pipeline", "influenced_share")


def merge_inputs_only(config: Config) -> Config:
    """The config with only the families abm merges in `[inputs]`."""
    return dataclasses.replace(config, inputs={
        f: p for f, p in config.inputs.items() if f not in MEASURE_FAMILIES})


def measure_inputs_only(config: Config) -> Config:
    return dataclasses.replace(config, inputs={
        f: p for f, p in config.inputs.items() if f in MEASURE_FAMILIES})


@dataclass
class WeekMeasure:
    summary: dict[str, Any] | None = None
    files: list[str] = field(default_factory=list)
    failures: list[tuple[str, str, str | None, str]] = field(default_factory=list)


def measure_week(config: Config, accounts: pd.DataFrame, run_date: dt.date, week: str,
                 folder: Path, out_dir: Path, resolved: list[Any], failures: list[Any],
                 engagement: Sequence[Source] = ()) -> WeekMeasure:
    """Measure the week when `[inputs]` names opportunities or contacts; the week's
    engagement sources are the engagement history."""
    result = WeekMeasure(failures=[(f.family, f.pattern, f.path, f.problem) for f in failures])
    paths: dict[str, list[str]] = {family: [] for family in MEASURE_FAMILIES}
    for entry in resolved:
        paths[entry.family].append(str(entry.path))
    if not any(paths.values()):
        return result
    model = measure_model(config)
    try:
        card = measure_accounts(accounts, config, model,
                                opportunities=paths["opportunities"],
                                contacts=paths["contacts"], engagement=engagement,
                                as_of=run_date)
    except InputFileError as error:
        result.failures.append(("measure", "", error.path, str(error)))
        return result
    summary = scorecard_json(card)
    summary.pop("groups", None)
    trend = trend_table(out_dir, week, card.kpis, model.settings.program_start, run_date)
    in_workbook = len(card.lineage) <= LINEAGE_SHEET_MAX_ROWS
    sheets = [*scorecard_sheets(card, in_workbook), trend_sheet(trend)]
    write_workbook(folder / SCORECARD, sheets)
    result.files = [SCORECARD]
    if not in_workbook:
        lineage = write_csv(card.lineage, lineage_csv_path(folder / SCORECARD))
        result.files.append(lineage.name)
    result.summary = {"kpis": summary["kpis"], "rules": summary["rules"],
                      "issues": summary["issues"], "gaps": summary["gaps"],
                      "inputs": summary["inputs"]}
    return result


def trend_table(out_dir: Path, week: str, kpis: dict[str, object],
                program_start: dt.date | None, as_of: dt.date) -> pd.DataFrame:
    """One row per week: the earlier weeks' measure KPIs from their summary.json, then
    this week's; `period` says baseline (before program_start) or program."""
    rows = []
    for folder in sorted(p for p in out_dir.iterdir() if _WEEK.match(p.name) and p.name < week):
        try:
            earlier = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        measured = earlier.get("measure") or {}
        if measured.get("kpis"):
            rows.append(_trend_row(folder.name, earlier.get("as_of"), measured["kpis"],
                                   program_start))
    rows.append(_trend_row(week, as_of.isoformat(), kpis, program_start))
    return pd.DataFrame(rows)


def _trend_row(week: str, as_of: object, kpis: dict[str, Any],
               program_start: dt.date | None) -> dict[str, object]:
    day = dt.date.fromisoformat(str(as_of)) if isinstance(as_of, str) else None
    period = "" if program_start is None or day is None else (
        "baseline" if day < program_start else "program")
    return {"week": week, "period": period, **{k: kpis.get(k) for k in TREND_KPIS}}


def trend_sheet(trend: pd.DataFrame) -> SummarySheet:
    percent = ColumnFormat("percent")
    charts = [Chart("line", title, "Trend", column, "week")
              for column, title in (("engaged_target_accounts", "Engaged target accounts"),
                                    ("target_with_3_contacts_share",
                                     "Target accounts with 3+ contacts"),
                                    ("target_pipeline", "Target pipeline"))
              if column in trend and trend[column].notna().any()]
    return SummarySheet("Trend", [("Trend", trend)], charts,
                        {"target_with_3_contacts_share": percent,
                         "persona_coverage_75_share": percent, "influenced_share": percent})
