"""A CRM account that gains a website between weekly runs stays one account: its row
is this week's (matched by its CRM id), not last week's carried under its old key,
and Changes pairs it with last week's account instead of calling it new."""

from __future__ import annotations

from pathlib import Path

from abmcli.outputs.readback import read_accounts
from abmcli.outputs.workbook_accounts import compare_workbooks
from abmcli.run import run_weekly
from abmcli.xlsx.workbook import read_sheet

HEADER = "Id,Name,Type,BillingCity,Industry,NumberOfEmployees"
WEEK1 = [
    "001A,Edge Communications,Customer - Direct,Austin,Electronics,1000",
    "001B,Burlington Textiles,Customer - Direct,Burlington,Apparel,9000",
]


def _run(folder: Path, rows: list[str], header: str, as_of: str) -> None:
    (folder / "exports" / "salesforce.csv").write_text("\n".join([header, *rows]) + "\n")
    import datetime as dt
    run_weekly(folder / "abm.toml", as_of=dt.date.fromisoformat(as_of))


def test_a_crm_account_that_gains_a_website_is_one_account_next_week(tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    (tmp_path / "abm.toml").write_text(
        '[inputs]\ncrm = "exports/salesforce*.csv"\n[output]\nfolder = "out"\n')
    _run(tmp_path, WEEK1, HEADER, "2026-11-23")
    week2 = [WEEK1[0] + ",www.edgecomm.com", WEEK1[1] + ","]
    _run(tmp_path, week2, HEADER + ",Website", "2026-11-30")

    hub = read_accounts(tmp_path / "out" / "2026-W49" / "tiers.xlsx")
    edge = hub[hub["account_name"] == "Edge Communications"]
    assert len(edge) == 1, edge[["account_id", "domain", "carried"]]
    assert edge["domain"].iloc[0] == "edgecomm.com"
    assert (hub["carried"].fillna("") == "").all(), hub[["account_name", "carried"]]

    changes = read_sheet(tmp_path / "out" / "2026-W49" / "tiers.xlsx", "Changes")
    kinds = set(changes["change"]) if "change" in changes.columns else set()
    assert not kinds & {"new account", "dropped account", "data carried"}, changes
    diff = compare_workbooks(tmp_path / "out" / "2026-W48" / "tiers.xlsx",
                             tmp_path / "out" / "2026-W49" / "tiers.xlsx", 10.0)
    assert diff.counts().get("new account", 0) == 0, diff.counts()
    assert diff.counts().get("dropped account", 0) == 0, diff.counts()
    # ... and says what did change: Edge got a website.
    added = diff.rows[diff.rows["change"] == "domain added"]
    assert added[["account_name", "before", "after"]].values.tolist() == [
        ["Edge Communications", "", "edgecomm.com"]]
    assert added["detail"].iloc[0].startswith("account_id was ACC-")
    assert (changes["change"] == "domain added").sum() == 1
