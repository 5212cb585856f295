"""`abm explain`: finding an account by domain, id or name, and what the explanation holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from abmcli.cli.explain import explain as explain_command
from abmcli.config import config_from_tables
from abmcli.errors import AbmError
from abmcli.matching.crm_ids import salesforce_checksum
from abmcli.outputs.tier_workbook import tier_hub_file
from abmcli.outputs.workbook_accounts import explain_in_workbook
from abmcli.stages.explain import explain_account, find_account
from abmcli.stages.tier import tier_accounts
from abmcli.xlsx.workbook import Sheet, write_workbook

AS_OF = dt.date(2026, 11, 23)
CONFIG = config_from_tables({
    "icp": {"industries": ["Computer Software", "Internet"],
            "countries": ["United States", "Canada"],
            "employees": {"min": 200, "max": 10_000},
            "rules": [{"column": "crm_type", "op": "!=", "value": "Partner",
                       "label": "not a partner", "weight": 10}]},
}, as_of=AS_OF)


def _hub() -> pd.DataFrame:
    return pd.DataFrame({
        "account_id": ["ACC-3f2a9c01bd", "ACC-77b0e1c2d4", "ACC-0a1b2c3d4e", "ACC-9e8d7c6b5a",
                       "ACC-1111111111"],
        "account_name": ["Snowflake Inc.", "HubSpot, Inc.", "Société Générale S.A.",
                         "Acme Corp", "ACME Corporation"],
        "domain": ["snowflake.com", "hubspot.com", "societegenerale.com", "acme.com", ""],
        "other_domains": ["snowflakecomputing.com", "", "", "", ""],
        "industry": ["Computer Software", "Internet", "Banking", "Manufacturing", None],
        "country": ["USA", "United States", "France", "US", None],
        "employees": [6800, 7400, 117_000, 350, None],
        "revenue": [2.8e9, 2.2e9, 2.8e10, 9e7, None],
        "intent_max_score": [86.0, None, 41.0, None, None],
        "intent_surging_topics": [3, None, 0, None, None],
        "intent_latest_date": [dt.date(2026, 11, 16), None, dt.date(2026, 11, 16), None, None],
        "intent_last_surge_date": [dt.date(2026, 11, 16), None, None, None, None],
        "relationship_score": [75.0, 50.0, None, None, None],
        "engagement_total": [420.0, 35.0, None, 0.0, None],
        "engagement_last_date": [dt.date(2026, 11, 20), dt.date(2026, 9, 1), None, None, None],
        "engagement_spike": [True, False, False, False, False],
        "engagement_spike_pct": [210.0, None, None, None, None],
        "crm_type": ["Prospect", "Partner", None, "Customer", None],
        "crm_acv": [240_000.0, None, None, None, None],
    })


@pytest.mark.parametrize(("query", "matched_by", "position"), [
    ("https://www.Snowflake.com/en/data-cloud/", "domain", 0),
    ("snowflakecomputing.com", "domain", 0),
    ("acc-77b0e1c2d4", "account id", 1),
    ("Snowflake, Inc", "name", 0),
    ("SOCIETE GENERALE", "name", 2),
])
def test_accounts_are_found_by_domain_id_or_name(query: str, matched_by: str,
                                                 position: int) -> None:
    assert find_account(_hub(), query) == (position, matched_by)


def test_a_short_domain_inside_a_long_query_is_no_suggestion() -> None:
    hub = pd.DataFrame({"account_id": ["ACC-1"], "account_name": ["Brand Networks Inc."],
                        "domain": ["bn.co"]})
    with pytest.raises(AbmError, match="check the spelling"):
        find_account(hub, "nosuchcompany.com")


def test_no_match_suggests_the_closest_account() -> None:
    with pytest.raises(AbmError, match=r"no account matches 'Snowflak'; did you mean "
                                       r"'Snowflake Inc\.' \(snowflake\.com\)\?"):
        find_account(_hub(), "Snowflak")


def test_a_name_several_accounts_share_asks_for_the_domain() -> None:
    with pytest.raises(AbmError, match="'Acme' matches 2 accounts: Acme Corp "
                                       r"\(acme\.com, ACC-9e8d7c6b5a\); ACME Corporation "
                                       r"\(no domain, ACC-1111111111\)"):
        find_account(_hub(), "Acme")


def test_an_exact_display_name_wins_over_the_accounts_its_name_key_also_fits() -> None:
    hub = pd.DataFrame({"account_id": ["ACC-67A6B9C4B6", "ACC-19ECE6F3E0"],
                        "account_name": ["The Home Depot (Canada)", "The Home Depot, Inc."],
                        "domain": ["homedepot.ca", "homedepot.com"]})
    assert find_account(hub, "The Home Depot, Inc.") == (1, "name")
    assert find_account(hub, "  the home depot,  INC. ") == (1, "name")
    assert find_account(hub, "The Home Depot (Canada)") == (0, "name")
    with pytest.raises(AbmError, match="'The Home Depot' matches 2 accounts"):
        find_account(hub, "The Home Depot")


def test_explanation_lists_every_rule_with_the_account_data() -> None:
    found = explain_account(_hub(), "snowflake.com", CONFIG)
    assert [(c.label, c.symbol, c.value) for c in found.rules] == [
        ("industry", "✓", "Computer Software"), ("country", "✓", "USA"),
        ("employees", "✓", "6,800"), ("revenue", "✓", "2,800,000,000"),
        ("not a partner", "✓", "Prospect")]
    assert sum(c.points for c in found.rules) == pytest.approx(100, abs=0.2)
    assert found.fit_score == 100.0


def test_a_missed_rule_earns_no_points_and_the_points_add_up_to_the_fit_score() -> None:
    found = explain_account(_hub(), "hubspot.com", CONFIG)  # a partner: one rule missed
    partner = next(c for c in found.rules if c.label == "not a partner")
    assert (partner.symbol, partner.points) == ("✗", 0.0) and partner.weight > 0
    assert found.fit_score is not None and found.fit_score < 100
    assert sum(c.points for c in found.rules) == pytest.approx(found.fit_score, abs=0.2)


def test_family_contributions_add_up_to_the_account_score() -> None:
    found = explain_account(_hub(), "Snowflake Inc.", CONFIG)
    assert sum(f.contribution for f in found.families) == pytest.approx(found.account_score,
                                                                        abs=0.2)
    intent = next(f for f in found.families if f.family == "intent")
    assert intent.inputs["intent_surging_topics"] == "3"
    assert intent.inputs["surge age (days)"] == "7"
    engagement = next(f for f in found.families if f.family == "engagement")
    assert engagement.inputs["activity percentile"] == "100"


def test_missing_families_show_as_no_data_or_no_signal() -> None:
    found = explain_account(_hub(), "ACC-1111111111", CONFIG)
    assert [f.score for f in found.families] == [None, None, None, None]
    assert [c.outcome for c in found.rules] == ["no data"] * 5
    # fit unknown: left out of the blend; the signal families the hub has count 0
    assert [f.status for f in found.families] == ["no data", "no signal", "no signal",
                                                  "no signal"]
    assert [f.weight for f in found.families] == [0.0, 0.5, 0.167, 0.333]
    assert found.fit_score is None
    assert found.tier == "Fit unknown" and found.account_score == 0.0
    assert found.tier_reason.startswith("Fit unknown: needs firmographics; ")
    # no stars (the tier workbook shows none), and no "low fit" cell of the star grid
    assert not found.stars
    assert found.stars_reason.startswith("none, the fit is unknown")


def test_a_family_the_hub_lacks_is_no_data_and_left_out() -> None:
    hub = _hub().drop(columns=["relationship_score"])
    found = explain_account(hub, "snowflake.com", CONFIG)
    relationship = next(f for f in found.families if f.family == "relationship")
    assert (relationship.status, relationship.weight) == ("no data", 0.0)
    assert sum(f.weight for f in found.families) == pytest.approx(1.0, abs=0.01)


def test_tier_and_reason_match_abm_tier() -> None:
    tiered = tier_accounts(_hub(), CONFIG).accounts.set_index("domain")
    found = explain_account(_hub(), "hubspot.com", CONFIG)
    assert (found.tier, found.tier_reason) == (tiered.loc["hubspot.com", "tier"],
                                               tiered.loc["hubspot.com", "tier_reason"])
    assert found.tier == "Tier 3"  # a partner (fit 90) last engaged in September
    assert found.tier_reason.startswith("Tier 3: no surge in 21 days, no engagement in 30")


def test_a_tier_workbook_keeps_the_tiers_its_caps_gave(tmp_path: Path) -> None:
    hub_path = tmp_path / "hub.xlsx"
    write_workbook(hub_path, [Sheet("Hub", _hub())])
    tiers_path = tmp_path / "tiers.xlsx"
    tier_hub_file(hub_path, tiers_path, CONFIG, caps={"Tier 1": 0})
    from_tiers = explain_in_workbook(tiers_path, "snowflake.com", CONFIG)
    from_hub = explain_in_workbook(hub_path, "snowflake.com", CONFIG)
    assert from_hub.tier == "Tier 1"
    assert from_tiers.tier == "Tier 2"
    assert "Tier 1 full at 0" in from_tiers.tier_reason


def test_a_workbook_without_accounts_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    write_workbook(path, [Sheet("Sheet1", pd.DataFrame({"a": [1]}))])
    with pytest.raises(AbmError, match="has neither a Hub sheet nor tier sheets"):
        explain_in_workbook(path, "acme.com", CONFIG)


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.command("explain")(explain_command)
    app.command("noop")(lambda: None)
    return app


def test_cli_explain_prints_a_panel(tmp_path: Path) -> None:
    hub_path = tmp_path / "hub.xlsx"
    write_workbook(hub_path, [Sheet("Hub", _hub())])
    settings = tmp_path / "abm.toml"
    settings.write_text('as_of = 2026-11-23\n[icp]\nindustries = ["Computer Software"]\n',
                        encoding="utf-8")
    result = CliRunner().invoke(_cli(), ["explain", str(hub_path), "www.snowflake.com",
                                         "--config", str(settings)], terminal_width=160)
    assert result.exit_code == 0, result.output
    assert "Snowflake Inc." in result.output
    assert "Tier 1" in result.output and "industry" in result.output
    assert "found by domain" in result.output


def test_cli_explain_unknown_account_raises_with_a_suggestion(tmp_path: Path) -> None:
    hub_path = tmp_path / "hub.xlsx"
    write_workbook(hub_path, [Sheet("Hub", _hub())])
    result = CliRunner().invoke(_cli(), ["explain", str(hub_path), "hubspott.com"])
    assert isinstance(result.exception, AbmError)
    assert "did you mean 'HubSpot, Inc.'" in str(result.exception)


def test_values_read_back_from_a_workbook_show_as_people_write_them(tmp_path: Path) -> None:
    hub = _hub()
    hub.loc[2, "employees"] = 117_000
    path = tmp_path / "hub.xlsx"
    write_workbook(path, [Sheet("Hub", hub)])
    found = explain_in_workbook(path, "societegenerale.com", CONFIG)
    employees = next(c for c in found.rules if c.label == "employees")
    assert (employees.value, employees.symbol) == ("117,000", "✗")
    engagement = next(f for f in found.families if f.family == "engagement")
    assert engagement.score is None and "freshness" not in engagement.inputs


def test_cli_explain_shows_markup_in_vendor_text_as_written(tmp_path: Path) -> None:
    hub = _hub()
    hub.loc[3, "account_name"] = "Acme [/] Rockets"
    hub.loc[3, "industry"] = "[red]Manufacturing[/red]"
    hub_path = tmp_path / "hub.xlsx"
    write_workbook(hub_path, [Sheet("Hub", hub)])
    settings = tmp_path / "abm.toml"
    settings.write_text('as_of = 2026-11-23\n[icp]\nindustries = ["Computer Software"]\n',
                        encoding="utf-8")
    result = CliRunner().invoke(_cli(), ["explain", str(hub_path), "acme.com",
                                         "--config", str(settings)], terminal_width=160)
    assert result.exit_code == 0, result.output
    assert "Acme [/] Rockets · acme.com" in result.output
    assert "[red]Manufacturing[/red]" in result.output


def _crm_hub() -> pd.DataFrame:
    return pd.DataFrame({
        "account_id": ["ACC-1", "ACC-2", "ACC-3", "ACC-4"],
        "account_name": ["Edge Communications", "Burlington Textiles", "uog.com",
                         "United Oil & Gas Corp."],
        "domain": ["edge.com", "", "uog.com", ""],
        "crm_id": ["001bm00001ZMa9p", "001bm00001ZMa9q", "001bm00001ZMa9r", "001bm00001ZMa9r"],
        "crm_duplicate_ids": ["", f"001bm00001ZMa9s{salesforce_checksum('001bm00001ZMa9s')}; "
                              "001bm00001ZMa9t", "", ""],
    })


@pytest.mark.parametrize(("query", "position"), [
    ("001bm00001ZMa9p", 0),  # the 15 characters of a report
    ("001bm00001ZMa9p" + salesforce_checksum("001bm00001ZMa9p"), 0),  # 18, the API's
    (" 001bm00001ZMa9t ", 1),  # a further id of the same CRM account
    ("001bm00001ZMa9s" + salesforce_checksum("001bm00001ZMa9s"), 1),
])
def test_an_account_is_found_by_its_crm_account_id(query: str, position: int) -> None:
    """A Salesforce user has the account's Id at hand, in 15 or 18 characters."""
    assert find_account(_crm_hub(), query) == (position, "CRM id")


def test_a_crm_id_two_accounts_hold_names_both() -> None:
    with pytest.raises(AbmError, match=r"CRM id '001bm00001ZMa9r' is held by 2 accounts: "
                                       r"uog\.com .*United Oil & Gas Corp\."):
        find_account(_crm_hub(), "001bm00001ZMa9r")


def test_an_account_of_a_listed_companies_list_is_found_by_its_ticker() -> None:
    """ASX, NYSE and Euronext lists have no website: a user asks for "AGL"."""
    hub = pd.DataFrame({"account_id": ["ACC-1", "ACC-2", "ACC-3", "ACC-4"],
                        "account_name": ["AGL ENERGY LIMITED.", "ALLSTATE CORP", "AGL Inc",
                                         "ALLSTATE CORP (PREFERRED)"],
                        "domain": ["", "", "agl.com", ""],
                        "ticker": ["AGL", "ALL", "", "ALL^B"]})
    assert find_account(hub.iloc[:2], "agl") == (0, "ticker")
    assert find_account(hub.iloc[:2], "ASX: AGL") == (0, "ticker")
    assert find_account(hub, "agl") == (2, "name")  # a name still wins
    with pytest.raises(AbmError, match=r"ticker 'ALL' is held by 2 accounts: ALLSTATE CORP"):
        find_account(hub, "ALL")
