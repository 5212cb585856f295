"""abm measure on hand-built cases whose figures are computed by hand."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from abmcli.config import Config, config_from_tables
from abmcli.errors import ConfigError
from abmcli.limits import MAX_AMOUNT
from abmcli.measure.config import measure_model
from abmcli.measure.scorecard import (
    ALL_TARGET,
    CUSTOMERS,
    NON_TARGET,
    OUTSIDE,
    TOO_FEW,
    measure_accounts,
)

AS_OF = dt.date(2026, 11, 25)


def hub(rows: list[tuple[str, str, str, str, str | None]]) -> pd.DataFrame:
    """(account_id, name, domain, tier, last engagement) per account."""
    return pd.DataFrame({
        "account_id": [r[0] for r in rows], "account_name": [r[1] for r in rows],
        "domain": [r[2] for r in rows], "tier": [r[3] for r in rows],
        "engagement_last_date": [dt.date.fromisoformat(r[4]) if r[4] else None
                                 for r in rows],
        "crm_id": [f"001{r[0][-3:]}000000000" for r in rows],
        "has_fit": [True] * len(rows),
    })


FOUR_TARGETS = hub([
    ("ACC-001", "Alpha Corp", "alpha.com", "Tier 1", "2026-09-20"),
    ("ACC-002", "Beta Ltd", "beta.com", "Tier 2", "2026-10-01"),
    ("ACC-003", "Gamma Inc", "gamma.com", "Tier 3", None),
    ("ACC-004", "Delta AG", "delta.de", "Tier 3", None),
    ("ACC-005", "Omega", "omega.com", "Out of ICP", None),
])


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(tmp_path: Path, accounts: pd.DataFrame, opps: str | None = None,
        contacts: str | None = None, toml: dict | None = None,
        since: dt.date | None = None):
    config = config_from_tables({"measure": toml or {}})
    return measure_accounts(
        accounts, config, measure_model(config),
        opportunities=[write(tmp_path / "opps.csv", opps)] if opps else [],
        contacts=[write(tmp_path / "contacts.csv", contacts)] if contacts else [],
        since=since, as_of=AS_OF)


def test_one_influenced_deal_of_50000_is_all_of_the_target_pipeline(tmp_path: Path) -> None:
    # 4 target accounts, 2 engaged; one $50,000 opportunity created 2026-10-15 at Alpha,
    # which engaged 25 days before: influenced share 100 %.
    card = run(tmp_path, FOUR_TARGETS, opps=(
        "Opportunity Name,Account Name,Stage,Amount,Created Date,Close Date\n"
        "Alpha expansion,Alpha Corp,Prospecting,\"$50,000\",2026-10-15,2026-12-31\n"))
    funnel = card.funnel.set_index("group")
    assert funnel.loc[ALL_TARGET, ["accounts", "engaged", "with opportunity", "won"]].tolist() \
        == [4, 2, 1, 0]
    assert funnel.loc[ALL_TARGET, "engaged %"] == 0.5
    assert card.kpis["target_pipeline"] == 50_000
    assert card.kpis["influenced_share"] == 1.0
    assert card.kpis["engaged_target_accounts"] == 2


def test_engagement_after_creation_or_too_early_does_not_influence(tmp_path: Path) -> None:
    # Beta engaged 2026-10-01: after the first deal was created (not influence) and more
    # than 90 days after... the second was created 2026-06-01 (121 days before).
    card = run(tmp_path, FOUR_TARGETS, opps=(
        "Opportunity Name,Account Name,Stage,Amount,Created Date,Close Date\n"
        "B1,Beta Ltd,Qualification,10000,2026-09-30,2026-12-01\n"
        "A1,Alpha Corp,Qualification,30000,2026-10-01,2026-12-01\n"))
    pipeline = card.pipeline.set_index("group")
    assert pipeline.loc[ALL_TARGET, "pipeline created"] == 40_000
    assert pipeline.loc[ALL_TARGET, "influenced pipeline"] == 30_000
    assert card.kpis["influenced_share"] == pytest.approx(0.75)


def test_win_rate_deal_size_and_days_to_close_with_lift(tmp_path: Path) -> None:
    accounts = hub([
        ("ACC-001", "Alpha", "alpha.com", "Tier 1", None),
        ("ACC-002", "Beta", "beta.com", "Waitlist", None),
    ])
    lines = ["Opportunity Name,Account Name,Stage,Amount,Created Date,Close Date"]
    # target: 2 won (100k in 30 days, 50k in 10 days), 0 lost -> win rate 1.0,
    # average 75,000, 20 days. Look-alike: 1 won of 4 (20k in 40 days).
    lines += ["T1,Alpha,Closed Won,100000,2026-01-01,2026-01-31",
              "T2,Alpha,Closed Won,50000,2026-02-01,2026-02-11",
              "L1,Beta,Closed Won,20000,2026-01-01,2026-02-10"]
    lines += [f"L{i},Beta,Closed Lost,1000,2026-01-01,2026-02-01" for i in range(2, 5)]
    card = run(tmp_path, accounts, opps="\n".join(lines) + "\n", toml={"min_deals": 1})
    lift = card.lift.set_index(["measure", "cohort"])
    lookalike = "Look-alike (in ICP, not targeted)"
    assert lift.loc[("win rate", lookalike), "target"] == 1.0
    assert lift.loc[("win rate", lookalike), "cohort value"] == 0.25
    assert lift.loc[("win rate", lookalike), "lift"] == 4.0
    assert lift.loc[("average deal", lookalike), "target"] == 75_000
    assert lift.loc[("average deal", lookalike), "lift"] == 3.75
    assert lift.loc[("days to close", lookalike), "target"] == 20
    assert lift.loc[("days to close", lookalike), "lift"] == 0.5
    assert lift.loc[("win rate", lookalike), "cohort deals"] == 4


def test_customers_are_a_group_of_their_own_not_a_non_target_cohort(tmp_path: Path) -> None:
    # An existing customer's expansion deals are won far more often than a prospect's:
    # counted as non-target they would make every lift look worse than it is.
    accounts = hub([
        ("ACC-001", "Alpha", "alpha.com", "Tier 1", None),
        ("ACC-002", "Beta", "beta.com", "Out of ICP", None),
        ("ACC-003", "Cust", "cust.com", "Expansion", None),
        ("ACC-004", "Gone", "gone.com", "Excluded", None),
    ])
    lines = ["Opportunity Name,Account Name,Stage,Amount,Created Date,Close Date",
             "T1,Alpha,Closed Won,1000,2026-01-01,2026-01-31",
             "T2,Alpha,Closed Lost,1000,2026-01-01,2026-01-31",
             "N1,Beta,Closed Lost,1000,2026-01-01,2026-01-31",
             "N2,Beta,Closed Won,1000,2026-01-01,2026-01-31"]
    lines += [f"C{i},Cust,Closed Won,5000,2026-01-01,2026-01-31" for i in range(4)]
    lines += ["X1,Gone,Closed Won,5000,2026-01-01,2026-01-31"]
    card = run(tmp_path, accounts, opps="\n".join(lines) + "\n", toml={"min_deals": 1})
    lift = card.lift.set_index(["measure", "cohort"])
    assert lift.loc[("win rate", NON_TARGET), "cohort value"] == 0.5  # Beta only
    assert lift.loc[("win rate", NON_TARGET), "cohort deals"] == 2
    funnel = card.funnel.set_index("group")
    assert funnel.loc[NON_TARGET, "accounts"] == 1
    assert funnel.loc[CUSTOMERS, ["accounts", "won"]].tolist() == [2, 2]
    pipeline = card.pipeline.set_index("group")
    assert pipeline.loc[CUSTOMERS, "opportunities"] == 5
    assert pipeline.loc[[ALL_TARGET, NON_TARGET, CUSTOMERS], "opportunities"].sum() == 9


def test_an_absurd_amount_is_an_issue_and_never_summed(tmp_path: Path) -> None:
    # 1e308 made the Scorecard's average deal a 308-digit number, with no Issues row
    card = run(tmp_path, FOUR_TARGETS, opps=(
        "Opportunity Name,Account Name,Stage,Amount,Created Date,Close Date\n"
        "huge,Alpha Corp,Closed Won,1e308,2026-10-01,2026-10-20\n"
        "typo,Alpha Corp,Closed Won,99999999999999999999999,2026-10-01,2026-10-20\n"
        "fine,Alpha Corp,Closed Won,\"$2,500\",2026-10-01,2026-10-20\n"))
    issues = card.issues.set_index("what")
    for name, cell in (("huge", "1e308"), ("typo", "99999999999999999999999")):
        assert issues.loc[name, "problem"] == (f"amount '{cell}' is above 10 trillion, "
                                               "no deal's size")
        assert issues.loc[name, "counted"] == "counted without an amount"
    assert card.pipeline.set_index("group").loc[ALL_TARGET, "pipeline created"] == 2500


def test_a_lift_on_too_few_deals_says_so(tmp_path: Path) -> None:
    card = run(tmp_path, FOUR_TARGETS, opps=(
        "Opportunity Name,Account Name,Stage,Amount,Created Date,Close Date\n"
        "A,Alpha Corp,Closed Won,100,2026-01-01,2026-01-05\n"
        "O,Omega,Closed Lost,100,2026-01-01,2026-01-05\n"))
    assert set(card.lift["lift"]) == {TOO_FEW}


def test_hostile_rows_are_listed_and_never_counted_silently(tmp_path: Path) -> None:
    card = run(tmp_path, FOUR_TARGETS, opps=(
        "Opportunity Name,Account Name,Stage,Amount,Currency,Created Date,Close Date\n"
        "neg,Alpha Corp,Prospecting,-5000,USD,2026-10-01,2026-12-01\n"
        "backwards,Alpha Corp,Closed Won,7000,USD,2026-10-01,2026-09-01\n"
        "weird,Alpha Corp,Spinning Plates,9000,USD,2026-10-01,2026-12-01\n"
        "euro,Beta Ltd,Prospecting,8000,EUR,2026-10-01,2026-12-01\n"
        "stranger,Nobody GmbH,Prospecting,1000,USD,2026-10-01,2026-12-01\n"))
    problems = " | ".join(card.issues["problem"])
    assert "negative amount" in problems
    assert "before it was created" in problems
    assert "'Spinning Plates' is not mapped" in problems
    assert "amount in EUR and no rate to USD" in problems
    assert "no hub account has its CRM account id, domain or name" in problems
    pipeline = card.pipeline.set_index("group")
    # counted: backwards (7,000, won) in the target pipeline; neg and euro without an
    # amount; weird not at all (status unknown); stranger under Not in hub
    assert pipeline.loc[ALL_TARGET, "opportunities"] == 3
    assert pipeline.loc[ALL_TARGET, "pipeline created"] == 7_000
    assert pipeline.loc[OUTSIDE, "pipeline created"] == 1_000
    assert card.lift.empty or (card.lift["lift"] == TOO_FEW).all()


def test_a_rate_converts_another_currency(tmp_path: Path) -> None:
    card = run(tmp_path, FOUR_TARGETS, toml={"rates": {"EUR": 1.5}}, opps=(
        "Opportunity Name,Account Name,Stage,Amount,Created Date,Close Date\n"
        "euro,Beta Ltd,Prospecting,EUR 8000,2026-10-01,2026-12-01\n"))
    assert card.kpis["target_pipeline"] == 12_000


def test_crm_ids_match_in_15_and_18_characters_and_domains_by_email(tmp_path: Path) -> None:
    card = run(tmp_path, FOUR_TARGETS, opps=(
        "Id,AccountId,Name,StageName,Amount,CloseDate,IsClosed,IsWon,CreatedDate\n"
        "006A,001001000000000AAA,Deal,Prospecting,100,2026-12-01,FALSE,FALSE,2026-10-01\n"),
        contacts=("First Name,Last Name,Email,Title\n"
                  "Ann,Lee,ann@gamma.com,CMO\n"))
    assert card.opportunities["account_id"].tolist() == ["ACC-001"]
    assert card.opportunities["matched by"].tolist() == ["crm id"]
    assert card.accounts.set_index("account_id").loc["ACC-003", "contacts"] == 1


def test_buying_committee_coverage_and_gaps(tmp_path: Path) -> None:
    toml = {"personas": {
        "economic_buyer": {"seniority": ["C-level", "VP"], "function": ["marketing", "finance"],
                           "titles": ["CMO", "CFO"]},
        "champion": {"seniority": ["Director", "Manager"], "function": ["marketing"]},
    }}
    contacts = ("First Name,Last Name,Email,Title,Last Activity Date\n"
                "A,One,a@alpha.com,CMO,2026-11-01\n"
                "B,Two,b@alpha.com,Marketing Operations Manager,\n"
                "C,Three,c@alpha.com,Software Engineer,\n"
                "D,Four,d@beta.com,VP Finance,\n"
                "E,Five,e@nowhere-in-hub.com,CEO,\n")
    card = run(tmp_path, FOUR_TARGETS, contacts=contacts, toml=toml)
    per = card.accounts.set_index("account_id")
    assert per.loc["ACC-001", ["contacts", "Economic buyer", "Champion",
                               "personas covered"]].tolist() == [3, 1, 1, 2]
    assert per.loc["ACC-001", "engaged contacts"] == 1
    assert per.loc["ACC-002", "missing personas"] == "Champion"
    coverage = card.coverage.set_index("group")
    assert coverage.loc[ALL_TARGET, "with 3+ contacts %"] == 0.25
    assert coverage.loc[ALL_TARGET, "covering 75%+ of personas %"] == 0.25
    gaps = card.gaps
    # Alpha covers both; Beta lacks Champion; Gamma and Delta lack both: 5 gaps
    assert len(gaps) == 5
    assert gaps.loc[gaps["missing persona"] == "Economic buyer", "titles to look for"].iloc[0] \
        == "CMO; CFO"
    assert card.kpis["engaged_contacts_per_target_account"] == 0.25
    alpha = card.committee[card.committee["account_id"] == "ACC-001"]
    assert alpha["title"].tolist() == ["CMO", "Marketing Operations Manager",
                                       "Software Engineer"]  # ranked by seniority
    assert alpha["personas"].tolist() == ["Economic buyer", "Champion", ""]
    assert set(card.issues["what"]) == {"E Five"}  # the contact outside the hub is listed


def test_a_deal_where_every_persona_engaged_counts_as_whole_committee(tmp_path: Path) -> None:
    toml = {"personas": {"buyer": {"seniority": ["C-level"]},
                         "user": {"seniority": ["Individual contributor"]}}}
    contacts = ("First Name,Last Name,Email,Title,Last Activity Date\n"
                "A,One,a@alpha.com,CMO,2026-11-01\n"
                "B,Two,b@alpha.com,Analyst,2026-11-02\n"
                "C,Three,c@beta.com,CFO,2026-11-01\n"
                "D,Four,d@beta.com,Analyst,\n")
    opps = ("Opportunity Name,Account Name,Stage,Amount,Created Date,Close Date\n"
            "A,Alpha Corp,Prospecting,100,2026-10-01,2026-12-01\n"
            "B,Beta Ltd,Prospecting,100,2026-10-01,2026-12-01\n")
    card = run(tmp_path, FOUR_TARGETS, opps=opps, contacts=contacts, toml=toml)
    assert card.opportunities["personas engaged"].tolist() == [2, 1]
    assert card.opportunities["whole committee engaged"].tolist() == [True, False]
    assert card.kpis["target_deals_whole_committee_engaged"] == 1


def test_bad_persona_config_names_the_unknown_value() -> None:
    config = config_from_tables({"measure": {"personas": {"x": {"seniority": ["Boss"]}}}})
    with pytest.raises(ConfigError, match="seniority names 'Boss'"):
        measure_model(config)


def test_since_leaves_out_older_opportunities(tmp_path: Path) -> None:
    card = run(tmp_path, FOUR_TARGETS, since=dt.date(2026, 10, 1), opps=(
        "Opportunity Name,Account Name,Stage,Amount,Created Date,Close Date\n"
        "old,Alpha Corp,Prospecting,100,2026-09-30,2026-12-01\n"
        "new,Alpha Corp,Prospecting,200,2026-10-01,2026-12-01\n"))
    assert card.kpis["target_pipeline"] == 200
    funnel = card.funnel.set_index("group")
    # Beta engaged on 2026-10-01 (in the period), Alpha on 2026-09-20 (before it)
    assert funnel.loc[ALL_TARGET, "engaged"] == 1
    assert funnel.loc[NON_TARGET, "accounts"] == 1


def test_weekly_engagement_rows_are_the_history_influence_reads(tmp_path: Path) -> None:
    from abmcli.sources.load import load_source

    # Alpha's last engagement (hub) is 2026-09-20, after the deal was created on
    # 2026-08-01: without history, not influenced. The weekly rows show Alpha active in
    # the week of 2026-07-13 (19 days before): influenced. A week with no activity
    # (2026-07-20, zero views) is not engagement.
    weekly = write(tmp_path / "weekly.csv",
                   "Company,Website,Week,Page Views,Visits\n"
                   "Alpha Corp,alpha.com,2026-07-13,12,3\n"
                   "Beta Ltd,beta.com,2026-07-20,0,0\n")
    opps = write(tmp_path / "opps.csv",
                 "Opportunity Name,Account Name,Stage,Amount,Created Date,Close Date\n"
                 "A,Alpha Corp,Prospecting,100,2026-08-01,2026-12-01\n"
                 "B,Beta Ltd,Prospecting,300,2026-08-01,2026-12-01\n")
    config = Config()
    card = measure_accounts(FOUR_TARGETS, config, measure_model(config),
                            opportunities=[opps], as_of=AS_OF)
    assert card.kpis["influenced_share"] == 0
    history = [load_source(weekly, family="engagement")]
    card = measure_accounts(FOUR_TARGETS, config, measure_model(config),
                            opportunities=[opps], engagement=history, as_of=AS_OF)
    assert card.kpis["influenced_pipeline"] == 100
    assert card.kpis["influenced_share"] == 0.25


def test_an_opportunity_exported_twice_counts_once(tmp_path: Path) -> None:
    card = run(tmp_path, FOUR_TARGETS, opps=(
        "Opportunity ID,Opportunity Name,Account Name,Stage,Amount,Created Date,Close Date\n"
        "006X,A,Alpha Corp,Prospecting,100,2026-10-01,2026-12-01\n"
        "006X,A,Alpha Corp,Prospecting,100,2026-10-01,2026-12-01\n"))
    assert card.kpis["target_pipeline"] == 100
    assert "repeats opportunity '006X' of row 1" in " ".join(card.issues["problem"])
    assert card.opportunities["status"].tolist() == ["open", "repeated"]


def test_a_large_lineage_goes_to_a_csv_beside_the_scorecard(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from abmcli.measure import workbook as scorecard
    from abmcli.xlsx.workbook import sheet_names

    monkeypatch.setattr(scorecard, "LINEAGE_SHEET_MAX_ROWS", 1)
    card = run(tmp_path, FOUR_TARGETS, opps=(
        "Opportunity Name,Account Name,Stage,Amount,Created Date,Close Date\n"
        "A,Alpha Corp,Prospecting,100,2026-10-01,2026-12-01\n"
        "B,Beta Ltd,Prospecting,100,2026-10-01,2026-12-01\n"))
    written = scorecard.write_scorecard(card, tmp_path / "card.xlsx")
    assert [p.name for p in written] == ["card.xlsx", "card-lineage.csv"]
    assert "Lineage" not in sheet_names(tmp_path / "card.xlsx")
    assert len(pd.read_csv(tmp_path / "card-lineage.csv")) == 2


def test_engagement_against_the_pre_launch_baseline(tmp_path: Path) -> None:
    # program start 2026-09-01; baseline 2026-06-03 ... 2026-08-31, recent 90 days up to
    # 2026-11-25. Alpha engaged 2026-09-20 (recent), Beta 2026-10-01 (recent); a contact
    # at Gamma was active on 2026-07-01 (baseline). 1 of 4 before, 2 of 4 now: lift 2.
    contacts = ("First Name,Last Name,Email,Title,Last Activity Date\n"
                "A,One,a@gamma.com,CMO,2026-07-01\n")
    card = run(tmp_path, FOUR_TARGETS, contacts=contacts,
               toml={"program_start": "2026-09-01"})
    assert card.kpis["engaged_target_share_baseline"] == 0.25
    assert card.kpis["engaged_target_share_last_90_days"] == 0.5
    assert card.kpis["engagement_lift_vs_baseline"] == 2.0


def test_issue_counts_by_family(tmp_path: Path) -> None:
    card = run(tmp_path, FOUR_TARGETS, opps=(
        "Opportunity Name,Account Name,Stage,Amount,Created Date,Close Date\n"
        "neg,Alpha Corp,Prospecting,-1,2026-10-01,2026-12-01\n"),
        contacts="First Name,Last Name,Email,Title\nX,Y,x@elsewhere.org,CEO\n")
    assert card.kpis["opportunity_issues"] == 1
    assert len(card.issues) == 2


@pytest.mark.parametrize(("closed", "won", "stage", "status"), [
    ("TRUE", "TRUE", "Whatever", "won"),
    ("TRUE", "FALSE", "Closed Won", "lost"),
    ("FALSE", "", "Closed Won", "open"),
    ("TRUE", "", "Closed Won", "won"),  # closed, no won flag: the stage says which
    ("TRUE", "", "Closed Lost", "lost"),
    ("", "", "Negotiation/Review", "open"),
    ("", "", "closedwon", "won"),  # HubSpot's internal stage id
    ("", "", "Spinning Plates", "unmapped"),
])
def test_status_from_flags_then_stage(tmp_path: Path, closed: str, won: str, stage: str,
                                      status: str) -> None:
    card = run(tmp_path, FOUR_TARGETS, opps=(
        "Opportunity Name,Account Name,Stage,Closed,Won,Amount,Created Date,Close Date\n"
        f"A,Alpha Corp,{stage},{closed},{won},100,2026-10-01,2026-12-01\n"))
    assert card.opportunities["status"].tolist() == [status]


def test_a_contact_in_two_rows_counts_once_with_its_latest_activity(tmp_path: Path) -> None:
    contacts = ("First Name,Last Name,Email,Title,Last Activity Date\n"
                "Ann,Lee,ann@alpha.com,CMO,2026-01-05\n"
                "Ann,Lee,ANN@alpha.com,Chief Marketing Officer,2026-11-01\n"
                "Bob,Ray,bob@alpha.com,Analyst,\n")
    card = run(tmp_path, FOUR_TARGETS, contacts=contacts, since=dt.date(2026, 10, 1))
    per = card.accounts.set_index("account_id")
    assert per.loc["ACC-001", "contacts"] == 2
    assert per.loc["ACC-001", "engaged contacts"] == 1  # the later activity is kept
    assert card.issues["problem"].str.contains("repeats the contact of").sum() == 1


_NAMES = ["Alpha Corp", "Beta Ltd", "Gamma Inc", "Delta AG", "Omega", "Nobody GmbH", ""]
_STAGES = ["Prospecting", "Closed Won", "Closed Lost", "On Ice", ""]
_AMOUNTS = ["100", "$2,500", "-50", "abc", "", "EUR 10", "1e3", "1e308",
            "99999999999999999999999"]
_DAYS = ["2026-01-05", "2026-06-30", "2026-10-01", "", "not a date"]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_NAMES), st.sampled_from(_STAGES),
                          st.sampled_from(_AMOUNTS), st.sampled_from(_DAYS),
                          st.sampled_from(_DAYS)), min_size=1, max_size=30))
def test_every_row_is_accounted_for_and_the_groups_add_up(rows: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        text = "Opportunity Name,Account Name,Stage,Amount,Created Date,Close Date\n" + "".join(
            f"deal {i},{n},{s},\"{a}\",{c},{d}\n" for i, (n, s, a, c, d) in enumerate(rows))
        card = run(Path(folder), FOUR_TARGETS, opps=text)
    assert len(card.lineage) == len(rows) == len(card.opportunities)
    funnel = card.funnel.set_index("group")
    assert (funnel["won"] <= funnel["with opportunity"]).all()
    assert (funnel["with opportunity"] <= funnel["accounts"]).all()
    tiers = funnel.loc[["Tier 1", "Tier 2", "Tier 3"]].sum()
    assert (tiers[["accounts", "engaged", "won"]] == funnel.loc[ALL_TARGET, [
        "accounts", "engaged", "won"]]).all()
    pipeline = card.pipeline.set_index("group")
    parts = pipeline.loc[[ALL_TARGET, NON_TARGET, CUSTOMERS, OUTSIDE]]
    counted = card.opportunities[card.opportunities["status"].isin(["open", "won", "lost"])]
    assert parts["opportunities"].sum() == len(counted)
    assert parts["pipeline created"].sum() == pytest.approx(counted["amount"].sum())
    assert (pipeline["influenced pipeline"] <= pipeline["pipeline created"] + 1e-9).all()
    assert (counted["amount"].dropna() >= 0).all()  # a negative amount is never summed
    assert (counted["amount"].dropna() <= MAX_AMOUNT).all()  # nor an absurd one


def test_each_missing_file_is_named_with_what_it_leaves_out(tmp_path: Path) -> None:
    from abmcli.measure.workbook import scorecard_sheets

    card = run(tmp_path, FOUR_TARGETS)
    assert len(card.notes) == 2
    assert "need --opportunities FILE" in card.notes[0]
    assert "need --contacts FILE" in card.notes[1]
    blocks = dict(scorecard_sheets(card)[0].blocks)
    assert blocks["Notes"]["note"].tolist() == card.notes
    assert card.kpis["target_accounts"] == 4 and "target_pipeline" not in card.kpis


@pytest.mark.parametrize(("setting", "message"), [
    ({"influence_days": 10**12}, "influence_days: 1,000,000,000,000 days is outside"),
    ({"program_start": "9999-01-01"}, "program_start: 9999-01-01 is outside the dates"),
    ({"since": "soon"}, "since = 'soon' must be a date"),
    ({"min_deals": 0}, "min_deals = 0 must be 1 or more"),
    ({"currency": "dollars"}, "currency = 'dollars' must be a three-letter code"),
    ({"rates": {"EUR": -1}}, "[measure.rates] EUR = -1 must be a positive number"),
])
def test_measure_settings_out_of_range_are_config_errors(setting: dict, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        measure_model(config_from_tables({"measure": setting}))
    assert message in str(caught.value)


def test_dates_outside_abms_range_are_listed_not_computed_with(tmp_path: Path) -> None:
    card = run(tmp_path, FOUR_TARGETS, opps=(
        "Opportunity Name,Account Name,Stage,Amount,Created Date,Close Date\n"
        "A,Alpha Corp,Closed Won,100,0001-01-02,9999-12-31\n"))
    problems = " ".join(card.issues["problem"])
    assert "no readable created date" in problems  # year 1 is no date abm computes with
    assert card.opportunities["created"].isna().all()
    assert card.opportunities["closed"].isna().all()


def test_last_engagement_dates_are_read_as_every_stage_reads_them() -> None:
    # A hand-edited hub: US dates count, a 9999-12-31 placeholder is no engagement.
    from abmcli.measure.scorecard import _dates

    frame = pd.DataFrame({"engagement_last_date": ["2026-11-23", "11/20/2026", "9999-12-31"]})
    assert _dates(frame, "engagement_last_date").tolist() == [
        dt.date(2026, 11, 23), dt.date(2026, 11, 20), None]
