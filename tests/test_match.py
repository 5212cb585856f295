"""The matcher: which account every row belongs to, and what goes to review."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from abmcli.config import MatchSettings
from abmcli.matching.decisions import Decision, Decisions
from abmcli.matching.match import account_id, fuzzy_score, match_rows


def identities(*rows: tuple[str, str, str]) -> pd.DataFrame:
    """Rows of (name, website, email) as vendors write them."""
    return pd.DataFrame(rows, columns=["name", "domain", "email"])


def match(*rows: tuple[str, str, str], decisions: Decisions | None = None):
    return match_rows(identities(*rows), MatchSettings(), decisions)


def test_domains_written_differently_are_one_account():
    result = match(
        ("Acme, Inc.", "https://www.Acme.com/", ""),
        ("ACME Corporation", "acme.com", ""),
        ("Acme", "http://acme.com/en-us/", ""),
        ("", "", "jane.doe@acme.com"),
        ("Acme", "shop.acme.com", ""),
    )
    assert set(result.rows["account_key"]) == {"acme.com"}
    assert set(result.rows["match"]) == {"domain"}


def test_name_only_row_joins_the_account_with_that_name():
    result = match(
        ("Northwind Traders Ltd", "northwindtraders.co.uk", ""),
        ("Northwind Traders", "", ""),
        ("NORTHWIND TRADERS LIMITED", "n/a", ""),
    )
    assert list(result.rows["account_key"]) == ["northwindtraders.co.uk"] * 3
    assert list(result.rows["match"]) == ["domain", "name", "name"]


def test_free_mail_contact_falls_back_to_the_company_name():
    result = match(
        ("Blue Harbor Logistics", "blueharborlogistics.com", ""),
        ("Blue Harbor Logistics, Inc.", "", "bob.smith1962@gmail.com"),
    )
    assert result.rows.loc[1, "account_key"] == "blueharborlogistics.com"
    assert result.rows.loc[1, "match"] == "name"


def test_typo_in_a_long_name_matches_fuzzily_with_its_score():
    result = match(
        ("Northwind Analytics GmbH", "northwind-analytics.de", ""),
        ("Northwind Analytcs", "", ""),
    )
    row = result.rows.loc[1]
    assert row["account_key"] == "northwind-analytics.de"
    assert row["match"] == "fuzzy"
    assert 92 <= row["score"] < 100
    assert "northwind analytcs" in row["reason"]
    assert list(result.fuzzy["key_b"]) == ["northwind-analytics.de"]


def test_name_with_a_misspelt_legal_form_joins_its_account():
    result = match(
        ("Ironcladbay Media Ltd", "ironcladbay.co.uk", ""),
        ("Ironcladbay Media Limtied", "", ""),
        ("Adly Corporation", "adly.com", ""),
        ("Adly orporation", "", ""),
        ("Adly Comfort", "", ""),
    )
    assert list(result.rows["account_key"]) == [
        "ironcladbay.co.uk", "ironcladbay.co.uk", "adly.com", "adly.com", "name:adly comfort"]
    assert list(result.rows["match"])[1::2] == ["fuzzy", "fuzzy"]
    assert "misspelt legal form" in result.rows.loc[1, "reason"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("United Airlines Holdings, Inc.", "United Rentals, Inc."),
        ("General Motors Company", "General Mills, Inc."),
        ("Bank of America Corp", "Bank of China Limited"),
        ("Delta Air Lines, Inc.", "Delta Dental"),
        ("American Airlines Group", "American Express Company"),
        ("Studio 3 Ltd", "Studio 4 Ltd"),
        ("Acme", "Acne"),
    ],
)
def test_look_alike_names_without_domains_stay_apart(a, b):
    result = match((a, "", ""), (b, "", ""))
    assert result.rows["account_key"].nunique() == 2
    assert set(result.rows["match"]) == {"name"}


def test_same_company_twice_in_one_source_is_one_account():
    result = match(("Contoso Ltd", "", ""), ("CONTOSO LIMITED", "", ""), ("Contoso", "", ""))
    assert result.rows["account_key"].nunique() == 1


def test_same_name_on_two_domains_is_a_candidate_not_a_merge():
    result = match(
        ("Acme GmbH", "acme.de", ""),
        ("Acme Inc.", "acme.com", ""),
        ("The Kroger Co.", "thekrogerco.com", ""),
        ("Kroger", "kroger.com", ""),
    )
    assert result.rows["account_key"].nunique() == 4
    pairs = {(a, b): s for a, b, s in result.candidates[["key_a", "key_b", "score"]].itertuples(
        index=False)}
    assert pairs == {("acme.com", "acme.de"): 100.0, ("kroger.com", "thekrogerco.com"): 100.0}
    reasons = " ".join(result.candidates["reason"])
    assert "different suffixes" in reasons


def test_accepted_decision_joins_two_domains_and_the_candidate_disappears():
    decisions = Decisions([Decision("acme.com", "acme.de", accept=True)])
    result = match(("Acme GmbH", "acme.de", ""), ("Acme Inc.", "acme.com", ""),
                   decisions=decisions)
    assert set(result.rows["account_key"]) == {"acme.com"}
    assert list(result.rows["match"]) == ["decision", "domain"]
    assert result.candidates.empty


def test_rejected_decision_removes_the_candidate():
    decisions = Decisions([Decision("acme.de", "acme.com", accept=False)])
    result = match(("Acme GmbH", "acme.de", ""), ("Acme Inc.", "acme.com", ""),
                   decisions=decisions)
    assert result.rows["account_key"].nunique() == 2
    assert result.candidates.empty


def test_rejected_fuzzy_merge_keeps_the_name_only_row_apart():
    decisions = Decisions([
        Decision("name:northwind analytcs", "northwind-analytics.de", accept=False)])
    result = match(("Northwind Analytics", "northwind-analytics.de", ""),
                   ("Northwind Analytcs", "", ""), decisions=decisions)
    assert result.rows.loc[1, "account_key"] == "name:northwind analytcs"


def test_rows_without_domain_or_name_are_rejected_with_the_reason():
    result = match(("", "", "someone@hotmail.com"), ("-", "n/a", ""), ("", "10.0.0.1", ""))
    assert set(result.rows["match"]) == {"rejected"}
    assert result.rows["account_key"].isna().all()
    reasons = list(result.rows["reason"])
    assert reasons[0] == "only a free-mail address and no company name"
    assert reasons[1] == "a placeholder instead of a website and no company name"
    assert reasons[2] == "an IP address instead of a website and no company name"
    assert all(r.endswith("no company name") for r in reasons)


def test_account_ids_do_not_depend_on_row_order():
    rows = [("Acme", "acme.com", ""), ("Globex", "", ""), ("Initech LLC", "initech.com", "")]
    forward = match(*rows).rows["account_key"].tolist()
    backward = match(*reversed(rows)).rows["account_key"].tolist()
    assert forward == list(reversed(backward))
    assert account_id("acme.com") == account_id("acme.com") != account_id("acme.de")
    assert account_id("acme.com").startswith("ACC-")


def test_fuzzy_score_is_symmetric_and_refuses_short_or_numbered_names():
    assert fuzzy_score("northwind analytics", "northwind analytcs") == fuzzy_score(
        "northwind analytcs", "northwind analytics")
    assert fuzzy_score("acme", "acne") == 0
    assert fuzzy_score("studio 3 films", "studio 4 films") == 0


_NAMES = ["Acme, Inc.", "ACME Corp", "Globex GmbH", "Initech", "The Kroger Co.", "Kroger",
          "Nestlé S.A.", "AT&amp;T", "", "-", "Northwind Analytcs", "Northwind Analytics"]
_SITES = ["acme.com", "https://www.acme.com/", "acme.de", "", "n/a", "10.0.0.1",
          "globex.de", "linkedin.com/company/acme", "thekrogerco.com", "nestle.com"]
_EMAILS = ["", "jane@acme.com", "bob@gmail.com", "x@initech.com", "not an email"]


@given(st.lists(st.tuples(st.sampled_from(_NAMES), st.sampled_from(_SITES),
                          st.sampled_from(_EMAILS)), max_size=40))
@settings(max_examples=150, deadline=None)
def test_no_row_is_ever_lost(rows):
    result = match_rows(identities(*rows), MatchSettings())
    assert len(result.rows) == len(rows)
    placed = result.rows["account_key"].notna()
    assert (result.rows.loc[placed, "match"] != "rejected").all()
    assert (result.rows.loc[~placed, "match"] == "rejected").all()
    assert result.rows["reason"].str.len().gt(0).all()


def test_a_name_on_many_domains_is_too_generic_to_suggest_merges():
    rows = [("Consulting Group", f"consulting-group-{i}.com", "") for i in range(80)]
    result = match(*rows, ("Acme GmbH", "acme.de", ""), ("Acme Inc.", "acme.com", ""))
    assert list(zip(result.candidates["key_a"], result.candidates["key_b"], strict=True)) == [
        ("acme.com", "acme.de")]


def test_candidates_are_found_in_a_crowd_of_names_sharing_their_first_word():
    crowd = [(f"United Widget Works {i:03d}", f"united-widgets-{i:03d}.com", "")
             for i in range(70)]
    result = match(*crowd, ("United Zebra Logistics", "unitedzebra.com", ""),
                   ("United Zebra Logistic", "unitedzebra.co.uk", ""))
    pairs = set(zip(result.candidates["key_a"], result.candidates["key_b"], strict=True))
    assert ("unitedzebra.co.uk", "unitedzebra.com") in pairs
