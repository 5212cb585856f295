"""Typed parsing of text cells: numbers, counts and ranges, money, dates, scores, lists.

Vendor exports write one value many ways ("1,001-5,000", "$10M - $50M", "11/23/2026",
"Strong"). Every parser here takes whatever a cell holds (text, a number from Excel,
None, NaN), returns a typed value or None, and never raises: a cell it cannot read
becomes None so that the caller can report it. Blanks, placeholders ("-", "n/a") and
Excel errors ("#N/A", "#REF!") are None.

Choices worth knowing:
- "12%" parses as 12.0 (the number as written), not 0.12.
- A range gives its midpoint ("1,001-5,000" -> 3000.5); an open upper range its
  lower bound ("10,000+" -> 10000); an open lower range the midpoint of 0 and its
  bound ("< $1M" -> 500000), so that it lands inside the band it names.
- "1,234" is one thousand two hundred thirty-four; "1,5" is one and a half; "1.234"
  is one point two three four unless the cell is in euros ("€1.200" -> 1200).
- Dates keep the calendar date as written; a time and a time zone are ignored. A date
  outside 1900-01-01 .. 2099-12-31 ("12/31/9999", the common "forever" value, or year
  1) is no date: no business signal is dated there, and pandas cannot hold most of them.
- A cell longer than `MAX_VALUE_CHARS` is not a number, count, amount or date: no real
  value is that long, and the patterns that read values would take quadratic time on
  a 64 KB cell of "1,1,1,...".
- A count above `MAX_COUNT` is no count: no company employs a hundred million people,
  and larger numbers overflow the hub's integer column.
- An amount of money (`parse_amount`) runs from 0 to `MAX_AMOUNT`, a score
  (`parse_score`, relationship scores) from 0 to 100 (limits.py): a negative revenue
  or a score of 1e308 is a placeholder or a typo, not a value to rank accounts by.

The column-level functions (`parse_numbers`, `parse_dates`, `parse_relationship_scores`)
parse each distinct value once, so a million-row column with a thousand distinct
values costs a thousand parses.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Final

from abmcli.limits import EARLIEST_DATE, LATEST_DATE, MAX_AMOUNT, SCORE_RANGE

if TYPE_CHECKING:
    import pandas as pd

EXCEL_ERRORS = frozenset({
    "#n/a", "#ref!", "#value!", "#div/0!", "#name?", "#null!", "#num!", "#spill!",
    "#calc!", "#getting_data", "#field!", "#blocked!", "#connect!", "#busy!", "#unknown!",
})


def _cut_forms(phrase: str, shortest: int = 4) -> frozenset[str]:
    """A placeholder phrase cut to a field's width or abbreviated word by word, as
    registers write it: "not applicable" -> "not applic", "classification pending" ->
    "class pend", "class. pend." (each word kept to at least `shortest` letters)."""
    import itertools

    options = [[word] if len(word) <= shortest else
               [word[:n] + dot for n in range(shortest, len(word) + 1) for dot in ("", ".")]
               for word in phrase.split()]
    return frozenset(" ".join(words) for words in itertools.product(*options))


# ASX's listed-companies register writes "Not Applic" and "Class Pend" in its industry.
CUT_PLACEHOLDERS: Final = frozenset().union(*map(_cut_forms, (
    "not applicable", "not available", "classification pending", "not specified",
    "not disclosed", "not provided")))
# Whole cells that mean "no value" in exports and hand-kept sheets: the one list that
# names (keys/names.py), domains (keys/domains.py, which adds "www", "0" ...) and every
# other text field (`blank_placeholders`) read as missing.
PLACEHOLDERS: Final = EXCEL_ERRORS | {
    "", "-", "--", "---", "–", "—", "?", "n/a", "n/a.", "n\\a", "na", "n.a.", "n.a", "null",
    "nil", "nan", "none", "unknown", "not available", "not applicable", "undefined",
    "(blank)", "[blank]", "(none)", "tbd", "tba", "#", "nat", "<na>",
} | CUT_PLACEHOLDERS

MAX_VALUE_CHARS = 200
MAX_COUNT = 1e8
# One range for every date abm reads or is given (config, filters, vendor cells, hubs).
FIRST_DATE, LAST_DATE = EARLIEST_DATE, LATEST_DATE

_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ",
                         "\u2212": "-", "\ufeff": ""})


def cell_text(value: object) -> str | None:
    """The cell as stripped text, or None when it is blank, a placeholder or an Excel error."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        text = str(value).translate(_SPACES).strip()
    except Exception:  # an object whose str() fails is not a readable cell
        return None
    return None if text.casefold() in PLACEHOLDERS else text


# ---------------------------------------------------------------- numbers

_MULTIPLIERS = {
    "": 1.0, "%": 1.0,
    "k": 1e3, "thousand": 1e3, "thousands": 1e3, "tsd": 1e3,
    "m": 1e6, "mm": 1e6, "mn": 1e6, "mil": 1e6, "mill": 1e6, "million": 1e6,
    "millions": 1e6, "mio": 1e6,
    "b": 1e9, "bn": 1e9, "bil": 1e9, "bill": 1e9, "billion": 1e9, "billions": 1e9,
    "mrd": 1e9, "mdr": 1e9,
    "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7, "cr": 1e7,
    "t": 1e12, "tn": 1e12, "trillion": 1e12, "trillions": 1e12,
}
# A number followed by a scale word ("36.9 M", "$7.44B", "3T", "2.5 million"): the cell
# carries its own unit, which beats any unit its column's header or magnitude suggests.
_SCALED_CELL = re.compile(
    r"\d\s*(?:" + "|".join(sorted((k for k in _MULTIPLIERS if k.isalpha()), key=len,
                                   reverse=True)) + r")\b", re.IGNORECASE)


def has_scale_word(text: object) -> bool:
    """Whether a cell states its own scale: "36.9 M", "$7.44B", "3T", "1,5 Mio. €"."""
    return isinstance(text, str) and _SCALED_CELL.search(text) is not None
_CURRENCY = re.compile(
    r"us\$|[$€£¥₹]|\b(?:usd|eur|euros?|gbp|chf|cad|aud|jpy|inr|sek|nok|dkk|dollars?)\b"
)
_EURO = re.compile(r"€|\beur(?:os?)?\b|\bmio\b|\bmrd\b|\btsd\b")
_SCIENTIFIC = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)e[+-]?\d+")
_AMOUNT = re.compile(r"([+-]?)\s*(\d(?:[\d.,' ’]*\d)?|\.\d+)\s*([a-z%]*)\.?")
_DIGIT_GAP = re.compile(r"(?<=\d)[ '’](?=\d)")
# 1,234,567 or the Indian 12,34,567
_GROUPED = re.compile(r"\d{1,3}(?:[.,]\d{3})+|\d{1,2}(?:[.,]\d{2})+[.,]\d{3}")
_ONE_THOUSANDS_SEP = re.compile(r"\d{1,3}[.,]\d{3}")


def parse_number(text: object) -> float | None:
    """A number from a cell: "1,234", "1.234,5", "$1,200.50", "(1,200)" -> -1200, "12k",
    "1.5M", "2bn", "1.2e3"; None for blanks, placeholders and anything else."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        return _finite(text)
    cell = _value_text(text)
    return None if cell is None else _number_from_text(cell.casefold())


def _value_text(value: object) -> str | None:
    """`cell_text`, or None when the text is too long to be one value."""
    if isinstance(value, str) and len(value) > MAX_VALUE_CHARS * 4:
        return None  # checked before stripping, so no work is spent on a huge cell
    text = cell_text(value)
    return None if text is None or len(text) > MAX_VALUE_CHARS else text


def _finite(value: float | int) -> float | None:
    try:
        number = float(value)
    except (OverflowError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _number_from_text(text: str) -> float | None:
    amount = _amount(text)
    return None if amount is None else _finite(amount[0] * amount[1])


# Footnote marks after a number, as lists copied from the web carry them: "12,500[3]",
# "1,234*", "5000†", and the "]" Forbes' list left of one ("134000]").
_FOOTNOTE = re.compile(r"(?:\s*(?:\[[^\[\]]{0,12}\]|\]|[*†‡]+))+$")


def _amount(text: str) -> tuple[float, float] | None:
    """(signed mantissa, multiplier) of a lower-case cell such as "$1.5m" or "(1,200)"."""
    if text and text[-1] in "]*†‡":
        text = _FOOTNOTE.sub("", text)
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1]
    european = bool(_EURO.search(text))
    text = _CURRENCY.sub(" ", text).strip()
    if _SCIENTIFIC.fullmatch(text):
        return (-1.0 if negative else 1.0) * float(text), 1.0
    match = _AMOUNT.fullmatch(text)
    if match is None or match.group(3) not in _MULTIPLIERS:
        return None
    mantissa = _digits_value(match.group(2), european)
    if mantissa is None:
        return None
    sign = -1.0 if negative != (match.group(1) == "-") else 1.0
    return sign * mantissa, _MULTIPLIERS[match.group(3)]


def _digits_value(body: str, european: bool) -> float | None:
    """The value of digits with thousands and decimal separators in either convention."""
    body = _DIGIT_GAP.sub("", body)
    commas, dots = body.count(","), body.count(".")
    if commas and dots:
        decimal = "," if body.rfind(",") > body.rfind(".") else "."
    elif commas > 1 or dots > 1:
        # Only thousands separators (1,234,567 or Indian 12,34,567); check the grouping.
        return _plain_float(body.replace(",", "").replace(".", "")) if _GROUPED.fullmatch(
            body) else None
    elif commas == 1:
        decimal = "" if _ONE_THOUSANDS_SEP.fullmatch(body) else ","
    elif dots == 1:
        decimal = "" if european and _ONE_THOUSANDS_SEP.fullmatch(body) else "."
    else:
        decimal = "."
    thousands = {",": ".", ".": ","}.get(decimal, ",.")
    for separator in thousands:
        body = body.replace(separator, "")
    return _plain_float(body.replace(",", ".") if decimal == "," else body)


def _plain_float(text: str) -> float | None:
    try:
        return _finite(float(text))
    except ValueError:
        return None


def parse_numbers(values: pd.Series, parser: Callable[[object], float | None] = parse_number
                  ) -> pd.Series:
    """Parse a column with `parser`, once per distinct value: float64 with NaN for None."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed = [parser(value) for value in uniques]
    table = np.array([np.nan if v is None else v for v in parsed] + [np.nan], dtype="float64")
    return pd.Series(table[codes], index=values.index, name=values.name, dtype="float64")


# ---------------------------------------------------------------- ranges: counts and money

_OPEN_UPPER = [
    re.compile(r"(?:over|more than|above|greater than|at least|>=?|≥)\s*(.+)"),
    re.compile(r"(.+?)\s*(?:\+|or more|and above|and over|and up|plus|or greater|or higher)"),
]
_OPEN_LOWER = re.compile(r"(?:under|less than|below|up to|fewer than|<=?|≤)\s*(.+)")
_RANGE = re.compile(r"(.*?\d.*?)\s*(?:-|–|—|~|\bto\b|\band\b)\s*(.+)")
_COUNT_WORDS = re.compile(r"\b(?:employees?|emps?|staff|people|persons|workers|ftes?|"
                          r"headcount|approx\.?|approximately|about|around|ca\.|est\.)")
_MONEY_WORDS = re.compile(r"\b(?:revenue|annual|sales|approx\.?|approximately|about|around|"
                          r"ca\.|est\.|estimated|per year|a year|/yr|p\.a\.)|~")
_DOT_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3})\.(\d{3})(?![\d.,])")
_SOLO = re.compile(r"self[- ]?employed|sole (?:proprietor|trader)|just me|myself( only)?|"
                   r"freelancer?")


# A size band named in words with its range in brackets (Bombora's "Large (1,000 - 4,999
# Employees)"): the bracketed range is the count.
_SIZE_BAND = re.compile(r"^[a-z][a-z \-]*\(([^()]*\d[^()]*)\)$")


def parse_count_or_range(text: object) -> float | None:
    """An employee count: "5000", "1,001-5,000" -> 3000.5, "10,000+" -> 10000,
    "1 to 10", "51 - 200 employees", "Self-employed" -> 1, "Large (1,000 - 4,999
    Employees)" -> 3000. Negative counts and counts above `MAX_COUNT` are None."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        value = _finite(text)
    else:
        cell = _value_text(text)
        if cell is None:
            return None
        lowered = _SIZE_BAND.sub(r"\1", cell.casefold())
        if _SOLO.fullmatch(lowered):
            return 1.0
        # A count has no fractions: "107.415" is 107,415 people written the European way.
        lowered = _DOT_THOUSANDS.sub(r"\1\2", lowered)
        value = _range_value(_COUNT_WORDS.sub(" ", lowered).strip())
    return value if value is not None and 0 <= value <= MAX_COUNT else None


def parse_activity(text: object) -> float | None:
    """An activity count (page views, visits, minutes): a number from 0 to `MAX_COUNT`,
    else None. Summed over an account's rows, so one absurd cell (1e308) must not turn
    the total into infinity, nor a negative one take activity away."""
    value = parse_number(text)
    return value if value is not None and 0 <= value <= MAX_COUNT else None


def parse_money(text: object) -> float | None:
    """An amount of money: "$25,000,000.00", "USD 2.5 million", "1,5 Mio. €", ranges
    "$10M - $50M" -> 30e6, "$500K-$1M", open ranges "$1B+" / "Over $1 billion" -> 1e9
    and "< $1M" -> 500000 (midpoint of 0 and the bound)."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        return _finite(text)
    cell = _value_text(text)
    if cell is None:
        return None
    return _range_value(_MONEY_WORDS.sub(" ", cell.casefold()).strip())


def parse_amount(text: object, multiplier: float = 1.0) -> float | None:
    """An amount of money (`parse_money`, times `multiplier` for a column in thousands)
    from 0 to `MAX_AMOUNT`, else None: revenue, funding, ACV and deal amounts."""
    value = parse_money(text)
    if value is None:
        return None
    return _plausible_amount(value * multiplier)


def _plausible_amount(value: float) -> float | None:
    return value if 0 <= value <= MAX_AMOUNT else None


def parse_score(text: object) -> float | None:
    """A 0-100 score (an intent surge or composite score), else None: 150, -5 and 1e308
    are no scores, and one of them would top the ranking or make a mean infinite."""
    value = parse_number(text)
    return value if value is not None and _in_score_range(value) else None


def _in_score_range(value: float) -> bool:
    return SCORE_RANGE[0] <= value <= SCORE_RANGE[1]


def _range_value(text: str) -> float | None:
    """A number, an open range or a closed range (its midpoint) from lower-case text."""
    number = _number_from_text(text)
    if number is not None:
        return number
    for pattern in _OPEN_UPPER:
        match = pattern.fullmatch(text)
        if match and (bound := _number_from_text(match.group(1).strip())) is not None:
            return bound
    match = _OPEN_LOWER.fullmatch(text)
    if match and (bound := _number_from_text(match.group(1).strip())) is not None:
        return bound / 2
    match = _RANGE.fullmatch(text)
    return _midpoint(match.group(1).strip(), match.group(2).strip()) if match else None


def _midpoint(low_text: str, high_text: str) -> float | None:
    low, high = _amount(low_text), _amount(high_text)
    if low is None or high is None:
        return None
    low_value, high_value = low[0] * low[1], high[0] * high[1]
    # "$1 - 10M" and "1 to 10 million" carry the unit on the upper bound only.
    if low[1] == 1.0 and high[1] != 1.0 and low[0] * high[1] <= high_value:
        low_value = low[0] * high[1]
    if low_value > high_value:
        return None
    return _finite((low_value + high_value) / 2)


# ---------------------------------------------------------------- dates

_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's 1900 date system, leap-year bug included
_SERIAL_RANGE = (20000, 80000)  # 1954-10-03 .. 2119-01-10: plausible for business data
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ t].*)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_ISO_WEEK = re.compile(r"(\d{4})-?w(\d{1,2})(?:-?([1-7]))?")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_NUMERIC = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?:[ t,]+\d{1,2}:\d{2}.*)?")
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?")
_MONTHS = {
    "jan": 1, "january": 1, "januar": 1, "janv": 1, "feb": 2, "february": 2, "februar": 2,
    "mar": 3, "march": 3, "märz": 3, "mrz": 3, "apr": 4, "april": 4, "may": 5, "mai": 5,
    "jun": 6, "june": 6, "juni": 6, "jul": 7, "july": 7, "juli": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "okt": 10, "oktober": 10,
    "nov": 11, "november": 11, "dec": 12, "december": 12, "dez": 12, "dezember": 12,
}
_DATE_FILLER = {
    "mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu", "thur", "thurs",
    "thursday", "fri", "friday", "sat", "saturday", "sun", "sunday", "st", "nd", "rd", "th",
    "of", "the", "am", "pm", "utc", "gmt", "z", "t",
}


def parse_date(text: object, day_first: bool | None = None) -> dt.date | None:
    """A calendar date from a cell: ISO "2026-11-23" (with or without a time), US
    "11/23/2026" and "11/23/26", European "23.11.2026" and "23/11/2026", "Nov 23, 2026",
    "23 Nov 2026", Excel serials 20000-80000 ("46349"), ISO weeks "2026-W48" (the Monday).

    `day_first` settles ambiguous numeric dates such as 03/04/2026; None uses the
    separator's convention (dots and dashes day-first, slashes month-first).
    """
    return _in_date_range(_any_date(text, day_first))


def _any_date(text: object, day_first: bool | None) -> dt.date | None:
    if isinstance(text, bool) or (not isinstance(text, str) and cell_text(text) is None):
        return None  # NaT is a datetime, NaN a float
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    if isinstance(text, int | float):
        return _excel_serial(text) if math.isfinite(text) else None
    cell = _value_text(text)
    if cell is None:
        return None
    try:
        return _date_from_text(cell.casefold(), day_first)
    except (ValueError, OverflowError):  # a date that does not exist, such as 31.02.2026
        return None


def _in_date_range(date: dt.date | None) -> dt.date | None:
    """The date when it lies in FIRST_DATE..LAST_DATE, else None (see the module notes)."""
    if date is None or not FIRST_DATE <= date <= LAST_DATE:
        return None
    return date


def _date_from_text(text: str, day_first: bool | None) -> dt.date | None:
    if match := _ISO.fullmatch(text) or _COMPACT.fullmatch(text):
        year, month, day = (int(g) for g in match.groups()[:3])
        return dt.date(year, month, day)
    if match := _ISO_WEEK.fullmatch(text):
        return dt.date.fromisocalendar(int(match[1]), int(match[2]), int(match[3] or 1))
    if _SERIAL.fullmatch(text):
        return _excel_serial(float(text))
    if match := _NUMERIC.fullmatch(text):
        return _numeric_date(match, day_first)
    return _month_name_date(text)


def _excel_serial(number: float | int) -> dt.date | None:
    if not (_SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]):
        return None
    return _EXCEL_EPOCH + dt.timedelta(days=int(number))


def _numeric_date(match: re.Match[str], day_first: bool | None) -> dt.date | None:
    first, separator, second, year_text = match.groups()
    a, b, year = int(first), int(second), int(year_text)
    if len(year_text) == 2:
        year = _full_year(year)
    if day_first is None:
        day_first = separator != "/"
    if a > 12 or (day_first and b <= 12):
        return dt.date(year, b, a)
    return dt.date(year, a, b)


def _month_name_date(text: str) -> dt.date | None:
    """"Nov 23, 2026", "23 November 2026", "23-Nov-26", "Monday, 23rd of Nov 2026"."""
    tokens = re.findall(r"[^\W\d_]+|\d+", _TIME.sub(" ", text))
    months = [_MONTHS[t] for t in tokens if t in _MONTHS]
    numbers = [t for t in tokens if t.isdigit()]
    others = [t for t in tokens if not t.isdigit() and t not in _MONTHS and t not in _DATE_FILLER]
    if len(months) != 1 or others or not 1 <= len(numbers) <= 2:
        return None
    years = [n for n in numbers if len(n) == 4]
    if len(years) == 1:
        days = [n for n in numbers if n != years[0]]
        year = int(years[0])
    elif len(numbers) == 2 and not years:  # "23-Nov-26": day, then a two-digit year
        days, year = numbers[:1], _full_year(int(numbers[1]))
    else:
        return None
    return dt.date(year, months[0], int(days[0]) if days else 1)


def _full_year(two_digits: int) -> int:
    return two_digits + (2000 if two_digits < 70 else 1900)


def decide_day_first(values: Iterable[object]) -> bool | None:
    """Whether a column's numeric dates are day-first, from its unambiguous values:
    True when more values can only be day-first (23/11/2026) than month-first
    (11/23/2026), False for the reverse, None when nothing tells them apart."""
    day_first = month_first = 0
    for value in values:
        if not isinstance(value, str):
            continue
        match = _NUMERIC.fullmatch(value.strip().casefold())
        if match is None:
            continue
        a, b = int(match.group(1)), int(match.group(3))
        day_first += a > 12 >= b
        month_first += b > 12 >= a
    if day_first == month_first:
        return None
    return day_first > month_first


def undecided_day_order(values: Iterable[object]) -> tuple[bool, list[str]] | None:
    """When a column's numeric dates could each be read day-first or month-first and
    none tells which (09/11/2026 but no 23/11/2026): whether they are read day-first,
    and the ambiguous values; None when the column settles it or has no such date."""
    if decide_day_first(values := list(values)) is not None:
        return None
    ambiguous, separators = [], set()
    for value in values:
        if not isinstance(value, str):
            continue
        match = _NUMERIC.fullmatch(value.strip().casefold())
        if match is not None and match.group(1) != match.group(3) and max(
                int(match.group(1)), int(match.group(3))) <= 12:
            ambiguous.append(value.strip())
            separators.add(match.group(2))
    if not ambiguous:
        return None
    return separators != {"/"}, ambiguous  # _numeric_date's reading without a decision


def parse_dates(values: pd.Series, day_first: bool | None = None) -> pd.Series:
    """Parse a date column: decide day-first vs month-first once from the column's
    unambiguous values (unless `day_first` says), then parse each distinct value once.
    Returns an object Series of `datetime.date` or None (in FIRST_DATE..LAST_DATE, so
    every date also fits pandas' datetime64); never raises."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if day_first is None:
        day_first = decide_day_first(uniques)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[:] = [parse_date(value, day_first) for value in uniques] + [None]
    return pd.Series(table[codes], index=values.index, name=values.name, dtype=object)


# ---------------------------------------------------------------- categories

_RELATIONSHIP_LEVELS = {
    "very strong": 100.0, "very high": 100.0, "strong": 75.0, "high": 75.0,
    "moderate": 50.0, "medium": 50.0, "average": 50.0, "weak": 25.0, "low": 25.0,
    "very weak": 10.0, "very low": 10.0,
    "none": 0.0, "no relationship": 0.0, "no connection": 0.0, "no contact": 0.0,
}


def relationship_score(text: object) -> float | None:
    """A relationship score on 0-100: Weak 25, Moderate/Medium 50, Strong 75, Very Strong
    100, None/No relationship 0. Numbers: values <= 1 are a 0-1 scale and are scaled
    x100, others are kept; a number outside 0-100 is None. For a whole column prefer
    `parse_relationship_scores`, which decides the scale from every value."""
    level = _relationship_level(text)
    if level is not None:
        return level
    number = parse_number(text)
    if number is None:
        return None
    score = number * 100 if 0 <= number <= 1 else number
    return score if _in_score_range(score) else None


def _relationship_level(text: object) -> float | None:
    if not isinstance(text, str):
        return None
    key = " ".join(re.sub(r"[\W_]", " ", text.casefold()).split())
    return _RELATIONSHIP_LEVELS.get(key)


def parse_relationship_scores(values: pd.Series) -> pd.Series:
    """Relationship scores for a column, on 0-100: categories as in `relationship_score`;
    numbers are a 0-1 scale (x100) only when every number in the column is <= 1, so a
    0-100 column holding a 1 keeps it as 1; a number outside 0-100 (after the scaling)
    is NaN, as is any cell that is no score."""
    import pandas as pd

    numbers = parse_numbers(values)
    levels = parse_numbers(values, _relationship_level)
    numeric = numbers[levels.isna()].dropna()
    scale = 100.0 if len(numeric) and numeric.between(0, 1).all() else 1.0
    scaled = numbers * scale
    scored = scaled.where(scaled.between(*SCORE_RANGE))
    return pd.Series(levels.fillna(scored), index=values.index, name=values.name)


_LIST_SEPARATORS = re.compile(r"[;,|\n\r]")


def split_list(text: object) -> list[str]:
    """Items of a list cell: "Salesforce; Marketo, HubSpot" or "A|B" -> stripped items,
    duplicates (ignoring case) dropped, first spelling and order kept."""
    cell = cell_text(text)
    if cell is None:
        return []
    items: dict[str, str] = {}
    for part in _LIST_SEPARATORS.split(cell):
        item = part.strip()
        if item.casefold() not in PLACEHOLDERS:
            items.setdefault(item.casefold(), item)
    return list(items.values())


_TRUE = frozenset({"yes", "y", "true", "t", "1", "1.0", "x", "✓", "✔", "checked", "on", "ja"})
_FALSE = frozenset({"no", "n", "false", "f", "0", "0.0", "unchecked", "off", "nein"})


def parse_bool(text: object) -> bool | None:
    """yes/no, true/false, y/n, 1/0, "x" (a ticked box) -> bool; anything else None."""
    if isinstance(text, bool):
        return text
    if isinstance(text, int | float) and text in (0, 1):
        return bool(text)
    cell = cell_text(text)
    if cell is None:
        return None
    key = cell.casefold()
    return True if key in _TRUE else False if key in _FALSE else None


def _no_staff(cell: object) -> bool:
    return parse_count_or_range(cell) == 0


# Values that mean "unknown" in one field only. No company has 0 employees: a count of
# 0 is a vendor's blank (Apollo writes it when it has no count, as for CowManager in
# its real export). A revenue of 0 stays a value: a company before its first sale has
# none, and no real export here writes 0 for an unknown revenue.
FIELD_UNKNOWNS: dict[str, Callable[[object], bool]] = {"employees": _no_staff}
# Placeholder words that are a value in one field: a relationship strength of "None" is
# no relationship (0, `relationship_score`), not an unknown one; a country "NA" is
# Namibia's ISO code (countries.py), while "N/A" there is still no country.
FIELD_WORDS: dict[str, frozenset[str]] = {"score": frozenset({"none"}),
                                          "country": frozenset({"na"})}


def blank_placeholders(records: pd.DataFrame, keep: Iterable[str] = ()) -> pd.DataFrame:
    """`records` with every whole-cell placeholder ("n/a", "-", "Unknown", "#N/A") in its
    text columns made blank, so that an industry, country, owner ... of "n/a" is missing,
    not a value to score, match or show, and so is a field's own unknown (FIELD_UNKNOWNS:
    0 employees), so that another source's value is taken instead. Columns in `keep` stay
    as written (names and domains: their keys say why a placeholder identifies nothing)."""
    import numpy as np
    import pandas as pd

    kept = set(keep)
    blanked = records.copy(deep=False)
    for column in records.columns:
        values = records[column]
        if column in kept or not (values.dtype == object or str(values.dtype) == "string"):
            continue
        # Decided once per distinct value: a column of 100,000 cells holds far fewer.
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        words = PLACEHOLDERS - FIELD_WORDS.get(column, frozenset())
        unknown = FIELD_UNKNOWNS.get(column)
        flags = [_placeholder_cell(str(cell).strip().casefold(), words, unknown)
                 for cell in uniques]
        placeholder = np.array([*flags, False], dtype=bool)[codes]
        if placeholder.any():
            blanked[column] = values.where(~placeholder, "")
    return blanked


def _placeholder_cell(folded: str, words: AbstractSet[str],
                      unknown: Callable[[object], bool] | None) -> bool:
    """Whether a filled cell (stripped and casefolded) is a placeholder word, or the
    field's own unknown."""
    return (folded != "" and folded in words) or (unknown is not None and bool(unknown(folded)))


def texts(frame: pd.DataFrame, column: str) -> pd.Series:
    """`column` of a table as stripped text, "" where blank or missing (also when the
    column is absent): how stages and upload formats read text columns."""
    import pandas as pd

    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    values = frame[column].astype(object).where(frame[column].notna(), "")
    return values.astype(str).str.strip().astype(object)
