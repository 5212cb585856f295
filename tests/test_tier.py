"""Goldilocks tiers: every boundary, ACV bands, strategic logos, caps, the workbook, the CLI."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from abmcli.cli.tier import tier as tier_command
from abmcli.config import Config, config_from_tables
from abmcli.errors import AbmError, ConfigError
from abmcli.outputs.tier_workbook import tier_hub_file
from abmcli.stages.tier import TIERS, tier_accounts, tier_model
from abmcli.xlsx.workbook import Sheet, read_sheet, sheet_names, write_workbook

AS_OF = dt.date(2026, 11, 23)
ICP = {
    "industries": ["Computer Software", "Internet", "Financial Services"],
    "countries": ["United States", "Canada", "United Kingdom", "Germany", "France"],
    "employees": {"min": 200, "max": 10_000},
    "revenue": {"min": 20_000_000},
    "technologies": {"any": ["Salesforce", "Marketo"]},
    "weights": {"industry": 30, "employees": 25, "country": 20, "revenue": 15,
                "technologies": 10},
}


def days_ago(days: int) -> dt.date:
    return AS_OF - dt.timedelta(days=days)


def account(name: str, domain: str, **values: object) -> dict[str, object]:
    """A hub row (as abm merge writes it) that fits the ICP fully unless told otherwise."""
    row: dict[str, object] = {
        "account_id": "ACC-" + hashlib.sha1(domain.encode()).hexdigest()[:10], "account_name": name,
        "domain": domain, "industry": "Computer Software", "country": "United States",
        "employees": 2500, "revenue": 400_000_000, "technologies": "Salesforce; Slack",
        "intent_max_score": None, "intent_surging_topics": None, "intent_latest_date": None,
        "intent_last_surge_date": None, "relationship_score": None, "engagement_total": None,
        "engagement_last_date": None, "engagement_spike": False,
        "engagement_spike_pct": None, "crm_acv": None,
    }
    row.update(values)
    return row


def surging(days: int, topics: int = 3) -> dict[str, object]:
    return {"intent_max_score": 78, "intent_surging_topics": topics,
            "intent_latest_date": days_ago(days), "intent_last_surge_date": days_ago(days)}


def engaged(days: int, total: float = 120) -> dict[str, object]:
    return {"engagement_total": total, "engagement_last_date": days_ago(days)}


def scored(name: str, domain: str, fit: float, score: float, **values: object) -> dict:
    """A row that already carries scores, to test tier rules at exact fit values."""
    return account(name, domain, fit_score=fit, fit_reasons="", intent_score=None,
                   engagement_score=None, account_score=score, stars=3, **values)


def config(tiers: dict | None = None, acv: dict | None = None) -> Config:
    extra: dict[str, object] = {"icp": ICP}
    if tiers is not None:
        extra["tiers"] = tiers
    if acv is not None:
        extra["acv"] = acv
    return config_from_tables(extra, as_of=AS_OF)


def tier_of(rows: list[dict], settings: Config | None = None, **caps: int) -> pd.DataFrame:
    cap_map = {f"Tier {k[-1]}": v for k, v in caps.items()}
    result = tier_accounts(pd.DataFrame(rows), settings or config(), caps=cap_map or None)
    return result.accounts.set_index("account_name")


# --- a table of hand-built accounts -----------------------------------------------------

TABLE = [
    (account("Snowflake Inc.", "snowflake.com", crm_acv=250_000, **surging(5), **engaged(3)),
     "Tier 1"),
    (account("Datadog, Inc.", "datadoghq.com", employees=5500, **surging(10),
             engagement_spike=True, engagement_spike_pct=140.0), "Tier 1"),
    (account("HubSpot, Inc.", "hubspot.com", crm_acv=60_000, **surging(2), **engaged(1)),
     "Tier 2"),
    (account("Plaid Inc.", "plaid.com", industry="Financial Services", employees=150,
             crm_acv=120_000, **surging(4), **engaged(4)), "Tier 2"),
    (account("Okta, Inc.", "okta.com", crm_acv=300_000, **surging(14)), "Tier 2"),
    (account("Gong.io Ltd", "gong.io", country="UK", crm_acv=180_000, **engaged(12)),
     "Tier 2"),
    (account("Twilio Inc.", "twilio.com", crm_acv=200_000, **surging(22), **engaged(31)),
     "Tier 3"),
    (account("Zuora, Inc.", "zuora.com", technologies=None), "Tier 3"),
    (account("Shopify Inc.", "shopify.com", industry="Retail", country="Canada",
             technologies="Magento", **{"employees": 8300}), "Tier 3"),
    (account("The Kroger Co.", "kroger.com", industry="Retail", employees=430_000,
             crm_acv=900_000, **surging(1), **engaged(1)), "Out of ICP"),
    (account("Boulangerie Paul SAS", "paul.fr", industry="Food & Beverages",
             country="France", employees=40, revenue=None, technologies=None), "Out of ICP"),
    (account("Stripe, Inc.", "stripe.com", country="Ireland", revenue=None,
             technologies=None, employees=8000), "Tier 1"),
]
STRATEGIC = {"strategic": ["https://www.stripe.com/"]}


def test_hand_built_accounts_land_in_the_tiers_the_definitions_give() -> None:
    tiered = tier_of([row for row, _ in TABLE], config(STRATEGIC))
    expected = {row["account_name"]: tier for row, tier in TABLE}
    assert tiered["tier"].to_dict() == expected


def test_every_account_has_exactly_one_tier_and_a_reason_naming_it() -> None:
    tiered = tier_of([row for row, _ in TABLE], config(STRATEGIC))
    assert tiered["tier"].isin(TIERS).all()
    assert all(reason.startswith(tier + ":") for tier, reason in
               zip(tiered["tier"], tiered["tier_reason"], strict=True))
    assert len(tiered) == len(TABLE)


def test_reasons_read_as_one_line_per_account() -> None:
    reasons = tier_of([row for row, _ in TABLE], config(STRATEGIC))["tier_reason"]
    assert reasons["Okta, Inc."] == (
        "Tier 2: surging on 3 topics, no engagement in 30 days, ACV large")
    assert reasons["Datadog, Inc."] == (
        "Tier 1: surging on 3 topics, engagement spike +140%, ACV large (estimated)")
    assert reasons["HubSpot, Inc."].endswith("ACV medium; Tier 1 needs a large ACV")
    assert reasons["Plaid Inc."].endswith("; Tier 1 needs fit 80+")
    assert reasons["Twilio Inc."] == (
        "Tier 3: no surge in 21 days, no engagement in 30 days, ACV large")
    assert reasons["Stripe, Inc."].startswith("Tier 1: strategic account; ")
    assert reasons["Boulangerie Paul SAS"] == (
        "Out of ICP: fit 20 below 60 (industry ✗, employees ✗, revenue ?, technologies ?)")


def test_order_is_tier_then_account_score_then_account_id() -> None:
    tiered = tier_of([row for row, _ in TABLE], config(STRATEGIC)).reset_index()
    order = [TIERS.index(t) for t in tiered["tier"]]
    assert order == sorted(order)
    for _, group in tiered.groupby("tier"):
        assert group["account_score"].is_monotonic_decreasing


# --- boundaries -------------------------------------------------------------------------


@pytest.mark.parametrize(("fit", "tier"), [(59.9, "Out of ICP"), (60.0, "Tier 3"),
                                           (79.9, "Tier 2"), (80.0, "Tier 1")])
def test_fit_thresholds(fit: float, tier: str) -> None:
    row = scored("Asana, Inc.", "asana.com", fit, 70, crm_acv=150_000, **surging(3),
                 **engaged(3))
    if tier == "Tier 3":  # without signals an in-program account is Tier 3
        row = scored("Asana, Inc.", "asana.com", fit, 70)
    assert tier_of([row])["tier"].iloc[0] == tier


@pytest.mark.parametrize(("acv", "band", "tier"), [
    (24_999, "small", "Tier 2"), (25_000, "medium", "Tier 2"), (99_999, "medium", "Tier 2"),
    (100_000, "large", "Tier 1"),
])
def test_acv_bands_from_the_crm(acv: int, band: str, tier: str) -> None:
    row = scored("Braze, Inc.", "braze.com", 90, 80, crm_acv=acv, **surging(1), **engaged(1))
    tiered = tier_of([row])
    assert (tiered["acv_band"].iloc[0], tiered["tier"].iloc[0]) == (band, tier)
    assert tiered["acv_source"].iloc[0] == "CRM"


@pytest.mark.parametrize(("days", "tier"), [(21, "Tier 2"), (22, "Tier 3")])
def test_recent_intent_is_a_surge_within_21_days(days: int, tier: str) -> None:
    row = scored("Klaviyo, Inc.", "klaviyo.com", 90, 60, **surging(days))
    assert tier_of([row])["tier"].iloc[0] == tier


@pytest.mark.parametrize(("days", "tier"), [(30, "Tier 2"), (31, "Tier 3")])
def test_recent_engagement_is_activity_within_30_days(days: int, tier: str) -> None:
    row = scored("Miro", "miro.com", 90, 60, **engaged(days))
    assert tier_of([row])["tier"].iloc[0] == tier


def test_an_undated_spike_counts_as_recent_engagement() -> None:
    # nothing to age it by; a dated spike counts only inside the window (issue 12)
    row = scored("Notion Labs, Inc.", "notion.so", 90, 60, **engaged(45),
                 engagement_spike=True)
    tiered = tier_of([row])
    assert tiered["tier"].iloc[0] == "Tier 2"
    assert "engagement spike" in tiered["tier_reason"].iloc[0]


@pytest.mark.parametrize(("days", "tier"), [(30, "Tier 2"), (31, "Tier 3")])
def test_a_dated_spike_counts_only_inside_the_engagement_window(days: int, tier: str) -> None:
    row = scored("Notion Labs, Inc.", "notion.so", 90, 60, engagement_spike=True,
                 engagement_spike_pct=180.0, engagement_spike_date=days_ago(days))
    tiered = tier_of([row])
    assert tiered["tier"].iloc[0] == tier
    assert ("engagement spike +180%" in tiered["tier_reason"].iloc[0]) == (tier == "Tier 2")


def test_thresholds_come_from_the_config() -> None:
    row = scored("Canva Pty Ltd", "canva.com", 55, 60, **surging(30))
    settings = config({"min_fit": 50, "recent_intent_days": 30})
    assert tier_of([row], settings)["tier"].iloc[0] == "Tier 2"


# --- ACV estimates ----------------------------------------------------------------------


@pytest.mark.parametrize(("employees", "revenue", "estimate", "band"), [
    (6000, None, 150_000, "large"), (1000, None, 100_000, "large"),
    (999, None, 40_000, "medium"), (None, 300_000_000, 100_000, "large"),
    (120, 5_000_000, 10_000, "small"), (None, None, None, "unknown"),
])
def test_acv_is_estimated_from_employee_or_revenue_bands(employees: int | None,
                                                         revenue: float | None,
                                                         estimate: float | None,
                                                         band: str) -> None:
    row = scored("Rippling People Center", "rippling.com", 90, 50, employees=employees,
                 revenue=revenue)
    tiered = tier_of([row])
    got = tiered["acv_estimate"].iloc[0]
    assert (None if pd.isna(got) else got) == estimate
    assert tiered["acv_band"].iloc[0] == band


def test_acv_bands_and_thresholds_come_from_the_config() -> None:
    acv = {"large": 50_000, "medium": 10_000,
           "bands": [{"employees_min": 500, "acv": 60_000}, {"revenue_min": 0, "acv": 8_000}]}
    rows = [scored("Deel, Inc.", "deel.com", 90, 50, employees=600, revenue=None),
            scored("Remote Technology", "remote.com", 90, 50, employees=None, revenue=1e6)]
    tiered = tier_of(rows, config(acv=acv))
    assert tiered["acv_band"].to_dict() == {"Deel, Inc.": "large", "Remote Technology": "small"}
    assert tiered["acv_estimate"].to_dict() == {"Deel, Inc.": 60_000,
                                                "Remote Technology": 8_000}


# --- strategic accounts and caps --------------------------------------------------------


def test_strategic_domains_go_to_tier_1_whatever_their_fit() -> None:
    rows = [scored("Stripe, Inc.", "stripe.com", 10, 5),
            scored("Adyen N.V.", "adyen.com", 10, 5)]
    tiered = tier_of(rows, config({"strategic": ["WWW.STRIPE.COM"]}))
    assert tiered["tier"].tolist() == ["Tier 1", "Out of ICP"]


def _qualifiers(count: int) -> list[dict]:
    return [scored(f"Qualifier {n} Inc.", f"qualifier{n}.com", 90, 90 - n, crm_acv=200_000,
                   **surging(2), **engaged(2)) for n in range(count)]


def test_overflow_moves_down_by_account_score_and_the_reason_says_so() -> None:
    tiered = tier_of(_qualifiers(5), max_tier1=2)
    assert tiered["tier"].tolist() == ["Tier 1", "Tier 1", "Tier 2", "Tier 2", "Tier 2"]
    assert tiered.index[:2].tolist() == ["Qualifier 0 Inc.", "Qualifier 1 Inc."]
    assert tiered["tier_reason"].iloc[2].startswith(
        "Tier 2: qualifies for Tier 1, moved down by account score (Tier 1 full at 2); ")


def test_past_the_last_cap_accounts_go_to_the_waitlist() -> None:
    tiered = tier_of(_qualifiers(5), max_tier1=1, max_tier2=1, max_tier3=1)
    assert tiered["tier"].tolist() == ["Tier 1", "Tier 2", "Tier 3", "Waitlist", "Waitlist"]
    assert tiered["tier_reason"].iloc[3].startswith(
        "Waitlist: qualifies for Tier 1, moved down by account score "
        "(Tier 1 full at 1, Tier 2 full at 1, Tier 3 full at 1); ")


def test_overflow_competes_with_the_next_tier_by_score() -> None:
    rows = [*_qualifiers(2),  # scores 90 and 89
            scored("Okta, Inc.", "okta.com", 70, 95, **surging(3)),  # natural Tier 2
            scored("Zuora, Inc.", "zuora.com", 70, 10)]  # natural Tier 3
    tiered = tier_of(rows, max_tier1=1, max_tier2=1)
    assert tiered["tier"].to_dict() == {"Qualifier 0 Inc.": "Tier 1", "Okta, Inc.": "Tier 2",
                                        "Qualifier 1 Inc.": "Tier 3", "Zuora, Inc.": "Tier 3"}


def test_ties_break_by_account_id() -> None:
    rows = [scored("Beta Corp", "beta.com", 90, 50, account_id="ACC-00000000b2"),
            scored("Alpha Corp", "alpha.com", 90, 50, account_id="ACC-00000000a1")]
    tiered = tier_of(rows, max_tier3=1)
    assert tiered["tier"].to_dict() == {"Alpha Corp": "Tier 3", "Beta Corp": "Waitlist"}


def test_strategic_accounts_keep_their_seats_and_fill_tier_1_first() -> None:
    rows = [*_qualifiers(2), scored("Stripe, Inc.", "stripe.com", 30, 1)]
    tiered = tier_of(rows, config({"strategic": ["stripe.com"]}), max_tier1=1)
    assert tiered["tier"].to_dict() == {"Stripe, Inc.": "Tier 1", "Qualifier 0 Inc.": "Tier 2",
                                        "Qualifier 1 Inc.": "Tier 2"}


def test_a_zero_cap_empties_the_tier() -> None:
    tiered = tier_of(_qualifiers(2), max_tier1=0)
    assert set(tiered["tier"]) == {"Tier 2"}


# --- missing families, scoring first, config errors -------------------------------------


def test_a_fit_only_hub_is_tiered_without_error() -> None:
    hub = pd.DataFrame({"account_id": ["ACC-0000000001", "ACC-0000000002"],
                        "account_name": ["Atlassian Corporation", "Tiny Bakery"],
                        "domain": ["atlassian.com", "tinybakery.co.uk"],
                        "industry": ["Computer Software", "Food"],
                        "country": ["Australia", "UK"], "employees": [9000, 4],
                        "revenue": [3.5e9, 2e5]})
    tiered = tier_accounts(hub, config()).accounts.set_index("account_name")
    assert tiered["tier"].to_dict() == {"Atlassian Corporation": "Tier 3",
                                        "Tiny Bakery": "Out of ICP"}
    # the hub has no intent or engagement data at all: "no data", not "no surge"
    assert tiered.loc["Atlassian Corporation", "tier_reason"] == (
        "Tier 3: no intent data, no engagement data, ACV large (estimated)")


def test_unknown_fit_is_its_own_group_not_low_fit() -> None:
    unknown = {"industry": None, "country": None, "employees": None, "revenue": None,
               "technologies": None}
    rows = [account("Surging Unknown", "surging-unknown.example", **unknown, **surging(3)),
            account("Quiet Unknown", "quiet-unknown.example", **unknown),
            account("Boulangerie Paul SAS", "paul.fr", industry="Food", employees=40,
                    revenue=None, technologies=None)]
    tiered = tier_of(rows)
    assert tiered["tier"].to_dict() == {"Surging Unknown": "Fit unknown",
                                        "Quiet Unknown": "Fit unknown",
                                        "Boulangerie Paul SAS": "Out of ICP"}
    assert tiered.loc["Surging Unknown", "tier_reason"] == (
        "Fit unknown: needs firmographics; surging on 3 topics, no engagement data, "
        "ACV unknown")
    assert tiered.loc[["Surging Unknown", "Quiet Unknown"], "fit_score"].isna().all()


def test_the_tier_workbook_lists_accounts_to_enrich(tmp_path: Path) -> None:
    unknown = {"industry": None, "country": None, "employees": None, "revenue": None,
               "technologies": None}
    hub_path = tmp_path / "hub.xlsx"
    write_workbook(hub_path, [Sheet("Hub", pd.DataFrame(
        [account("Surging Unknown", "surging-unknown.example", **unknown, **surging(3)),
         account("Zuora, Inc.", "zuora.com")]))])
    tier_hub_file(hub_path, tmp_path / "tiers.xlsx", config())
    enrich = read_sheet(tmp_path / "tiers.xlsx", "Fit unknown")
    assert enrich["domain"].tolist() == ["surging-unknown.example"]


def test_an_unscored_hub_is_scored_first_and_a_scored_one_keeps_its_scores() -> None:
    row = account("Zendesk, Inc.", "zendesk.com")
    assert tier_of([row])["fit_score"].iloc[0] == 100.0
    kept = tier_of([scored("Zendesk, Inc.", "zendesk.com", 61.5, 12)])
    assert kept["fit_score"].iloc[0] == 61.5


@pytest.mark.parametrize(("tiers", "message"), [
    ({"min_fit": 85}, "min_fit (85) <= tier1_min_fit (80)"),
    ({"max_tier1": -1}, "Tier 1 cap must be 0 or more"),
    ({"strategic": ["not a domain"]}, "strategic entry 'not a domain' is not a domain"),
    ({"tier_1_fit": 80}, "unknown setting 'tier_1_fit'"),
])
def test_bad_tier_settings_are_config_errors(tiers: dict, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        tier_model(config(tiers))
    assert message in str(caught.value)


def test_bad_acv_band_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="needs acv = ... and employees_min or revenue_min"):
        tier_model(config(acv={"bands": [{"employees_min": 100}]}))


# --- workbook, CSVs and the CLI ---------------------------------------------------------


@pytest.fixture
def hub_file(tmp_path: Path) -> Path:
    rows = [dict(row) for row, _ in TABLE]
    rows[7]["account_name"] = '=HYPERLINK("http://evil.example","Zuora")'
    path = tmp_path / "hub.xlsx"
    write_workbook(path, [Sheet("Hub", pd.DataFrame(rows))])
    return path


def test_tier_workbook_has_summary_and_one_sheet_per_tier(hub_file: Path,
                                                          tmp_path: Path) -> None:
    out = tmp_path / "tiers.xlsx"
    result = tier_hub_file(hub_file, out, config(STRATEGIC), csv_dir=tmp_path / "csv")
    # the customer tiers (Expansion, Excluded) appear only when [tiers] customers asks
    assert sheet_names(out) == ["Summary", "Tier 1", "Tier 2", "Tier 3", "Waitlist",
                                "Out of ICP", "Fit unknown"]
    tier1 = read_sheet(out, "Tier 1")
    assert tier1["account_name"].tolist() == result.tier_frame("Tier 1")["account_name"].tolist()
    assert tier1["stars"].str.fullmatch("[★☆]{5}").all()
    assert read_sheet(out, "Waitlist").empty
    summary = read_sheet(out, "Summary")
    assert {"Tier 1", "1:1", "1:few", "1:many"} <= set(summary.astype(str).stack())
    assert result.counts() == {"Tier 1": 3, "Tier 2": 4, "Tier 3": 3, "Waitlist": 0,
                               "Out of ICP": 2, "Fit unknown": 0}


def test_csv_dir_gets_one_formula_safe_csv_per_tier(hub_file: Path, tmp_path: Path) -> None:
    result = tier_hub_file(hub_file, tmp_path / "t.xlsx", config(), csv_dir=tmp_path / "csv")
    names = sorted(p.name for p in (tmp_path / "csv").iterdir())
    assert names == ["fit-unknown.csv", "out-of-icp.csv", "tier-1.csv", "tier-2.csv",
                     "tier-3.csv", "waitlist.csv"]
    tier3 = (tmp_path / "csv" / "tier-3.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in tier3 and ',=HYPERLINK' not in tier3
    assert len(result.outputs) == 7


def test_writing_the_tiers_over_the_hub_is_refused(hub_file: Path) -> None:
    with pytest.raises(AbmError, match="-o is also an input"):
        tier_hub_file(hub_file, hub_file, config())


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.command("tier")(tier_command)
    app.command("noop")(lambda: None)
    return app


def test_cli_tier_prints_counts_and_applies_cap_flags(hub_file: Path, tmp_path: Path) -> None:
    settings = tmp_path / "abm.toml"
    settings.write_text(
        '[icp]\nindustries = ["Computer Software", "Internet", "Financial Services"]\n'
        'countries = ["North America", "UK", "Germany", "France"]\n'
        'employees = { min = 200, max = 10000 }\n'
        'technologies = { any = ["Salesforce", "Marketo"] }\n', encoding="utf-8")
    out = tmp_path / "tiers.xlsx"
    result = CliRunner().invoke(_cli(), [
        "tier", str(hub_file), "-o", str(out), "--config", str(settings), "--max-tier1", "1",
        "--as-of", "2026-11-23"])
    assert result.exit_code == 0, result.output
    assert "12 accounts tiered as of 2026-11-23" in result.output
    moved = re.search(r"(\d+) (accounts?) moved down a tier by the capacity caps",
                      result.output)
    assert moved is not None and (moved[1] == "1") == (moved[2] == "account")
    assert len(read_sheet(out, "Tier 1")) == 1


def test_cli_tier_rejects_a_negative_cap(hub_file: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(_cli(), ["tier", str(hub_file), "-o", str(tmp_path / "t.xlsx"),
                                         "--max-tier2", "-5"])
    assert result.exit_code == 2
    assert "--max-tier2" in result.output


def test_an_empty_hub_gives_an_empty_but_complete_tier_workbook(tmp_path: Path) -> None:
    hub = pd.DataFrame({"account_id": pd.Series([], dtype=str),
                        "account_name": pd.Series([], dtype=str),
                        "domain": pd.Series([], dtype=str)})
    path = tmp_path / "hub.xlsx"
    write_workbook(path, [Sheet("Hub", hub)])
    result = tier_hub_file(path, tmp_path / "tiers.xlsx", config())
    assert set(result.counts().values()) == {0}
    assert sheet_names(tmp_path / "tiers.xlsx") == ["Summary", *result.model.shown_tiers()]
