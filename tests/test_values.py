"""Typed parsing of the cells vendors write: real-world spellings, never raising."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from abmcli.keys.values import (
    FIRST_DATE,
    LAST_DATE,
    MAX_VALUE_CHARS,
    decide_day_first,
    parse_amount,
    parse_bool,
    parse_count_or_range,
    parse_date,
    parse_dates,
    parse_money,
    parse_number,
    parse_numbers,
    parse_relationship_scores,
    parse_score,
    relationship_score,
    split_list,
)
from abmcli.limits import MAX_AMOUNT

D = dt.date

EXCEL_ERRORS = ["#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!"]
BLANKS = ["", "   ", "-", "--", "—", "n/a", "N/A", "null", "None", "\u00a0", None, math.nan,
          pd.NA]


@pytest.mark.parametrize(("text", "expected"), [
    ("1,234", 1234.0),
    ("1.234,5", 1234.5),
    ("1 234", 1234.0),
    ("1\u00a0234,50", 1234.5),
    ("1'234'567", 1234567.0),
    ("$1,200.50", 1200.5),
    ("€1.200", 1200.0),
    ("1.200 EUR", 1200.0),
    ("(1,200)", -1200.0),
    ("−42", -42.0),
    ("12%", 12.0),
    ("1.2e3", 1200.0),
    ("12k", 12000.0),
    ("1.5M", 1.5e6),
    ("2B", 2e9),
    ("2bn", 2e9),
    ("1,234,567.89", 1234567.89),
    ("1.234.567,89", 1234567.89),
    ("12,34,567", 1234567.0),
    ("1,5", 1.5),
    ("1.234", 1.234),
    ("0.75", 0.75),
    (".5", 0.5),
    ("  450 ", 450.0),
    (1234, 1234.0),
    (12.5, 12.5),
])
def test_parse_number_reads_real_world_spellings(text, expected):
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", [*EXCEL_ERRORS, *BLANKS, "abc", "12 apples", "1,2,3",
                                  "1-10", "1e400", True, math.inf])
def test_parse_number_gives_none_for_what_is_not_a_number(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("5000", 5000.0),
    ("1,001-5,000", 3000.5),
    ("1,001 - 5,000", 3000.5),
    ("1001–5000", 3000.5),
    ("10,000+", 10000.0),
    ("10,001+ employees", 10001.0),
    ("10000 or more", 10000.0),
    ("Over 10,000", 10000.0),
    ("1 to 10", 5.5),
    ("51 - 200 employees", 125.5),
    ("2-10 employees", 6.0),
    ("11-50", 30.5),
    ("Self-employed", 1.0),
    ("self employed", 1.0),
    ("Under 10", 5.0),
    ("10k+", 10000.0),
    ("approx. 250", 250.0),
    (250, 250.0),
])
def test_parse_count_or_range_reads_employee_counts_and_bands(text, expected):
    assert parse_count_or_range(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["-5", "lots", "#N/A", "", "50-10", None])
def test_parse_count_or_range_gives_none_for_impossible_counts(text):
    assert parse_count_or_range(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("$10M - $50M", 30e6),
    ("$1B+", 1e9),
    ("Over $1 billion", 1e9),
    ("< $1M", 0.5e6),
    ("Less than $1M", 0.5e6),
    ("$500K-$1M", 0.75e6),
    ("25000000", 25e6),
    ("$25,000,000.00", 25e6),
    ("USD 2.5 million", 2.5e6),
    ("1,5 Mio. €", 1.5e6),
    ("2,3 Mrd. EUR", 2.3e9),
    ("£750k", 750e3),
    ("$1 mil. - $5 mil.", 3e6),
    ("$100 mil. - $250 mil.", 175e6),
    ("Over $5 bil.", 5e9),
    ("$1 - 10M", 5.5e6),
    ("1 to 10 million", 5.5e6),
    ("~$5M", 5e6),
    ("$5M+ annual revenue", 5e6),
    (12_000_000, 12e6),
])
def test_parse_money_reads_amounts_and_revenue_bands(text, expected):
    assert parse_money(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["#VALUE!", "", "Contact sales", "$50M - $10M", None])
def test_parse_money_gives_none_for_unreadable_amounts(text):
    assert parse_money(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-23", D(2026, 11, 23)),
    ("2026-11-23T09:14:00Z", D(2026, 11, 23)),
    ("2026-11-23T23:30:00-08:00", D(2026, 11, 23)),
    ("2026-11-23 09:14:00", D(2026, 11, 23)),
    ("2026/11/23", D(2026, 11, 23)),
    ("20261123", D(2026, 11, 23)),
    ("11/23/2026", D(2026, 11, 23)),
    ("11/23/26", D(2026, 11, 23)),
    ("11/23/2026 9:14 AM", D(2026, 11, 23)),
    ("23.11.2026", D(2026, 11, 23)),
    ("23/11/2026", D(2026, 11, 23)),
    ("23-11-2026", D(2026, 11, 23)),
    ("Nov 23, 2026", D(2026, 11, 23)),
    ("23 Nov 2026", D(2026, 11, 23)),
    ("23-Nov-26", D(2026, 11, 23)),
    ("November 23, 2026", D(2026, 11, 23)),
    ("Monday, 23rd of November 2026", D(2026, 11, 23)),
    ("23. Dezember 2026", D(2026, 12, 23)),
    ("Sept 1 2026", D(2026, 9, 1)),
    ("46349", D(2026, 11, 23)),
    (46349, D(2026, 11, 23)),
    (46349.6, D(2026, 11, 23)),
    ("2026-W48", D(2026, 11, 23)),
    ("2026W48", D(2026, 11, 23)),
    ("2026-W01", D(2025, 12, 29)),
    ("Nov 2026", D(2026, 11, 1)),
    (dt.datetime(2026, 11, 23, 9, 14), D(2026, 11, 23)),
    (pd.Timestamp("2026-11-23 09:14"), D(2026, 11, 23)),
    (D(2026, 11, 23), D(2026, 11, 23)),
])
def test_parse_date_reads_iso_us_european_named_serial_and_week_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", [*EXCEL_ERRORS, *BLANKS, pd.NaT, "31.02.2026", "2026",
                                  "13/13/2026", "12345", 100, "2026-W60", "May Corp 2020",
                                  "yesterday"])
def test_parse_date_gives_none_for_what_is_not_a_date(text):
    assert parse_date(text) is None


def test_ambiguous_numeric_dates_follow_the_separator_convention_or_day_first():
    assert parse_date("03/04/2026") == D(2026, 3, 4)  # US slashes
    assert parse_date("03.04.2026") == D(2026, 4, 3)  # German dots
    assert parse_date("03/04/2026", day_first=True) == D(2026, 4, 3)
    assert parse_date("03.04.2026", day_first=False) == D(2026, 3, 4)
    # An unambiguous value ignores the column's decision.
    assert parse_date("23/11/2026", day_first=False) == D(2026, 11, 23)


def test_column_with_day_first_evidence_reads_ambiguous_dates_day_first():
    column = pd.Series(["03/04/2026", "23/11/2026", "05/06/2026", None, "03/04/2026"],
                       index=[10, 11, 12, 13, 14], name="Report Date")
    parsed = parse_dates(column)
    assert parsed.tolist() == [D(2026, 4, 3), D(2026, 11, 23), D(2026, 6, 5), None,
                               D(2026, 4, 3)]
    assert parsed.index.tolist() == [10, 11, 12, 13, 14]
    assert parsed.name == "Report Date"
    assert parsed.dtype == object


def test_column_with_month_first_evidence_reads_ambiguous_dates_month_first():
    column = pd.Series(["03-04-2026", "11-23-2026", "#N/A", pd.NA], dtype="string")
    assert parse_dates(column).tolist() == [D(2026, 3, 4), D(2026, 11, 23), None, None]


def test_column_without_evidence_keeps_each_separators_convention():
    column = pd.Series(["03/04/2026", "03.04.2026", "2026-04-05", 46349])
    assert parse_dates(column).tolist() == [D(2026, 3, 4), D(2026, 4, 3), D(2026, 4, 5),
                                            D(2026, 11, 23)]


def test_day_first_decision_follows_the_majority_of_unambiguous_values():
    assert decide_day_first(["13/01/2026", "14/01/2026", "01/15/2026"]) is True
    assert decide_day_first(["01/13/2026", "01/14/2026", "15/01/2026"]) is False
    assert decide_day_first(["01/02/2026", "2026-01-13", None, 5]) is None


def test_parse_dates_of_an_empty_column_is_empty():
    assert parse_dates(pd.Series([], dtype=object)).tolist() == []


def test_parse_numbers_gives_float64_with_nan_and_keeps_the_index():
    column = pd.Series(["1,234", "#N/A", None, "1,234", "12k"], index=list("abcde"))
    parsed = parse_numbers(column)
    assert parsed.dtype == "float64"
    assert parsed.index.tolist() == list("abcde")
    assert parsed.tolist()[:1] + parsed.tolist()[3:] == [1234.0, 1234.0, 12000.0]
    assert parsed.isna().tolist() == [False, True, True, False, False]


def test_parse_numbers_takes_another_parser():
    column = pd.Series(["1,001-5,000", "10,000+", "Self-employed"])
    assert parse_numbers(column, parse_count_or_range).tolist() == [3000.5, 10000.0, 1.0]


@pytest.mark.parametrize(("text", "expected"), [
    ("Weak", 25.0), ("Moderate", 50.0), ("Medium", 50.0), ("Strong", 75.0),
    ("Very Strong", 100.0), ("very  strong", 100.0), ("VERY_STRONG", 100.0), ("None", 0.0),
    ("No relationship", 0.0), ("85", 85.0), ("0.8", 80.0), ("85%", 85.0), (150, None),
    ("-3", None), ("1e308", None), ("", None), ("#N/A", None), ("Friendly", None),
])
def test_relationship_score_maps_categories_and_numbers_to_0_100(text, expected):
    # a number outside 0-100 is no score (a typo or a placeholder), not the top score
    assert relationship_score(text) == expected


def test_relationship_column_scales_only_when_every_number_is_a_fraction():
    fractions = parse_relationship_scores(pd.Series(["0.5", "1", "Strong", None]))
    assert fractions.tolist()[:3] == [50.0, 100.0, 75.0]
    hundreds = parse_relationship_scores(pd.Series(["50", "1", "Weak", "120", "1e308"]))
    assert hundreds.tolist()[:3] == [50.0, 1.0, 25.0]
    assert hundreds.iloc[3:].isna().all()  # outside 0-100: unread, not clipped to 100


@pytest.mark.parametrize(("text", "expected"), [
    ("Salesforce; Marketo, HubSpot", ["Salesforce", "Marketo", "HubSpot"]),
    ("Salesforce|Marketo", ["Salesforce", "Marketo"]),
    ("Salesforce ; salesforce ;Marketo;;", ["Salesforce", "Marketo"]),
    ("Google Analytics\nHotjar", ["Google Analytics", "Hotjar"]),
    ("G Suite / Google Workspace", ["G Suite / Google Workspace"]),
    ("n/a", []), ("", []), (None, []), (math.nan, []),
])
def test_split_list_strips_and_deduplicates_keeping_order(text, expected):
    assert split_list(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Yes", True), ("no", False), ("TRUE", True), ("false", False), ("1", True), ("0", False),
    ("Y", True), ("n", False), ("x", True), (" X ", True), (1, True), (0.0, False),
    (True, True), ("", None), ("maybe", None), (None, None), ("#N/A", None), (2, None),
])
def test_parse_bool_reads_checkboxes_and_flags(text, expected):
    assert parse_bool(text) is expected


cells = st.one_of(st.text(), st.floats(), st.integers(), st.none(), st.booleans(),
                  st.dates(), st.text(alphabet="0123456789.,$€-+ kKmMbB()%/:Ww", max_size=20))


@given(cells)
def test_no_parser_raises(cell):
    assert parse_number(cell) is None or isinstance(parse_number(cell), float)
    assert parse_count_or_range(cell) is None or parse_count_or_range(cell) >= 0
    assert parse_money(cell) is None or isinstance(parse_money(cell), float)
    assert parse_date(cell) is None or isinstance(parse_date(cell), dt.date)
    assert parse_date(cell, day_first=True) is None or isinstance(parse_date(cell), dt.date)
    score = relationship_score(cell)
    assert score is None or 0 <= score <= 100
    assert isinstance(split_list(cell), list)
    assert parse_bool(cell) in (True, False, None)


@given(st.lists(cells, max_size=20))
def test_column_parsers_never_raise_and_keep_the_length(column_cells):
    column = pd.Series(column_cells, dtype=object)
    assert len(parse_dates(column)) == len(column)
    assert len(parse_numbers(column)) == len(column)
    assert len(parse_relationship_scores(column)) == len(column)


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_numbers_with_thousands_separators_read_back(number):
    assert parse_number(f"{number:,}") == number
    assert parse_number(f"{number:,}".replace(",", " ")) == number


@given(st.dates(min_value=FIRST_DATE, max_value=LAST_DATE))
def test_dates_written_in_common_formats_read_back(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%m/%d/%Y"), day_first=False) == day
    assert parse_date(day.strftime("%d.%m.%Y")) == day
    assert parse_date(day.strftime("%d %b %Y")) == day
    assert parse_date(day.strftime("%B %d, %Y")) == day


@pytest.mark.parametrize(("text", "expected"), [
    ("107.415", 107_415.0),  # SAP's headcount as a German export writes it
    ("10.000+", 10_000.0),
    ("1.001-5.000", 3000.5),
    ("1.5k", 1500.0),
])
def test_a_count_with_a_dot_before_three_digits_is_thousands(text, expected):
    assert parse_count_or_range(text) == pytest.approx(expected)


@pytest.mark.parametrize(("text", "expected"), [
    ("₹1,46,767 crore", 1.46767e12),  # Infosys revenue, Indian grouping
    ("INR 5 lakh", 5e5),
    ("SEK 23,5 mdr", 23.5e9),  # Swedish "miljarder"
])
def test_money_in_indian_and_nordic_units(text, expected):
    assert parse_money(text) == pytest.approx(expected)


# --- hostile cells: dates outside any business range, huge numbers, huge cells ------


@pytest.mark.parametrize("text", ["12/31/9999", "9999-12-31", "31.12.9999", "0001-01-01",
                                  "01/01/0001", "Dec 31, 9999", "1677-09-21", "2262-04-12",
                                  dt.date(9999, 12, 31), dt.datetime(1, 1, 1), 2_958_465.0])
def test_a_date_outside_the_sane_range_is_no_date(text):
    assert parse_date(text) is None


def test_a_date_column_holding_forever_dates_fits_pandas_datetimes():
    column = pd.Series(["12/31/9999", "11/23/2026", "01/01/0001", dt.datetime(9999, 1, 1)])
    parsed = pd.to_datetime(parse_dates(column))  # raised OutOfBoundsDatetime before
    assert parsed.notna().tolist() == [False, True, False, False]


@pytest.mark.parametrize("text", ["1e19", "100000000000000000000", 1e19, 2**64, "inf",
                                  float("inf"), float("nan"), "1e400", "2e8"])
def test_a_count_too_large_for_any_company_is_no_count(text):
    assert parse_count_or_range(text) is None


@pytest.mark.parametrize("parser", [parse_number, parse_count_or_range, parse_money, parse_date])
def test_a_cell_longer_than_any_value_is_no_value(parser):
    assert parser("1" * (MAX_VALUE_CHARS + 1)) is None
    assert parser("1," * 32_000) is None


@given(st.one_of(st.floats(), st.integers(min_value=-10**30, max_value=10**30),
                 st.text(alphabet="0123456789.,$-+eEkKmMbB", max_size=25)))
def test_amounts_and_scores_stay_in_their_plausible_ranges(cell):
    # 1e308 as a revenue would pass any ICP minimum; -1e6 would fail one: both are unknown
    amount = parse_amount(cell)
    assert amount is None or 0 <= amount <= MAX_AMOUNT
    money = parse_money(cell)
    if money is not None and 0 <= money <= MAX_AMOUNT:
        assert amount == money  # a plausible amount reads as before
    score = parse_score(cell)
    assert score is None or 0 <= score <= 100


@pytest.mark.parametrize(("text", "expected"), [
    ("$25,000,000", 25e6), ("0", 0.0), ("$10M - $50M", 30e6), ("1e308", None),
    ("-1000000", None), ("99999999999999999999999", None), ("$10T", 1e13), ("$11T", None),
])
def test_parse_amount_reads_money_from_zero_to_ten_trillion(text, expected):
    assert parse_amount(text) == expected


def test_parse_amount_bounds_the_dollars_of_a_column_in_thousands():
    assert parse_amount("25,000", multiplier=1000) == 25e6
    assert parse_amount("1e11", multiplier=1000) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("95", 95.0), ("0", 0.0), ("100", 100.0), ("72.5", 72.5), ("150", None), ("-5", None),
    ("1e308", None), ("high", None),
])
def test_parse_score_reads_0_to_100(text, expected):
    assert parse_score(text) == expected


@pytest.mark.parametrize(("cell", "number"), [
    ("134000]", 134000.0),  # Forbes Global 2000's Total Employees, as published
    ("12,500[3]", 12500.0), ("1,234*", 1234.0), ("5000†", 5000.0),
    ("$1.2B[note 1]", 1.2e9), ("(1,200)[2]", -1200.0),
])
def test_a_footnote_mark_after_a_number_is_no_part_of_it(cell: str, number: float) -> None:
    """Lists copied from the web keep their footnote marks: the number was unread."""
    assert parse_number(cell) == number


@pytest.mark.parametrize("cell", ["[5]", "*", "]", "†"])
def test_a_footnote_mark_alone_is_no_number(cell: str) -> None:
    assert parse_number(cell) is None
