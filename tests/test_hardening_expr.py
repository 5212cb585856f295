"""Hostile and generated filters: long, deep or malformed, they give a result or one
ExpressionError naming the character, fast; never a RecursionError or a minute's wait."""

from __future__ import annotations

import datetime as dt
import time

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from abmcli.errors import ExpressionError
from abmcli.limits import MAX_FILTER_CHARS
from abmcli.stages.expr import evaluate, parse_filter

AS_OF = dt.date(2026, 11, 25)
FRAME = pd.DataFrame({
    "domain": ["a0.com", "a1.com", None],
    "tier": ["Tier 1", "Tier 2", None],
    "account_score": [80.0, 40.0, None],
    "engagement_last_date": [dt.date(2026, 11, 20), None, dt.date(2020, 1, 1)],
    "engagement_spike": [True, False, None],
})


def kept(text: str) -> list[bool]:
    return evaluate(parse_filter(text, FRAME.columns), FRAME, AS_OF).tolist()


def test_a_generated_list_of_thousands_of_or_terms_is_evaluated():
    terms = " or ".join(f'domain == "a{i}.com"' for i in range(5000))
    assert kept(terms) == [True, True, False]
    assert kept(" and ".join(["account_score > 1"] * 3000)) == [True, True, False]


def test_thousands_of_nots_are_one_or_none():
    assert kept("not " * 2000 + "engagement_spike") == kept("engagement_spike")
    assert kept("not " * 2001 + "engagement_spike") == kept("not engagement_spike")


def test_parentheses_nest_to_the_limit_and_past_it_the_error_names_the_character():
    assert kept("(" * 100 + "engagement_spike" + ")" * 100) == [True, False, False]
    with pytest.raises(ExpressionError, match=r"at character 101: parentheses nested more "
                       r"than 100 deep"):
        parse_filter("(" * 250 + "engagement_spike" + ")" * 250, FRAME.columns)
    with pytest.raises(ExpressionError, match="nested more than 100 deep"):
        parse_filter("not (" * 2000 + "engagement_spike" + ")" * 2000, FRAME.columns)


@pytest.mark.parametrize("text", [
    "\\" * 100_000,
    'tier == "' + "\\" * 100_000,
    "tier == '" + "\\\\" * 50_000,
    "domain == " + "1" * 100_000 + "x",
    "`" + "a" * 100_000,
    "tier " + "== " * 30_000,
])
def test_a_long_hostile_filter_is_refused_in_linear_time_with_a_short_message(text):
    started = time.perf_counter()
    with pytest.raises(ExpressionError) as error:
        parse_filter(text, FRAME.columns)
    assert time.perf_counter() - started < 1.0
    assert len(str(error.value)) < 600
    assert str(error.value).startswith("at character ")


def test_a_filter_past_the_length_limit_is_refused_before_it_is_read():
    with pytest.raises(ExpressionError, match="characters long"):
        parse_filter("engagement_spike or " * (MAX_FILTER_CHARS // 20) + "x", FRAME.columns)


@pytest.mark.parametrize(("text", "said"), [
    ("engagement_last_date within 1000000000000000 days", "at character 29: 1e+15 days is "
     "outside the durations abm accepts"),
    ("engagement_last_date within next 9999999 weeks", "at character 34: 9,999,999 weeks"),
    ("engagement_last_date before 9999-12-31", "at character 29: 9999-12-31 is outside the "
     "dates abm accepts (1900-01-01 to 2099-12-31)"),
    ("engagement_last_date > 0001-01-01", "at character 24: 0001-01-01 is outside"),
])
def test_durations_and_dates_out_of_range_name_the_character(text, said):
    with pytest.raises(ExpressionError) as error:
        parse_filter(text, FRAME.columns)
    assert said in str(error.value)


def test_the_longest_duration_and_the_date_range_evaluate():
    assert kept("engagement_last_date within 36500 days") == [True, False, True]
    assert kept("engagement_last_date within next 5214 weeks") == [False, False, False]
    assert kept("engagement_last_date after 1900-01-01 and engagement_last_date before "
                "2099-12-31") == [True, False, True]


# --- random filters: a result or an ExpressionError, never anything else ----------------

COLUMNS = ["tier", "account_score", "engagement_last_date", "engagement_spike", "domain"]
WORDS = [*COLUMNS, "and", "or", "not", "in", "contains", "within", "next", "days",
         "weeks", "is", "empty", "true", "false", "before", "after", "(", ")", "[", "]",
         ",", "==", "!=", "<", ">=", "=", '"Tier 1"', "'a'", "80", "-1.5", "10_000",
         "99999999999999999999", "2026-11-01", "9999-12-31", "0001-01-01", "2026-02-30",
         "\\", '"', "`tier`", "\x1b[2J"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=25))
def test_random_filters_give_a_result_or_an_expression_error(words):
    text = " ".join(words)
    try:
        found = parse_filter(text, COLUMNS)
    except ExpressionError:
        return
    assert len(evaluate(found, FRAME, AS_OF)) == len(FRAME)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 400), st.sampled_from(["(", "not ", "not (", "( not "]))
def test_random_depths_give_a_result_or_an_expression_error(depth, opening):
    closing = ")" * opening.count("(")
    text = opening * depth + "engagement_spike" + closing * depth
    try:
        found = parse_filter(text, COLUMNS)
    except ExpressionError as error:
        assert "nested more than 100 deep" in str(error)
        return
    assert len(evaluate(found, FRAME, AS_OF)) == len(FRAME)
