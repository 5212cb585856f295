"""Scores: each ICP rule, each family score, the blend, stars, config errors, the CLI."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from abmcli.cli.score import score as score_command
from abmcli.config import Config, config_from_tables, load_config
from abmcli.errors import ConfigError
from abmcli.outputs.score_workbook import score_hub_file, star_grid_table
from abmcli.sections import TierSettings
from abmcli.stages.components import engagement_scores, intent_scores
from abmcli.stages.method import engagement_facts
from abmcli.stages.score import canonical_country, score_hub, score_model, star_ratings, star_text
from abmcli.xlsx.workbook import Chart, Sheet, SummarySheet, key_values, read_sheet, sheet_names
from abmcli.xlsx.workbook import write_workbook as write_xlsx

AS_OF = dt.date(2026, 11, 23)

ICP_TOML = """
as_of = 2026-11-23

[icp]
industries = ["Computer Software", "Internet", "Financial Services"]
countries = ["United States", "Canada", "United Kingdom", "Germany", "France"]
employees = { min = 200, max = 10000 }
revenue = { min = 20_000_000 }
technologies = { any = ["Salesforce", "Marketo"] }

[icp.weights]
industry = 30
employees = 25
country = 20
revenue = 15
technologies = 10

[[icp.rules]]
column = "crm_type"
op = "!="
value = "Partner"
weight = 10
label = "not a partner"
"""


def account(name: str, domain: str, **values: object) -> dict[str, object]:
    """One hub row as `abm merge` writes it, with every family empty unless given."""
    row: dict[str, object] = {
        "account_id": "ACC-" + hashlib.sha1(domain.encode()).hexdigest()[:10],
        "account_name": name, "domain": domain, "industry": None, "sub_industry": None,
        "country": None, "employees": None, "revenue": None, "technologies": None,
        "funding": None, "intent_max_score": None, "intent_surging_topics": None,
        "intent_latest_date": None, "intent_last_surge_date": None,
        "relationship_score": None, "engagement_total": None, "engagement_last_date": None,
        "engagement_spike": None, "engagement_spike_pct": None, "crm_type": None,
        "crm_acv": None,
    }
    row.update(values)
    return row


def hub_of(*rows: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def icp_config(icp: dict[str, object], scoring: dict[str, object] | None = None) -> Config:
    extra: dict[str, object] = {"icp": icp}
    if scoring is not None:
        extra["scoring"] = scoring
    return config_from_tables(extra, as_of=AS_OF)


def fit_of(hub: pd.DataFrame, icp: dict[str, object]) -> pd.DataFrame:
    return score_hub(hub, icp_config(icp)).hub


@pytest.fixture
def icp_file(tmp_path: Path) -> Path:
    path = tmp_path / "abm.toml"
    path.write_text(ICP_TOML, encoding="utf-8")
    return path


# --- config -----------------------------------------------------------------------------


def test_documented_icp_example_parses_into_weighted_rules(icp_file: Path) -> None:
    model = score_model(load_config(icp_file))
    assert [(r.label, r.weight) for r in model.rules] == [
        ("industry", 30), ("country", 20), ("employees", 25), ("revenue", 15),
        ("technologies", 10), ("not a partner", 10)]
    assert model.scoring.weights == {"fit": 40, "intent": 30, "relationship": 10,
                                     "engagement": 20}


def test_without_an_icp_section_the_default_rules_are_employees_and_revenue() -> None:
    model = score_model(Config())
    assert [r.requirement() for r in model.rules] == ["employees >= 200",
                                                      "revenue >= 20,000,000"]


def test_all_config_problems_are_reported_together() -> None:
    with pytest.raises(ConfigError) as caught:  # the unknown key and score_model's together
        config_from_tables({
            "icp": {"industry": ["Software"], "employees": {"minimum": 200},
                    "weights": {"size": 10},
                    "rules": [{"column": "crm_type", "op": "is", "value": "Partner"},
                              {"column": "crm_acv", "op": ">", "value": "big"}]},
            "scoring": {"weights": {"fit": 50, "firmographic": 50}}}, checks=(score_model,))
    message = str(caught.value)
    for expected in ("unknown setting 'industry'", "did you mean 'industries'?",
                     "employees.minimum: unknown key (known: min, max)",
                     "[icp.weights] unknown rule 'size'", "op 'is' is not one of",
                     "#2] > needs a number or date", "unknown family firmographic"):
        assert expected in message


def test_switching_every_rule_off_is_an_error() -> None:
    with pytest.raises(ConfigError, match="switches every rule off"):
        score_model(icp_config({"employees": {}, "revenue": {}}))


def test_min_above_max_is_an_error() -> None:
    with pytest.raises(ConfigError, match="min 10,000 is above max 200"):
        score_model(icp_config({"employees": {"min": 10_000, "max": 200}}))


def test_rule_on_a_misspelt_column_suggests_the_hub_column() -> None:
    hub = hub_of(account("Gusto", "gusto.com", crm_type="Customer"))
    config = icp_config({"rules": [{"column": "crm_typ", "op": "==", "value": "Customer"}]})
    with pytest.raises(ConfigError, match="not a hub column. Did you mean 'crm_type'"):
        score_hub(hub, config)


# --- fit rules --------------------------------------------------------------------------


@pytest.mark.parametrize(("industry", "sub_industry", "expected"), [
    ("Computer Software", None, "industry ✓"),
    ("SOFTWARE", None, "industry ✓"),
    ("Banking & Financial Services", None, "industry ✓"),
    ("Business Services", "CRM Software", "industry ✓"),
    ("Services", None, "industry ✗"),  # "Services" alone is not "Financial Services"
    ("Softwareentwicklung", None, "industry ✗"),  # whole words only
    (None, None, "industry ?"),
])
def test_industry_matches_whole_words_ignoring_case(industry: str | None,
                                                    sub_industry: str | None,
                                                    expected: str) -> None:
    hub = hub_of(account("Intuit Inc.", "intuit.com", industry=industry,
                         sub_industry=sub_industry))
    scored = fit_of(hub, {"industries": ["Software", "Financial Services"], "employees": {},
                          "revenue": {}})
    assert scored["fit_reasons"].iloc[0] == expected
    # no data for the only rule: fit is unknown (empty), not 0
    expected_score = {"✓": 100.0, "✗": 0.0, "?": None}[expected[-1]]
    assert (math.isnan(scored["fit_score"].iloc[0]) if expected_score is None
            else scored["fit_score"].iloc[0] == expected_score)


@pytest.mark.parametrize(("written", "canonical"), [
    ("US", "united states"), ("USA", "united states"), ("U.S.A.", "united states"),
    ("United States of America", "united states"), ("UK", "united kingdom"),
    ("Great Britain", "united kingdom"), ("Deutschland", "germany"), ("DE", "germany"),
    ("Brazil", "brazil"),
])
def test_country_aliases_read_alike(written: str, canonical: str) -> None:
    assert canonical_country(written) == canonical


def test_country_rule_takes_aliases_and_regions() -> None:
    hub = hub_of(account("Stripe", "stripe.com", country="USA"),
                 account("Personio GmbH", "personio.de", country="Deutschland"),
                 account("Bitpanda GmbH", "bitpanda.com", country="Österreich"),
                 account("Nubank", "nubank.com.br", country="Brasil"),
                 account("Unknown Co", "unknown.io", country=""))
    scored = fit_of(hub, {"countries": ["United States", "DACH"], "employees": {},
                          "revenue": {}})
    assert scored["fit_reasons"].tolist() == ["country ✓", "country ✓", "country ✓",
                                              "country ✗", "country ?"]


@pytest.mark.parametrize(("employees", "expected"), [
    (199, "employees ✗"), (200, "employees ✓"), (10_000, "employees ✓"),
    (10_001, "employees ✗"), (None, "employees ?"),
])
def test_employee_range_includes_both_ends(employees: int | None, expected: str) -> None:
    hub = hub_of(account("Atlassian Corporation Plc", "atlassian.com", employees=employees))
    scored = fit_of(hub, {"employees": {"min": 200, "max": 10_000}, "revenue": {}})
    assert scored["fit_reasons"].iloc[0] == expected


def test_revenue_and_funding_minimums_read_numbers_from_text() -> None:
    hub = hub_of(account("Databricks, Inc.", "databricks.com", revenue="1600000000",
                         funding=3.5e9),
                 account("Tiny Labs LLC", "tinylabs.io", revenue=900_000, funding=None))
    scored = fit_of(hub, {"employees": {}, "revenue": {"min": 20_000_000},
                          "funding": {"min": 10_000_000}})
    assert scored["fit_reasons"].tolist() == ["revenue ✓, funding ✓", "revenue ✗, funding ?"]


@pytest.mark.parametrize(("installed", "technologies", "expected"), [
    ("Salesforce Sales Cloud; Google Analytics", {"any": ["Salesforce", "Marketo"]}, "✓"),
    ("HubSpot, WordPress", {"any": ["Salesforce", "Marketo"]}, "✗"),
    ("Salesforce; Marketo Engage", {"all": ["Salesforce", "Marketo"]}, "✓"),
    ("Salesforce; Pardot", {"all": ["Salesforce", "Marketo"]}, "✗"),
    ("salesforce | 6sense", {"any": ["Salesforce"], "all": ["6sense"]}, "✓"),
    (None, {"any": ["Salesforce"]}, "?"),
])
def test_technologies_any_and_all(installed: str | None, technologies: dict[str, list[str]],
                                  expected: str) -> None:
    hub = hub_of(account("Zendesk, Inc.", "zendesk.com", technologies=installed))
    scored = fit_of(hub, {"technologies": technologies, "employees": {}, "revenue": {}})
    assert scored["fit_reasons"].iloc[0] == f"technologies {expected}"


@pytest.mark.parametrize(("rule", "values", "expected"), [
    ({"op": "!=", "value": "Partner", "column": "crm_type"},
     ["Customer", "PARTNER", None], ["✓", "✗", "?"]),
    ({"op": "in", "value": ["Prospect", "Customer - Churned"], "column": "crm_type"},
     ["prospect", "Customer", None], ["✓", "✗", "?"]),
    ({"op": "contains", "value": "customer", "column": "crm_type"},
     ["Customer - Direct", "Prospect", ""], ["✓", "✗", "?"]),
    ({"op": ">=", "value": 50_000, "column": "crm_acv"},
     [50_000, 49_999.99, None], ["✓", "✗", "?"]),
    ({"op": "<", "value": dt.date(2027, 3, 31), "column": "crm_renewal_date"},
     [dt.date(2027, 1, 15), "2027-06-30", None], ["✓", "✗", "?"]),
])
def test_column_rules_compare_numbers_dates_and_text(rule: dict[str, object],
                                                     values: list[object],
                                                     expected: list[str]) -> None:
    column = str(rule["column"])
    hub = hub_of(*(account(f"Account {i}", f"account{i}.com", **{column: v})
                   for i, v in enumerate(values)))
    scored = fit_of(hub, {"employees": {}, "revenue": {}, "rules": [{**rule, "label": "rule"}]})
    assert scored["fit_reasons"].tolist() == [f"rule {symbol}" for symbol in expected]


def test_rule_on_a_family_the_hub_lacks_is_unknown_not_an_error() -> None:
    hub = hub_of(account("Canva Pty Ltd", "canva.com")).drop(columns=["crm_type"])
    scored = fit_of(hub, {"rules": [{"column": "crm_type", "op": "!=", "value": "Partner",
                                     "label": "not a partner"}]})
    assert scored["fit_reasons"].iloc[0] == "employees ?, revenue ?, not a partner ?"


def test_fit_score_is_the_weighted_share_of_rules_met(icp_file: Path) -> None:
    hub = hub_of(
        account("Snowflake Inc.", "snowflake.com", industry="Computer Software",
                country="U.S.", employees=6800, revenue=2.8e9,
                technologies="Salesforce; Snowflake", crm_type="Prospect"),
        account("Acme Bakery GmbH", "acme-bakery.de", industry="Food Production",
                country="Deutschland", employees=45, revenue=None, crm_type="Partner"),
    )
    scored = score_hub(hub, load_config(icp_file)).hub
    assert scored["fit_score"].tolist() == [100.0, 18.2]  # country 20 of 110
    assert scored["fit_reasons"].iloc[1] == (
        "industry ✗, country ✓, employees ✗, revenue ?, technologies ?, not a partner ✗")


# --- family scores ----------------------------------------------------------------------


def test_a_hand_edited_implausible_revenue_or_score_is_unknown() -> None:
    # 1e308 passed "revenue >= 20M" and -1,000,000 failed it; a hub edited by hand may
    # hold what a merge never writes, and every stage reads it as unknown
    hub = hub_of(account("Huge", "huge.com", revenue=1e308, intent_max_score=1e308),
                 account("Neg", "neg.com", revenue=-1_000_000, relationship_score=150),
                 account("Fine", "fine.com", revenue=25e6, intent_max_score=80))
    scored = score_hub(hub, icp_config({"employees": {}, "revenue": {"min": 20_000_000}})).hub
    assert scored["fit_reasons"].tolist() == ["revenue ?", "revenue ?", "revenue ✓"]
    assert math.isnan(scored["intent_score"].iloc[0])
    assert math.isnan(scored["relationship_score"].iloc[1])
    assert scored["intent_score"].iloc[2] > 0


def test_intent_score_combines_strength_breadth_and_age() -> None:
    hub = hub_of(
        account("MongoDB, Inc.", "mongodb.com", intent_max_score=80, intent_surging_topics=5,
                intent_latest_date=AS_OF),
        account("Okta, Inc.", "okta.com", intent_max_score=80, intent_surging_topics=5,
                intent_latest_date=AS_OF - dt.timedelta(days=21)),
        account("Twilio Inc.", "twilio.com", intent_max_score=80, intent_surging_topics=9,
                intent_latest_date=AS_OF - dt.timedelta(days=42)),
        account("Asana, Inc.", "asana.com", intent_max_score=55, intent_surging_topics=0,
                intent_latest_date=None),
        account("Box, Inc.", "box.com"),
    )
    scores = intent_scores(hub, AS_OF, score_model(Config()).scoring)
    assert scores.tolist()[:4] == [88.0, 44.0, 0.0, 33.0]  # 0.6 x 80 + 0.4 x 100 = 88
    assert math.isnan(scores.iloc[4])


def test_engagement_score_ranks_activity_within_the_tam_and_counts_spikes() -> None:
    recent = AS_OF - dt.timedelta(days=2)
    hub = hub_of(
        account("Gong.io Ltd", "gong.io", engagement_total=10, engagement_last_date=AS_OF),
        account("Outreach Corporation", "outreach.io", engagement_total=20,
                engagement_last_date=AS_OF),
        account("Klaviyo, Inc.", "klaviyo.com", engagement_total=40,
                engagement_last_date=AS_OF),
        account("Braze, Inc.", "braze.com", engagement_total=20, engagement_spike=True,
                engagement_last_date=AS_OF - dt.timedelta(days=30)),
        account("Miro", "miro.com", engagement_total=0, engagement_last_date=recent),
        account("Notion Labs", "notion.so"),
    )
    scores = engagement_scores(hub, AS_OF, score_model(Config()).scoring)
    # percentile ranks 25 / 75 / 100; Braze ties at 75, +20 spike, half for 30 days' age
    assert scores.tolist()[:5] == [25.0, 75.0, 100.0, 47.5, 0.0]
    assert math.isnan(scores.iloc[5])


def test_spike_text_flags_from_the_workbook_count_as_spikes() -> None:
    hub = hub_of(account("Rippling", "rippling.com", engagement_spike="TRUE"),
                 account("Deel", "deel.com", engagement_spike="FALSE"))
    scores = engagement_scores(hub, AS_OF, score_model(Config()).scoring)
    assert scores.iloc[0] == 20.0
    assert math.isnan(scores.iloc[1])  # no activity and no spike: no signal


def test_account_score_blends_families_and_missing_ones_add_nothing() -> None:
    hub = hub_of(
        account("Salesforce, Inc.", "salesforce.com", employees=70_000, revenue=3.5e10,
                intent_max_score=70, intent_surging_topics=2, intent_latest_date=AS_OF,
                relationship_score=75, engagement_total=500, engagement_last_date=AS_OF),
        account("No Data Corp", "nodata.example.org"),
    )
    scored = score_hub(hub, Config(as_of=AS_OF)).hub
    first = scored.iloc[0]
    # fit 100 x .4 + intent (42 + 16) x .3 + relationship 75 x .1 + engagement 100 x .2
    assert first["intent_score"] == 58.0
    assert first["account_score"] == 40 + 17.4 + 7.5 + 20
    assert first["stars"] == 5
    empty = scored.iloc[1]
    assert empty["account_score"] == 0.0 and pd.isna(empty["stars"])  # fit unknown: no stars
    assert empty["fit_reasons"] == "employees ?, revenue ?"
    assert math.isnan(empty["intent_score"]) and math.isnan(empty["engagement_score"])


def test_blend_weights_come_from_the_config() -> None:
    hub = hub_of(account("HubSpot, Inc.", "hubspot.com", employees=7400, revenue=2.2e9),
                 account("Gusto", "gusto.com", intent_max_score=50, intent_latest_date=AS_OF))
    config = icp_config({}, scoring={"weights": {"fit": 1, "intent": 1}})
    # HubSpot: fit 100, no surge reported (0) -> 50; Gusto: fit unknown, intent 30 alone
    assert score_hub(hub, config).hub["account_score"].tolist() == [50.0, 30.0]


def test_a_family_the_hub_has_no_data_for_is_left_out_of_the_blend() -> None:
    hub = hub_of(account("HubSpot, Inc.", "hubspot.com", employees=7400, revenue=2.2e9))
    scored = score_hub(hub, Config(as_of=AS_OF)).hub
    # only fit has data: 100 of 100, not 40 (fit's 40% of a blend with three empty families)
    assert scored["account_score"].iloc[0] == 100.0
    for column in ("intent_score", "relationship_score", "engagement_score"):
        assert scored[column].isna().all()


def test_an_account_without_any_data_has_no_account_score_or_stars() -> None:
    scored = score_hub(hub_of(account("Nobody Ltd", "nobody.example.org")),
                       Config(as_of=AS_OF)).hub
    assert math.isnan(scored["fit_score"].iloc[0])
    assert math.isnan(scored["account_score"].iloc[0]) and pd.isna(scored["stars"].iloc[0])


# Stars follow the method's fit x engagement grid (issue 12), no longer the blended
# account score: the old cut points (80/60/40/20 of account_score) gave Tier 1 accounts
# 3 stars, the same as high-fit accounts without signals.
STAR_CASES = [  # (fit_score, engagement columns, stars)
    (80.0, {}, 3),  # high fit, no engagement
    (80.0, {"engagement_total": 5, "engagement_last_date": AS_OF}, 4),  # engaged
    (80.0, {"relationship_last_meeting": AS_OF - dt.timedelta(days=5)}, 5),  # a meeting
    (80.0, {"engagement_spike": True, "engagement_total": 5,
            "engagement_last_date": AS_OF}, 5),  # a spike in the window
    (79.9, {"engagement_total": 5, "engagement_last_date": AS_OF}, 3),  # in the program
    (60.0, {}, 2),
    (60.0, {"relationship_last_reply": AS_OF}, 4),
    (59.9, {"engagement_total": 5, "engagement_last_date": AS_OF}, 1),  # out of ICP
    (10.0, {"relationship_last_meeting": AS_OF}, 2),
    (90.0, {"engagement_total": 5, "engagement_last_date": AS_OF - dt.timedelta(days=31)},
     3),  # activity outside the 30-day window is no engagement
]


@pytest.mark.parametrize(("fit", "engagement", "stars"), STAR_CASES)
def test_stars_come_from_the_fit_by_engagement_grid(fit: float, engagement: dict,
                                                   stars: int) -> None:
    # busier accounts, so that 5 actions rank low (engaged, not highly engaged)
    busy = [account(f"Busy {n}", f"busy{n}.example.com", engagement_total=500,
                    engagement_last_date=AS_OF) for n in range(3)]
    hub = hub_of(account("Asana, Inc.", "asana.com", **engagement), *busy)
    model = score_model(Config(as_of=AS_OF))
    facts = engagement_facts(hub, AS_OF, 30)
    ratings = star_ratings(pd.Series([fit, 100.0, 100.0, 100.0]), facts,
                           engagement_scores(hub, AS_OF, model.scoring), model)
    assert ratings.iloc[0] == stars


def test_the_scores_sheet_shows_the_star_grid() -> None:
    table = star_grid_table(score_model(Config()))
    assert table.columns.tolist() == ["fit", "no engagement in 30 days", "engaged in 30 days",
                                      "highly engaged in 30 days"]
    assert table.iloc[0].tolist() == ["fit 80+", "★★★☆☆", "★★★★☆", "★★★★★"]


def test_the_star_grid_and_thresholds_come_from_the_config() -> None:
    config = icp_config({}, scoring={"star_grid": {"high_fit": [1, 2, 3],
                                                   "medium_fit": [1, 1, 1],
                                                   "low_fit": [1, 1, 1]}})
    config.tiers = TierSettings(tier1_min_fit=50)
    model = score_model(config)
    hub = hub_of(account("Asana, Inc.", "asana.com"))
    facts = engagement_facts(hub, AS_OF, 30)
    assert star_ratings(pd.Series([55.0]), facts, pd.Series([float("nan")]),
                        model).iloc[0] == 1
    with pytest.raises(ConfigError, match="star_grid"):
        score_model(icp_config({}, scoring={"star_grid": {"high_fit": [3, 4]}}))
    with pytest.raises(ConfigError, match="recent_engagement_days"):
        score_model(icp_config({}, scoring={"engagement_decay_days": 30}))


def test_star_text() -> None:
    assert star_text(3) == "★★★☆☆"
    assert star_text(5) == "★★★★★"


def test_scoring_a_large_random_hub_is_vectorised_and_complete() -> None:
    rng = np.random.default_rng(7)
    n = 20_000
    hub = pd.DataFrame({
        "account_id": [f"ACC-{i:010x}" for i in range(n)],
        "account_name": [f"Company {i}" for i in range(n)],
        "domain": [f"company{i}.com" for i in range(n)],
        "industry": rng.choice(["Computer Software", "Retail", None], n),
        "employees": rng.choice([50.0, 500.0, np.nan], n),
        "intent_max_score": rng.choice([np.nan, 40.0, 75.0], n),
        "engagement_total": rng.choice([np.nan, 0.0, 12.0, 300.0], n),
    })
    scored = score_hub(hub, icp_config({"industries": ["Software"]})).hub
    assert scored["account_score"].between(0, 100).all()
    known = scored["fit_score"].notna()
    assert scored.loc[known, "stars"].isin([1, 2, 3, 4, 5]).all()
    assert scored.loc[~known, "stars"].isna().all()  # fit unknown: not ranked
    assert scored["fit_reasons"].str.startswith("industry ").all()


# --- the workbook and the CLI -----------------------------------------------------------


def _hub_workbook(path: Path) -> Path:
    hub = hub_of(
        account("Snowflake Inc.", "snowflake.com", industry="Computer Software",
                country="United States", employees=6800, revenue=2.8e9,
                intent_max_score=81, intent_surging_topics=3, intent_latest_date=AS_OF,
                intent_last_surge_date=AS_OF),
        account("Acme Bakery GmbH", "acme-bakery.de", industry="Food Production",
                country="Germany", employees=45),
    )
    summary = SummarySheet("Summary", blocks=[("Merge", key_values({"Accounts": 2}))],
                           charts=[Chart("bar", "x", block="Merge", values="value",
                                         categories="item")])
    review = pd.DataFrame({"kind": ["candidate"], "score": [93.0]})
    write_xlsx(path, [summary, Sheet("Hub", hub), Sheet("Review", review)])
    return path


def test_score_hub_file_rewrites_the_hub_and_keeps_the_other_sheets(tmp_path: Path,
                                                                      icp_file: Path) -> None:
    hub_path = _hub_workbook(tmp_path / "hub.xlsx")
    result = score_hub_file(hub_path, load_config(icp_file))
    assert sheet_names(hub_path) == ["Summary", "Hub", "Scores", "Review"]
    hub = read_sheet(hub_path, "Hub")
    assert hub["fit_score"].tolist() == result.hub["fit_score"].tolist()
    # stars from the grid: fit 81.8 is high fit, with no engagement data: 3
    assert hub["stars"].tolist() == [3, 1]
    assert read_sheet(hub_path, "Review")["kind"].tolist() == ["candidate"]
    score_hub_file(hub_path, load_config(icp_file))  # scoring twice replaces, not duplicates
    assert sheet_names(hub_path) == ["Summary", "Hub", "Scores", "Review"]
    assert list(read_sheet(hub_path, "Hub").columns).count("fit_score") == 1


def test_score_hub_file_with_output_leaves_the_hub_untouched(tmp_path: Path) -> None:
    hub_path = _hub_workbook(tmp_path / "hub.xlsx")
    before = hub_path.read_bytes()
    score_hub_file(hub_path, Config(as_of=AS_OF), tmp_path / "scored.xlsx")
    assert hub_path.read_bytes() == before
    assert "account_score" in read_sheet(tmp_path / "scored.xlsx", "Hub").columns


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.command("score")(score_command)
    app.command("noop")(lambda: None)  # two commands, so "score" is a subcommand
    return app


def test_cli_score_prints_stars_and_writes_the_hub(tmp_path: Path, icp_file: Path) -> None:
    hub_path = _hub_workbook(tmp_path / "hub.xlsx")
    result = CliRunner().invoke(_cli(), ["score", str(hub_path), "--config", str(icp_file),
                                         "-o", str(tmp_path / "out.xlsx")])
    assert result.exit_code == 0, result.output
    assert "2 accounts scored as of 2026-11-23" in result.output
    assert "★★★☆☆" in result.output
    assert (tmp_path / "out.xlsx").is_file()


def test_cli_score_reports_config_errors(tmp_path: Path) -> None:
    hub_path = _hub_workbook(tmp_path / "hub.xlsx")
    bad = tmp_path / "bad.toml"
    bad.write_text("[icp]\nemployees = { minimum = 200 }\n", encoding="utf-8")
    result = CliRunner().invoke(_cli(), ["score", str(hub_path), "--config", str(bad)])
    assert isinstance(result.exception, ConfigError)
    assert ("employees.minimum: unknown key (known: min, max); did you mean 'min'?"
            in str(result.exception))


def test_a_tiers_typo_is_reported_by_scoring_and_listed_once(tmp_path: Path) -> None:
    # [tiers] sets the stars' fit bands and the engagement window, so abm score reads it
    path = tmp_path / "abm.toml"
    path.write_text("[tiers]\nrecent_engagment_days = 14\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting 'recent_engagment_days'"):
        score_model(load_config(path))
    from abmcli.stages.tier import tier_model

    with pytest.raises(ConfigError) as caught:
        load_config(path, checks=(score_model, tier_model))
    assert str(caught.value).count("recent_engagment_days") == 1


# Issue 10 item 6: every ISO 3166 country, its codes and common native names.
@pytest.mark.parametrize(("written", "canonical"), [
    ("PL", "poland"), ("POL", "poland"), ("Polska", "poland"), ("España", "spain"),
    ("Nippon", "japan"), ("日本", "japan"), ("Türkiye", "turkey"), ("VN", "vietnam"),
    ("Viet Nam", "vietnam"), ("Korea, Republic of", "south korea"), ("KEN", "kenya"),
    ("Côte d'Ivoire", "ivory coast"), ("Russian Federation", "russia"), ("Suomi", "finland"),
])
def test_every_iso_country_reads_by_code_and_native_name(written: str, canonical: str) -> None:
    assert canonical_country(written) == canonical


def test_all_249_iso_countries_are_known_by_both_codes() -> None:
    import pycountry

    for country in pycountry.countries:
        name = canonical_country(country.name)
        assert canonical_country(country.alpha_2) == name
        assert canonical_country(country.alpha_3) == name


def test_icp_country_poland_matches_pl_and_polska() -> None:
    hub = hub_of(account("CD Projekt", "cdprojekt.com", country="PL"),
                 account("Allegro", "allegro.pl", country="Polska"),
                 account("Zalando", "zalando.de", country="DE"))
    scored = fit_of(hub, {"countries": ["Poland"], "employees": {}, "revenue": {}})
    assert scored["fit_reasons"].tolist() == ["country ✓", "country ✓", "country ✗"]


def test_an_icp_industry_in_another_script_matches_its_accounts() -> None:
    # Encoding words to ASCII erased Japanese and Cyrillic text, so such an ICP rule
    # could never match; accents still fold (Télécoms meets Telecoms).
    from abmcli.stages.score import _words

    assert " ソフトウェア " in _words("ソフトウェア")
    assert " программное обеспечение " in _words("Программное Обеспечение")
    assert _words("Télécoms & Media") == " telecoms and media "
