"""Cells a field cannot use, named at load time.

A count, amount, score or date abm cannot read (an employee count of 1e19, a revenue
of 1e308 or -1,000,000, a composite score of 150, a close date in 9999, "lots" as page
views) is left empty where it is used; this module counts such cells
per column, so a note says which column holds them and shows a few, instead of the
values vanishing. The parsers are the ones the hub and the scorecard use.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from abmcli.fields import ACTIVITY_FIELDS
from abmcli.keys.values import (
    parse_activity,
    parse_amount,
    parse_count_or_range,
    parse_date,
    parse_dates,
    parse_numbers,
    parse_relationship_scores,
    parse_score,
    undecided_day_order,
)
from abmcli.sources.layouts import Layout

EXAMPLES = 3  # cells quoted per note
EXAMPLE_CHARS = 30  # a quoted cell is cut to this many characters

# field -> what a readable value is, and how the column is parsed (NaN or None: unread)
ColumnParser = Callable[[pd.Series], pd.Series]
COUNTS: dict[str, tuple[str, ColumnParser]] = {
    "employees": ("an employee count", lambda v: parse_numbers(v, parse_count_or_range)),
    **{field: ("an activity count", lambda v: parse_numbers(v, parse_activity))
       for field in ACTIVITY_FIELDS},
}
MONEY = "an amount from 0 to 10 trillion"
AMOUNTS: dict[str, tuple[str, ColumnParser]] = {
    **dict.fromkeys(("revenue", "funding", "acv", "opportunity_amount", "amount"),
                    (MONEY, lambda v: parse_numbers(v, parse_amount))),
    **dict.fromkeys(("revenue_thousands", "funding_thousands"),
                    (MONEY, lambda v: parse_numbers(v, lambda t: parse_amount(t, 1000)))),
}
DATE_FIELDS = ("date", "last_email", "last_meeting", "last_activity", "spike_start",
               "spike_end", "renewal_date", "created_date", "close_date")
READERS: dict[str, tuple[str, ColumnParser]] = {
    **COUNTS,
    **AMOUNTS,
    **dict.fromkeys(DATE_FIELDS, ("a date from 1900 to 2099", parse_dates)),
}
# Fields one name stands for differently per family: a score.
FAMILY_READERS: dict[str, dict[str, tuple[str, ColumnParser]]] = {
    "intent": {"score": ("a score from 0 to 100", lambda v: parse_numbers(v, parse_score))},
    "relationship": {"score": ("a score from 0 to 100 or Weak ... Very Strong",
                               parse_relationship_scores)},
}


# Families whose rows are dated reports or weeks: in a file with dated rows, a row whose
# date is blank or unreadable belongs to no report or week, and what that means.
UNDATED_ROWS = {
    "intent": "left out of the intent columns: an undated row belongs to no report, so "
              "it is never the latest",
    "engagement": "left out of the engagement totals and spikes: an undated row belongs "
                  "to no week",
}


def unread_notes(records: pd.DataFrame, layout: Layout) -> list[str]:
    """One note per column with filled cells its field cannot read."""
    headers = {field: header for header, field in layout.columns.items()}
    notes = []
    undated = undated_note(records, layout.family, headers.get("date", "date"))
    if undated:
        notes.append(undated)
    for field, (what, parse) in {**READERS, **FAMILY_READERS.get(layout.family, {})}.items():
        if field not in records or (undated and field == "date"):
            continue
        unread = _unread_cells(records[field], parse)
        if unread.any():
            notes.append(_note(headers.get(field, field), what,
                               records[field][unread].astype(str)))
    return notes


def _unread_cells(values: pd.Series, parse: ColumnParser) -> np.ndarray:
    """Which cells hold text that `parse` reads as empty: decided once per distinct
    value (a parser reads a column by its set of values, never by their counts)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    distinct = pd.Series(uniques, dtype=object)
    unread = distinct.astype(str).str.strip().ne("") & parse(distinct).isna()
    return np.append(unread.to_numpy(dtype=bool), False)[codes]


def date_order_notes(records: pd.DataFrame, layout: Layout, file_name: str) -> list[str]:
    """A note per date column whose numeric dates read either way (09/11/2026) with
    nothing in the column to tell: which reading abm took and how to choose the other."""
    headers = {field: header for header, field in layout.columns.items()}
    notes = []
    for field in DATE_FIELDS:
        if field not in records:
            continue
        undecided = undecided_day_order(pd.unique(records[field].dropna()))
        if undecided is None:
            continue
        day_first, ambiguous = undecided
        example = ambiguous[0]
        taken = parse_date(example, day_first)
        reading = "day first" if day_first else "month first"
        notes.append(
            f"'{headers.get(field, field)}': dates such as {_quoted(example)} read either "
            f"way and none in the column tells; read {reading} ({example} = "
            f"{taken:%d %B %Y}). If the export writes the "
            f"{'month' if day_first else 'day'} first, add to abm.toml a [[mapping]] with "
            f"file = \"{file_name}\" and day_first = {'false' if day_first else 'true'}")
    return notes


def _note(header: str, what: str, cells: pd.Series) -> str:
    shown = [_quoted(cell) for cell in pd.unique(cells)[:EXAMPLES]]
    more = ", ..." if cells.nunique() > EXAMPLES else ""
    count = len(cells)
    return (f"'{header}': {count:,} cell{'s' if count != 1 else ''} not "
            f"{what} ({', '.join(shown)}{more}), read as empty")


def _quoted(cell: str) -> str:
    cell = cell.strip()
    return repr(cell if len(cell) <= EXAMPLE_CHARS else cell[:EXAMPLE_CHARS] + "...")


def undated_rows(dates: pd.Series) -> pd.Series:
    """Rows of a date column (raw cells) that are left out as undated: blank or unreadable
    while another row is dated. A column with no readable date leaves none out: such a
    file is one undated report, counted whole like a file without a date column."""
    parsed = parse_dates(dates)
    missing = parsed.isna() & dates.notna()
    return missing if parsed.notna().any() else missing & False


def undated_note(records: pd.DataFrame, family: str, header: str) -> str | None:
    """The note on rows an intent or engagement file leaves out for want of a date."""
    if family not in UNDATED_ROWS or "date" not in records:
        return None
    left_out = undated_rows(records["date"])
    if not left_out.any():
        return None
    cells = records["date"][left_out].fillna("").astype(str).str.strip()
    count = int(left_out.sum())
    shown = [_quoted(c) if c else "(blank)" for c in pd.unique(cells)[:EXAMPLES]]
    more = ", ..." if cells.nunique() > EXAMPLES else ""
    return (f"'{header}': {count:,} row{'s' if count != 1 else ''} with no readable date "
            f"({', '.join(shown)}{more}), {UNDATED_ROWS[family]}")
