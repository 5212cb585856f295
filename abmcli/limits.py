"""The ranges abm accepts for dates, durations and filters, in one place (see README "Limits").

pandas keeps dates as nanoseconds since 1970, which reach only from 1677-09-21 to
2262-04-11; a config date outside that range, or a duration that pushes a run date out
of it, would crash the scoring. abm therefore accepts run dates and filter dates from
EARLIEST_DATE to LATEST_DATE and durations up to MAX_SPAN_DAYS: a run date plus or minus
the longest duration stays well inside pandas' range.
"""

from __future__ import annotations

import datetime as dt

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)
MAX_SPAN_DAYS = 36_500  # 100 years
# Filters: parentheses nested deeper than this are refused (a clear message instead of
# Python's recursion limit), and so are filters longer than this many characters.
MAX_FILTER_DEPTH = 100
MAX_FILTER_CHARS = 1_000_000
# abm.toml: arrays and inline tables nested deeper than this are refused.
MAX_CONFIG_DEPTH = 20
# Numbers in messages: beyond this they are written in scientific notation.
LARGE_NUMBER = 1e15
# Vendor values abm takes as plausible; a cell outside is read as empty and named in a
# load note. Money (revenue, funding, ACV, deal amounts) runs from 0 to ten trillion
# dollars, above any company's annual revenue (the largest are near 7e11): 1e308 or
# 99999999999999999999999 is a placeholder or a typo, and a negative revenue is no
# revenue. Intent and relationship scores are 0-100 (Bombora's composite score,
# ZoomInfo's and 6sense's intent scores, the hub's relationship score).
MAX_AMOUNT = 1e13
SCORE_RANGE = (0.0, 100.0)

DATE_RANGE_TEXT = f"{EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}"
DURATION_UNITS = {"days": 1, "weeks": 7}


def date_problem(value: dt.date) -> str | None:
    """Why `value` is not a date abm accepts, or None when it is."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if EARLIEST_DATE <= day <= LATEST_DATE:
        return None
    return f"{day.isoformat()} is outside the dates abm accepts ({DATE_RANGE_TEXT})"


def span_problem(count: float, unit: str) -> str | None:
    """Why `count` `unit` ("days" or "weeks") is not a duration abm accepts, or None."""
    most = MAX_SPAN_DAYS // DURATION_UNITS[unit]
    if 0 <= count <= most:
        return None
    return (f"{number_text(count)} {unit} is outside the durations abm accepts "
            f"(0 to {most:,} {unit}, 100 years)")


def number_text(value: float) -> str:
    """A number as a message shows it: 1,250 or 12.5, and 1e+308 rather than 309 digits."""
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if abs(value) >= LARGE_NUMBER:
        return f"{value:.3g}"
    if float(value).is_integer():
        return f"{int(value):,}"
    if abs(value) >= 1:
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:.4g}"
