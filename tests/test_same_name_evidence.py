"""The same name is no proof against evidence that says two companies (issue 11).

Real rows: the unicorn list's two Bolts (San Francisco fintech, Tallinn mobility),
Crunchbase 2013's Accion (Boston) / Accion Texas (San Antonio) and Acacia / Acacia
Interactive (both Nashville), and three Companies House rows whose names are only a
legal form ("! LIMITED", "! LTD", "!? LTD").
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from abmcli.config import MatchSettings
from abmcli.matching.decisions import Decision, Decisions, normalize_key
from abmcli.matching.match import match_rows

REAL = Path(__file__).parent / "data" / "real"
COLUMNS = ["name", "domain", "email", "country", "state", "city", "ticker"]


def row(name: str, domain: str = "", **evidence: str) -> dict[str, str]:
    return {"name": name, "domain": domain, "email": "", **evidence}


def run(rows: list[dict[str, str]], decisions: Decisions | None = None):
    frame = pd.DataFrame(rows, columns=COLUMNS).astype(object).fillna("")
    return match_rows(frame, MatchSettings(), decisions)


def _unicorn_rows(*names: str) -> list[dict[str, str]]:
    with (REAL / "unicorn-companies-2021.csv").open(encoding="utf-8") as handle:
        return [row(r["Company"], country=r["Country"], city=r["City"])
                for r in csv.DictReader(handle) if r["Company"] in names]


def _crunchbase_rows(*names: str) -> list[dict[str, str]]:
    # The 2013 file ends its lines with a bare carriage return (old Mac style).
    text = (REAL / "crunchbase-companies-2013.csv").read_text(encoding="utf-8")
    records = csv.DictReader(text.replace("\r\n", "\n").replace("\r", "\n").splitlines())
    found = {r["name"]: r for r in records if r["name"] in names}
    return [row(n, country=found[n]["country_code"], state=found[n]["state_code"],
                city=found[n]["city"]) for n in names]


def _pair_on_review(result, a: str, b: str) -> str:
    pairs = result.candidates
    hit = pairs[((pairs.key_a == a) & (pairs.key_b == b))
                | ((pairs.key_a == b) & (pairs.key_b == a))]
    assert len(hit) == 1, pairs
    return str(hit.iloc[0]["reason"])


def test_the_two_real_bolts_are_two_accounts_and_a_review_pair():
    bolts = _unicorn_rows("Bolt")
    assert [b["country"] for b in bolts] == ["United States", "Estonia"]
    result = run(bolts)
    keys = list(result.rows["account_key"])
    assert len(set(keys)) == 2
    assert set(keys) == {"name:bolt @ estonia", "name:bolt @ united states"}
    reason = _pair_on_review(result, *keys)
    assert "country united states ≠ estonia" in reason or "estonia ≠ united states" in reason


def test_bolts_of_two_files_stay_apart_and_an_accepted_decision_joins_them():
    rows = [row("Bolt", country="United States", city="San Francisco"),
            row("Mercury", country="United States", city="San Francisco"),
            row("Bolt", country="Estonia", city="Tallinn"),
            row("Mercury", country="Germany", city="Berlin")]
    apart = run(rows)
    assert apart.rows["account_key"].nunique() == 4
    pair = apart.candidates[apart.candidates.key_a.str.startswith("name:bolt")].iloc[0]
    # The key is written to the decisions file and read back unchanged.
    assert normalize_key(pair.key_a.upper()) == pair.key_a
    accepted = Decisions([Decision(pair.key_a, pair.key_b, accept=True)])
    joined = run(rows, accepted).rows["account_key"]
    assert joined[0] == joined[2] and joined[1] != joined[3]


def test_rows_of_one_name_with_agreeing_or_missing_evidence_still_merge():
    rows = [row("Bolt", country="United States", city="San Francisco"),
            row("Bolt Inc.", country="USA", city="Oakland"),
            row("BOLT"),
            row("Bolt", state="CA", city="San Francisco")]
    assert run(rows).rows["account_key"].nunique() == 1


def test_a_name_only_row_from_another_country_does_not_join_the_domain_account():
    rows = [row("Bolt", "bolt.com", country="United States"),
            row("Bolt", country="Estonia"),
            row("Bolt", country="USA"),
            row("Bolt")]
    result = run(rows)
    keys = list(result.rows["account_key"])
    assert keys[2] == keys[3] == "bolt.com"
    assert keys[1] == "name:bolt @ estonia"
    assert "country estonia ≠ united states" in _pair_on_review(
        result, "name:bolt @ estonia", "bolt.com")


def test_a_different_ticker_keeps_the_same_name_apart():
    result = run([row("Mercury", "mercury.com", ticker="MRCY"), row("Mercury", ticker="MCY")])
    assert result.rows.loc[1, "account_key"] == "name:mercury"


def test_accion_and_accion_texas_in_two_states_and_cities_stay_apart():
    rows = _crunchbase_rows("Accion", "Accion Texas")
    result = run(rows)
    assert result.rows["account_key"].nunique() == 2
    reason = _pair_on_review(result, "name:accion texas", "name:accion")
    assert "state texas ≠ massachusetts" in reason and "city san antonio ≠ boston" in reason
    # Two states alone are one company's offices: the same city keeps the rows together.
    same_city = [rows[0], {**rows[1], "city": "Boston", "name": "Accion"}]
    assert run(same_city).rows["account_key"].nunique() == 1


def test_acacia_and_acacia_interactive_in_one_city_go_to_review():
    rows = _crunchbase_rows("Acacia", "Acacia Interactive")
    assert rows[0]["city"] == rows[1]["city"] == "Nashville"
    result = run(rows)
    assert result.rows["account_key"].nunique() == 2
    assert "city nashville agrees" in _pair_on_review(
        result, "name:acacia interactive", "name:acacia")


def test_a_name_within_another_still_merges_in_the_same_city_when_it_says_enough():
    rows = [row("Prayas Analytics", city="New York"),
            row("Prayas Analytics MetricBoy", city="New York")]
    assert run(rows).rows["account_key"].nunique() == 1


COMPANIES_HOUSE = [  # CompanyName, PostTown (real rows of the Companies House register)
    ("! LIMITED", "SHEFFIELD"), ("! LTD", "LEEDS"), ("!? LTD", "ROMILEY")]


def test_names_that_are_only_a_legal_form_join_nothing_by_name():
    rows = [row(name, country="United Kingdom", city=town) for name, town in COMPANIES_HOUSE]
    rows += [row("Ltd", "ltd-example.co.uk"), row("LTD"),
             row("!? LTD", country="United Kingdom", city="ROMILEY")]
    keys = list(run(rows).rows["account_key"])
    # Each distinct row is its own account; only the very same row written twice meets.
    assert len(set(keys[:5])) == 5
    assert keys[5] == keys[2]
    assert "ltd-example.co.uk" not in keys[:3] + keys[4:]


def test_a_legal_form_names_rows_keep_their_keys_when_other_rows_of_it_come_or_go():
    """Rows of a legal-form name without evidence are accounts of their own, keyed by a
    tag of what they say, not a number by order: a decision on one holds next week."""
    week = run([row("! LTD"), row("!? LTD")]).rows["account_key"].tolist()
    busier = run([row("!!! LTD"), row("!!! LTD"), row("!? LTD"), row("! LTD")])
    later = busier.rows["account_key"].tolist()
    assert later[3] == week[0] and later[2] == week[1]
    assert len(set(later)) == 3 and all(k.startswith("name:ltd @ r") for k in later)


@given(country=st.sampled_from(["United States", "Estonia", "Germany", "Japan"]),
       other=st.sampled_from(["United States", "Estonia", "Germany", "Japan"]),
       name=st.sampled_from(["Bolt", "Mercury", "Acme Robotics", "Sharp"]),
       loose=st.integers(min_value=0, max_value=3))
@settings(max_examples=40, deadline=None)
def test_rows_of_one_name_meet_exactly_when_their_countries_agree(country, other, name, loose):
    """Whatever the order and however many rows without a country, rows of two countries
    are two accounts, rows of one country one, and rows without a country join one."""
    rows = [row(name, country=country), row(name, country=other)] + [row(name)] * loose
    keys = run(rows).rows["account_key"]
    assert (keys[0] == keys[1]) == (country == other)
    assert set(keys[2:]) <= {keys[0], keys[1]}
    assert keys.nunique() == (1 if country == other else 2)


def test_domains_whose_name_is_only_a_legal_form_are_no_review_pair():
    result = run([row("! LTD", "one-example.co.uk"), row("!? LTD", "two-example.co.uk"),
                  row("Acme", "acme.com"), row("Acme", "acme.de")])
    pairs = set(zip(result.candidates.key_a, result.candidates.key_b, strict=True))
    assert pairs == {("acme.com", "acme.de")}


NYSE = (Path(__file__).parents[1] / ".." / "shared" / "reference" / "real-exports"
        / "nyse-companylist-2019" / "companylist_nyse.csv")


@pytest.mark.skipif(not NYSE.exists(), reason="../shared is not beside this checkout (it is in CI)")
def test_share_classes_of_one_listing_are_one_company():
    # The nasdaq.com screener lists each share class as a row: Allstate's common stock
    # ALL and its preferred ALL^A ... ALL^G are one issuer, as a person reads them.
    with NYSE.open(encoding="utf-8") as handle:
        listed = [row(r["Name"], ticker=r["Symbol"]) for r in csv.DictReader(handle)]
    placed = run(listed).rows["account_key"]
    allstate = {placed[i] for i, r in enumerate(listed) if r["name"].startswith("Allstate")}
    assert len(allstate) == 1 and sum(r["name"].startswith("Allstate") for r in listed) == 7


@pytest.mark.parametrize(("one", "other"), [
    ("ALL", "ALL^A"), ("BRK.B", "BRK-A"), ("BRK/B", "NYSE: BRK.A"), ("SHOP", "SHOP.TO"),
])
def test_tickers_of_one_issuer_agree(one, other):
    result = run([row("Acme Holdings", "acme.com", ticker=one),
                  row("Acme Holdings", ticker=other)])
    assert result.rows["account_key"].tolist() == ["acme.com", "acme.com"]


def test_tickers_of_two_issuers_still_say_two_companies():
    result = run([row("Aegon NV", "aegon.com", ticker="AEG"), row("Aegon NV", ticker="AEB")])
    assert result.rows.at[1, "account_key"] != result.rows.at[0, "account_key"]
