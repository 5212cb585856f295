"""What changed between two weeks: new and dropped accounts, tier moves, spikes, topics, scores."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from abmcli.errors import WorkbookError
from abmcli.outputs.workbook_accounts import compare_workbooks
from abmcli.stages.changes import CHANGE_KINDS, changes_sheet, compare_accounts, first_run
from abmcli.xlsx.workbook import Sheet, read_sheet, write_workbook

COLUMNS = ["account_id", "account_name", "domain", "tier", "account_score", "engagement_spike",
           "engagement_spike_pct", "intent_topics"]
LAST_WEEK = pd.DataFrame([
    ["ACC-1A2B3C4D5E", "Siemens AG", "siemens.com", "Tier 2", 71.0, False, None,
     "Intent Data"],
    ["ACC-2B3C4D5E6F", "Société Générale S.A.", "societegenerale.com", "Tier 3", 55.0, False,
     None, ""],
    ["ACC-3C4D5E6F70", "The Kroger Co.", "kroger.com", "Tier 1", 88.0, True, 180.0,
     "Account Based Marketing"],
    ["ACC-4D5E6F7081", "Ben &amp; Jerry's Homemade, Inc.", "benjerry.com", "Out of ICP", 22.0,
     False, None, ""],
], columns=COLUMNS)
THIS_WEEK = pd.DataFrame([
    # moved up with a new spike, a new topic and 16 more points
    ["ACC-1A2B3C4D5E", "Siemens AG", "siemens.com", "Tier 1", 87.0, True, 240.0,
     "Intent Data; Predictive Analytics"],
    # unchanged but for 4 points: under the threshold
    ["ACC-2B3C4D5E6F", "Société Générale S.A.", "societegenerale.com", "Tier 3", 59.0, False,
     None, ""],
    # moved down two tiers, 30 points down, spike over
    ["ACC-3C4D5E6F70", "The Kroger Co.", "kroger.com", "Waitlist", 58.0, False, None,
     "Account Based Marketing"],
    # new this week
    ["ACC-5E6F708192", "Nestlé S.A.", "nestle.com", "Tier 2", 66.0, True, 150.0,
     "Intent Data"],
], columns=COLUMNS)


def _changes(old: pd.DataFrame = LAST_WEEK, new: pd.DataFrame = THIS_WEEK, threshold: float = 10):
    return compare_accounts(old, new, threshold, "2026-W47", "2026-W48")


def _listed(changes, kind: str) -> list[str]:
    return changes.rows.loc[changes.rows["change"] == kind, "domain"].tolist()


def test_every_kind_of_change_is_found() -> None:
    changes = _changes()
    assert changes.counts() == {"new account": 1, "dropped account": 1, "domain added": 0,
                                "domain changed": 0, "domain removed": 0, "data carried": 0,
                                "data expired": 0, "tier up": 1, "tier down": 1,
                                "new spike": 1, "newly surging topics": 1, "score up": 1,
                                "score down": 1}
    assert _listed(changes, "new account") == ["nestle.com"]
    assert _listed(changes, "dropped account") == ["benjerry.com"]
    assert _listed(changes, "tier up") == ["siemens.com"]
    assert _listed(changes, "tier down") == ["kroger.com"]
    assert _listed(changes, "new spike") == ["siemens.com"]  # Nestlé is new, not a new spike
    assert _listed(changes, "score down") == ["kroger.com"]


def test_rows_say_before_after_and_how_much() -> None:
    rows = _changes().rows.set_index("change")
    assert rows.loc["tier down", ["before", "after"]].tolist() == ["Tier 1", "Waitlist"]
    assert rows.loc["score up", ["before", "after", "detail"]].tolist() == [
        "71.0", "87.0",
        "+16.0 points: new surge on Predictive Analytics; engagement spike +240%"]
    # a tier move says what moved it
    assert rows.loc["tier down", "detail"] == "engagement spike ended"
    assert rows.loc["tier up", "detail"] == (
        "new surge on Predictive Analytics; engagement spike +240%")
    assert rows.loc["newly surging topics", "detail"] == "Predictive Analytics"
    assert rows.loc["new spike", "detail"] == "+240% over the baseline"
    assert rows.loc["new account", ["before", "after"]].tolist() == ["", "Tier 2"]
    assert rows.loc["dropped account", ["before", "after", "account_name"]].tolist() == [
        "Out of ICP", "", "Ben &amp; Jerry's Homemade, Inc."]
    assert rows.loc["dropped account", "detail"] == "not in this week's exports"


def test_rows_come_in_kind_order_biggest_change_first() -> None:
    old = LAST_WEEK.assign(account_score=[71.0, 55.0, 88.0, 22.0])
    new = LAST_WEEK.assign(account_score=[83.0, 90.0, 88.0, 50.0])
    changes = _changes(old, new)
    assert changes.rows["change"].tolist() == ["score up"] * 3
    assert _listed(changes, "score up") == ["societegenerale.com", "benjerry.com", "siemens.com"]
    kinds = _changes().rows["change"].tolist()
    assert kinds == [kind for kind in CHANGE_KINDS if kind in kinds]


def test_the_threshold_decides_which_score_moves_are_listed() -> None:
    assert _changes(threshold=4).counts()["score up"] == 2  # Société Générale's 4 points too
    assert _changes(threshold=20).counts()["score down"] == 1  # Kroger's 30
    assert _changes(threshold=31).counts()["score down"] == 0


def test_the_same_accounts_twice_have_no_changes() -> None:
    assert sum(_changes(THIS_WEEK, THIS_WEEK.iloc[::-1]).counts().values()) == 0


def test_hubs_without_tiers_compare_on_what_they_have() -> None:
    old = LAST_WEEK.drop(columns=["tier", "account_score"])
    new = THIS_WEEK.drop(columns=["tier", "account_score"])
    counts = _changes(old, new).counts()
    assert counts["tier up"] == counts["score up"] == 0
    assert counts["new account"] == counts["new spike"] == counts["newly surging topics"] == 1


def test_a_table_without_account_ids_is_refused() -> None:
    with pytest.raises(WorkbookError, match="old.xlsx: has no account_id column"):
        compare_accounts(LAST_WEEK.drop(columns="account_id"), THIS_WEEK, 10, "old.xlsx")


def test_workbooks_compare_as_they_read_back(tmp_path: Path) -> None:
    def tier_workbook(path: Path, accounts: pd.DataFrame) -> Path:
        sheets = [Sheet(tier, accounts[accounts["tier"] == tier].reset_index(drop=True))
                  for tier in ("Tier 1", "Tier 2", "Tier 3", "Waitlist", "Out of ICP")]
        return write_workbook(path, sheets)

    old = tier_workbook(tmp_path / "old.xlsx", LAST_WEEK)
    new = tier_workbook(tmp_path / "new.xlsx", THIS_WEEK)
    changes = compare_workbooks(old, new)
    assert changes.counts() == _changes().counts()
    summary = json.loads(json.dumps(changes.to_dict()))
    assert summary["compared_with"] == str(old)
    assert summary["accounts"]["tier up"][0]["account_name"] == "Siemens AG"


def test_the_changes_sheet_lists_the_rows_or_says_it_is_the_first_run(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "c.xlsx", [changes_sheet(_changes())])
    sheet = read_sheet(path, "Changes")
    assert len(sheet) == 8
    assert sheet.loc[0, "change"] == "new account"
    first = write_workbook(tmp_path / "f.xlsx", [changes_sheet(first_run("2026-W48", 10))])
    assert read_sheet(first, "Changes").loc[0, "detail"] == "no earlier run to compare with"


def test_summary_lists_are_capped_but_counts_are_complete() -> None:
    many = pd.DataFrame({"account_id": [f"ACC-{i:010d}" for i in range(250)],
                         "domain": [f"company{i}.com" for i in range(250)]})
    summary = compare_accounts(many.head(0), many).to_dict(limit=100)
    assert summary["counts"]["new account"] == 250
    assert len(summary["accounts"]["new account"]) == 100


def test_carried_and_expired_data_and_merged_accounts_say_so() -> None:
    old = LAST_WEEK.assign(carried=["", "", "fit from 2026-W44", ""], has_fit=True)
    new = LAST_WEEK.assign(
        carried=["relationship from 2026-W47 (1 of 3 rows)", "", "", ""],
        has_fit=[True, True, False, True]).iloc[[0, 1, 2]]
    changes = compare_accounts(old, new, 10, "2026-W47", "2026-W48",
                               merged_into={"ACC-4D5E6F7081": "ACC-1A2B3C4D5E"})
    rows = changes.rows.set_index("change")
    assert rows.loc["data carried", ["domain", "detail"]].tolist() == [
        "siemens.com", "relationship from 2026-W47 (1 of 3 rows), not in this week's export"]
    assert rows.loc["data expired", ["domain", "detail"]].tolist() == [
        "kroger.com", "fit from 2026-W44 expired: past the carry window"]
    assert rows.loc["dropped account", "detail"] == (
        "merged into Siemens AG (siemens.com) by an accepted decision")
    assert changes.counts_text() == ("1 dropped account, 1 account with data carried from an "
                                     "earlier week, 1 account with carried data expired")


def test_counts_read_as_english() -> None:
    many = pd.DataFrame({"account_id": [f"ACC-{i:010d}" for i in range(32)],
                         "domain": [f"company{i}.com" for i in range(32)]})
    assert compare_accounts(many.head(0), many.head(1)).counts_text() == "1 new account"
    assert compare_accounts(many.head(0), many).counts_text() == "32 new accounts"
    assert compare_accounts(many, many).counts_text() == "no changes"


def test_every_row_says_what_moved_it() -> None:
    changes = _changes()
    assert (changes.rows["detail"] != "").all(), changes.rows


@pytest.mark.parametrize(("before", "after", "kind"), [
    ("", "edgecomm.com", "domain added"),
    ("edge.com", "edgecomm.com", "domain changed"),
    ("edge.com", "", "domain removed"),
])
def test_a_crm_account_whose_domain_moved_says_so(before: str, after: str, kind: str) -> None:
    """A CRM account keeps its CRM id when it gets (or changes, or loses) a website; its
    account_id, derived from the domain, changes. Changes paired it by the CRM id and
    then said nothing at all."""
    old = pd.DataFrame({"account_id": ["ACC-OLD0000001"], "account_name": ["Edge"],
                        "domain": [before], "crm_id": ["001bm00001ZL8U9"]})
    new = old.assign(account_id="ACC-NEW0000001", domain=after)
    changes = compare_accounts(old, new, 10, "2026-W48", "2026-W49")
    assert changes.counts_text() == "1 account " + {
        "domain added": "gained a domain", "domain changed": "changed its domain",
        "domain removed": "lost its domain"}[kind]
    row = changes.rows.iloc[0]
    assert (row["change"], row["before"], row["after"], row["account_id"], row["detail"]) == (
        kind, before, after, "ACC-NEW0000001", "account_id was ACC-OLD0000001")
