"""Reading account columns whatever type the workbook gave back: numbers, text, dates,
flags and ages. Every stage reads hub columns through these, so a column a hub lacks,
a cell a user typed as text, or a vendor's 9999-12-31 reads the same everywhere."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from abmcli.keys.values import parse_dates
from abmcli.limits import MAX_AMOUNT, SCORE_RANGE

# Hub columns with a plausible range (limits.py): a merged hub holds nothing outside
# it, but a hub edited by hand may (a revenue of 1e308 would pass any ICP minimum), so
# every stage reads such a cell as unknown, as the merge reads the vendor's cell.
PLAUSIBLE = {
    **dict.fromkeys(("revenue", "funding", "crm_acv", "crm_open_opportunity"),
                    (0.0, MAX_AMOUNT)),
    **dict.fromkeys(("intent_max_score", "intent_mean_score", "relationship_score"),
                    SCORE_RANGE),
}
TOPIC_SCORE_PREFIX = "intent_topic_"  # intent_topic_<slug>: a topic's latest score

_TRUE_TEXTS = frozenset({"true", "yes", "y", "1", "1.0", "x"})


def numbers(hub: pd.DataFrame, column: str) -> pd.Series:
    """`column` as floats; absent columns, unreadable cells and values outside the
    column's plausible range (`PLAUSIBLE`) are NaN."""
    if column not in hub.columns:
        return pd.Series(np.nan, index=hub.index, dtype="float64")
    values = pd.to_numeric(hub[column], errors="coerce").astype("float64")
    bounds = PLAUSIBLE.get(column, SCORE_RANGE if column.startswith(TOPIC_SCORE_PREFIX)
                           else None)
    return values if bounds is None else values.where(values.between(*bounds))


def hub_dates(hub: pd.DataFrame, column: str) -> pd.Series:
    """`column` as timestamps (NaT when missing or unreadable), in seconds: a vendor's
    0001-01-01 or 9999-12-31 is out of reach of nanoseconds but still a date."""
    if column not in hub.columns:
        return pd.Series(pd.NaT, index=hub.index, dtype="datetime64[s]")
    values = hub[column]
    if pd.api.types.is_datetime64_any_dtype(values):
        return (values.dt.tz_localize(None) if values.dt.tz else values).astype(
            "datetime64[s]")
    # Through values.parse_dates, so a date out of range (9999-12-31 typed into a hub) is
    # no date, as it is when a vendor file holds it.
    parsed = pd.to_datetime(parse_dates(values), errors="coerce")
    if not pd.api.types.is_datetime64_any_dtype(parsed):  # all missing: object NaT
        return pd.Series(pd.NaT, index=hub.index, dtype="datetime64[s]")
    return parsed.astype("datetime64[s]")


def dates(hub: pd.DataFrame, column: str) -> pd.Series:
    """`column` as timestamps (NaT when missing or unreadable)."""
    return hub_dates(hub, column)


def flags(hub: pd.DataFrame, column: str) -> pd.Series:
    """`column` as booleans: TRUE/yes/1 are true, anything else (or missing) false."""
    if column not in hub.columns:
        return pd.Series(False, index=hub.index)
    values = hub[column]
    if pd.api.types.is_bool_dtype(values):
        return values.fillna(False).astype(bool)
    distinct = values.dropna().unique()
    truth = {v: str(v).strip().lower() in _TRUE_TEXTS for v in distinct}
    return values.map(truth).eq(True)


def days_between(when: pd.Series, as_of: dt.date) -> pd.Series:
    """Whole days from `when` to the run date; future dates count as 0, NaT as NaN."""
    delta = (pd.Timestamp(as_of).as_unit("s") - when.astype("datetime64[s]")).dt.days
    return delta.astype("float64").clip(lower=0)


def days_since(when: pd.Series, as_of: dt.date) -> pd.Series:
    """Whole days from `when` to the run date; future dates count as 0, NaT as NaN."""
    return days_between(when, as_of)


def age_in_days(hub: pd.DataFrame, column: str, as_of: dt.date) -> pd.Series:
    """Whole days from the column's date to the run date; future dates 0, missing NaN."""
    return days_between(hub_dates(hub, column), as_of)
