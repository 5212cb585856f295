"""The segment filter language: grammar, precedence, every operator, errors with positions,
missing values, and that no expression reaches Python."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from abmcli.errors import AbmError, ExpressionError
from abmcli.stages.expr import BoolOp, Compare, Not, Truthy, evaluate, parse_filter

AS_OF = dt.date(2026, 11, 25)


def days_ago(days: int) -> dt.date:
    return AS_OF - dt.timedelta(days=days)


@pytest.fixture
def accounts() -> pd.DataFrame:
    """Five accounts as a tier workbook reads back: mixed types, blanks, star text."""
    return pd.DataFrame({
        "account_name": ["Snowflake Inc.", "Société Générale S.A.", "AT&amp;T Inc.",
                         "Zendesk, Inc.", "Acme GmbH"],
        "domain": ["snowflake.com", "societegenerale.com", "att.com", "zendesk.com", None],
        "tier": ["Tier 1", "Tier 2", "Tier 2", "Tier 3", "Out of ICP"],
        "account_score": [81.5, 64.0, 58.25, 41.0, None],
        "employees": pd.array([7000, 117000, None, 6000, 40], dtype="Int64"),
        "stars": ["★★★★★", "★★★★☆", "★★★☆☆", "★★★☆☆", "★☆☆☆☆"],
        "intent_topics": ["Account Based Marketing; Intent Data", "Intent Data",
                          "Predictive Analytics; Account Based Marketing Platforms", None,
                          ""],
        "technologies": ["Salesforce; Marketo", "HubSpot", None, "Salesforce", "Marketo Engage"],
        "engagement_spike": pd.array([True, False, True, None, False], dtype="boolean"),
        "engagement_last_date": [days_ago(0), days_ago(14), days_ago(15), None, days_ago(40)],
        "crm_renewal_date": [AS_OF + dt.timedelta(days=30), None, days_ago(3),
                             AS_OF + dt.timedelta(days=120), None],
        "crm_owner": ["Maria Gonzalez", "James O'Connor", None, "maria gonzalez ", ""],
    })


def names(accounts: pd.DataFrame, text: str) -> list[str]:
    kept = evaluate(parse_filter(text, accounts.columns), accounts, AS_OF)
    assert kept.dtype == bool and kept.index.equals(accounts.index)
    return accounts.loc[kept, "account_name"].str.split().str[0].tolist()


# --- operators --------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ('tier == "Tier 2"', ["Société", "AT&amp;T"]),
    ("tier = 'tier 2'", ["Société", "AT&amp;T"]),  # "=" works too; text ignores case
    ('tier != "Tier 2"', ["Snowflake", "Zendesk,", "Acme"]),
    ("account_score > 58.25", ["Snowflake", "Société"]),
    ("account_score >= 58.25", ["Snowflake", "Société", "AT&amp;T"]),
    ("account_score < 58.25", ["Zendesk,"]),
    ("account_score <= 64", ["Société", "AT&amp;T", "Zendesk,"]),
    ("employees >= 10_000", ["Société"]),
    ("employees > -1", ["Snowflake", "Société", "Zendesk,", "Acme"]),
    ("stars >= 4", ["Snowflake", "Société"]),  # ★★★★☆ counts as 4
    ('tier in ["Tier 1", "tier 3"]', ["Snowflake", "Zendesk,"]),
    ('tier not in ["Tier 1", "Tier 2"]', ["Zendesk,", "Acme"]),
    ("employees in [40, 6000]", ["Zendesk,", "Acme"]),
])
def test_comparisons_and_lists(accounts: pd.DataFrame, text: str, expected: list[str]):
    assert names(accounts, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a list column matches whole items, ignoring case: "Account Based Marketing
    # Platforms" is not the topic "Account Based Marketing"
    ('intent_topics contains "account based marketing"', ["Snowflake"]),
    ('technologies contains "Marketo"', ["Snowflake"]),
    ('intent_topics contains ["Predictive Analytics", "Intent Data"]',
     ["Snowflake", "Société", "AT&amp;T"]),
    ('intent_topics not contains "Intent Data"', ["AT&amp;T"]),
    # other text matches a part of it
    ('account_name contains "GÉNÉRALE"', ["Société"]),
    ('domain contains ".com"', ["Snowflake", "Société", "AT&amp;T", "Zendesk,"]),
])
def test_contains_matches_items_of_lists_and_parts_of_text(accounts, text, expected):
    assert names(accounts, text) == expected


def test_relevant_topics_match_whole_topics_like_intent_topics() -> None:
    # "Data" is a topic of its own, not every topic with the word in it.
    accounts = pd.DataFrame({
        "account_name": ["A", "B", "C"],
        "intent_relevant_topics": ["Data Security; Cloud", "data", ""],
    })
    assert names(accounts, 'intent_relevant_topics contains "Data"') == ["B"]
    assert names(accounts, 'intent_relevant_topics contains "cloud"') == ["A"]


@pytest.mark.parametrize(("text", "expected"), [
    ("engagement_last_date within 14 days", ["Snowflake", "Société"]),
    ("engagement_last_date within 2 weeks", ["Snowflake", "Société"]),
    ("engagement_last_date within 0 days", ["Snowflake"]),
    ("crm_renewal_date within next 90 days", ["Snowflake"]),
    ("crm_renewal_date within 7 days", ["AT&amp;T"]),
    ("engagement_last_date before 2026-11-11", ["AT&amp;T", "Acme"]),
    ("engagement_last_date after 2026-11-11", ["Snowflake"]),
    ("engagement_last_date >= 2026-11-11", ["Snowflake", "Société"]),
    ("engagement_last_date == 2026-11-25", ["Snowflake"]),
])
def test_dates_count_from_the_run_date(accounts, text, expected):
    assert names(accounts, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("engagement_spike", ["Snowflake", "AT&amp;T"]),
    ("engagement_spike == true", ["Snowflake", "AT&amp;T"]),
    ("engagement_spike == false", ["Société", "Acme"]),  # blank is neither
    ("crm_owner is empty", ["AT&amp;T", "Acme"]),
    ("crm_owner is not empty", ["Snowflake", "Société", "Zendesk,"]),
    ('crm_owner == "Maria Gonzalez"', ["Snowflake", "Zendesk,"]),  # spaces and case
])
def test_flags_and_emptiness(accounts, text, expected):
    assert names(accounts, text) == expected


def test_a_missing_value_never_matches_a_test_but_not_negates_the_whole_test(accounts):
    assert names(accounts, 'crm_owner != "Maria Gonzalez"') == ["Société"]
    assert names(accounts, 'not crm_owner == "Maria Gonzalez"') == [
        "Société", "AT&amp;T", "Acme"]
    assert "Acme" not in names(accounts, "account_score < 100")
    assert "Zendesk," not in names(accounts, "engagement_last_date within 1000 days")


def test_column_names_ignore_case_and_backticks_quote_them(accounts):
    assert names(accounts, 'TIER == "Tier 1"') == ["Snowflake"]
    assert names(accounts, '`Account_Score` > 80') == ["Snowflake"]


def test_a_value_in_quotes_can_hold_its_quote_and_keywords(accounts):
    frame = accounts.assign(account_name=['Say "hi" and or not', "b", "c", "d", "e"])
    kept = evaluate(parse_filter(r'account_name == "say \"hi\" and or not"', frame.columns),
                    frame, AS_OF)
    assert kept.tolist() == [True, False, False, False, False]


# --- grammar and precedence -------------------------------------------------------------


def test_not_binds_tighter_than_and_which_binds_tighter_than_or(accounts):
    cols = accounts.columns
    tree = parse_filter("not engagement_spike and tier == 'x' or account_score > 1", cols).root
    assert tree == BoolOp("or", BoolOp("and", Not(Truthy("engagement_spike")),
                                       Compare("tier", "==", "x")),
                          Compare("account_score", ">", 1.0))


def test_parentheses_change_the_grouping(accounts):
    loose = 'tier == "Tier 1" or tier == "Tier 2" and engagement_spike'
    grouped = '(tier == "Tier 1" or tier == "Tier 2") and engagement_spike'
    assert names(accounts, loose) == ["Snowflake", "AT&amp;T"]
    assert names(accounts, "not (" + grouped + ")") == ["Société", "Zendesk,", "Acme"]
    assert names(accounts, "not not engagement_spike") == ["Snowflake", "AT&amp;T"]


def test_the_filter_records_the_columns_it_reads(accounts):
    found = parse_filter("TIER == 'Tier 1' or (tier == 'x' and stars > 3)", accounts.columns)
    assert found.columns == ("tier", "stars")


# --- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ("account_score >= ", "at character 18: expected a value after '>='"),
    ("account_score >= and", "at character 18: expected a value after '>='"),
    ('tier == "Tier 1', "at character 9: the text starting with \" has no closing \""),
    ("(tier == 'a'", "at character 13: expected ')' to close the '(' at character 1"),
    ("tier == 'a')", "at character 12: expected 'and', 'or' or the end, found ')'"),
    ("tier 'Tier 1'", "at character 6: expected an operator"),
    ("tier < 'Tier 2'", "at character 8: '<' compares numbers and dates"),
    ("tier in 'Tier 1'", "at character 9: expected a list such as"),
    ("tier in ['a', 1]", "at character 9: a list holds values of one kind"),
    ("tier in ['a' 'b']", "at character 14: expected ',' or ']' in the list"),
    ("account_score contains 5", "at character 15: 'contains' looks for quoted text"),
    ("engagement_last_date within 14", "at character 31: expected 'days' or 'weeks'"),
    ("engagement_last_date within 1.5 days", "expected a whole number of days"),
    ("engagement_last_date after yesterday", "at character 28: expected a date like"),
    ("engagement_last_date > 2026-13-01", "at character 24: 2026-13-01 is not a date"),
    ("crm_owner is blank", "at character 14: expected 'empty' after 'is'"),
    ("and tier == 'x'", "at character 1: expected a column name or '('"),
    ("tier == 'a' ; drop", "at character 13: unexpected character ';'"),
    ("", "the filter is empty"),
])
def test_errors_say_where_and_what(accounts, text, message):
    with pytest.raises(ExpressionError) as caught:
        parse_filter(text, accounts.columns)
    assert message in str(caught.value)
    assert isinstance(caught.value, AbmError)  # the CLI shows it as one line, exit 2


def test_an_unknown_column_names_the_closest_ones(accounts):
    with pytest.raises(ExpressionError, match=r"at character 16: unknown column 'acount_scor'; "
                       r"did you mean 'account_score'"):
        parse_filter("tier == 'x' or acount_scor > 3", accounts.columns)


def test_evaluating_on_a_table_without_the_column_says_which(accounts):
    found = parse_filter("tier == 'Tier 1'", accounts.columns)
    with pytest.raises(ExpressionError, match="reads column.* tier, which this table lacks"):
        evaluate(found, accounts.drop(columns="tier"), AS_OF)


# --- safety -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "__import__('os')", "__import__('os').system('echo hi')", "a.__class__",
    "().__class__", "tier.__class__ == 1", "[].__class__.__base__", "tier == open('x')",
    "lambda: 1", "tier == {1: 2}", "account_score == 1 + 1", "tier == tier.upper()",
    "exec('1')", "eval('1')", "globals()", "tier == \"a\" if 1 else 2", "tier @ 1",
    "account_score == 2 ** 99", "tier[0] == 'T'", "f'{tier}' == 'x'",
])
def test_no_expression_reaches_python_builtins_or_attributes(accounts, text):
    with pytest.raises(ExpressionError):
        parse_filter(text, accounts.columns)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("tier_scon ()[]=!<>'\".,0129-aby:")), max_size=30))
def test_any_text_either_parses_or_raises_expression_error(text):
    columns = ["tier", "score", "account_name"]
    frame = pd.DataFrame({"tier": ["Tier 1", None], "score": [1.0, None],
                          "account_name": ["a", "b"]})
    try:
        found = parse_filter(text, columns)
    except ExpressionError:
        return
    assert evaluate(found, frame, AS_OF).dtype == bool


def test_evaluation_is_vectorised_over_a_large_table():
    frame = pd.DataFrame({"tier": ["Tier 1", "Tier 2", "Tier 3", None] * 50_000,
                          "intent_topics": ["A; B", "b", None, "C"] * 50_000})
    kept = evaluate(parse_filter("tier != 'Tier 3' and intent_topics contains 'b'",
                                 frame.columns), frame, AS_OF)
    assert int(kept.sum()) == 100_000


@pytest.mark.parametrize("spelling", ["USA", "US", "U.S.", "united states of america",
                                      "United States"])
def test_a_country_filter_reads_any_spelling_as_the_icp_does(spelling: str) -> None:
    frame = pd.DataFrame({"country": ["United States", "Canada", None, "Deutschland"]})
    for text in (f'country == "{spelling}"', f'country in ["{spelling}", "DE"]'):
        met = evaluate(parse_filter(text, list(frame.columns)), frame, AS_OF).tolist()
        assert met[:3] == [True, False, False], text
    not_us = parse_filter(f'country != "{spelling}"', list(frame.columns))
    assert evaluate(not_us, frame, AS_OF).tolist() == [False, True, False, True]


def test_a_filter_reports_its_unknown_columns_with_its_first_problem() -> None:
    from abmcli.stages.expr import filter_problems

    columns = ["tier", "employees", "engagement_last_date", "crm owner"]
    found = filter_problems('teir == "Tier 1" and employes > 10x', columns)
    assert [problem.split(":")[0] for problem in found] == [
        "at character 35", "at character 1", "at character 22"]
    assert "'10x' is not a number" in found[0]
    assert "unknown column 'teir'; did you mean 'tier'?" in found[1]
    assert "unknown column 'employes'; did you mean 'employees'?" in found[2]
    # units, keywords and values are no columns; a backticked name is; an open text ends
    # the scan
    assert len(filter_problems("engagement_last_date within 14 days and tier == true "
                               "and `crm ownr` is empty and x ==", columns)) == 2
    assert len(filter_problems('tierr == "open and more_text', columns)) == 2
    assert filter_problems("tier == 'Tier 1' and employees > 10k", columns) == []
    # a value left unquoted is that (the first problem), not an unknown column
    assert len(filter_problems("tier in [Tier1, Tier2] or tier == Tier3", columns)) == 1


def test_a_misspelt_operator_is_not_reported_as_an_unknown_column() -> None:
    from abmcli.stages.expr import filter_problems

    problems = filter_problems("account_score between 3", ["account_score", "tier"])
    assert len(problems) == 1 and "found 'between'" in problems[0]
