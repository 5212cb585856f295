"""Issue 12: tiers and scores that follow the method, from vendor files to tier_reason.

Each case is a hand-built account written the way the vendor writes it, merged, scored
and tiered; the test states the tier and the reason the method gives.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from abmcli.config import Config, IntentSettings, config_from_tables
from abmcli.errors import ConfigError
from abmcli.outputs.hub_workbook import hub_sheets
from abmcli.sources.layouts import recognise
from abmcli.stages.explain import explain_account
from abmcli.stages.merge import InputSpec, merge_files
from abmcli.stages.segment import run_segments, segment_specs
from abmcli.stages.tier import tier_accounts, tier_model

AS_OF = dt.date(2026, 11, 25)
ICP = {"industries": ["Software"], "countries": ["United States"],
       "employees": {"min": 200}, "revenue": {}}
FIT_HEADER = ("ZoomInfo Company ID,Company Name,Website,Employees,Revenue (in 000s USD),"
              "Primary Industry,Company Country\n")


def day(days_ago: int) -> str:
    return (AS_OF - dt.timedelta(days=days_ago)).isoformat()


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def fit_file(folder: Path, *domains: str, employees: int = 2500) -> Path:
    """Every domain a full ICP fit (fit 100) with a large estimated ACV."""
    rows = "".join(f"{n},{d.split('.')[0].title()} Inc,{d},{employees},900000,Software,"
                   "United States\n" for n, d in enumerate(domains, start=1))
    return write(folder, "zoominfo.csv", FIT_HEADER + rows)


def background(folder: Path) -> list[Path]:
    """An intent and an engagement export whose only account is quiet: the hub has both
    families, so a quiet account reads "no surge in 21 days", not "no intent data"."""
    return [write(folder, "bombora_background.csv", "Company Name,Domain,Topic,"
                  f"Composite Score,Report Date\nQuiet,quiet-background.com,Email,40,{day(60)}\n"),
            write(folder, "web_background.csv", "Account Name,Account Domain,Week Starting,"
                  f"Page Views\nQuiet,quiet-background.com,{day(60)},1\n")]


def tiered(folder: Path, files: list[Path], **sections: object) -> pd.DataFrame:
    config = config_with(**sections)
    inputs = [*files, *background(folder)]
    hub = merge_files([InputSpec(str(path)) for path in inputs], config).hub
    return tier_accounts(hub, config, as_of=AS_OF).accounts.set_index("domain")


def config_with(topics: list[str] | None = None, **sections: object) -> Config:
    config = config_from_tables({"icp": ICP, **sections}, as_of=AS_OF)
    if topics is not None:
        config.intent = IntentSettings(topics=topics)
    return config


# --- 1. meetings, replies and form fills are engagement; emails we sent are not -------


def test_a_meeting_is_engagement_and_an_email_we_sent_is_not(tmp_path: Path) -> None:
    fit = fit_file(tmp_path, "meetco.com", "mailco.com", "formco.com", "replyco.com")
    relationship = write(tmp_path, "sigstr.csv",
                         "Account Name,Website,Relationship Score,Last Email Date,"
                         "Last Meeting Date,Last Reply Date\n"
                         f"Meetco,meetco.com,50,{day(40)},{day(5)},\n"
                         f"Mailco,mailco.com,50,{day(2)},,\n"
                         f"Replyco,replyco.com,50,{day(1)},,{day(9)}\n")
    engagement = write(tmp_path, "marketo.csv",
                       "Account Name,Account Domain,Week Starting,Page Views,"
                       "Last Form Fill Date\n"
                       f"Formco,formco.com,{day(60)},0,{day(3)}\n")
    tiers = tiered(tmp_path, [fit, relationship, engagement])
    assert tiers.loc["meetco.com", "tier_reason"] == (
        "Tier 2: no surge in 21 days, met 5 days ago, ACV large (estimated)")
    assert tiers.loc["mailco.com", "tier_reason"] == (
        "Tier 3: no surge in 21 days, no engagement in 30 days, ACV large (estimated)")
    assert tiers.loc["formco.com", "tier"] == "Tier 2"
    assert "filled in a form 3 days ago" in tiers.loc["formco.com", "tier_reason"]
    assert "replied 9 days ago" in tiers.loc["replyco.com", "tier_reason"]
    # the meeting also makes the account highly engaged for the stars and the score
    assert tiers.loc["meetco.com", "stars"] == 5
    assert tiers.loc["mailco.com", "stars"] == 3
    assert tiers.loc["meetco.com", "engagement_score"] > 0
    assert pd.isna(tiers.loc["mailco.com", "engagement_score"])


def test_a_meeting_in_an_engagement_export_counts_and_an_old_one_does_not(
        tmp_path: Path) -> None:
    fit = fit_file(tmp_path, "recent.com", "old.com")
    engagement = write(tmp_path, "activity.csv",
                       "Account Name,Account Domain,Page Views,Last Meeting Date\n"
                       f"Recent,recent.com,0,{day(30)}\nOld,old.com,0,{day(31)}\n")
    tiers = tiered(tmp_path, [fit, engagement])
    assert tiers.loc["recent.com", "tier_reason"] == (
        "Tier 2: no surge in 21 days, met 30 days ago, ACV large (estimated)")
    assert tiers.loc["old.com", "tier"] == "Tier 3"


# --- 2. a vendor spike counts only inside the engagement window ------------------------


def test_a_vendor_spike_counts_only_inside_the_engagement_window(tmp_path: Path) -> None:
    fit = fit_file(tmp_path, "aged.com", "fresh.com")
    bombora = write(tmp_path, "bombora.csv", "Company Name,Domain,Topic,Composite Score,"
                    "Report Date\n"
                    f"Aged,aged.com,Intent Data,80,{day(3)}\n"
                    f"Fresh,fresh.com,Intent Data,80,{day(3)}\n")
    terminus = write(tmp_path, "terminus.csv",
                     "Account Name,Account Domain,Engagement Model,Spike Start,Spike End,"
                     "Spike Percent\n"
                     f"Aged,aged.com,Default,{day(64)},{day(57)},180\n"
                     f"Fresh,fresh.com,Default,{day(12)},{day(5)},180\n")
    tiers = tiered(tmp_path, [fit, bombora, terminus])
    assert tiers.loc["fresh.com", "tier_reason"] == (
        "Tier 1: surging on 1 topic, engagement spike +180%, ACV large (estimated)")
    assert tiers.loc["aged.com", "tier_reason"] == (
        "Tier 2: surging on 1 topic, no engagement in 30 days (spike 57 days ago, outside "
        "the window), ACV large (estimated)")
    # downstream (segments, the changes view) sees only the spike that counts
    assert not tiers.loc["aged.com", "engagement_spike"]
    assert tiers.loc["fresh.com", "engagement_spike"]
    assert str(tiers.loc["aged.com", "engagement_spike_date"])[:10] == day(57)


def test_the_window_comes_from_recent_engagement_days(tmp_path: Path) -> None:
    fit = fit_file(tmp_path, "aged.com")
    terminus = write(tmp_path, "terminus.csv",
                     "Account Name,Account Domain,Spike Start,Spike End,Spike Percent\n"
                     f"Aged,aged.com,{day(64)},{day(57)},180\n")
    tiers = tiered(tmp_path, [fit, terminus], tiers={"recent_engagement_days": 60})
    assert tiers.loc["aged.com", "tier_reason"].startswith(
        "Tier 2: no surge in 21 days, engagement spike +180%")


# --- 3. only the topics the user names count -------------------------------------------


BOMBORA = ("Company Name,Domain,Topic,Composite Score,Report Date\n"
           "Ours,ours.com,Intent Data,75,{recent}\n"
           "Ours,ours.com,Cloud Storage,90,{recent}\n"
           "Theirs,theirs.com,Cloud Storage,88,{recent}\n"
           "Theirs,theirs.com,Email Security,70,{recent}\n"
           "Early,early.com,Intent Data,72,{old}\n"
           "Early,early.com,Intent Data,40,{recent}\n")


def test_only_surges_on_the_named_topics_count(tmp_path: Path) -> None:
    fit = fit_file(tmp_path, "ours.com", "theirs.com", "early.com")
    bombora = write(tmp_path, "bombora.csv", BOMBORA.format(recent=day(2), old=day(16)))
    tiers = tiered(tmp_path, [fit, bombora], topics=["Intent Data", "Predictive Analytics"])
    assert tiers.loc["ours.com", "tier_reason"] == (
        "Tier 2: surging on Intent Data, no engagement in 30 days, ACV large (estimated)")
    assert tiers.loc["theirs.com", "tier_reason"] == (
        "Tier 3: no surge on your topics in 21 days (2 other topics surging, not counted), "
        "no engagement in 30 days, ACV large (estimated)")
    assert tiers.loc["early.com", "tier_reason"].startswith(
        "Tier 2: last surge on Intent Data 16 days ago")
    # the other topics are still shown
    assert tiers.loc["theirs.com", "intent_topics"] == "Cloud Storage; Email Security"
    # and they do not score: the relevant topic's surge outscores a bigger other one
    assert tiers.loc["ours.com", "intent_score"] > tiers.loc["theirs.com", "intent_score"]


def test_without_named_topics_every_surge_counts_as_before(tmp_path: Path) -> None:
    fit = fit_file(tmp_path, "ours.com", "theirs.com", "early.com")
    bombora = write(tmp_path, "bombora.csv", BOMBORA.format(recent=day(2), old=day(16)))
    tiers = tiered(tmp_path, [fit, bombora])
    assert tiers.loc["theirs.com", "tier_reason"].startswith("Tier 2: surging on 2 topics")
    switched_off = config_with(topics=["Intent Data"])
    switched_off.intent.only_topics_count = False
    assert tier_model(switched_off).relevant_topics == []


def test_an_intent_surge_ages(tmp_path: Path) -> None:
    fit = fit_file(tmp_path, "thisweek.com", "threeweeks.com")
    bombora = write(tmp_path, "bombora.csv", "Company Name,Domain,Topic,Composite Score,"
                    "Report Date\n"
                    f"A,thisweek.com,Intent Data,80,{day(2)}\n"
                    f"B,threeweeks.com,Intent Data,80,{day(21)}\n")
    tiers = tiered(tmp_path, [fit, bombora])
    assert tiers.loc["threeweeks.com", "intent_score"] < tiers.loc["thisweek.com",
                                                                   "intent_score"]


# --- 5. customers ----------------------------------------------------------------------


SALESFORCE = ("Account Name,Website,Account Owner,Type,Account ID,Billing Country\n"
              "Custco,custco.com,Dana Scully,Customer - Direct,0013000000AAAAAAA1,US\n"
              "Formerco,formerco.com,Dana Scully,Former Customer,0013000000AAAAAAA2,US\n"
              "Prospco,prospco.com,Dana Scully,Prospect,0013000000AAAAAAA3,US\n")


@pytest.mark.parametrize(("handling", "tier", "reason"), [
    ("tier", "Tier 3", "Tier 3: customer; no surge in 21 days, no engagement in 30 days, "
                       "ACV large (estimated)"),
    ("expansion", "Expansion", "Expansion: customer (Customer - Direct); fit 100, no surge "
                               "in 21 days, no engagement in 30 days, ACV large (estimated)"),
    ("exclude", "Excluded", 'Excluded: customer (Customer - Direct), left out by [tiers] '
                            'customers = "exclude"'),
])
def test_customers_are_tiered_listed_apart_or_left_out(tmp_path: Path, handling: str,
                                                       tier: str, reason: str) -> None:
    fit = fit_file(tmp_path, "custco.com", "formerco.com", "prospco.com")
    crm = write(tmp_path, "salesforce.csv", SALESFORCE)
    tiers = tiered(tmp_path, [fit, crm], tiers={"customers": handling})
    assert (tiers.loc["custco.com", "tier"], tiers.loc["custco.com", "tier_reason"]) == (
        tier, reason)
    # former customers and prospects are new business: tiered as prospects
    assert tiers.loc["formerco.com", "tier"] == "Tier 3"
    assert "customer" not in tiers.loc["prospco.com", "tier_reason"]


def test_hubspot_lifecycle_stage_is_the_account_type(tmp_path: Path) -> None:
    fit = fit_file(tmp_path, "custco.com", "leadco.com")
    hubspot = write(tmp_path, "hubspot.csv",
                    "Record ID,Company name,Company Domain Name,Lifecycle Stage,Type\n"
                    "101,Custco,custco.com,Customer,Prospect\n"
                    "102,Leadco,leadco.com,Lead,Prospect\n")
    tiers = tiered(tmp_path, [fit, hubspot], tiers={"customers": "expansion"})
    assert tiers.loc["custco.com", "tier"] == "Expansion"
    assert tiers.loc["leadco.com", "tier"] == "Tier 3"


def test_an_unknown_customer_handling_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="customers"):
        tier_model(config_with(tiers={"customers": "upsell"}))


# --- 6. sources that disagree ----------------------------------------------------------


def test_sources_that_disagree_are_flagged_listed_and_explained(tmp_path: Path) -> None:
    fit = fit_file(tmp_path, "bigsmall.com", "agree.com", employees=150)
    crm = write(tmp_path, "salesforce.csv",
                "Account Name,Website,Account Owner,Employees,Annual Revenue,Account ID\n"
                "Bigsmall,bigsmall.com,Dana Scully,2500,,0013000000AAAAAAA1\n"
                "Agree,agree.com,Dana Scully,400,,0013000000AAAAAAA2\n")
    config = config_with()
    merged = merge_files([InputSpec(str(fit)), InputSpec(str(crm))], config)
    conflicts = merged.hub.set_index("domain")["value_conflicts"]
    assert conflicts["bigsmall.com"] == "employees 2,500 (crm) vs 150 (fit)"
    assert conflicts["agree.com"] == ""  # 400 vs 150 is under the 3x ratio
    sheet = next(s for s in hub_sheets(merged) if s.name == "Conflicts")
    assert sheet.frame["domain"].tolist() == ["bigsmall.com"]
    found = explain_account(merged.hub, "bigsmall.com", config)
    assert found.conflicts == ["employees 2,500 (crm) vs 150 (fit)"]


def test_revenue_off_by_ten_times_is_a_conflict_and_the_ratio_is_configurable(
        tmp_path: Path) -> None:
    fit = fit_file(tmp_path, "tenx.com")  # 900,000 thousands = $900M
    crm = write(tmp_path, "salesforce.csv",
                "Account Name,Website,Account Owner,Annual Revenue,Account ID\n"
                "Tenx,tenx.com,Dana Scully,90000000,0013000000AAAAAAA1\n")
    config = config_with()
    hub = merge_files([InputSpec(str(fit)), InputSpec(str(crm))], config).hub
    assert hub["value_conflicts"].iloc[0] == "revenue 90,000,000 (crm) vs 900,000,000 (fit)"
    config.match.conflict_ratio = 20
    hub = merge_files([InputSpec(str(fit)), InputSpec(str(crm))], config).hub
    assert hub["value_conflicts"].iloc[0] == ""


# --- 8. docs/TIERS.md: every worked example is what abm says --------------------------


def hub_row(domain: str, **values: object) -> dict[str, object]:
    """A merged hub row: a full ICP fit (software, US, 2,500 employees) unless told."""
    row: dict[str, object] = {
        "account_id": "ACC-" + hashlib.sha1(domain.encode()).hexdigest()[:10],
        "account_name": domain,
        "domain": domain, "industry": "Software", "country": "United States",
        "employees": 2500, "revenue": None, "intent_max_score": None,
        "intent_surging_topics": None, "intent_topics": None, "intent_latest_date": None,
        "intent_last_surge_date": None, "engagement_total": None,
        "engagement_last_date": None, "engagement_spike": False,
        "engagement_spike_pct": None, "engagement_spike_date": None,
        "relationship_last_meeting": None, "crm_acv": None, "crm_type": None}
    row.update(values)
    return row


def surge(days: int) -> dict[str, object]:
    return {"intent_max_score": 78, "intent_surging_topics": 3,
            "intent_topics": "Intent Data; ABM; Data Quality",
            "intent_latest_date": day(days), "intent_last_surge_date": day(days)}


WORKED = [  # (domain, hub values, [tiers] settings, tier)
    ("tier1.example", {**surge(5), "engagement_total": 120, "engagement_last_date": day(3),
                       "crm_acv": 250_000}, {}, "Tier 1"),
    ("intent-only.example", {**surge(14), "crm_acv": 300_000}, {}, "Tier 2"),
    ("meeting-only.example", {"relationship_last_meeting": day(5), "crm_acv": 300_000}, {},
     "Tier 2"),
    ("medium-acv.example", {**surge(2), "engagement_total": 40,
                            "engagement_last_date": day(1), "crm_acv": 60_000}, {}, "Tier 2"),
    ("quiet.example", {"engagement_spike": True, "engagement_spike_pct": 180,
                       "engagement_spike_date": day(57), "crm_acv": 150_000}, {}, "Tier 3"),
    ("overflow.example", {"crm_acv": 150_000}, {"max_tier3": 0}, "Waitlist"),
    ("customer.example", {**surge(4), "crm_type": "Customer - Direct", "crm_acv": 80_000},
     {"customers": "expansion"}, "Expansion"),
    ("small-retailer.example", {"industry": "Retail", "employees": 40, **surge(1)}, {},
     "Out of ICP"),
    ("customer-left-out.example", {"crm_type": "Customer"}, {"customers": "exclude"},
     "Excluded"),
    ("strategic-logo.com", {"industry": "Retail", "country": "Ireland"},
     {"strategic": ["strategic-logo.com"]}, "Tier 1"),
]


# A quiet account with old intent and web activity: the hub has both families.
QUIET = {"intent_max_score": 40, "intent_latest_date": day(60), "engagement_total": 1,
         "engagement_last_date": day(60)}


def worked_hub(*rows: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame([*rows, hub_row("quiet-background.com", **QUIET)])


def worked_reason(domain: str, values: dict, tiers: dict) -> tuple[str, str, int]:
    config = config_from_tables({"icp": ICP, "tiers": tiers}, as_of=AS_OF)
    accounts = tier_accounts(worked_hub(hub_row(domain, **values)), config,
                             as_of=AS_OF).accounts.set_index("domain")
    return (str(accounts.loc[domain, "tier"]), str(accounts.loc[domain, "tier_reason"]),
            int(accounts.loc[domain, "stars"]))


@pytest.mark.parametrize(("domain", "values", "tiers", "tier"), WORKED)
def test_every_worked_example_in_docs_tiers_md_is_what_abm_says(
        domain: str, values: dict, tiers: dict, tier: str) -> None:
    docs = (Path(__file__).parents[1] / "docs" / "TIERS.md").read_text(encoding="utf-8")
    got, reason, stars = worked_reason(domain, values, tiers)
    assert got == tier
    assert f"`{reason}`" in docs, f"docs/TIERS.md lacks the reason of {domain}: {reason}"
    assert f"{domain}` ({'★' * stars}{'☆' * (5 - stars)})" in docs


def test_explain_names_the_meeting_the_star_cell_and_the_customer(tmp_path: Path) -> None:
    hub = worked_hub(hub_row("meetco.com", relationship_last_meeting=day(5),
                             crm_type="Customer - Direct"))
    found = explain_account(hub, "meetco.com", config_with())
    assert found.stars == 5
    assert found.stars_reason == ("high fit x highly engaged in 30 days "
                                  "([scoring] star_grid)")
    assert found.account_type == "customer (Customer - Direct)"
    engagement = next(f for f in found.families if f.family == "engagement")
    assert engagement.inputs["latest engagement"] == "met, 5 days ago"
    assert found.tier_reason.startswith("Tier 2: customer; no surge in 21 days, met 5 days")


# --- real exports ----------------------------------------------------------------------

REAL_SALESFORCE = (Path(__file__).parents[1] / ".." / "shared" / "reference" / "real-exports"
                   / "salesforce-demo-org-export" / "Account.csv")


def test_a_real_salesforce_export_types_its_customers_and_uploads_back(
        tmp_path: Path) -> None:
    if not REAL_SALESFORCE.exists():
        pytest.skip("shared/reference is not beside this checkout")
    config = config_with(tiers={"customers": "expansion"}, segments={"sf": {
        "where": 'tier in ["Expansion", "Tier 3"]', "format": "salesforce_update"}})
    hub = merge_files([InputSpec(str(REAL_SALESFORCE))], config).hub
    # (the three United Oil & Gas rows are one account: the CRM's duplicates)
    customers = int(hub["crm_type"].fillna("").str.startswith("Customer").sum())
    tiers = tier_accounts(hub, config, as_of=AS_OF).accounts
    # "Customer - Direct" and "Customer - Channel" are customers; blank types are not
    assert int((tiers["tier"] == "Expansion").sum()) == customers > 0
    expansion = tiers[tiers["tier"] == "Expansion"]
    assert expansion["tier_reason"].str.startswith("Expansion: customer (Customer - ").all()
    run = run_segments(tiers, segment_specs(config), tmp_path, AS_OF)
    upload = pd.read_csv(tmp_path / "sf.csv", dtype=str)
    # every Expansion account has its 18-character Account Id in the update file
    assert set(expansion["crm_id"]) <= set(upload["Id"])
    assert run.outputs[0].missing_ids == 0


@pytest.mark.parametrize(("headers", "type_header"), [
    (["Record ID", "Company name", "Company Domain Name", "Lifecycle Stage", "Type"],
     "Lifecycle Stage"),
    (["Record ID", "Company name", "Company Domain Name", "Type"], "Type"),
    (["Record ID", "Company name", "Company Domain Name", "lifecyclestage"],
     "lifecyclestage"),  # HubSpot's internal name, as API exports write it
])
def test_hubspot_account_type_is_the_lifecycle_stage_else_the_type(
        headers: list[str], type_header: str) -> None:
    layout = recognise(headers)
    assert layout.vendor == "HubSpot company export"
    assert [h for h, f in layout.columns.items() if f == "type"] == [type_header]


def test_stars_agree_with_the_tiers_on_random_accounts() -> None:
    """The issue's complaint, as invariants over many accounts: a Tier 1 account never has
    fewer than 4 stars, an Out of ICP account never more than 2, so none outranks it."""
    rng = np.random.default_rng(12)
    n = 2_000

    def maybe_days(share: float, most: int) -> list[object]:
        return [day(int(d)) if keep else None for d, keep in
                zip(rng.integers(0, most, n), rng.random(n) < share, strict=True)]

    hub = pd.DataFrame([hub_row(f"a{i}.com") for i in range(n)])
    hub["industry"] = rng.choice(np.array(["Software", "Retail"], dtype=object), n)
    hub["country"] = rng.choice(np.array(["United States", "Brazil"], dtype=object), n)
    hub["employees"] = rng.integers(10, 20_000, n)
    hub["intent_max_score"] = rng.integers(0, 100, n).astype(float)
    hub["intent_surging_topics"] = rng.integers(0, 4, n)
    hub["intent_last_surge_date"] = maybe_days(0.5, 40)
    hub["intent_latest_date"] = hub["intent_last_surge_date"]
    hub["engagement_total"] = rng.integers(0, 300, n).astype(float)
    hub["engagement_last_date"] = maybe_days(0.4, 60)
    hub["relationship_last_meeting"] = maybe_days(0.1, 60)
    hub["engagement_spike"] = rng.random(n) < 0.1
    hub["engagement_spike_date"] = maybe_days(0.1, 60)
    hub["crm_acv"] = rng.choice(np.array([None, 50_000, 150_000], dtype=object), n)
    tiers = tier_accounts(hub, config_with(), as_of=AS_OF).accounts
    assert tiers.loc[tiers["tier"] == "Tier 1", "stars"].min() >= 4
    assert tiers.loc[tiers["tier"] == "Out of ICP", "stars"].max() <= 2
    assert (tiers["tier"] == "Tier 1").sum() > 10 and (tiers["tier"] == "Out of ICP").sum() > 10


def test_placeholder_and_formula_dates_are_no_dates_not_a_crash(tmp_path: Path) -> None:
    """0001-01-01, 9999-12-31 and 1700-01-01 are beyond pandas' nanoseconds; a formula
    or a word is no date. None of them stops a merge or a tiering."""
    terminus = write(tmp_path, "terminus.csv",
                     "Account Name,Account Domain,Spike Start,Spike End,Spike Percent\n"
                     "A,a.com,n/a,2026-13-45,180\nB,b.com,,,=1+1\n"
                     "C,c.com,0001-01-01,9999-12-31,50\n")
    relationship = write(tmp_path, "sigstr.csv",
                         "Account Name,Website,Relationship Score,Last Meeting Date,"
                         "Last Reply Date\nA,a.com,Strong,yesterday,=NOW()\n"
                         "B,b.com,Weak,1700-01-01,3000-01-01\n")
    bombora = write(tmp_path, "bombora.csv", "Company Name,Domain,Topic,Composite Score,"
                    "Report Date\nC,c.com,Intent Data,80,0001-01-01\n")
    tiers = tiered(tmp_path, [terminus, relationship, bombora], topics=["Intent Data"])
    assert len(tiers) == 4  # and the quiet background account
    assert tiers["tier_reason"].str.len().gt(0).all()
    # an undated vendor spike still counts (nothing to age it by)
    assert tiers.loc["a.com", "engagement_spike"]
