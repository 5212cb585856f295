"""The scorecard workbook and its JSON: what `abm measure` and the weekly run write."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pandas as pd

from abmcli.measure.scorecard import ALL_TARGET, GROUPS, Scorecard
from abmcli.outputs.hub_workbook import LINEAGE_SHEET_MAX_ROWS
from abmcli.safe import write_csv
from abmcli.xlsx.workbook import (
    Chart,
    ColumnFormat,
    Sheet,
    SummarySheet,
    key_values,
    write_workbook,
)

PERCENT = ColumnFormat("percent")
# Amounts in the report currency ([measure] currency), which may not be dollars.
AMOUNT = ColumnFormat("int")
AMOUNT_COLUMNS = ("pipeline created", "open pipeline", "won amount", "influenced pipeline",
                  "amount")


def rules(card: Scorecard) -> dict[str, object]:
    """How each figure is computed, in the words the Scorecard sheet shows."""
    settings = card.model.settings
    period = f"opportunities created on or after {card.since}" if card.since else (
        "all opportunities in the file (no --since)")
    return {
        "As of": card.as_of,
        "Period": period,
        "Target accounts": "Tier 1, Tier 2 and Tier 3; every other hub account is non-target",
        "Engaged": "the account's last engagement (hub) or a contact's last activity falls "
                   "in the period" if card.since else
                   "any engagement on record (hub) or any contact activity",
        "Influenced": f"the account engaged within {settings.influence_days} days before "
                      "the opportunity was created",
        "Engagement dates": "each account's last engagement (hub), each contact's last "
                            "activity, and every dated row with activity of the engagement "
                            "exports given (--engagement; the week's engagement inputs in "
                            "abm run)",
        "Win rate": "won / (won + lost) of the period's opportunities",
        "Average deal": "mean amount of won deals",
        "Days to close": "mean days from created to close date of won deals",
        "Lift": f"target / cohort; '{'too few deals'}' when either side has fewer than "
                f"{settings.min_deals} deals",
        "Amounts": f"in {settings.currency}; rows with negative, unreadable or unconverted "
                   "amounts count without an amount (see Issues)",
    }


def scorecard_sheets(card: Scorecard, lineage_in_workbook: bool = True
                     ) -> list[Sheet | SummarySheet]:
    blocks: list[tuple[str, pd.DataFrame]] = [
        ("Key figures", _kpi_block(card, shares=False)),
        ("Key shares", _kpi_block(card, shares=True)),
        ("How it is computed", key_values(rules(card), "figure", "rule")),
        *([("Notes", pd.DataFrame({"note": card.notes}))] if card.notes else []),
        ("Funnel", card.funnel),
        ("Funnel of target accounts", _funnel_chart_block(card.funnel)),
        ("Pipeline by group", card.pipeline),
        ("Lift: target accounts against cohorts", card.lift),
        ("Coverage", card.coverage),
        ("Coverage by persona", card.persona_coverage),
    ]
    formats = dict.fromkeys((
        "engaged %", "opportunity %", "won % of opportunity", "influenced %", "covered %",
        "with fit data %", "with contacts %", "with 3+ contacts %",
        "covering 75%+ of personas %", "persona coverage %", "share"), PERCENT)
    formats.update(dict.fromkeys(AMOUNT_COLUMNS, AMOUNT))
    charts = [
        Chart("column", "Funnel of target accounts", "Funnel of target accounts",
              "accounts", "stage"),
        Chart("column", "Pipeline created by group", "Pipeline by group",
              "pipeline created", "group"),
        Chart("bar", "Target accounts covered per persona", "Coverage by persona",
              "target accounts covered", "persona"),
    ]
    sheets: list[Sheet | SummarySheet] = [
        SummarySheet("Scorecard", blocks, charts, formats)]
    sheets += [
        Sheet("Accounts", card.accounts, {"persona coverage %": PERCENT}),
        Sheet("Buying committees", card.committee),
        Sheet("Gaps", card.gaps),
        Sheet("Opportunities", card.opportunities, {"amount": AMOUNT}),
        Sheet("Issues", card.issues),
    ]
    if lineage_in_workbook:
        sheets.append(Sheet("Lineage", card.lineage))
    return sheets


def _kpi_block(card: Scorecard, shares: bool) -> pd.DataFrame:
    """The KPIs that are shares (shown as percentages) or the others."""
    def is_share(key: str) -> bool:
        return key.endswith(("_share", "_rate")) or "_share_" in key

    picked = {k.replace("_", " "): _cell(v) for k, v in card.kpis.items()
              if is_share(k) == shares}
    return key_values(picked, "figure", "share" if shares else "value")


def _cell(value: object) -> object:
    if isinstance(value, float):
        return round(value, 4)
    return value


def _funnel_chart_block(funnel: pd.DataFrame) -> pd.DataFrame:
    row = funnel[funnel["group"] == ALL_TARGET]
    values = row.iloc[0] if len(row) else pd.Series(
        {"accounts": 0, "engaged": 0, "with opportunity": 0, "won": 0})
    stages = ["accounts", "engaged", "with opportunity", "won"]
    return pd.DataFrame({"stage": ["target", "engaged", "opportunity", "won"],
                         "accounts": [int(values[s]) for s in stages]})


def write_scorecard(card: Scorecard, path: Path) -> list[Path]:
    """The scorecard workbook; over LINEAGE_SHEET_MAX_ROWS input rows the lineage goes
    to a CSV beside it (`scorecard-lineage.csv`) instead of a sheet. The files written."""
    path = Path(path)
    in_workbook = len(card.lineage) <= LINEAGE_SHEET_MAX_ROWS
    written = [write_workbook(path, scorecard_sheets(card, in_workbook))]
    if not in_workbook:
        written.append(write_csv(card.lineage, lineage_csv_path(path)))
    return written


def lineage_csv_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}-lineage.csv")


def scorecard_json(card: Scorecard) -> dict[str, Any]:
    """Everything a script needs: KPIs, rules and the small tables."""
    return _plain({
        "as_of": card.as_of, "since": card.since, "kpis": card.kpis,
        "rules": rules(card), "funnel": card.funnel.to_dict("records"),
        "pipeline": card.pipeline.to_dict("records"), "lift": card.lift.to_dict("records"),
        "coverage": card.coverage.to_dict("records"),
        "personas": card.persona_coverage.to_dict("records"),
        "issues": len(card.issues), "gaps": len(card.gaps), "inputs": card.inputs,
        "notes": card.notes, "groups": list(GROUPS),
    })


def _plain(value: Any) -> Any:
    """JSON-ready: dates as ISO text, NaN as null, numpy numbers as Python numbers."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is None:
        return None
    return value
