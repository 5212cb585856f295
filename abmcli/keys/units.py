"""The scale of a file's money and count columns: dollars, thousands, millions, billions.

Real company lists rarely write revenue in dollars. Fortune's `revenues` column holds
`$572,754` for Walmart (millions), Forbes writes `Revenue (Billions)`, ZoomInfo
`Revenue (in 000s USD)`, CB Insights `$7.44B` in the cell. The scale of a column is
decided once per file, in this order:

1. a cell that names its own scale (`36.9 M`, `$7.44B`, `270B`, `3T`) is read as written;
2. a unit in the header (`Revenue ($M)`, `revenue_millions`, `Sales ($billion)`,
   `Revenue (in 000s USD)`) scales the other cells of that column;
3. a revenue column of a file no known vendor layout matched, with neither, is in
   millions when the median of its numbers is under 100,000 (MILLIONS_BELOW): no list of
   companies has a median revenue under $100,000, while a list in millions of dollars
   (Fortune 1000: median about 5,000) always has. Evidence from fewer than
   STRONG_EVIDENCE numbers is called weak in the note;
4. otherwise the numbers are dollars (employees: people).

Known vendor exports (Salesforce `AnnualRevenue`, Apollo `Annual Revenue`) are in
dollars by definition and skip rule 3. Scaled cells are rewritten as plain numbers, so
everything after loading reads dollars; the decision is kept for `abm inspect`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd

from abmcli.keys.values import (
    has_scale_word,
    parse_count_or_range,
    parse_money,
    parse_numbers,
)
from abmcli.sources.layouts import SCALED_FIELDS, Layout

MILLIONS_BELOW = 100_000.0
STRONG_EVIDENCE = 10
# Fields read as money (the rest of SCALED_FIELDS are counts).
MONEY_FIELDS = frozenset({"revenue", "funding", "acv", "opportunity_amount"})
# Fields in a fixed unit whatever the file (ZoomInfo's "in 000s USD" columns).
FIXED_UNITS = {"revenue_thousands": (1e3, "the field is in thousands of USD (ZoomInfo)"),
               "funding_thousands": (1e3, "the field is in thousands of USD (ZoomInfo)")}
_UNIT_NAMES = {1.0: "", 1e3: "thousands", 1e6: "millions", 1e9: "billions",
               1e12: "trillions"}
# Currencies a money header may name besides dollars. abm converts no currency: the
# numbers stay as written and the note says so, since [icp] thresholds are in dollars.
_HEADER_CURRENCIES = {"€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
                      "£": "GBP", "gbp": "GBP", "¥": "JPY", "jpy": "JPY", "chf": "CHF",
                      "cad": "CAD", "aud": "AUD", "sek": "SEK", "nok": "NOK", "dkk": "DKK",
                      "inr": "INR", "cny": "CNY", "rmb": "CNY", "brl": "BRL"}
_CURRENCY_TOKEN = re.compile(r"[€£¥]|[a-z]+")


@dataclass(frozen=True)
class ColumnUnit:
    """How the plain numbers of one column are scaled, and why."""

    multiplier: float
    why: str
    weak: bool = False  # decided from magnitudes on few values
    currency: str | None = None  # a currency other than dollars the header names

    def describe(self, field: str) -> str:
        """"millions of dollars", "dollars", "millions of EUR", "thousands of people" ..."""
        money = field in MONEY_FIELDS or field in FIXED_UNITS
        what = (self.currency or "dollars") if money else "people"
        scale = _UNIT_NAMES.get(self.multiplier, f"x{self.multiplier:g}")
        return f"{scale} of {what}" if scale else what


def header_currency(header: str) -> str | None:
    """The currency other than dollars a header names: "Revenue (€M)" -> "EUR",
    "Umsatz in Mio. EUR" -> "EUR", "Turnover (£m)" -> "GBP"; None for dollars or none."""
    found = {_HEADER_CURRENCIES[token] for token in _CURRENCY_TOKEN.findall(header.casefold())
             if token in _HEADER_CURRENCIES}
    return found.pop() if len(found) == 1 else None


# Decimal marks of a money column. German, French or Dutch exports write 1.500.000 and
# 12.500,50, where "950.000" alone reads as 950 to anyone used to 950.00: the column's
# other cells decide, once per column, as the date order is decided (values.py).
_EUROPEAN_SIGNS = re.compile(r"\d\.\d{3}\.\d{3}|\d\.\d{3},\d|^\D*\d+,\d{1,2}\D*$")
_ENGLISH_SIGNS = re.compile(r"\d,\d{3},\d{3}|\d,\d{3}\.\d|^\D*\d+\.\d{1,2}\D*$")
_EUROPEAN_NUMBER = re.compile(r"^([^\d,.]*)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?([^\d,.]*)$")


def european_marks(values: pd.Series) -> bool:
    """Whether a column writes numbers the European way: some cell shows it (1.500.000,
    12.500,50, 12,5) and none shows the English way (1,500,000, 12.5)."""
    texts = [str(v).strip() for v in pd.unique(values) if isinstance(v, str) and v.strip()]
    return (any(_EUROPEAN_SIGNS.search(t) for t in texts)
            and not any(_ENGLISH_SIGNS.search(t) for t in texts))


def english_marks(records: pd.DataFrame, layout: Layout) -> tuple[pd.DataFrame, list[str]]:
    """Money columns written the European way, rewritten with English marks (1500000,
    12500.50), so every later parse reads them as a person in that country would."""
    headers = {f: h for h, f in layout.columns.items()}
    notes = []
    for field in sorted(MONEY_FIELDS & set(records.columns)):
        if european_marks(records[field]):
            column = records[field]
            table = {v: _english(v) for v in pd.unique(column) if isinstance(v, str)}
            rewritten = column.map(table)  # once per distinct cell, not a Python call per row
            records[field] = rewritten.where(rewritten.notna(), column)
            notes.append(f"'{headers.get(field, field)}' writes numbers the European way "
                         "(1.500.000 is one and a half million, 12,5 is twelve and a half)")
    return records, notes


def _english(text: str) -> str:
    match = _EUROPEAN_NUMBER.match(text.strip())
    if match is None:
        return text
    before, whole, decimals, after = match.groups()
    return before + whole.replace(".", "") + ("." + decimals if decimals else "") + after


def decide_units(records: pd.DataFrame, layout: Layout) -> dict[str, ColumnUnit]:
    """The unit of every scaled field the file maps (rules 2-4 of the module doc)."""
    units: dict[str, ColumnUnit] = {}
    headers = {f: h for h, f in layout.columns.items()}
    for field in sorted(SCALED_FIELDS & set(records.columns)):
        if field in layout.units:
            multiplier, why = layout.units[field]
            units[field] = ColumnUnit(multiplier, why)
        elif field == "revenue" and layout.vendor.startswith("generic"):
            units[field] = _unit_from_magnitude(records[field])
        else:
            units[field] = ColumnUnit(1.0, "no unit in the header or the cells")
        if field in MONEY_FIELDS:
            currency = header_currency(str(headers.get(field, "")))
            units[field] = replace(units[field], currency=currency)
    for field, (multiplier, why) in FIXED_UNITS.items():
        if field in records:
            units[field] = ColumnUnit(multiplier, why)
    return units


def _unit_from_magnitude(values: pd.Series) -> ColumnUnit:
    # One parse per distinct value (parse_numbers); the median is over rows. A cell that
    # names its own scale says nothing about the column's.
    numbers = parse_numbers(values, _plain_money).dropna()
    numbers = numbers[numbers > 0]
    if numbers.empty:
        return ColumnUnit(1.0, "no unit in the header or the cells")
    median = float(numbers.median())
    if median >= MILLIONS_BELOW:
        return ColumnUnit(1.0, f"no unit given; median {median:,.0f} reads as dollars")
    weak = len(numbers) < STRONG_EVIDENCE
    evidence = f"weak evidence: only {len(numbers)} values; " if weak else ""
    return ColumnUnit(1e6, f"no unit given; {evidence}median {median:,.0f} is under "
                           f"{MILLIONS_BELOW:,.0f}, too small for a company's revenue in "
                           "dollars, so read as millions", weak)


def _plain_money(text: object) -> float | None:
    return None if has_scale_word(text) else parse_money(text)


def apply_units(records: pd.DataFrame, units: dict[str, ColumnUnit]) -> pd.DataFrame:
    """Records with the plain numbers of scaled columns multiplied out, as text."""
    for field, unit in units.items():
        if unit.multiplier != 1.0 and field in SCALED_FIELDS:
            parser = parse_money if field in MONEY_FIELDS else parse_count_or_range
            records[field] = _scaled(records[field], unit.multiplier, parser)
    return records


def _scaled(values: pd.Series, multiplier: float,
            parser: Callable[[object], float | None]) -> pd.Series:
    table: dict[object, object] = {}
    for value in pd.unique(values):
        if not isinstance(value, str) or has_scale_word(value):
            table[value] = value
            continue
        number = parser(value)
        table[value] = value if number is None else format(number * multiplier, ".15g")
    return values.map(table)


def unit_notes(units: dict[str, ColumnUnit], layout: Layout) -> list[str]:
    """One note per column read in a unit other than plain dollars or people."""
    headers = {f: h for h, f in layout.columns.items()}
    return [f"'{headers.get(field, field)}' read as {unit.describe(field)}: {unit.why}"
            + (" (few values: check it)" if unit.weak else "")
            + (f"; abm converts no currency, so the {unit.currency} amounts are compared "
               "with dollar thresholds as written" if unit.currency else "")
            for field, unit in units.items()
            if (unit.multiplier != 1.0 or unit.currency) and field not in FIXED_UNITS]
